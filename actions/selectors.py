"""Reads for plans and actions, always starting from the scoped querysets in accounts.access.

Each page's selector makes its joins here (select_related / prefetch_related) so a page runs the same number of
queries however many actions, updates or history records it shows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts import access
from inspections.models import Finding

from .models import Action, ActionPlan, DueDateRevision, Evidence, ProgressUpdate, StatusChange
from .services import PROGRESS_UPDATE_REASON

DUE_SOON_DAYS = 14
RECENT_DAYS = 14
RECENT_LIMIT = 10


def action_list_for_user(user) -> QuerySet[Action]:
    """Every action the user may see, with what a list row shows."""
    return (
        access.visible_actions(user)
        .select_related("plan__area", "lead_organisation", "lead_officer")
        .order_by("plan__area__name", "plan__title", "reference", "pk")
    )


def with_export_columns(actions: QuerySet[Action]) -> QuerySet[Action]:
    """The same rows with what an export line adds: the findings each action answers (the list page omits them)."""
    return actions.prefetch_related(Prefetch("findings", queryset=Finding.objects.only("id", "reference", "title")))


# --- My actions ---


@dataclass
class MyActions:
    overdue: list[Action]
    due_soon: list[Action]
    awaiting_sign_off: list[Action]
    recently_updated: list[Action]
    today: dt.date
    due_soon_until: dt.date

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.due_soon or self.awaiting_sign_off or self.recently_updated)


def my_actions(user, *, today: dt.date | None = None) -> MyActions:
    """The signed-in user's start page: what they lead and must do, and what waits for their sign-off."""
    today = today or timezone.localdate()
    until = today + dt.timedelta(days=DUE_SOON_DAYS)
    rows = access.visible_actions(user).select_related("plan__area", "lead_organisation", "lead_officer")
    # Overdue and due soon in one query: open actions they lead due by the end of the window, split here.
    due_by_until = list(
        rows.filter(lead_officer=user, status__in=Action.OPEN_STATUSES, due_date__lte=until).order_by("due_date", "pk")
    )
    overdue = [action for action in due_by_until if action.due_date < today]
    due_soon = [action for action in due_by_until if action.due_date >= today]
    board_ids = access.board_area_ids(user)
    awaiting = (
        list(
            rows.filter(plan__area_id__in=board_ids, status=Action.Status.COMPLETED)
            .exclude(lead_officer=user)
            .order_by("completed_at", "pk")
        )
        if board_ids
        else []  # not on any board: nothing to ask the database
    )
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    recent = list(
        rows.filter(_involving(user), last_update_at__gte=since).order_by("-last_update_at", "-pk")[:RECENT_LIMIT]
    )
    return MyActions(
        overdue=overdue,
        due_soon=due_soon,
        awaiting_sign_off=awaiting,
        recently_updated=recent,
        today=today,
        due_soon_until=until,
    )


def _involving(user) -> Q:
    """Actions the user leads, or that their organisations lead or support, or in the areas they manage."""
    orgs = access.user_organisation_ids(user)
    # Supporters through a subquery rather than a join, which would repeat an action once per supporter and
    # need a DISTINCT over whole rows.
    supported = Action.supporting_organisations.through.objects.filter(organisation_id__in=orgs).values("action_id")
    return (
        Q(lead_officer=user)
        | Q(lead_organisation_id__in=orgs)
        | Q(pk__in=supported)
        | Q(plan__area_id__in=access.managed_area_ids(user))
    )


# --- Plan page ---


def reference_key(reference: str) -> tuple:
    """Sort "2.10" after "2.9": numbers in a reference compare as numbers, the rest as text."""
    parts = re.split(r"(\d+)", reference)
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.lower()) for part in parts if part)


@dataclass
class FindingActions:
    finding: Finding | None  # None: actions that answer no finding
    actions: list[Action]

    @property
    def total(self) -> int:
        return len(self.actions)

    @property
    def done(self) -> int:
        return sum(1 for a in self.actions if a.status in (Action.Status.COMPLETED, Action.Status.SIGNED_OFF))

    @property
    def signed_off(self) -> int:
        return sum(1 for a in self.actions if a.status == Action.Status.SIGNED_OFF)

    @property
    def percent(self) -> int:
        live = [a for a in self.actions if a.status != Action.Status.CANCELLED]
        if not live:
            return 0
        return round(sum(a.percent_complete for a in live) / len(live))


