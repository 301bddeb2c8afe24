"""What a weekly digest says: read-only, for one board member or adviser, over the areas they can see."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts import access
from actions.models import Action, StatusChange


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def weekly_digest_for(user, *, today: date) -> list[dict]:
    """For each of the user's areas: overdue (oldest first), due in the next 14 days, newly completed and
    signed off, and RAG changes, all over the seven days before `today`."""
    since = _start_of(today - timedelta(days=7))
    until = _start_of(today)
    sections = []
    for area in access.visible_areas(user).order_by("name"):
        actions = Action.objects.filter(plan__area=area).select_related("plan__area", "lead_officer")
        open_actions = actions.filter(status__in=Action.OPEN_STATUSES)
        changes = StatusChange.objects.filter(
            action__plan__area=area, changed_at__gte=since, changed_at__lt=until
        ).select_related("action__plan__area")
        sections.append(
            {
                "area": area,
                "overdue": list(open_actions.filter(due_date__lt=today).order_by("due_date", "reference")),
                "due_soon": list(
                    open_actions.filter(due_date__gte=today, due_date__lte=today + timedelta(days=14)).order_by(
                        "due_date", "reference"
                    )
                ),
                "completed": _distinct_actions(changes.filter(to_status=Action.Status.COMPLETED)),
                "signed_off": _distinct_actions(changes.filter(to_status=Action.Status.SIGNED_OFF)),
                "rag_changes": rag_changes(area, since=since, until=until),
            }
        )
    return sections


def _distinct_actions(changes) -> list[Action]:
    seen: dict[int, Action] = {}
    for change in changes.order_by("changed_at"):
        seen.setdefault(change.action_id, change.action)
    return list(seen.values())


def rag_changes(area, *, since: datetime, until: datetime) -> list[dict]:
    """Each action whose RAG at `until` differs from its RAG at `since` (or at creation, if later).

    Read from the audit history, so a change made and undone within the week does not show.
    """
    history = Action.history.model.objects.filter(plan__area=area, history_date__lt=until).order_by(
        "id", "history_date"
    )
    touched = set(history.filter(history_date__gte=since).values_list("id", flat=True))
    if not touched:
        return []
    before: dict[int, str] = {}
    after: dict[int, str] = {}
    for record in history.filter(id__in=touched).values("id", "rag", "history_date"):
        # The RAG at the start of the week, or when the action was created if that was during the week.
        if record["history_date"] < since or record["id"] not in before:
            before[record["id"]] = record["rag"]
        after[record["id"]] = record["rag"]
    actions = {a.pk: a for a in Action.objects.filter(pk__in=touched).select_related("plan__area")}
    found = []
    for action_id in sorted(touched):
        old, new = before[action_id], after[action_id]
        if old != new and action_id in actions:
            found.append({"action": actions[action_id], "from": Action.Rag(old).label, "to": Action.Rag(new).label})
    return found
