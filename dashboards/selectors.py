"""Every figure on the board dashboard, the national overview and the board pack.

Each figure is an aggregate computed in PostgreSQL; a page runs the same number of queries whatever the number of
actions. Definitions, so that the dashboard, the board pack and the action list agree:

- Cancelled actions count in no figure except "cancelled".
- The stages (not started, in progress, reopened, awaiting sign-off, signed off) add up to the total; reopened
  actions are those the board sent back, being worked on again.
- "Overdue" is an open action (not started, in progress, reopened) whose due date is before today.
- "Due in the next 30 days" is an open action due from today to today + 30 days, both included.
- "Readiness" of a finding is the share of its (not cancelled) actions that are signed off and have at least one
  piece of evidence. An action answering two findings counts for both.
- "Since" a board meeting means from the start of the meeting's day (Europe/London) onwards.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Cast, JSONObject, TruncMonth
from django.utils import timezone

from accounts import access
from actions.models import (
    Action,
    ActionPlan,
    DueDateRevision,
    Evidence,
    Measure,
    MeasureValue,
    ProgressUpdate,
    StatusChange,
)
from inspections.models import BoardMeeting, Finding, Inspection, LocalArea
from send_tracker.working_days import working_days_between

Status = Action.Status
Rag = Action.Rag
OPEN = tuple(str(s) for s in Action.OPEN_STATUSES)
DUE_SOON_DAYS = 30

# The order statuses and RAG ratings are shown in, everywhere.
STATUS_ORDER = (
    Status.NOT_STARTED,
    Status.IN_PROGRESS,
    Status.REOPENED,
    Status.COMPLETED,
    Status.SIGNED_OFF,
)
RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)


def start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- Area, plan and meeting choices -------------------------------------------------------------------------


def dashboard_area(user, slug: str) -> LocalArea:
    return access.get_visible_or_404(access.visible_areas(user).select_related("council"), slug=slug)


def area_plans(area: LocalArea) -> list[ActionPlan]:
    """The area's plans that are not superseded, the most recent inspection's first."""
    return list(
        ActionPlan.objects.filter(area=area)
        .exclude(status=ActionPlan.Status.SUPERSEDED)
        .select_related("inspection")
        .order_by("-inspection__onsite_start", "-pk")
    )


def choose_plan(plans: list[ActionPlan], plan_id: str | int | None) -> ActionPlan | None:
    """The plan asked for, if it is one of the area's; otherwise the current one."""
    for plan in plans:
        if str(plan.pk) == str(plan_id):
            return plan
    return plans[0] if plans else None


def area_meetings(area: LocalArea) -> list[BoardMeeting]:
    return list(BoardMeeting.objects.filter(area=area).order_by("-date"))


def last_meeting_before(meetings: list[BoardMeeting], day: dt.date, *, inclusive: bool) -> BoardMeeting | None:
    """Of meetings newest first, the latest one before `day` (or on it, when inclusive)."""
    for meeting in meetings:
        if meeting.date < day or (inclusive and meeting.date == day):
            return meeting
    return None


# --- Headline figures ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    total: int
    not_started: int
    in_progress: int
    reopened: int
    awaiting_sign_off: int
    signed_off: int
    overdue: int
    due_soon: int
    cancelled: int

    @property
    def signed_off_percent(self) -> int | None:
        return round(100 * self.signed_off / self.total) if self.total else None


def _plan_counts(plan: ActionPlan, today: dt.date) -> list[dict]:
    """The plan's actions counted by status, month due and month signed off: one grouped query.

    The headline figures and both burn-up series are sums over these few rows (a plan has a handful of statuses and
    a few dozen months), so the page reads the actions table once instead of three times.
    """
    return list(
        Action.objects.filter(plan=plan)
        .annotate(due_month=TruncMonth("due_date"), signed_month=TruncMonth("signed_off_at"))
        .values("status", "due_month", "signed_month")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            due_soon=Count("pk", filter=Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS))),
        )
        .order_by()
    )


