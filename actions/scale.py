"""National-scale data for benchmarks: every local area in England using the service at once.

`seed_scale` builds invented areas ("Scale area 001", ...) with their councils, health partners, parent carer
forums, people in every role, an inspection with findings, an improvement plan, actions with progress updates,
board meetings and measures. The same seed and anchor date always give the same rows.

It writes with `bulk_create` in batches, a block of areas at a time, so memory stays flat and 152 areas of 100
actions with 10 updates each load in well under two minutes. Bulk inserts bypass the services, so this module
does by hand what the services would have done, and keeps it consistent:
- an action's RAG, percentage and `last_update_at` are those of its latest progress update; signed-off actions
  are blue and 100%, completed ones 100%;
- status changes, due-date revisions, completion and sign-off times and the version number match the story;
- the audit history (django-simple-history) gets the rows the services would have written: one when the action
  was created, one for each progress update, revision and status change, each dated and attributed. The action
  page's timeline reads those rows, so leaving them out would make that page look cheaper than it is.
  `bulk_create_with_history` is not used because it stamps every row with one date and one user.

`auto_now_add` timestamps (created_at, changed_at, revised_at) are set explicitly: histories are backdated.
"""

from __future__ import annotations

import contextlib
import functools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Membership, User
from inspections.models import AreaPartner, BoardMeeting, Finding, Inspection, LocalArea, Organisation

from .models import Action, ActionPlan, DueDateRevision, Measure, MeasureValue, PlanKind, ProgressUpdate, StatusChange

Role = Membership.Role
Status = Action.Status
Rag = Action.Rag

SLUG_PREFIX = "scale-"
AREAS_PER_ICB = 4  # England has 42 ICBs for 152 areas
AREAS_PER_ADVISER = 10
OFFICERS_PER_COUNCIL = 6
BLOCK_AREAS = 8  # areas generated and written together
BATCH_SIZE = 2000
HEAVY_UPDATES = 50  # the first action of each area has this many updates (the "long timeline" page)
HEAVY_REFERENCE = "1.1"
REVISIT_EVERY = 4  # every fourth area has had a revisit or monitoring inspection

# A plan part-way through delivery: most actions under way, a quarter finished, a few cancelled.
STATUS_WEIGHTS = {
    Status.NOT_STARTED: 14,
    Status.IN_PROGRESS: 46,
    Status.COMPLETED: 8,
    Status.SIGNED_OFF: 22,
    Status.REOPENED: 3,
    Status.CANCELLED: 7,
}
OPEN_STATUS_WEIGHTS = {Status.NOT_STARTED: 25, Status.IN_PROGRESS: 70, Status.REOPENED: 5}
RAG_WEIGHTS = {Rag.GREEN: 55, Rag.AMBER: 30, Rag.RED: 15}
OVERDUE_RAG_WEIGHTS = {Rag.GREEN: 10, Rag.AMBER: 40, Rag.RED: 50}

UPDATE_TEXTS = (
    "Workshops with schools and families held; feedback is being written up for the board.",
    "Recruitment to the two new posts is complete and induction has started.",
    "Audit of a sample of plans finished; quality has improved but timeliness is still behind target.",
    "Delayed by the budget round; a revised timetable goes to the next board.",
    "Draft guidance shared with the parent carer forum for comment.",
    "Training delivered to three of the five localities; the rest are booked.",
    "Data now reported monthly; the first dashboard went to the partnership meeting.",
    "Waiting list reduced for the third month running.",
)
FINDING_TITLES = (
    "Timeliness and quality of education, health and care plans",
    "Waiting times for neurodevelopmental assessment",
    "Co-production with children, young people and families",
    "Joint commissioning across education, health and care",
    "Preparation for adulthood",
    "Information on the local offer",
    "Use of data to understand need and check impact",
    "Leaders' oversight of alternative provision",
)
MEASURE_NAMES = (
    ("EHC plans issued within 20 weeks", "%", Measure.Direction.HIGHER_IS_BETTER, 30, 70),
    ("Median wait for autism assessment", "weeks", Measure.Direction.LOWER_IS_BETTER, 70, 40),
    ("Annual reviews completed on time", "%", Measure.Direction.HIGHER_IS_BETTER, 45, 80),
)


