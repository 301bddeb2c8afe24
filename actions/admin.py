from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Action,
    ActionPlan,
    DueDateRevision,
    Evidence,
    Measure,
    MeasureValue,
    PlanDeadlineRule,
    ProgressUpdate,
    StatusChange,
)


@admin.register(PlanDeadlineRule)
class PlanDeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "working_days"]


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    # Links to the published report or plan: a link typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "area", "kind", "status", "submission_due", "accepted_on"]
    list_filter = ["kind", "status", "area"]
    raw_id_fields = ["inspection"]


class DueDateRevisionInline(admin.TabularInline):
    model = DueDateRevision
    extra = 0
    readonly_fields = ["previous_due_date", "new_due_date", "reason", "revised_by", "revised_at"]
    can_delete = False


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "changed_by", "changed_at", "reason"]
    can_delete = False


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = [
        "reference",
        "title",
        "plan",
        "lead_organisation",
        "lead_officer",
        "due_date",
        "status",
        "rag",
    ]
    list_filter = ["status", "rag", "plan__area"]
    list_select_related = ["plan", "plan__area", "lead_organisation", "lead_officer"]
    search_fields = ["reference", "title"]
    raw_id_fields = ["plan", "lead_officer", "signed_off_by"]
    filter_horizontal = ["findings", "supporting_organisations"]
    readonly_fields = ["version", "original_due_date", "last_update_at", "completed_at", "signed_off_at"]
    inlines = [DueDateRevisionInline, StatusChangeInline]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    readonly_fields = ["original_name", "size", "content_type", "uploaded_by", "uploaded_at"]
    exclude = ["file"]
    can_delete = False


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    """Read-only: progress updates are append-only records."""

    list_display = ["action", "author", "created_at", "rag", "percent_complete"]
    list_select_related = ["action", "author"]
    raw_id_fields = ["action"]
    inlines = [EvidenceInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class MeasureValueInline(admin.TabularInline):
    model = MeasureValue
    extra = 0


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["name", "area", "unit", "direction", "baseline", "target"]
    list_filter = ["area"]
    filter_horizontal = ["findings"]
    inlines = [MeasureValueInline]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "update", "size", "content_type", "uploaded_at"]
    exclude = ["file"]
    readonly_fields = ["update", "uploaded_by", "original_name", "size", "content_type"]

    def has_add_permission(self, request) -> bool:
        # Evidence arrives only with a progress update, whose upload checks the file; the admin form has no file.
        return False