def headline(counts: list[dict]) -> Headline:
    by_status = {s: 0 for s in Status}
    overdue = due_soon = 0
    for row in counts:
        by_status[row["status"]] += row["n"]
        if row["status"] in OPEN:
            overdue += row["overdue"]
            due_soon += row["due_soon"]
    return Headline(
        total=sum(n for s, n in by_status.items() if s != Status.CANCELLED),
        not_started=by_status[Status.NOT_STARTED],
        in_progress=by_status[Status.IN_PROGRESS],
        reopened=by_status[Status.REOPENED],
        awaiting_sign_off=by_status[Status.COMPLETED],
        signed_off=by_status[Status.SIGNED_OFF],
        overdue=overdue,
        due_soon=due_soon,
        cancelled=by_status[Status.CANCELLED],
    )


# --- Per finding -------------------------------------------------------------------------------------------------


@dataclass
class FindingProgress:
    finding: Finding
    status_counts: dict[str, int]
    rag_counts: dict[str, int]
    total: int
    ready: int
    last_judgement: Finding | None

    @property
    def readiness_percent(self) -> int | None:
        return round(100 * self.ready / self.total) if self.total else None

    @property
    def status_values(self) -> list[int]:
        return [self.status_counts[s] for s in STATUS_ORDER]

    @property
    def rag_values(self) -> list[int]:
        return [self.rag_counts[r] for r in RAG_ORDER]


def finding_progress(plan: ActionPlan) -> list[FindingProgress]:
    """Findings of the plan's inspection and any finding its actions answer, with counts of those actions.

    Each finding is read with the status, RAG and readiness of each (not cancelled) plan action answering it, a
    few each, in one array subquery over its links, and they are counted here. A join of every finding with every
    action grouped afterwards read the whole actions table, and its row estimate was so far off at national scale
    that PostgreSQL compiled it (JIT) for 100 ms. Counting in SQL instead, with one filtered count per status and
    RAG, made the query itself take longer for Django to write than for PostgreSQL to run (bench/README.md).
    """
    answered = Action.findings.through.objects.filter(action__plan=plan).values("finding_id")
    with_evidence = Evidence.objects.values("update__action_id")
    ready = ExpressionWrapper(
        Q(action__status=Status.SIGNED_OFF, action_id__in=with_evidence), output_field=BooleanField()
    )
    links = Action.findings.through.objects.filter(finding=OuterRef("pk"), action__plan=plan).exclude(
        action__status=Status.CANCELLED
    )
    later = Finding.objects.filter(judges=OuterRef("pk")).order_by("-inspection__onsite_start", "-pk")
    findings = (
        Finding.objects.filter(
            Q(pk__in=answered) | (Q(inspection_id=plan.inspection_id) & ~Q(kind=Finding.Kind.STRENGTH))
        )
        .select_related("inspection")
        .annotate(
            plan_actions=ArraySubquery(
                links.values(row=JSONObject(status="action__status", rag="action__rag", ready=ready))
            ),
            latest_judgement=Subquery(later.values(row=JSONObject(**JUDGEMENT_FIELDS))[:1]),
        )
        .order_by("inspection__onsite_start", "reference")
    )
    rows = []
    for finding in findings:
        statuses = Counter(action["status"] for action in finding.plan_actions)
        rags = Counter(action["rag"] for action in finding.plan_actions)
        rows.append(
            FindingProgress(
                finding=finding,
                status_counts={s: statuses[s] for s in STATUS_ORDER},
                rag_counts={r: rags[r] for r in RAG_ORDER},
                total=len(finding.plan_actions),
                ready=sum(1 for action in finding.plan_actions if action["ready"]),
                last_judgement=_last_judgement(finding),
            )
        )
    return rows


# The latest judgement's fields that the dashboard and the board pack show, read with each finding.
JUDGEMENT_FIELDS = {
    "pk": "pk",
    "judgement": "judgement",
    "kind": "inspection__kind",
    "onsite": "inspection__onsite_start",
}


def _last_judgement(finding: Finding) -> Finding | None:
    """The latest later finding that judged this one; or this one, when it is itself a judgement."""
    later = finding.latest_judgement
    if later:
        inspection = Inspection(kind=later["kind"], onsite_start=dt.date.fromisoformat(later["onsite"]))
        return Finding(pk=later["pk"], judgement=later["judgement"], inspection=inspection)
    return finding if finding.judgement else None


# --- Overdue, slipped and changed actions --------------------------------------------------------------------