@dataclass(frozen=True)
class ScaleConfig:
    areas: int = 152
    actions_per_area: int = 100
    updates_per_action: int = 10
    seed: int = 1
    anchor: date | None = None  # "today" for the generated dates; the real date when not given
    open_only: bool = False  # every action still open: the reminder sweep's data set
    password: str = "demo-password"


@dataclass
class ScaleResult:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, number: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + number


def area_slug(number: int) -> str:
    return f"{SLUG_PREFIX}{number:03d}"


def username(number: int, role: str) -> str:
    """Usernames of the generated people, for example `scale-001.officer1` (see `AreaPeople`)."""
    return f"{area_slug(number)}.{role}"


def adviser_username(kind: str, index: int) -> str:
    return f"scale.adviser.{kind}{index + 1:02d}"


ADMIN_USERNAME = "scale.admin"


def areas_of_adviser(index: int, total_areas: int) -> range:
    start = index * AREAS_PER_ADVISER + 1
    return range(start, min(start + AREAS_PER_ADVISER, total_areas + 1))


def icb_of_area(number: int) -> int:
    return (number - 1) // AREAS_PER_ICB + 1


def scale_data_present() -> bool:
    return LocalArea.objects.filter(slug__startswith=SLUG_PREFIX).exists()


class ScaleDataExists(Exception):
    pass


def at(day: date, hour: int, minute: int = 0) -> datetime:
    # Working hours only, so no time falls in the hour that British Summer Time skips or repeats.
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@contextlib.contextmanager
def explicit_timestamps() -> Iterator[None]:
    """Let bulk_create keep the backdated times set on the rows instead of stamping them with now()."""
    stamped = [
        Action._meta.get_field("created_at"),
        ProgressUpdate._meta.get_field("created_at"),
        StatusChange._meta.get_field("changed_at"),
        DueDateRevision._meta.get_field("revised_at"),
    ]
    for model_field in stamped:
        model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field in stamped:
            model_field.auto_now_add = True


