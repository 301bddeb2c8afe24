"""What goes in a user's calendar feed: deadlines of actions they lead or support, and plan submissions."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts import access
from actions.models import Action, ActionPlan

# A cancelled or signed-off action has no deadline left to meet.
FEED_STATUSES = (*Action.OPEN_STATUSES, Action.Status.COMPLETED)


def feed_actions(user) -> QuerySet[Action]:
    """Actions the user leads, or that one of their organisations supports, in areas they can see."""
    supports = Q(supporting_organisations__in=access.user_organisation_ids(user))
    return (
        access.visible_actions(user)
        .filter(Q(lead_officer=user) | supports, status__in=FEED_STATUSES)
        .select_related("plan__area")
        .distinct()
        .order_by("due_date", "pk")
    )


def feed_plans(user) -> QuerySet[ActionPlan]:
    return (
        access.visible_plans(user)
        .filter(submission_due__isnull=False)
        .exclude(status=ActionPlan.Status.SUPERSEDED)
        .select_related("area")
        .order_by("submission_due", "pk")
    )