def _with_latest_update(queryset: QuerySet[Action]) -> QuerySet[Action]:
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
    return queryset.select_related("lead_officer", "lead_organisation").annotate(
        latest_update_text=Subquery(latest.values("text")[:1]),
        latest_update_at=Subquery(latest.values("created_at")[:1]),
        latest_update_rag=Subquery(latest.values("rag")[:1]),
    )


@dataclass
class OverdueAction:
    action: Action
    days_overdue: int
    working_days_overdue: int


@dataclass
class SlippedAction:
    action: Action
    working_days: int
    revisions: list[DueDateRevision]


@dataclass
class SinceMeeting:
    since: dt.date
    rag_changes: list[Action]  # each with rag_then
    signed_off: list[StatusChange]
    newly_overdue: list[Action]


@dataclass
class ActionLists:
    overdue: list[OverdueAction]
    slipped: list[SlippedAction]
    since_meeting: SinceMeeting | None


def action_lists(plan: ActionPlan, today: dt.date, since: dt.date | None) -> ActionLists:
    """The plan's overdue and slipped actions and, with `since`, what changed from the start of that day to now.

    One query fetches every action on any of the lists (each is a few of the plan's actions), with its latest
    update and due-date revisions; the lists are split from it here. Signed-off actions are a second query, as an
    action can have been signed off more than once.

    - Overdue: open actions past their due date, the oldest first.
    - Slipped: actions whose due date has been revised, the furthest slipped first, with each revision's reason.
    - Since: the state "then" is each action's latest historical record before the start of `since`; an action
      created later has none, so it shows no RAG change but can be newly overdue. Signing off turns an action
      blue; those are listed as newly signed off, not as RAG changes.
    """
    not_cancelled = ~Q(status=Status.CANCELLED)
    revisions = DueDateRevision.objects.filter(action=OuterRef("pk")).order_by("revised_at", "pk")
    actions = Action.objects.filter(plan=plan).annotate(is_revised=Exists(revisions))
    wanted = Q(status__in=OPEN, due_date__lt=today) | (Q(is_revised=True) & not_cancelled)
    if since is not None:
        history = Action.history.model.objects.filter(id=OuterRef("pk"), history_date__lt=start_of_day(since))
        history = history.order_by("-history_date", "-history_id")
        actions = actions.annotate(
            rag_then=Subquery(history.values("rag")[:1]),
            status_then=Subquery(history.values("status")[:1]),
            due_then=Subquery(history.values("due_date")[:1]),
        )
        wanted |= Q(rag_then__isnull=False) & ~Q(rag=F("rag_then")) & ~Q(rag=Rag.BLUE) & not_cancelled
    revision_rows = revisions.values(row=JSONObject(previous="previous_due_date", new="new_due_date", reason="reason"))
    # Ordered by reference in SQL (its collation), then stably by date in Python where a list needs it.
    rows = list(
        _with_latest_update(actions.filter(wanted))
        .annotate(revision_rows=ArraySubquery(revision_rows))
        .order_by("reference")
    )
    overdue = sorted((a for a in rows if a.status in OPEN and a.due_date < today), key=lambda a: a.due_date)
    lists = ActionLists(
        overdue=[
            OverdueAction(
                action=action,
                days_overdue=(today - action.due_date).days,
                working_days_overdue=working_days_between(action.due_date, today),
            )
            for action in overdue
        ],
        slipped=sorted(
            (
                SlippedAction(
                    action=action,
                    working_days=working_days_between(action.original_due_date, action.due_date),
                    revisions=[_revision(action, row) for row in action.revision_rows],
                )
                for action in rows
                if action.is_revised and action.status != Status.CANCELLED
            ),
            key=lambda s: (-s.working_days, s.action.reference),
        ),
        since_meeting=None,
    )
    if since is not None:
        lists.since_meeting = SinceMeeting(
            since=since,
            rag_changes=[
                a
                for a in rows
                if a.rag_then is not None and a.rag != a.rag_then and a.rag != Rag.BLUE and a.status != Status.CANCELLED
            ],
            signed_off=_signed_off_since(plan, since),
            newly_overdue=[a for a in overdue if not (a.status_then in OPEN and a.due_then < since)],
        )
    return lists