def snapshot(instance: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@functools.cache
def historical(model: type[models.Model]) -> type[models.Model]:
    # Reading `model.history` builds a manager each time, which is slow enough to matter 150,000 times.
    return model.history.model


def copy_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Insert plain rows (attname -> value; a model instance stands for its key) as fast as the database allows:
    COPY, several times quicker than INSERT for the large tables (updates, history)."""
    columns = list(rows[0])
    resolved = [[value.pk if isinstance(value, models.Model) else value for value in row.values()] for row in rows]
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for values in resolved:
            copy.write_row(values)


@dataclass
class AreaPeople:
    council: Organisation
    icb: Organisation
    forum: Organisation
    providers: list[Organisation]
    officers: list[User]  # council officers
    health_officer: User  # at the ICB
    manager: User
    chair: User
    pcf: User


class Generator:
    def __init__(self, config: ScaleConfig):
        self.config = config
        self.rng = random.Random(config.seed)
        self.anchor = config.anchor or timezone.localdate()
        self.password = make_password(config.password)  # hashed once: hashing is slow by design
        self.result = ScaleResult()
        self.icbs: dict[int, Organisation] = {}
        self.advisers: dict[tuple[str, int], Membership] = {}
        self.pending: dict[type[models.Model], list[models.Model]] = {}
        self.rows: dict[type[models.Model], list[dict[str, Any]]] = {}

    # --- writing ---

    def queue(self, obj: models.Model) -> models.Model:
        self.pending.setdefault(type(obj), []).append(obj)
        return obj

    def row(self, model: type[models.Model], **values: Any) -> None:
        """Queue a row that nothing else refers to, so it needs no key back: it is copied in at the next flush."""
        self.rows.setdefault(model, []).append(values)

    def history(self, model: type[models.Model], values: dict[str, Any], when: datetime, user_id, kind, reason=""):
        """Queue the row django-simple-history would write for a `model` row holding `values`."""
        self.row(
            historical(model),
            **values,
            history_date=when,
            history_type=kind,
            history_user_id=user_id,
            history_change_reason=reason[:100] or None,
        )

    def flush(self, *model_types: type[models.Model]) -> None:
        """Insert the queued instances of these models, in that order; with none named, everything queued."""
        for model in model_types or list(self.pending):
            objs = self.pending.pop(model, [])
            if objs:
                model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
                self.result.add(model._meta.label, len(objs))
        if not model_types:
            for model, rows in self.rows.items():
                copy_rows(model, rows)
                self.result.add(model._meta.label, len(rows))
            self.rows = {}

    # --- the whole data set ---

    def run(self) -> ScaleResult:
        with transaction.atomic(), explicit_timestamps():
            self.national()
            numbers = list(range(1, self.config.areas + 1))
            for start in range(0, len(numbers), BLOCK_AREAS):
                block = numbers[start : start + BLOCK_AREAS]
                built = [self.area(number) for number in block]
                for number, (area, people) in zip(block, built, strict=True):
                    self.plans_and_actions(number, area, people)
                self.flush()
        self.vacuum_analyze()
        return self.result

    def vacuum_analyze(self) -> None:
        """Vacuum and refresh PostgreSQL's planner statistics, as after any bulk load.

        Tables filled by COPY have no statistics until autovacuum gets round to them, and without them the
        planner guesses row counts and picks sequential scans (the national overview's history lookups took
        127 ms instead of 40). Vacuuming now also sets the visibility map and spares the benchmark autovacuum
        starting on every new table while pages are timed. Inside a transaction (the tests) VACUUM is not
        allowed, so there it only analyses."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")

    def national(self) -> None:
        self.dfe = self.queue(Organisation(name="Scale: Department for Education", kind=Organisation.Kind.DFE))
        self.nhse = self.queue(Organisation(name="Scale: NHS England", kind=Organisation.Kind.NHS_ENGLAND))
        self.chairs = self.queue(Organisation(name="Scale: independent chairs", kind=Organisation.Kind.OTHER))
        self.flush(Organisation)
        admin = self.user(ADMIN_USERNAME, "Alex", "Administrator", staff=True)
        self.flush(User)
        self.queue(Membership(user=admin, organisation=self.chairs, role=Role.ADMINISTRATOR))
        advisers = (self.config.areas + AREAS_PER_ADVISER - 1) // AREAS_PER_ADVISER
        users = {}
        for kind in ("dfe", "nhse"):
            for index in range(advisers):
                users[kind, index] = self.user(adviser_username(kind, index), "Adviser", f"{kind.upper()} {index + 1}")
        self.flush(User)
        for (kind, index), user in users.items():
            organisation = self.dfe if kind == "dfe" else self.nhse
            self.advisers[kind, index] = self.queue(
                Membership(user=user, organisation=organisation, role=Role.ADVISER, job_title="SEND adviser")
            )
        self.flush(Membership)

    def user(self, name: str, first: str, last: str, staff: bool = False) -> User:
        return self.queue(
            User(
                username=name,
                first_name=first,
                last_name=last,
                email=f"{name}@scale.example.org",
                password=self.password,
                is_staff=staff,
                is_superuser=staff,
                date_joined=at(self.anchor - timedelta(days=400), 9),
                reminder_delivery=(
                    User.ReminderDelivery.DAILY_DIGEST if self.rng.random() < 0.2 else User.ReminderDelivery.EACH
                ),
            )
        )

    # --- one area: organisations, people, inspection, board ---

    def area(self, number: int) -> tuple[LocalArea, AreaPeople]:
        label = f"{number:03d}"
        council = self.queue(Organisation(name=f"Scale area {label} Council", kind=Organisation.Kind.LOCAL_AUTHORITY))
        forum = self.queue(
            Organisation(name=f"Scale area {label} Parent Carer Forum", kind=Organisation.Kind.PARENT_CARER_FORUM)
        )
        providers = [
            self.queue(Organisation(name=f"Scale area {label} {kind}", kind=Organisation.Kind.PROVIDER))
            for kind in ("Community Health Trust", "Special School")
        ]
        icb_number = icb_of_area(number)
        icb = self.icbs.get(icb_number)
        if icb is None:
            icb = self.icbs[icb_number] = self.queue(
                Organisation(name=f"Scale ICB {icb_number:02d}", kind=Organisation.Kind.ICB)
            )
        self.flush(Organisation)
        area = self.queue(
            LocalArea(
                name=f"Scale area {label}",
                slug=area_slug(number),
                la_code=f"E99{number:06d}",
                council=council,
                is_invented=True,
            )
        )
        self.flush(LocalArea)
        partner_from = self.anchor - timedelta(days=2000)
        for organisation in (icb, forum, *providers):
            self.queue(AreaPartner(area=area, organisation=organisation, start_date=partner_from))

        officers = [
            self.user(username(number, f"officer{index + 1}"), "Officer", f"{label}-{index + 1}")
            for index in range(OFFICERS_PER_COUNCIL)
        ]
        health = self.user(username(number, "health"), "Health", f"Officer {label}")
        manager = self.user(username(number, "manager"), "Plan", f"Manager {label}")
        chair = self.user(username(number, "chair"), "Independent", f"Chair {label}")
        pcf = self.user(username(number, "pcf"), "Forum", f"Representative {label}")
        self.flush(User)
        memberships = [
            *(Membership(user=officer, organisation=council, role=Role.ACTION_OFFICER) for officer in officers),
            Membership(
                user=health, organisation=icb, role=Role.ACTION_OFFICER, job_title="Designated clinical officer"
            ),
            Membership(user=manager, organisation=council, role=Role.PLAN_MANAGER, job_title="SEND programme lead"),
        ]
        board = [
            Membership(user=chair, organisation=self.chairs, role=Role.BOARD_MEMBER, is_independent_chair=True),
            Membership(user=pcf, organisation=forum, role=Role.BOARD_MEMBER, is_parent_carer_forum_rep=True),
        ]
        for membership in memberships + board:
            self.queue(membership)
        self.flush(Membership)
        seats = Membership.areas.through
        for membership in board:
            self.row(seats, membership_id=membership.pk, localarea_id=area.pk)
        adviser_index = (number - 1) // AREAS_PER_ADVISER
        for kind in ("dfe", "nhse"):
            self.row(seats, membership_id=self.advisers[kind, adviser_index].pk, localarea_id=area.pk)
        people = AreaPeople(
            council=council,
            icb=icb,
            forum=forum,
            providers=providers,
            officers=officers,
            health_officer=health,
            manager=manager,
            chair=chair,
            pcf=pcf,
        )
        return area, people

    # --- inspection, plan, actions, updates ---

    def plans_and_actions(self, number: int, area: LocalArea, people: AreaPeople) -> None:
        rng = self.rng
        published = self.anchor - timedelta(days=rng.randint(240, 900))
        onsite_end = published - timedelta(days=rng.randint(25, 45))
        framework = rng.choice([Inspection.Framework.LOCAL_AREA_2016, Inspection.Framework.AREA_SEND_2023])
        if framework == Inspection.Framework.LOCAL_AREA_2016:
            outcome, kind = Inspection.Outcome.WSOA_REQUIRED, PlanKind.WRITTEN_STATEMENT
            finding_kind = Finding.Kind.SIGNIFICANT_WEAKNESS
        else:
            outcome = rng.choice([Inspection.Outcome.SYSTEMIC, Inspection.Outcome.INCONSISTENT])
            kind = PlanKind.PRIORITY_ACTION if outcome == Inspection.Outcome.SYSTEMIC else PlanKind.IMPROVEMENT
            finding_kind = (
                Finding.Kind.PRIORITY_ACTION if outcome == Inspection.Outcome.SYSTEMIC else Finding.Kind.IMPROVEMENT
            )
        inspection = Inspection(
            area=area,
            framework=framework,
            kind=Inspection.Kind.FULL,
            onsite_start=onsite_end - timedelta(days=4),
            onsite_end=onsite_end,
            published_on=published,
            outcome=outcome,
        )
        self.queue(inspection)
        self.flush(Inspection)
        section_count = rng.randint(4, 8)
        findings = [
            self.queue(
                Finding(
                    inspection=inspection,
                    kind=finding_kind,
                    reference=str(index + 1),
                    title=FINDING_TITLES[index],
                    text=f"Inspectors found weaknesses in {FINDING_TITLES[index].lower()}.",
                )
            )
            for index in range(section_count)
        ]
        self.flush(Finding)
        if number % REVISIT_EVERY == 0 and published < self.anchor - timedelta(days=400):
            self.revisit(area, inspection, findings, published)
        start = published + timedelta(days=rng.randint(40, 80))
        submitted = published + timedelta(days=rng.randint(30, 60))
        plan = ActionPlan(
            area=area,
            kind=kind,
            title=f"{PlanKind(kind).label}, {published:%B %Y}",
            inspection=inspection,
            status=ActionPlan.Status.ACCEPTED,
            submission_due=published + timedelta(days=60),
            submitted_on=submitted,
            accepted_on=submitted + timedelta(days=rng.randint(10, 40)),
        )
        self.queue(plan)
        self.flush(ActionPlan)
        manager_id = people.manager.pk
        self.history(Inspection, snapshot(inspection), at(published, 9), None, "+")
        for finding in findings:
            self.history(Finding, snapshot(finding), at(published, 9), None, "+")
        self.history(ActionPlan, snapshot(plan), at(submitted, 16), manager_id, "+")

        day = self.anchor - timedelta(days=700)
        while day <= self.anchor + timedelta(days=90):
            if day >= start - timedelta(days=30):
                self.queue(BoardMeeting(area=area, date=day, title="Improvement board"))
            day += timedelta(days=rng.choice([56, 63, 70]))
        self.measures(area, findings, start)

        specs = self.action_specs(start, section_count)
        self.update_counts(specs)
        for spec in specs:
            # The action is inserted in the state its story ended in; the rows that name it are copied in
            # after it, when it has its key.
            action = self.build_action(plan, people, spec)
            self.action_story(action, spec, people, findings[spec["section"] - 1])

    def revisit(self, area: LocalArea, first: Inspection, findings: list[Finding], published: date) -> None:
        """A revisit or monitoring inspection that judges each earlier finding's progress."""
        rng = self.rng
        onsite_start = published + timedelta(days=rng.randint(300, 380))
        kind = (
            Inspection.Kind.REVISIT
            if first.framework == Inspection.Framework.LOCAL_AREA_2016
            else Inspection.Kind.MONITORING
        )
        follow_up = self.queue(
            Inspection(
                area=area,
                framework=first.framework,
                kind=kind,
                onsite_start=onsite_start,
                onsite_end=onsite_start + timedelta(days=2),
                published_on=onsite_start + timedelta(days=30),
                outcome="",
                follows=first,
            )
        )
        self.flush(Inspection)
        judged = []
        for finding in findings:
            sufficient = rng.random() < 0.6
            judged.append(
                self.queue(
                    Finding(
                        inspection=follow_up,
                        kind=finding.kind,
                        reference=finding.reference,
                        title=finding.title,
                        text="Inspectors judged the progress made since the first inspection.",
                        judges=finding,
                        judgement=Finding.Judgement.SUFFICIENT if sufficient else Finding.Judgement.NOT_SUFFICIENT,
                    )
                )
            )
        self.flush(Finding)
        when = at(follow_up.published_on, 9)
        self.history(Inspection, snapshot(follow_up), when, None, "+")
        for finding in judged:
            self.history(Finding, snapshot(finding), when, None, "+")

    def measures(self, area: LocalArea, findings: list[Finding], start: date) -> None:
        months = []
        year, month = start.year, start.month
        while date(year, month, 1) < self.anchor.replace(day=1):
            months.append(date(year, month, 1))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        months = months[-24:]
        built = []
        for name, unit, direction, begin, end in MEASURE_NAMES:
            measure = self.queue(
                Measure(
                    area=area,
                    name=name,
                    unit=unit,
                    direction=direction,
                    baseline=Decimal(begin),
                    baseline_date=months[0] if months else None,
                    target=Decimal(end),
                    target_date=self.anchor + timedelta(days=365),
                )
            )
            built.append((measure, begin, end))
        self.flush(Measure)
        links = Measure.findings.through
        for index, (measure, begin, end) in enumerate(built):
            self.row(links, measure_id=measure.pk, finding_id=findings[index % len(findings)].pk)
            self.history(Measure, snapshot(measure), at(start, 9), None, "+")
            for step, period in enumerate(months):
                progress = step / max(len(months) - 1, 1)
                value = begin + (end - begin) * progress * 0.6 + self.rng.uniform(-3, 3)
                self.queue(
                    MeasureValue(
                        measure=measure,
                        period=period,
                        period_label=f"{period:%b %Y}",
                        value=Decimal(f"{value:.1f}"),
                        comparator=Decimal(f"{(begin + end) / 2:.1f}"),
                        source="Invented for benchmarks",
                    )
                )

    def action_specs(self, start: date, sections: int) -> list[dict[str, Any]]:
        rng = self.rng
        weights = OPEN_STATUS_WEIGHTS if self.config.open_only else STATUS_WEIGHTS
        statuses, status_weights = list(weights), list(weights.values())
        specs = []
        count = self.config.actions_per_area
        for index in range(count):
            section = index * sections // count + 1
            # The first action of each area is a long-running one, under way, with the longest timeline.
            status = Status.IN_PROGRESS if index == 0 else rng.choices(statuses, status_weights)[0]
            action_start = start + timedelta(days=rng.randint(0, 60))
            # Due dates from four months ago to eighteen months ahead: about one open action in five is overdue.
            due = max(self.anchor + timedelta(days=rng.randint(-120, 540)), action_start + timedelta(days=30))
            revised = rng.random() < 0.15
            original_due = due - timedelta(days=rng.randint(28, 120)) if revised else due
            if original_due < action_start:
                original_due, revised = due, False
            specs.append(
                {
                    "index": index,
                    "reference": f"{section}.{index + 1}",
                    "section": section,
                    "status": status,
                    "start": action_start,
                    "due": due,
                    "original_due": original_due,
                    "revised": revised,
                    "lead": rng.choices(["council", "icb", "provider"], [75, 20, 5])[0],
                    "officer": rng.randrange(OFFICERS_PER_COUNCIL),
                    "support": rng.sample(["icb", "forum", "provider0", "provider1"], rng.choice([0, 0, 1, 1, 2])),
                    "seed": rng.randrange(1_000_000),
                }
            )
        return specs

    def update_counts(self, specs: list[dict[str, Any]]) -> None:
        """Spread the area's `actions * updates` progress updates over the actions that have begun.

        Actions not started have none (a first update moves an action to "in progress"); the first action
        has HEAVY_UPDATES (at most a quarter of the total); the rest share what is left, so the area's total is
        exact.
        """
        budget = len(specs) * self.config.updates_per_action
        begun = [spec for spec in specs if spec["status"] != Status.NOT_STARTED]
        for spec in specs:
            spec["updates"] = 0
        if not begun or budget == 0:
            return
        heavy = begun[0] if begun[0]["index"] == 0 else None
        if heavy is not None:
            # Never more than a quarter of the area's updates, so small data sets still update every action.
            heavy["updates"] = min(HEAVY_UPDATES, budget // 4)
            budget -= heavy["updates"]
            begun = begun[1:]
        if not begun:
            return
        share, extra = divmod(budget, len(begun))
        lucky = set(self.rng.sample(range(len(begun)), extra))
        for position, spec in enumerate(begun):
            spec["updates"] = share + (1 if position in lucky else 0)

    def build_action(self, plan: ActionPlan, people: AreaPeople, spec: dict[str, Any]) -> Action:
        if spec["lead"] == "council":
            lead_org, lead_officer = people.council, people.officers[spec["officer"]]
        elif spec["lead"] == "icb":
            lead_org, lead_officer = people.icb, people.health_officer
        else:
            lead_org, lead_officer = people.providers[0], None  # no named officer at the trust
        created = at(spec["start"] - timedelta(days=7), 9, spec["index"] % 60)
        return self.queue(
            Action(
                plan=plan,
                reference=spec["reference"],
                title=f"Action {spec['reference']}: {FINDING_TITLES[spec['section'] - 1].lower()}",
                description="Invented for benchmarks.",
                lead_organisation=lead_org,
                lead_officer=lead_officer,
                start_date=spec["start"],
                due_date=spec["original_due"],
                original_due_date=spec["original_due"],
                status=Status.NOT_STARTED,
                rag=Rag.GREEN,
                percent_complete=0,
                success_measure="Measured by the area's KPIs.",
                created_at=created,
            )
        )

    def action_story(self, action: Action, spec: dict[str, Any], people: AreaPeople, finding: Finding) -> None:
        """Replay the action's life on the unsaved row, queueing each record the services would have written."""
        rng = random.Random(spec["seed"])
        manager_id = people.manager.pk
        self.row(Action.findings.through, action_id=action, finding_id=finding.pk)
        partners = {"icb": people.icb, "forum": people.forum}
        partners.update({f"provider{i}": org for i, org in enumerate(people.providers)})
        for key in spec["support"]:
            if partners[key].pk != action.lead_organisation.pk:
                self.row(Action.supporting_organisations.through, action_id=action, organisation_id=partners[key].pk)

        def record(when: datetime, user_id: int, kind: str, reason: str = "") -> None:
            self.history(Action, {**snapshot(action), "id": action}, when, user_id, kind, reason)

        record(action.created_at, manager_id, "+")

        status = spec["status"]
        latest = at(self.anchor - timedelta(days=1), 17)
        overdue = spec["due"] < self.anchor
        closing = status in (Status.COMPLETED, Status.SIGNED_OFF, Status.REOPENED)
        if closing:
            finished = at(min(spec["due"], self.anchor - timedelta(days=20)) - timedelta(days=rng.randint(2, 40)), 15)
        elif status == Status.CANCELLED:
            finished = at(min(spec["due"], self.anchor) - timedelta(days=rng.randint(10, 60)), 15)
        else:
            finished = latest - timedelta(days=rng.randint(0, 6) * 7)
        finished = min(max(finished, action.created_at + timedelta(days=1)), latest)
        events: list[tuple[datetime, str]] = []
        if spec["revised"]:
            events.append((action.created_at + timedelta(hours=2), "revise"))
        count = spec["updates"]
        first = action.created_at + timedelta(days=14)
        span = max((finished - first).total_seconds(), count * 3600.0)
        for number in range(count):
            moment = first + timedelta(seconds=span * (number + 1) / (count + 1))
            events.append((min(moment, finished), "update"))
        events.sort(key=lambda event: event[0])

        author = action.lead_officer or people.manager
        rag_weights = OVERDUE_RAG_WEIGHTS if overdue and status in Action.OPEN_STATUSES else RAG_WEIGHTS
        ceiling = 90 if closing else 20 + 10 * rng.randint(0, 6)
        moment = action.created_at
        done = 0
        for when, kind in events:
            moment = max(when, moment + timedelta(minutes=1))
            if kind == "revise":
                reason = "Moved to fit the recommissioning timetable."
                self.row(
                    DueDateRevision,
                    action_id=action,
                    previous_due_date=action.due_date,
                    new_due_date=spec["due"],
                    reason=reason,
                    revised_by_id=manager_id,
                    revised_at=moment,
                )
                action.due_date = spec["due"]
                action.version += 1
                record(moment, manager_id, "~", f"Due date revised: {reason}")
                continue
            done += 1
            rag = rng.choices(list(rag_weights), list(rag_weights.values()))[0]
            percent = min(ceiling, 5 + (ceiling - 5) * done // count) // 5 * 5
            self.row(
                ProgressUpdate,
                action_id=action,
                author_id=author.pk,
                created_at=moment,
                text=UPDATE_TEXTS[(spec["seed"] + done) % len(UPDATE_TEXTS)],
                rag=rag,
                percent_complete=percent,
            )
            action.rag, action.percent_complete, action.last_update_at = rag, percent, moment
            if action.status == Status.NOT_STARTED:
                action.status = Status.IN_PROGRESS
            action.version += 1
            record(moment, author.pk, "~")

        def transition(to_status: str, by: int, when: datetime, reason: str, **fields: Any) -> None:
            self.row(
                StatusChange,
                action_id=action,
                from_status=action.status,
                to_status=to_status,
                changed_by_id=by,
                changed_at=when,
                reason=reason,
            )
            action.status = to_status
            for name, value in fields.items():
                setattr(action, name, value)
            action.version += 1
            record(when, by, "~", reason)

        when = max(finished, moment) + timedelta(minutes=5)
        if closing:
            statement = "All the planned work is done; evidence is attached to the updates."
            transition(Status.COMPLETED, author.pk, when, statement, completed_at=when, percent_complete=100)
        board = people.chair if spec["index"] % 2 else people.pcf
        decided = max(min(when + timedelta(days=rng.randint(7, 60)), latest + timedelta(minutes=30)), when)
        decided += timedelta(minutes=1)
        if status == Status.SIGNED_OFF:
            transition(
                Status.SIGNED_OFF,
                board.pk,
                decided,
                "Signed off at the improvement board.",
                rag=Rag.BLUE,
                signed_off_at=decided,
                signed_off_by_id=board.pk,
            )
        elif status == Status.REOPENED:
            reason = "The board asked for evidence of impact on families before signing off."
            transition(Status.REOPENED, board.pk, decided, reason, completed_at=None)
        elif status == Status.CANCELLED:
            transition(Status.CANCELLED, manager_id, when, "Superseded by the revised commissioning plan.")
