"""Filters for the action list. Every choice list is scoped to what the user may see."""

from __future__ import annotations

import django_filters
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.db.models import Q
from django.utils import timezone

from accounts import access
from accounts.models import User
from inspections.models import Finding, LocalArea, Organisation

from .forms import GovDateField
from .models import Action, ActionPlan


class GovDateFilter(django_filters.DateFilter):
    field_class = GovDateField


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: LocalArea) -> str:
        return obj.name


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ActionPlan) -> str:
        return f"{obj.area.name}: {obj.title}"


class FindingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Finding) -> str:
        return f"{obj.inspection.area.name} {obj.reference}. {obj.title}"


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class AreaFilter(django_filters.ModelChoiceFilter):
    field_class = AreaChoiceField


class PlanFilter(django_filters.ModelChoiceFilter):
    field_class = PlanChoiceField


class FindingFilter(django_filters.ModelChoiceFilter):
    field_class = FindingChoiceField


class OfficerFilter(django_filters.ModelChoiceFilter):
    field_class = OfficerChoiceField


_INVALID = {"invalid_choice": "Select one of the options in the list"}


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="filter_text", help_text="Reference, title or description")
    area = AreaFilter(field_name="plan__area", label="Area", queryset=LocalArea.objects.none(), empty_label="All areas")
    plan = PlanFilter(label="Plan", queryset=ActionPlan.objects.none(), empty_label="All plans")
    finding = FindingFilter(
        field_name="findings",
        label="Finding",
        queryset=Finding.objects.none(),
        empty_label="All findings",
        distinct=True,
    )
    lead_organisation = django_filters.ModelChoiceFilter(
        label="Lead organisation", queryset=Organisation.objects.none(), empty_label="All organisations"
    )
    lead_officer = OfficerFilter(label="Lead officer", queryset=User.objects.none(), empty_label="All officers")
    status = django_filters.ChoiceFilter(label="Status", choices=Action.Status.choices, empty_label="Any status")
    rag = django_filters.ChoiceFilter(label="RAG", choices=Action.Rag.choices, empty_label="Any RAG rating")
    due_from = GovDateFilter(field_name="due_date", lookup_expr="gte", label="Due on or after", what="first due date")
    due_to = GovDateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before", what="last due date")
    overdue = django_filters.BooleanFilter(label="Overdue only", method="filter_overdue", widget=forms.CheckboxInput)

    class Meta:
        model = Action
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = request.user
        actions = access.visible_actions(user)
        filters = self.filters
        filters["area"].queryset = access.visible_areas(user).order_by("name")
        filters["plan"].queryset = access.visible_plans(user).select_related("area").order_by("area__name", "title")
        filters["finding"].queryset = (
            access.visible_findings(user)
            .filter(actions__isnull=False)
            .select_related("inspection__area")
            .distinct()
            .order_by("inspection__area__name", "inspection__onsite_start", "reference")
        )
        filters["lead_organisation"].queryset = Organisation.objects.filter(
            pk__in=actions.values("lead_organisation_id")
        ).order_by("name")
        filters["lead_officer"].queryset = User.objects.filter(pk__in=actions.values("lead_officer_id")).order_by(
            "first_name", "last_name", "username"
        )
        for name in ("area", "plan", "finding", "lead_organisation", "lead_officer", "status", "rag"):
            filters[name].extra["error_messages"] = _INVALID
        # The error summary ({% error_summary %}) reads its switches from a crispy helper.
        helper = FormHelper()
        helper.form_tag = False
        self.form.helper = helper

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value) | Q(description__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status__in=Action.OPEN_STATUSES, due_date__lt=timezone.localdate())

    def is_bound_with_values(self) -> bool:
        return any(v for k, v in (self.data or {}).items() if k not in ("page", "sort", "export"))