def _revision(action: Action, row: dict) -> DueDateRevision:
    """A revision as read in `action_lists` (only the fields the dashboard and the board pack show)."""
    return DueDateRevision(
        action=action,
        previous_due_date=dt.date.fromisoformat(row["previous"]),
        new_due_date=dt.date.fromisoformat(row["new"]),
        reason=row["reason"],
    )


def _signed_off_since(plan: ActionPlan, since: dt.date) -> list[StatusChange]:
    return list(
        StatusChange.objects.filter(
            action__plan=plan,
            to_status=Status.SIGNED_OFF,
            changed_at__gte=start_of_day(since),
            action__status=Status.SIGNED_OFF,
        )
        .select_related("action", "changed_by")
        .order_by("changed_at", "pk")
    )


# --- Burn-up -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BurnUpMonth:
    month: dt.date
    planned: int
    signed_off: int | None  # None for months still to come


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def plan_start(plan: ActionPlan) -> dt.date | None:
    return plan.accepted_on or plan.submitted_on or plan.inspection.published_on


def burn_up(plan: ActionPlan, counts: list[dict], today: dt.date) -> list[BurnUpMonth]:
    """Cumulative planned completions (by current due date) and sign-offs at the end of each month.

    Months run from the month the plan was accepted to the later of this month and the last due date. Actions due
    (or signed off) before the first month are counted in it. `counts` are the plan's `_plan_counts`.
    """
    planned: dict[dt.date, int] = {}
    signed: dict[dt.date, int] = {}
    for row in counts:
        if row["status"] != Status.CANCELLED:
            month = _as_date(row["due_month"])
            planned[month] = planned.get(month, 0) + row["n"]
        if row["status"] == Status.SIGNED_OFF and row["signed_month"] is not None:
            month = _as_date(row["signed_month"])
            signed[month] = signed.get(month, 0) + row["n"]
    start = plan_start(plan)
    if start is None:
        known = [*planned, *signed]
        if not known:
            return []
        start = min(known)
    first = _month_start(start)
    last = max([_month_start(today), *planned, *signed])
    this_month = _month_start(today)
    months: list[BurnUpMonth] = []
    planned_total = sum(n for m, n in planned.items() if m < first)
    signed_total = sum(n for m, n in signed.items() if m < first)
    month = first
    while month <= last:
        planned_total += planned.get(month, 0)
        signed_total += signed.get(month, 0)
        months.append(BurnUpMonth(month, planned_total, signed_total if month <= this_month else None))
        month = _next_month(month)
    return months


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


# --- KPIs ----------------------------------------------------------------------------------------------------


@dataclass
class KpiTrend:
    measure: Measure
    values: list[MeasureValue]
    direction: str  # improving, worsening, no_change, unknown
    latest: MeasureValue | None
    previous: MeasureValue | None

    @property
    def direction_label(self) -> str:
        return DIRECTION_LABELS[self.direction]

    @property
    def target_met(self) -> bool | None:
        if self.latest is None or self.measure.target is None:
            return None
        if self.measure.direction == Measure.Direction.HIGHER_IS_BETTER:
            return self.latest.value >= self.measure.target
        return self.latest.value <= self.measure.target


DIRECTION_LABELS = {
    "improving": "Improving",
    "worsening": "Getting worse",
    "no_change": "No change",
    "unknown": "Not enough data",
}


def kpi_trends(area: LocalArea) -> list[KpiTrend]:
    """The area's measures, each with its values oldest first: one query, the values read as an array per measure.

    Figures are read as text so that they stay exact decimals (a JSON number would come back as a float).
    """
    values = MeasureValue.objects.filter(measure=OuterRef("pk")).order_by("period")
    rows = values.values(
        row=JSONObject(
            pk="pk",
            period="period",
            period_label="period_label",
            value=Cast("value", CharField()),
            comparator=Cast("comparator", CharField()),
            source="source",
        )
    )
    measures = Measure.objects.filter(area=area).annotate(value_rows=ArraySubquery(rows)).order_by("name")
    return [_trend(measure, [_measure_value(measure, row) for row in measure.value_rows]) for measure in measures]


