from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts import access
from accounts.models import User
from actions.models import Action, ActionPlan, Measure, MeasureValue, ProgressUpdate
from inspections.models import Finding, Inspection, LocalArea, Organisation

# Blue is set by sign-off, never sent by a client.
RAG_SETTABLE = [choice for choice in Action.Rag.choices if choice[0] != Action.Rag.BLUE]


class AreaSerializer(serializers.ModelSerializer):
    council = serializers.CharField(source="council.name", read_only=True)

    class Meta:
        model = LocalArea
        fields = ["id", "name", "slug", "la_code", "council", "is_invented"]


class InspectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Inspection
        fields = [
            "id",
            "area",
            "framework",
            "kind",
            "onsite_start",
            "onsite_end",
            "published_on",
            "outcome",
            "report_url",
            "follows",
        ]


class FindingSerializer(serializers.ModelSerializer):
    area = serializers.IntegerField(source="inspection.area_id", read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "inspection", "area", "kind", "reference", "title", "text", "judges", "judgement"]


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "area",
            "inspection",
            "kind",
            "title",
            "status",
            "submission_due",
            "submitted_on",
            "accepted_on",
            "published_url",
        ]


class ActionSerializer(serializers.ModelSerializer):
    area = serializers.IntegerField(source="plan.area_id", read_only=True)
    lead_organisation_name = serializers.CharField(source="lead_organisation.name", read_only=True)
    lead_officer_name = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "plan",
            "area",
            "reference",
            "title",
            "description",
            "findings",
            "lead_organisation",
            "lead_organisation_name",
            "lead_officer",
            "lead_officer_name",
            "supporting_organisations",
            "start_date",
            "due_date",
            "original_due_date",
            "status",
            "rag",
            "success_measure",
            "percent_complete",
            "last_update_at",
            "completed_at",
            "signed_off_at",
            "version",
            "is_overdue",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_lead_officer_name(self, action: Action) -> str | None:
        officer = action.lead_officer
        return (officer.get_full_name() or officer.username) if officer else None

    @extend_schema_field(serializers.BooleanField())
    def get_is_overdue(self, action: Action) -> bool:
        return action.is_open and action.due_date < timezone.localdate()


class ActionPatchSerializer(serializers.Serializer):
    """A partial update. `version` is the version the client read; if stale: 409 and the current action."""

    version = serializers.IntegerField(min_value=1)
    reference = serializers.CharField(max_length=16, required=False)
    title = serializers.CharField(max_length=300, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    findings = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Finding.objects.none())
    lead_organisation = serializers.PrimaryKeyRelatedField(required=False, queryset=Organisation.objects.all())
    lead_officer = serializers.PrimaryKeyRelatedField(
        required=False, allow_null=True, queryset=User.objects.filter(is_active=True)
    )
    supporting_organisations = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Organisation.objects.all()
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    success_measure = serializers.CharField(required=False, allow_blank=True)
    rag = serializers.ChoiceField(required=False, choices=RAG_SETTABLE)
    due_date = serializers.DateField(required=False)
    due_date_reason = serializers.CharField(required=False, allow_blank=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["findings"].child_relation.queryset = access.visible_findings(request.user)

    def validate(self, data: dict) -> dict:
        if "due_date" in data and not data.get("due_date_reason", "").strip():
            raise serializers.ValidationError({"due_date_reason": "Give the reason the due date is changing."})
        return data


class ProgressUpdateSerializer(serializers.ModelSerializer):
    action = serializers.PrimaryKeyRelatedField(queryset=Action.objects.none())
    author_name = serializers.SerializerMethodField()
    rag = serializers.ChoiceField(choices=RAG_SETTABLE)
    percent_complete = serializers.IntegerField(min_value=0, max_value=100)
    text = serializers.CharField(max_length=10000)

    class Meta:
        model = ProgressUpdate
        fields = ["id", "action", "author", "author_name", "created_at", "text", "rag", "percent_complete"]
        read_only_fields = ["id", "author", "author_name", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["action"].queryset = access.visible_actions(request.user)

    @extend_schema_field(serializers.CharField())
    def get_author_name(self, update: ProgressUpdate) -> str:
        return update.author.get_full_name() or update.author.username


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measure
        fields = [
            "id",
            "area",
            "name",
            "unit",
            "direction",
            "baseline",
            "baseline_date",
            "target",
            "target_date",
            "findings",
        ]


class MeasureValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeasureValue
        fields = ["id", "measure", "period", "period_label", "value", "comparator", "source"]


class StaleVersionSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = ActionSerializer()