@dataclass
class PlanDetail:
    plan: ActionPlan
    sections: list[FindingActions]
    today: dt.date
    counts: dict[str, int] = field(default_factory=dict)


def plan_detail(user, pk: int) -> PlanDetail:
    """A plan with its findings, each with the plan's actions that answer it, in reference order."""
    plans = access.visible_plans(user).select_related("area", "inspection")
    plan = access.get_visible_or_404(plans, pk=pk)
    actions = sorted(
        plan.actions.select_related("lead_organisation", "lead_officer").prefetch_related(
            Prefetch("findings", queryset=Finding.objects.only("id"))
        ),
        key=lambda action: reference_key(action.reference),
    )
    findings = list(
        Finding.objects.filter(Q(inspection=plan.inspection) | Q(actions__plan=plan))
        .select_related("inspection")
        .distinct()
        .order_by("inspection__onsite_start", "reference")
    )
    findings.sort(key=lambda f: (f.inspection.onsite_start, reference_key(f.reference)))
    by_finding: dict[int, list[Action]] = {finding.pk: [] for finding in findings}
    unlinked: list[Action] = []
    for action in actions:
        answered = [f.pk for f in action.findings.all()]
        for finding_id in answered:
            by_finding.setdefault(finding_id, []).append(action)
        if not answered:
            unlinked.append(action)
    sections = [FindingActions(finding=f, actions=by_finding[f.pk]) for f in findings]
    if unlinked:
        sections.append(FindingActions(finding=None, actions=unlinked))
    counts = dict(
        plan.actions.values_list("status").annotate(n=Count("pk")).order_by()  # one grouped query
    )
    return PlanDetail(plan=plan, sections=sections, today=timezone.localdate(), counts=counts)


# --- Action detail and its timeline ---


def action_detail(user, pk: int) -> Action:
    """One action with everything its page shows, loaded in a fixed number of queries."""
    queryset = access.visible_actions(user).select_related(
        "plan__area", "plan__inspection", "lead_organisation", "lead_officer", "signed_off_by"
    )
    action = access.get_visible_or_404(queryset, pk=pk)
    return action


def action_for_change(user, pk: int) -> Action:
    """The action a form works on: visible to the user (else 404), with what the access checks read."""
    queryset = access.visible_actions(user).select_related("plan__area", "lead_organisation", "lead_officer")
    return access.get_visible_or_404(queryset.prefetch_related("supporting_organisations", "findings"), pk=pk)


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class TimelineEntry:
    kind: str  # "update", "status", "due_date", "fields", "created"
    at: dt.datetime
    who: object | None
    title: str
    text: str = ""
    update: ProgressUpdate | None = None
    status_change: StatusChange | None = None
    revision: DueDateRevision | None = None
    changes: list[FieldChange] = field(default_factory=list)


# Fields whose changes the timeline shows from history. The others are shown by their own entries (status
# changes, due-date revisions, progress updates) or are bookkeeping (version, last update time).
HISTORY_FIELDS = (
    "reference",
    "title",
    "description",
    "lead_organisation",
    "lead_officer",
    "start_date",
    "success_measure",
    "rag",
)


def action_timeline(action: Action) -> list[TimelineEntry]:
    """Progress updates (with evidence), status changes, due-date revisions and field edits, newest first."""
    updates = (
        ProgressUpdate.objects.filter(action=action)
        .select_related("author")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk")))
    )
    entries = [
        TimelineEntry(kind="update", at=u.created_at, who=u.author, title="Progress update", text=u.text, update=u)
        for u in updates
    ]
    for change in StatusChange.objects.filter(action=action).select_related("changed_by"):
        entries.append(
            TimelineEntry(
                kind="status",
                at=change.changed_at,
                who=change.changed_by,
                title=_status_title(change),
                text=change.reason,
                status_change=change,
            )
        )
    for revision in DueDateRevision.objects.filter(action=action).select_related("revised_by"):
        entries.append(
            TimelineEntry(
                kind="due_date",
                at=revision.revised_at,
                who=revision.revised_by,
                title="Due date revised",
                text=revision.reason,
                revision=revision,
            )
        )
    entries.extend(_history_entries(action))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def _status_title(change: StatusChange) -> str:
    titles = {
        Action.Status.COMPLETED: "Marked complete",
        Action.Status.SIGNED_OFF: "Signed off",
        Action.Status.REOPENED: "Sent back",
        Action.Status.CANCELLED: "Cancelled",
    }
    return titles.get(change.to_status, f"Status changed to {change.get_to_status_display()}")