def _measure_value(measure: Measure, row: dict) -> MeasureValue:
    def decimal(text: str | None) -> Decimal | None:
        return None if text is None else Decimal(text)

    return MeasureValue(
        pk=row["pk"],
        measure=measure,
        period=dt.date.fromisoformat(row["period"]),
        period_label=row["period_label"],
        value=decimal(row["value"]),
        comparator=decimal(row["comparator"]),
        source=row["source"],
    )


def _trend(measure: Measure, values: list[MeasureValue]) -> KpiTrend:
    known = [v for v in values if v.value is not None]
    latest = known[-1] if known else None
    previous = known[-2] if len(known) > 1 else None
    return KpiTrend(measure, values, direction_of_travel(measure.direction, previous, latest), latest, previous)


def direction_of_travel(direction: str, previous: MeasureValue | None, latest: MeasureValue | None) -> str:
    """Compare the two latest published values; suppressed (missing) values are skipped, never read as zero."""
    if previous is None or latest is None:
        return "unknown"
    change: Decimal = latest.value - previous.value
    if change == 0:
        return "no_change"
    better = change > 0 if direction == Measure.Direction.HIGHER_IS_BETTER else change < 0
    return "improving" if better else "worsening"


# --- The whole dashboard -----------------------------------------------------------------------------------------


@dataclass
class AreaDashboard:
    area: LocalArea
    today: dt.date
    plans: list[ActionPlan]
    plan: ActionPlan | None
    meetings: list[BoardMeeting]
    since: dt.date | None
    headline: Headline | None = None
    findings: list[FindingProgress] = field(default_factory=list)
    overdue: list[OverdueAction] = field(default_factory=list)
    slipped: list[SlippedAction] = field(default_factory=list)
    burn_up: list[BurnUpMonth] = field(default_factory=list)
    since_meeting: SinceMeeting | None = None
    kpis: list[KpiTrend] = field(default_factory=list)


def area_dashboard(
    area: LocalArea,
    *,
    plan_id: str | int | None = None,
    since: dt.date | None = None,
    today: dt.date | None = None,
    meetings: list[BoardMeeting] | None = None,
    plans: list[ActionPlan] | None = None,
    default_since: bool = True,
) -> AreaDashboard:
    """Everything on the board dashboard and in the board pack for one area and plan.

    Without `since`, changes are counted from the latest board meeting held before today (unless
    `default_since` is off, as for a pack whose meeting has no earlier one). `meetings` and `plans`, when given,
    are the area's `area_meetings` and `area_plans`, already read by the caller.
    """
    today = today or timezone.localdate()
    plans = area_plans(area) if plans is None else plans
    plan = choose_plan(plans, plan_id)
    meetings = area_meetings(area) if meetings is None else meetings
    if since is None and default_since:
        last = last_meeting_before(meetings, today, inclusive=False)
        since = last.date if last else None
    board = AreaDashboard(area=area, today=today, plans=plans, plan=plan, meetings=meetings, since=since)
    board.kpis = kpi_trends(area)
    if plan is None:
        return board
    counts = _plan_counts(plan, today)
    board.headline = headline(counts)
    board.burn_up = burn_up(plan, counts, today)
    board.findings = finding_progress(plan)
    lists = action_lists(plan, today, since)
    board.overdue, board.slipped, board.since_meeting = lists.overdue, lists.slipped, lists.since_meeting
    return board


# --- National overview --------------------------------------------------------------------------------------


@dataclass
class AreaRow:
    area: LocalArea
    latest_inspection: Inspection | None
    # The latest inspection with an outcome: revisits and monitoring inspections judge findings instead.
    outcome_inspection: Inspection | None
    plan: ActionPlan | None
    total: int = 0
    signed_off: int = 0
    overdue: int = 0
    oldest_overdue: dt.date | None = None
    red: int = 0
    amber: int = 0
    green: int = 0
    blue: int = 0
    signed_off_last_30_days: int = 0
    overdue_30_days_ago: int = 0

    @property
    def signed_off_percent(self) -> int | None:
        return round(100 * self.signed_off / self.total) if self.total else None

    @property
    def overdue_change(self) -> int:
        return self.overdue - self.overdue_30_days_ago


