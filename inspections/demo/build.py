"""Build the demonstration data set described in `content.py`.

Every row is looked up by its natural key first, so a second run creates nothing. State changes to plans and
actions go through `actions.services` (plan_save, action_create, progress_update_create, action_complete, ...)
so that the audit history, status changes and denormalised fields (RAG, percentage, last update) are exactly
what the app itself would have written.

Histories are backdated: each step runs with Django's clock set to the moment the step is meant to have
happened, so created_at, changed_at and the simple-history records tell a believable story. Dates of current
actions are counted from the day the demo is first loaded (the day the officer.suffolk account was created),
so a later run moves nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Membership, User
from actions import services
from actions.models import Action, ActionPlan, Measure, MeasureValue
from inspections.models import AreaPartner, BoardMeeting, Finding, Inspection, LocalArea, Organisation
from send_tracker.working_days import working_day_on_or_before

from . import content
from .content import ActionSpec, MeasureSpec, PlanSpec

ANCHOR_USER = "officer.suffolk"


@dataclass
class World:
    """Rows already built, by their content keys."""

    anchor: date
    orgs: dict[str, Organisation] = field(default_factory=dict)
    areas: dict[str, LocalArea] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    inspections: dict[str, Inspection] = field(default_factory=dict)
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)
    board_dates: dict[str, list[date]] = field(default_factory=dict)


def seed_demo() -> World:
    """Create whatever of the demonstration data set is missing; returns the built rows.

    The demo's history happened in the past, so its assignments and sign-offs email nobody.
    """
    with transaction.atomic(), services.event_emails_paused():
        orgs = build_organisations()
        areas = build_areas(orgs)
        users, anchor = build_people(orgs, areas)
        world = World(anchor=anchor, orgs=orgs, areas=areas, users=users)
        build_inspections(world)
        build_board_meetings(world)
        for spec in content.PLANS:
            build_plan(world, spec)
        for measure in content.MEASURES:
            build_measure(world, measure)
    return world


# --- The clock ----------------------------------------------------------------------------------------------


@contextlib.contextmanager
def clock(moment: datetime) -> Iterator[None]:
    """Run the block as if it were `moment`: auto_now_add fields, history dates and the services all read it.

    Django and django-simple-history both call `django.utils.timezone.now()` through the module, so setting
    the module attribute is enough; the real clock is restored on the way out.
    """
    real_now = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real_now


@contextlib.contextmanager
def acting(user: User) -> Iterator[None]:
    """Record `user` as the author of the history rows written in the block, as the request middleware would."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# --- Organisations, areas and people ------------------------------------------------------------------------


def build_organisations() -> dict[str, Organisation]:
    orgs = {}
    for spec in content.ORGANISATIONS:
        orgs[spec.key], _ = Organisation.objects.get_or_create(
            name=spec.name,
            defaults={"kind": spec.kind, "active_from": spec.active_from, "active_to": spec.active_to},
        )
    return orgs


def build_areas(orgs: dict[str, Organisation]) -> dict[str, LocalArea]:
    areas = {}
    for spec in content.AREAS:
        area, _ = LocalArea.objects.get_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "la_code": spec.la_code,
                "council": orgs[spec.council],
                "is_invented": spec.is_invented,
            },
        )
        for key, start, end in spec.partners:
            AreaPartner.objects.get_or_create(
                area=area, organisation=orgs[key], start_date=start, defaults={"end_date": end}
            )
        areas[spec.key] = area
    return areas


def build_people(orgs: dict[str, Organisation], areas: dict[str, LocalArea]) -> tuple[dict[str, User], date]:
    """Users and memberships; also the day the demo was first loaded (the anchor for relative dates)."""
    users = {}
    # One hash for every demo login: hashing is deliberately slow, and they share the password anyway.
    password = make_password(settings.DEMO_PASSWORD)
    for spec in content.PEOPLE:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": spec.email,
                "is_staff": spec.superuser,
                "is_superuser": spec.superuser,
            },
        )
        if created:
            user.password = password if spec.login else make_password(None)
            user.save(update_fields=["password"])
        membership, created = Membership.objects.get_or_create(
            user=user,
            organisation=orgs[spec.organisation],
            role=spec.role,
            defaults={
                "job_title": spec.job_title,
                "is_independent_chair": spec.chair,
                "is_parent_carer_forum_rep": spec.pcf,
            },
        )
        if created and spec.areas:
            membership.areas.set([areas[key] for key in spec.areas])
        users[spec.username] = user
    anchor = timezone.localdate(users[ANCHOR_USER].date_joined)
    return users, anchor