def _history_entries(action: Action) -> list[TimelineEntry]:
    records = list(
        action.history.select_related("history_user", "lead_organisation", "lead_officer").order_by(
            "history_date", "history_id"
        )
    )
    entries: list[TimelineEntry] = []
    previous = None
    for record in records:
        if previous is None:
            if record.history_type == "+":
                entries.append(
                    TimelineEntry(
                        kind="created", at=record.history_date, who=record.history_user, title="Action created"
                    )
                )
        elif _is_edit(record, previous):
            changes = record_changes(previous, record)
            note = record.history_change_reason or ""
            if changes or note:
                entries.append(
                    TimelineEntry(
                        kind="fields",
                        at=record.history_date,
                        who=record.history_user,
                        title="Details changed",
                        text=note,
                        changes=changes,
                    )
                )
        previous = record
    return entries


def _is_edit(record, previous) -> bool:
    """A save by action_update: not a progress update, a workflow step or a due-date revision."""
    if record.history_change_reason == PROGRESS_UPDATE_REASON:
        return False
    if record.status != previous.status or record.due_date != previous.due_date:
        return False
    return record.history_type == "~"


def record_changes(before, after) -> list[FieldChange]:
    """What differs between two history records (or a record and the action), as labels and display values."""
    changes = []
    for name in HISTORY_FIELDS:
        old, new = _display(before, name), _display(after, name)
        if old != new:
            changes.append(FieldChange(label=_label(name), before=old, after=new))
    return changes


def _label(name: str) -> str:
    label = Action._meta.get_field(name).verbose_name
    return label if label.isupper() else label.capitalize()


def _display(obj, name: str) -> str:
    model_field = Action._meta.get_field(name)
    if model_field.is_relation:
        related_id = getattr(obj, f"{name}_id")
        if related_id is None:
            return "None"
        related = getattr(obj, name)
        return getattr(related, "display_name", None) or str(related)
    value = getattr(obj, name)
    if value in (None, ""):
        return "None"
    if model_field.choices:
        return str(dict(model_field.choices).get(value, value))
    if isinstance(value, dt.date):
        return value.strftime("%-d %B %Y")
    return str(value)


def changes_since(action: Action, version: int) -> list[TimelineEntry]:
    """Everything saved on the action after `version` was read: what the conflict page shows."""
    records = list(
        action.history.filter(version__gte=version)
        .select_related("history_user", "lead_organisation", "lead_officer")
        .order_by("history_date", "history_id")
    )
    entries: list[TimelineEntry] = []
    for previous, record in zip(records, records[1:], strict=False):
        changes = record_changes(previous, record)
        if record.status != previous.status:
            changes.append(
                FieldChange(label="Status", before=previous.get_status_display(), after=record.get_status_display())
            )
        if record.due_date != previous.due_date:
            changes.append(
                FieldChange(label="Due date", before=_display(previous, "due_date"), after=_display(record, "due_date"))
            )
        if record.percent_complete != previous.percent_complete:
            changes.append(
                FieldChange(
                    label="Percent complete",
                    before=f"{previous.percent_complete}%",
                    after=f"{record.percent_complete}%",
                )
            )
        title = "Progress update posted" if record.history_change_reason == PROGRESS_UPDATE_REASON else "Saved"
        note = "" if record.history_change_reason == PROGRESS_UPDATE_REASON else (record.history_change_reason or "")
        entries.append(
            TimelineEntry(
                kind="fields", at=record.history_date, who=record.history_user, title=title, text=note, changes=changes
            )
        )
    return entries