def national_overview(areas: QuerySet[LocalArea], today: dt.date | None = None) -> list[AreaRow]:
    """One row per area: latest inspection, current plan and its action figures, with the change in 30 days.

    `areas` is already scoped to the user (and filtered); four queries whatever the number of areas or actions.
    """
    today = today or timezone.localdate()
    areas = list(areas.order_by("name"))
    area_ids = [area.pk for area in areas]
    # Grouped here rather than with prefetch_related: for 152 areas, its per-area querysets and related managers
    # took longer than the two queries themselves.
    inspections = _by_area(Inspection.objects.filter(area_id__in=area_ids).order_by("-onsite_start", "-pk"))
    plans = _by_area(
        ActionPlan.objects.filter(area_id__in=area_ids)
        .exclude(status=ActionPlan.Status.SUPERSEDED)
        .order_by("-inspection__onsite_start", "-pk")
    )
    rows = [
        AreaRow(
            area=area,
            latest_inspection=next(iter(inspections[area.pk]), None),
            outcome_inspection=next((i for i in inspections[area.pk] if i.outcome), None),
            plan=next(iter(plans[area.pk]), None),
        )
        for area in areas
    ]
    by_plan = {row.plan.pk: row for row in rows if row.plan is not None}
    for figures in _plan_figures(list(by_plan), today):
        row = by_plan[figures.pop("plan_id")]
        for name, value in figures.items():
            setattr(row, name, value)
    return rows


def _by_area(queryset: QuerySet) -> defaultdict[int, list]:
    """The queryset's rows in lists by their `area_id`, each list in the queryset's order."""
    grouped = defaultdict(list)
    for obj in queryset:
        grouped[obj.area_id].append(obj)
    return grouped


def _plan_figures(plan_ids: list[int], today: dt.date) -> list[dict]:
    if not plan_ids:
        return []
    month_ago = today - dt.timedelta(days=30)
    cutoff = start_of_day(month_ago + dt.timedelta(days=1))
    history = Action.history.model.objects
    then = history.filter(id=OuterRef("pk"), history_date__lt=cutoff).order_by("-history_date", "-history_id")
    # Every change to an action is a save through the services, recorded in its history (actions/models.py): an
    # action with no history since the cutoff was then as it is now. Only the others (about a quarter at national
    # scale) need their state then looked up; looking up all 15,200 was most of this query's time. One CASE tests
    # "changed" once per action, and one lookup reads "was it overdue then" (status and due date together): with
    # "changed" and "not changed" as two conditions, and status and due date as two lookups, the query took 44 ms
    # at national scale instead of 30 (bench/README.md). An action created since the cutoff has no state then: the
    # lookup gives NULL and the action is not counted.
    overdue_then = ExpressionWrapper(Q(status__in=OPEN, due_date__lt=month_ago), output_field=BooleanField())
    overdue_a_month_ago = Case(
        When(
            pk__in=history.filter(history_date__gte=cutoff).values("id"), then=Subquery(then.values(x=overdue_then)[:1])
        ),
        default=overdue_then,
        output_field=BooleanField(),
    )
    overdue_now = Q(status__in=OPEN, due_date__lt=today)
    not_cancelled = ~Q(status=Status.CANCELLED)
    return list(
        Action.objects.filter(plan_id__in=plan_ids)
        .values("plan_id")
        .annotate(
            total=Count("pk", filter=not_cancelled),
            signed_off=Count("pk", filter=Q(status=Status.SIGNED_OFF)),
            overdue=Count("pk", filter=overdue_now),
            oldest_overdue=Min("due_date", filter=overdue_now),
            red=Count("pk", filter=not_cancelled & Q(rag=Rag.RED)),
            amber=Count("pk", filter=not_cancelled & Q(rag=Rag.AMBER)),
            green=Count("pk", filter=not_cancelled & Q(rag=Rag.GREEN)),
            blue=Count("pk", filter=Q(rag=Rag.BLUE)),
            signed_off_last_30_days=Count(
                "pk",
                filter=Q(
                    status=Status.SIGNED_OFF,
                    signed_off_at__gte=start_of_day(month_ago + dt.timedelta(days=1)),
                ),
            ),
            overdue_30_days_ago=Count("pk", filter=overdue_a_month_ago),
        )
        .order_by()
    )