# --- Inspections, findings and board meetings ---------------------------------------------------------------


def build_inspections(world: World) -> None:
    for spec in content.INSPECTIONS:
        area = world.areas[spec.area]
        with clock(at(spec.published_on, 9)):
            inspection, _ = Inspection.objects.get_or_create(
                area=area,
                kind=spec.kind,
                onsite_start=spec.onsite_start,
                defaults={
                    "framework": spec.framework,
                    "onsite_end": spec.onsite_end,
                    "published_on": spec.published_on,
                    "outcome": spec.outcome,
                    "follows": world.inspections[spec.follows] if spec.follows else None,
                },
            )
            for finding_spec in spec.findings:
                judges = world.findings[(spec.follows, finding_spec.judges)] if finding_spec.judges else None
                finding, _ = Finding.objects.get_or_create(
                    inspection=inspection,
                    reference=finding_spec.reference,
                    defaults={
                        "kind": finding_spec.kind,
                        "title": finding_spec.title,
                        "text": finding_spec.text,
                        "judges": judges,
                        "judgement": finding_spec.judgement,
                    },
                )
                world.findings[(spec.key, finding_spec.reference)] = finding
        world.inspections[spec.key] = inspection


def _every_two_months(first: date, last: date, weekday: int, nth: int) -> list[date]:
    """The nth `weekday` of every second month from `first`'s month, up to and including the first after `last`."""
    dates = []
    year, month = first.year, first.month
    while True:
        day = date(year, month, 1)
        day += timedelta(days=(weekday - day.weekday()) % 7 + 7 * (nth - 1))
        dates.append(day)
        if day > last:
            return dates
        month += 2
        if month > 12:
            year, month = year + 1, month - 12


def build_board_meetings(world: World) -> None:
    # Up to the next meeting after the day the demo is loaded, so that there is always a "next board".
    horizon = world.anchor
    suffolk = [(day, content.SUFFOLK_BOARD_TITLE) for day in content.SUFFOLK_BOARD_DATES]
    suffolk += [
        (day, content.SUFFOLK_BOARD_TITLE + content.INVENTED_BOARD_SUFFIX)
        for day in _every_two_months(date(2024, 9, 1), horizon, weekday=4, nth=1)
    ]
    westmere = [
        (day, content.WESTMERE_BOARD_TITLE)
        for day in _every_two_months(content.WESTMERE_BOARD_FIRST, horizon, weekday=2, nth=3)
    ]
    for key, meetings in (("suffolk", suffolk), ("westmere", westmere)):
        for day, title in meetings:
            BoardMeeting.objects.get_or_create(area=world.areas[key], date=day, defaults={"title": title})
        world.board_dates[key] = sorted(day for day, _ in meetings)


# --- Plans and actions --------------------------------------------------------------------------------------


def build_plan(world: World, spec: PlanSpec) -> ActionPlan:
    area = world.areas[spec.area]
    inspection = world.inspections[spec.inspection]
    plan = ActionPlan.objects.filter(area=area, kind=spec.kind, inspection=inspection).first()
    if plan is None:
        with acting(world.users[spec.author]):
            plan = _create_plan(spec, area, inspection)
    existing = set(plan.actions.values_list("reference", flat=True))
    drafted = at(inspection.published_on + timedelta(days=7), 9)
    for index, action_spec in enumerate(spec.actions):
        if action_spec.reference not in existing:
            ActionStory(world, spec, plan, action_spec, created=drafted + timedelta(minutes=index)).tell()
    return plan


