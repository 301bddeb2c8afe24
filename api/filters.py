"""Filters for the API: the action filters are the action list's (area, plan, finding, lead organisation,
lead officer, status, RAG, due after/before, overdue, free text)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone

from actions.models import Action, ActionPlan, Measure, MeasureValue, ProgressUpdate
from inspections.models import Finding, Inspection


class ActionFilter(django_filters.FilterSet):
    area = django_filters.NumberFilter(field_name="plan__area", help_text="Local area id.")
    plan = django_filters.NumberFilter(field_name="plan")
    finding = django_filters.NumberFilter(field_name="findings", help_text="Finding id.")
    lead_organisation = django_filters.NumberFilter(field_name="lead_organisation")
    lead_officer = django_filters.NumberFilter(field_name="lead_officer")
    status = django_filters.MultipleChoiceFilter(choices=Action.Status.choices)
    rag = django_filters.MultipleChoiceFilter(choices=Action.Rag.choices)
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", help_text="On or after.")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", help_text="On or before.")
    overdue = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_overdue",
        help_text="Open and past its due date.",
    )
    q = django_filters.CharFilter(method="filter_text", help_text="Reference, title or description.")

    class Meta:
        model = Action
        fields: list[str] = []

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=Action.OPEN_STATUSES, due_date__lt=timezone.localdate())
        return queryset.filter(overdue) if value == "true" else queryset.exclude(overdue)

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__iexact=value) | Q(title__icontains=value) | Q(description__icontains=value))


class InspectionFilter(django_filters.FilterSet):
    class Meta:
        model = Inspection
        fields = ["area", "kind", "framework"]


class FindingFilter(django_filters.FilterSet):
    area = django_filters.NumberFilter(field_name="inspection__area")

    class Meta:
        model = Finding
        fields = ["inspection", "kind"]


class PlanFilter(django_filters.FilterSet):
    class Meta:
        model = ActionPlan
        fields = ["area", "inspection", "kind", "status"]


class ProgressUpdateFilter(django_filters.FilterSet):
    class Meta:
        model = ProgressUpdate
        fields = ["action"]


class MeasureFilter(django_filters.FilterSet):
    class Meta:
        model = Measure
        fields = ["area"]


class MeasureValueFilter(django_filters.FilterSet):
    class Meta:
        model = MeasureValue
        fields = ["measure"]
