"""Reads for areas and inspections, always scoped by accounts.access."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from accounts import access

from .models import AreaPartner, Finding, Inspection, LocalArea


@dataclass(frozen=True)
class AreaSummary:
    area: LocalArea
    latest_inspection: Inspection | None
    current_plan: object | None
    open_actions: int
    overdue_actions: int


def area_summaries_for_user(user) -> list[AreaSummary]:
    """The home page: each area the user may see, its latest inspection, current plan and action counts."""
    from actions.models import Action, ActionPlan

    today = timezone.localdate()
    is_open = Q(plans__actions__status__in=Action.OPEN_STATUSES)
    areas = (
        access.visible_areas(user)
        .annotate(
            open_actions=Count("plans__actions", filter=is_open),
            overdue_actions=Count("plans__actions", filter=is_open & Q(plans__actions__due_date__lt=today)),
        )
        .prefetch_related(
            Prefetch("inspections", queryset=Inspection.objects.order_by("-onsite_start")),
            Prefetch(
                "plans",
                queryset=ActionPlan.objects.exclude(status=ActionPlan.Status.SUPERSEDED).order_by(
                    "-inspection__onsite_start", "-pk"
                ),
            ),
        )
        .order_by("name")
    )
    return [
        AreaSummary(
            area=area,
            latest_inspection=next(iter(area.inspections.all()), None),
            current_plan=next(iter(area.plans.all()), None),
            open_actions=area.open_actions,
            overdue_actions=area.overdue_actions,
        )
        for area in areas
    ]


def area_detail(user, slug: str) -> LocalArea:
    """One area with its inspections (oldest first), their findings, judgements and plans, and its partners."""
    from actions.models import ActionPlan

    findings = Finding.objects.select_related("judges").prefetch_related(
        Prefetch("judgements", queryset=Finding.objects.select_related("inspection"))
    )
    queryset = (
        access.visible_areas(user)
        .select_related("council")
        .prefetch_related(
            Prefetch(
                "inspections",
                queryset=Inspection.objects.order_by("onsite_start").prefetch_related(
                    Prefetch("findings", findings),
                    Prefetch("plans", queryset=ActionPlan.objects.order_by("title", "pk")),
                ),
            ),
            # Each partnership with its organisation in one query, not two.
            Prefetch("partnerships", queryset=AreaPartner.objects.select_related("organisation")),
        )
    )
    return access.get_visible_or_404(queryset, slug=slug)