def _create_plan(spec: PlanSpec, area: LocalArea, inspection: Inspection) -> ActionPlan:
    """Create the plan as a draft, then walk it through submission, acceptance and perhaps supersession."""
    plan = ActionPlan(area=area, kind=spec.kind, title=spec.title, inspection=inspection)
    with clock(at(inspection.published_on + timedelta(days=7), 9)):
        services.plan_save(plan=plan)
    steps = [
        (spec.submitted_on, {"status": ActionPlan.Status.SUBMITTED, "submitted_on": spec.submitted_on}),
        (spec.accepted_on, {"status": ActionPlan.Status.ACCEPTED, "accepted_on": spec.accepted_on}),
        (spec.superseded_on, {"status": ActionPlan.Status.SUPERSEDED}),
    ]
    for day, changes in steps:
        if day is None:
            continue
        for name, value in changes.items():
            setattr(plan, name, value)
        with clock(at(day, 16)):
            services.plan_save(plan=plan)
    if plan.status != spec.status:  # for example accepted, but on a date that was never published
        plan.status = spec.status
        with clock(at(spec.submitted_on or inspection.published_on, 17)):
            services.plan_save(plan=plan)
    return plan


class ActionStory:
    """One action's life so far: created, re-dated, updated, completed, signed off, sent back, cancelled."""

    def __init__(self, world: World, plan_spec: PlanSpec, plan: ActionPlan, spec: ActionSpec, created: datetime):
        self.world = world
        self.plan_spec = plan_spec
        self.plan = plan
        self.spec = spec
        self.created = created
        self.manager = world.users[plan_spec.author]
        self.lead = world.users[spec.officer]
        self.signer = world.users[plan_spec.signer]
        self.due = self._day(spec.due)
        self.original_due = self._day(spec.revised_from) if spec.revised_from is not None else self.due
        # Nothing can be dated after the moment the demo is built (nor on the anchor day itself, so that
        # "updated since" comparisons against today stay simple).
        self.latest = min(timezone.now() - timedelta(hours=1), at(world.anchor - timedelta(days=1), 17))
        self.start = min(plan_spec.start, self.original_due - timedelta(days=30), self.due - timedelta(days=30))
        self.action: Action | None = None

    def _day(self, value: date | int) -> date:
        if isinstance(value, date):
            return value
        return working_day_on_or_before(self.world.anchor + timedelta(days=value))

    def _clamp(self, day: date, hour: int = 11) -> datetime:
        return max(min(at(day, hour), self.latest), self.created + timedelta(minutes=5))

    def tell(self) -> None:
        events = self._events()
        with clock(self.created), acting(self.manager):
            self.action = self._create()
        # Strictly increasing moments, even where clamping made two of them equal.
        moment = self.created
        for when, step in events:
            moment = max(when, moment + timedelta(minutes=1))
            with clock(moment):
                step()

    def _create(self) -> Action:
        findings = [
            self.world.findings[(self.plan_spec.inspection, reference)]
            for reference in self.plan_spec.findings_by_section[self.spec.reference.split(".")[0]]
        ]
        return services.action_create(
            plan=self.plan,
            user=self.manager,
            findings=findings,
            supporting_organisations=[self.world.orgs[key] for key in self.spec.support],
            reference=self.spec.reference,
            title=self.spec.title,
            lead_organisation=self.world.orgs[self.spec.lead],
            lead_officer=self.lead,
            start_date=self.start,
            due_date=self.original_due,
            success_measure=self.spec.success,
        )

    def _fresh(self) -> Action:
        return Action.objects.select_related("plan").get(pk=self.action.pk)

    def _events(self) -> list[tuple[datetime, Callable[[], None]]]:
        spec, status = self.spec, self.spec.status
        events: list[tuple[datetime, Callable[[], None]]] = []
        if spec.revised_from is not None:
            events.append((self._clamp(self.original_due - timedelta(days=7), 15), self._revise))
        rags = spec.rags or {"signed_off": "GG", "completed": "G", "cancelled": "A"}.get(status, "")
        after: str = ""  # an update posted after the action was sent back
        if status == content.REOPENED and rags:
            rags, after = rags[:-1], rags[-1]

        if status in (content.SIGNED_OFF, content.COMPLETED):
            done = min(self.due - timedelta(days=2), self.world.anchor - timedelta(days=2))
            finish = self._clamp(done, 15)
        elif status == content.REOPENED:
            finish = self._clamp(min(self.due, self.world.anchor) - timedelta(days=30), 15)
        elif status == content.CANCELLED:
            finish = self._clamp(min(self.due, self.world.anchor) - timedelta(days=10), 15)
        else:
            finish = self.latest
        events = sorted(events + self._updates(rags, finish), key=lambda event: event[0])

        # The workflow steps follow in the order written, whatever clamping did to their moments.
        if status in (content.SIGNED_OFF, content.COMPLETED, content.REOPENED):
            events.append((finish, self._complete))
        if status == content.SIGNED_OFF:
            events.append((self._next_board(finish), self._sign_off))
        if status == content.REOPENED:
            events.append((self._next_board(finish), self._send_back))
            if after:
                events.append((self.latest - timedelta(hours=2), lambda: self._update(after, len(rags), 1)))
        if status == content.CANCELLED:
            events.append((finish, self._cancel))
        return events

    def _updates(self, rags: str, finish: datetime) -> list[tuple[datetime, Callable[[], None]]]:
        count = len(rags)
        if not count:
            return []
        first_day = self.start + timedelta(days=14)
        last_day = timezone.localdate(finish)
        if self.spec.status == content.REOPENED:
            # Updated monthly until a week before it was marked complete.
            last_day -= timedelta(days=7)
            days = [last_day - timedelta(days=35 * (count - 1 - index)) for index in range(count)]
        elif self.spec.status == content.IN_PROGRESS:
            # Open actions were updated recently, about monthly; how recently varies, so that some are stale.
            last_day = min(last_day, self.world.anchor - timedelta(days=2 + 7 * (self._seed % 5)))
            days = [last_day - timedelta(days=35 * (count - 1 - index)) for index in range(count)]
        else:
            step = max((last_day - first_day).days, 1) / count
            days = [first_day + timedelta(days=round(step * index)) for index in range(count)]
        return [
            (self._clamp(day, 10 + index % 6), lambda rag=rag, index=index: self._update(rag, index, count))
            for index, (day, rag) in enumerate(zip(days, rags, strict=True))
        ]

    @property
    def _seed(self) -> int:
        """A small number fixed for each action, to vary the wording and figures repeatably."""
        return sum(map(ord, self.plan_spec.key + self.spec.reference))

    def _next_board(self, after: datetime) -> datetime:
        """Sign-off and sending back happen at the next board meeting, if any, else two weeks later."""
        day = timezone.localdate(after)
        later = [meeting for meeting in self.world.board_dates.get(self.plan_spec.area, []) if meeting > day]
        soon = [meeting for meeting in later if meeting < min(self.world.anchor, day + timedelta(days=70))]
        return self._clamp(soon[0] if soon else day + timedelta(days=14), 12)

    # The steps, each through the service the app uses.

    def _revise(self) -> None:
        action = self._fresh()
        with acting(self.manager):
            services.action_revise_due_date(
                action_id=action.pk,
                user=self.manager,
                expected_version=action.version,
                new_due_date=self.due,
                reason=self.spec.revision_reason,
            )

    def _update(self, rag: str, index: int, count: int) -> None:
        texts = content.UPDATE_TEXT[rag]
        seed = self._seed
        closing = self.spec.status in (content.SIGNED_OFF, content.COMPLETED, content.REOPENED)
        ceiling = 90 if closing else 30 + 10 * (seed % 6)
        percent = min(ceiling, 10 + (ceiling - 10) * (index + 1) // max(count, 1)) // 5 * 5
        with acting(self.lead):
            services.progress_update_create(
                action=self._fresh(),
                author=self.lead,
                text=texts[(seed + index) % len(texts)],
                rag={"G": Action.Rag.GREEN, "A": Action.Rag.AMBER, "R": Action.Rag.RED}[rag],
                percent_complete=percent,
            )

    def _complete(self) -> None:
        with acting(self.lead):
            services.action_complete(action=self._fresh(), user=self.lead, statement=content.COMPLETION_STATEMENT)

    def _sign_off(self) -> None:
        with acting(self.signer):
            services.action_sign_off(action=self._fresh(), user=self.signer, note=content.SIGN_OFF_NOTE)

    def _send_back(self) -> None:
        with acting(self.signer):
            services.action_send_back(action=self._fresh(), user=self.signer, reason=self.spec.note)

    def _cancel(self) -> None:
        with acting(self.manager):
            services.action_cancel(action=self._fresh(), user=self.manager, reason=self.spec.note)


# --- Measures -----------------------------------------------------------------------------------------------


def _months_before(anchor: date, count: int) -> list[date]:
    """The first days of the `count` whole months before the anchor's month, oldest first."""
    months = []
    year, month = anchor.year, anchor.month
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(date(year, month, 1))
    return months[::-1]


def _england(spec: MeasureSpec, period: date) -> Decimal | None:
    """The England figure for the period's year; after the latest published year, the latest figure."""
    if not spec.england_by_year:
        return None
    known = [year for year in spec.england_by_year if year <= period.year]
    return Decimal(str(spec.england_by_year[max(known)])) if known else None


def _monthly_values(spec: MeasureSpec, anchor: date) -> list[tuple[date, str, Decimal | None, Decimal | None, str]]:
    periods = _months_before(anchor, spec.months)
    whole = spec.unit not in ("%", "weeks")
    rows = []
    for index, period in enumerate(periods):
        progress = index / max(len(periods) - 1, 1)
        # A steady trend with a small, repeatable wobble so the chart does not look ruled.
        wobble = ((index * 7) % 5 - 2) * max(abs(spec.end - spec.start) * 0.04, abs(spec.end) * 0.01)
        value = spec.start + (spec.end - spec.start) * progress + wobble
        value = round(value) if whole else round(value, 1)
        comparator = _england(spec, period)
        source = content.DEMO_SOURCE + (f"; {spec.england_note}" if comparator is not None else "")
        rows.append((period, f"{period:%b %Y}", Decimal(str(value)), comparator, source))
    return rows


def _annual_values(spec: MeasureSpec, anchor: date) -> list[tuple[date, str, Decimal | None, Decimal | None, str]]:
    month, day = spec.annual_period
    return [
        (date(year, month, day), str(year), Decimal(str(value)), None, source)
        for year, value, source in spec.annual
        if date(year, month, day) < anchor
    ]


def build_measure(world: World, spec: MeasureSpec) -> Measure:
    rows = _annual_values(spec, world.anchor) if spec.annual else _monthly_values(spec, world.anchor)
    measure, created = Measure.objects.get_or_create(
        area=world.areas[spec.area],
        name=spec.name,
        defaults={
            "unit": spec.unit,
            "direction": spec.direction,
            "baseline": rows[0][2] if rows else None,
            "baseline_date": rows[0][0] if rows else None,
            "target": Decimal(str(spec.target)) if spec.target is not None else None,
            "target_date": date(world.anchor.year + 1, 3, 31),
        },
    )
    if created:
        measure.findings.set([world.findings[key] for key in spec.findings])
    for period, label, value, comparator, source in rows:
        MeasureValue.objects.get_or_create(
            measure=measure,
            period=period,
            defaults={"period_label": label, "value": value, "comparator": comparator, "source": source},
        )
    return measure


# --- Summary ------------------------------------------------------------------------------------------------


def counts() -> dict[str, int]:
    from actions.models import DueDateRevision, ProgressUpdate, StatusChange

    models = [
        Organisation, LocalArea, AreaPartner, User, Membership, Inspection, Finding, BoardMeeting, ActionPlan,
        Action, DueDateRevision, ProgressUpdate, StatusChange, Measure, MeasureValue,
    ]  # fmt: skip
    return {model._meta.verbose_name_plural: model.objects.count() for model in models}


def demo_logins() -> list[tuple[str, str]]:
    names = {org.key: org.name for org in content.ORGANISATIONS}
    return [(person.username, f"{person.job_title}, {names[person.organisation]}") for person in content.DEMO_USERS]
