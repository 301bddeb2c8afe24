"""Filters for the national overview, on areas already scoped to the user."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from actions.models import Action, ActionPlan
from inspections.models import Inspection, LocalArea

PLAN_STATUSES = [(s.value, s.label) for s in ActionPlan.Status if s != ActionPlan.Status.SUPERSEDED]


def _current_plan(field: str) -> Subquery:
    plans = (
        ActionPlan.objects.filter(area=OuterRef("pk"))
        .exclude(status=ActionPlan.Status.SUPERSEDED)
        .order_by("-inspection__onsite_start", "-pk")
    )
    return Subquery(plans.values(field)[:1])


class AreaOverviewFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label="Area name contains", lookup_expr="icontains")
    outcome = django_filters.ChoiceFilter(
        label="Latest outcome",
        choices=Inspection.Outcome.choices,
        method="filter_outcome",
        empty_label="Any",
    )
    plan_status = django_filters.ChoiceFilter(
        label="Current plan status", choices=PLAN_STATUSES, method="filter_plan_status", empty_label="Any"
    )
    overdue = django_filters.ChoiceFilter(
        label="Overdue actions",
        choices=[("1", "Only areas with overdue actions")],
        method="filter_overdue",
        empty_label="Any",
    )

    class Meta:
        model = LocalArea
        fields = ["name"]

    def filter_outcome(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        latest = Inspection.objects.filter(area=OuterRef("pk")).exclude(outcome="").order_by("-onsite_start", "-pk")
        return queryset.annotate(latest_outcome=Subquery(latest.values("outcome")[:1])).filter(latest_outcome=value)

    def filter_plan_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.annotate(current_plan_status=_current_plan("status")).filter(current_plan_status=value)

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value != "1":
            return queryset
        overdue = Action.objects.filter(
            Q(plan_id=OuterRef("current_plan_id")),
            status__in=Action.OPEN_STATUSES,
            due_date__lt=timezone.localdate(),
        )
        return queryset.annotate(current_plan_id=_current_plan("pk")).filter(Exists(overdue))
