"""Everything that writes to the delivery ledger: the sweep, events, digests, sending, the reaper and
re-sending.

The ledger row is the truth and the broker message only a wake-up call, so every step is safe to repeat:
- inserting rows is `INSERT ... ON CONFLICT DO NOTHING` under the ledger's unique constraint;
- sending starts with a conditional update that only one worker can win;
- the reaper re-enqueues whatever a lost message left behind.
"""

from __future__ import annotations

import logging
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from billiard.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from accounts import access
from accounts.models import Membership, User
from actions.models import Action
from inspections.models import Organisation

from . import emails
from .models import DEADLINE_KINDS, DIGESTIBLE_KINDS, Delivery, Kind, ReminderPolicy
from .policy import DEFAULT_POLICY, Policy, iso_week_key, reminder_kinds_on

logger = logging.getLogger(__name__)
Status = Delivery.Status
Role = Membership.Role


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_attempts() -> int:
    return _setting("REMINDER_MAX_ATTEMPTS", 8)


# --- What is due: plain computation, no writes. ---


@dataclass(frozen=True)
class Planned:
    """One ledger row the sweep would insert."""

    action_id: int | None
    recipient_id: int
    kind: str
    period_key: str
    scheduled_for: date
    status: str = Status.PENDING
    # Only for a board pack: the meeting it is for (its id is also the period key).
    meeting_id: int | None = None

    def as_row(self) -> Delivery:
        return Delivery(
            action_id=self.action_id,
            meeting_id=self.meeting_id,
            recipient_id=self.recipient_id,
            kind=self.kind,
            period_key=self.period_key,
            scheduled_for=self.scheduled_for,
            status=self.status,
        )

    @property
    def natural_key(self) -> tuple[int, int, str, str]:
        return (self.action_id or 0, self.recipient_id, self.kind, self.period_key)


def policies_by_area() -> tuple[Policy, dict[int, Policy]]:
    """The default policy and each area's override."""
    default = DEFAULT_POLICY
    overrides: dict[int, Policy] = {}
    for row in ReminderPolicy.objects.all():
        if row.area_id is None:
            default = Policy.from_model(row)
        else:
            overrides[row.area_id] = Policy.from_model(row)
    return default, overrides


def _reachable_users() -> dict[int, str]:
    """Active users with an email address, and how each wants their reminders."""
    rows = User.objects.filter(is_active=True).exclude(email="").values_list("pk", "reminder_delivery")
    return dict(rows)


def _plan_managers_by_organisation(users: dict[int, str]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for org_id, user_id in Membership.objects.filter(role=Role.PLAN_MANAGER).values_list("organisation_id", "user_id"):
        if user_id in users and user_id not in found[org_id]:
            found[org_id].append(user_id)
    return found


def _board_alert_recipients_by_area(users: dict[int, str]) -> dict[int, list[int]]:
    """The area's independent chair(s) and its DfE and NHS England advisers."""
    chairs = Q(role=Role.BOARD_MEMBER, is_independent_chair=True)
    advisers = Q(role=Role.ADVISER, organisation__kind__in=[Organisation.Kind.DFE, Organisation.Kind.NHS_ENGLAND])
    found: dict[int, list[int]] = defaultdict(list)
    rows = Membership.objects.filter(chairs | advisers, areas__isnull=False).values_list("areas", "user_id")
    for area_id, user_id in rows.order_by("user_id"):
        if user_id in users and user_id not in found[area_id]:
            found[area_id].append(user_id)
    return found


def reminders_due(day: date) -> list[Planned]:
    """Every ledger row the sweep owes for `day`, before looking at what the ledger already holds.

    1. Load the policies, the reachable users and who is copied in on escalations (a handful of queries).
    2. Work out in Python, once per distinct policy and due date, which kinds each due date calls for today
       (reminders.policy, with its working days): a few thousand dates, however many actions there are.
    3. One SQL statement joins those rules to the open actions due on those dates (the partial index on open
       actions) and leaves out escalations already in the ledger (each is sent once per due date), so only
       actions with something due today come back to Python.
    4. Each of those is addressed: the lead officer, or the plan managers or board when nobody reachable leads
       it or for an escalation.
    5. Reminders for people who chose a daily digest are bundled: marked "in digest", plus one digest row
       each.
    """
    default, overrides = policies_by_area()
    users = _reachable_users()
    managers = _plan_managers_by_organisation(users)
    board = _board_alert_recipients_by_area(users)
    planned: list[Planned] = []
    digest_recipients: set[int] = set()
    for action_id, area_id, lead_id, lead_org_id, kind, period_key in _actions_due(day, default, overrides):
        if kind == Kind.ESCALATION_MANAGERS:
            recipients = managers.get(lead_org_id, [])
        elif kind == Kind.ESCALATION_BOARD:
            recipients = board.get(area_id, [])
        elif lead_id in users:
            recipients = [lead_id]
        else:
            # Nobody (reachable) leads it: the lead organisation's plan managers hear instead.
            recipients = managers.get(lead_org_id, [])
        for user_id in recipients:
            status = Status.PENDING
            if kind in DIGESTIBLE_KINDS and users[user_id] == User.ReminderDelivery.DAILY_DIGEST:
                status = Status.IN_DIGEST
                digest_recipients.add(user_id)
            planned.append(Planned(action_id, user_id, kind, period_key, day, status))
    for user_id in sorted(digest_recipients):
        planned.append(Planned(None, user_id, Kind.DAILY_DIGEST, day.isoformat(), day))
    return planned


def _reminder_rules(day: date, policies: list[Policy], earliest: date, latest: date) -> list[tuple]:
    """(policy number, due date, kind, period key) for every due date from `earliest` to `latest` that calls
    for something on `day` under each policy: the date rules run once per date, not once per action."""
    rules = []
    for number, policy in enumerate(policies):
        due = earliest
        while due <= latest:
            for kind, period_key in reminder_kinds_on(due, day, policy):
                rules.append((number, due, kind, period_key))
            due += timedelta(days=1)
    return rules


def _actions_due(day: date, default: Policy, overrides: dict[int, Policy]) -> list[tuple]:
    """(action, area, lead officer, lead organisation, kind, period key) for each open action with a reminder
    or escalation due on `day` that the ledger does not already hold as an escalation, in one statement."""
    statement = due_reminders_statement(day, default, overrides)
    if statement is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        return cursor.fetchall()


def due_reminders_statement(day: date, default: Policy, overrides: dict[int, Policy]) -> tuple[str, list] | None:
    """The one SQL statement (and its parameters) that selects the reminders due on `day`, or None when no open
    action can have one. The benchmark times it on its own as the floor of the sweep."""
    furthest = max((n for p in (default, *overrides.values()) for n in p.before_due), default=0)
    # Calendar days comfortably covering `furthest` working days, even across Christmas.
    horizon = day + timedelta(days=furthest * 2 + 14)
    open_actions = Action.objects.filter(status__in=Action.OPEN_STATUSES)
    earliest = open_actions.order_by("due_date").values_list("due_date", flat=True).first()
    if earliest is None:
        return None
    # Areas sharing the same numbers share one set of rules.
    policies = [default, *sorted(set(overrides.values()) - {default}, key=repr)]
    number = {policy: n for n, policy in enumerate(policies)}
    area_policy = [(area_id, number[policy]) for area_id, policy in overrides.items() if policy != default]
    rules = _reminder_rules(day, policies, earliest, horizon)
    if not rules:
        return None
    plan_field = Action._meta.get_field("plan")
    sql = f"""
        WITH rule (policy, due_date, kind, period_key, position) AS (
            SELECT * FROM unnest(%s::int[], %s::date[], %s::text[], %s::text[]) WITH ORDINALITY
        ), area_policy (area_id, policy) AS (
            SELECT * FROM unnest(%s::bigint[], %s::int[])
        )
        SELECT a.id, p.area_id, a.lead_officer_id, a.lead_organisation_id, rule.kind, rule.period_key
        FROM {Action._meta.db_table} a
        JOIN {plan_field.related_model._meta.db_table} p ON p.id = a.{plan_field.column}
        LEFT JOIN area_policy ON area_policy.area_id = p.area_id
        JOIN rule ON rule.due_date = a.due_date AND rule.policy = COALESCE(area_policy.policy, 0)
        WHERE a.status = ANY(%s) AND a.due_date = ANY(%s::date[])
          AND NOT (rule.kind = ANY(%s) AND EXISTS (
              SELECT 1 FROM {Delivery._meta.db_table} d
              WHERE d.action_id = a.id AND d.kind = rule.kind AND d.period_key = rule.period_key
          ))
        ORDER BY a.id, rule.position
    """  # noqa: S608 - table names from the models; every value is a parameter
    columns = list(zip(*rules, strict=True))
    params = [
        *[list(column) for column in columns],
        [area_id for area_id, _ in area_policy],
        [n for _, n in area_policy],
        list(Action.OPEN_STATUSES),
        sorted(set(columns[1])),
        [Kind.ESCALATION_MANAGERS, Kind.ESCALATION_BOARD],
    ]
    return sql, params


def weekly_digests_due(day: date) -> list[Planned]:
    """One weekly digest for each board member and adviser who can see at least one area."""
    user_ids = (
        Membership.objects.filter(role__in=[Role.BOARD_MEMBER, Role.ADVISER], user__is_active=True)
        .exclude(user__email="")
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    week = iso_week_key(day)
    planned = []
    for user in User.objects.filter(pk__in=list(user_ids)):
        if access.visible_area_ids(user):
            planned.append(Planned(None, user.pk, Kind.WEEKLY_DIGEST, week, day))
    return planned


# --- Writing the ledger. ---


@dataclass
class SweepResult:
    day: date
    due_by_kind: Counter[str] = field(default_factory=Counter)
    new_by_kind: Counter[str] = field(default_factory=Counter)
    created: int = 0
    dry_run: bool = False
    # The rows themselves, where they were worked out in Python (a dry run, digests, events, board packs). The
    # daily sweep addresses and inserts its rows in SQL and only counts them.
    planned: list[Planned] = field(default_factory=list)
    new: list[Planned] = field(default_factory=list)

    @property
    def due(self) -> int:
        return sum(self.due_by_kind.values())


def _not_yet_in_ledger(planned: list[Planned]) -> list[Planned]:
    if not planned:
        return []
    kinds = {p.kind for p in planned}
    periods = {p.period_key for p in planned}
    existing = {
        (action_id or 0, recipient_id, kind, period_key)
        for action_id, recipient_id, kind, period_key in Delivery.objects.filter(
            kind__in=kinds, period_key__in=periods
        ).values_list("action_id", "recipient_id", "kind", "period_key")
    }
    return [p for p in planned if p.natural_key not in existing]


def _insert_new(planned: list[Planned]) -> list[tuple[int, tuple[int, int, str, str], str]]:
    """Insert the rows, skipping any the ledger already holds, and return (id, natural key, status) of those
    actually inserted: `INSERT ... ON CONFLICT DO NOTHING RETURNING`, which bulk_create cannot do while ignoring
    conflicts.

    One statement for any number of rows: the varying columns go as one array each and are unnested, the
    others are constants. (One parameter per value, as bulk_create sends them, cost ten times the insert itself
    in quoting thousands of parameters.)
    """
    if not planned:
        return []
    table = Delivery._meta.db_table
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (action_id, meeting_id, recipient_id, kind, period_key, scheduled_for, status,"  # noqa: S608
            " attempts, last_error, provider_id, created_at) "
            "SELECT *, 0, '', '', %s FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::text[], %s::text[],"
            " %s::date[], %s::text[]) "
            "ON CONFLICT DO NOTHING RETURNING id, action_id, recipient_id, kind, period_key, status",
            [
                now,
                [p.action_id for p in planned],
                [p.meeting_id for p in planned],
                [p.recipient_id for p in planned],
                [p.kind for p in planned],
                [p.period_key for p in planned],
                [p.scheduled_for for p in planned],
                [p.status for p in planned],
            ],
        )
        return [(pk, (action_id or 0, *key), status) for pk, action_id, *key, status in cursor.fetchall()]


def ledger_insert(*, day: date, planned: list[Planned], dry_run: bool = False) -> SweepResult:
    """Insert the planned rows that the ledger lacks, and enqueue the new pending ones once the insert has
    committed.

    Running it twice, or twice at once, adds nothing: `ON CONFLICT DO NOTHING` under the ledger's unique
    constraint makes the second insert wait for the first to commit and then skip every row.
    """
    result = SweepResult(day=day, due_by_kind=Counter(p.kind for p in planned), planned=planned, dry_run=dry_run)
    if dry_run:
        result.new = _not_yet_in_ledger(planned)
        result.new_by_kind = Counter(p.kind for p in result.new)
        return result
    with transaction.atomic():
        inserted = _insert_new(planned)
        result.created = len(inserted)
        new_keys = {key for _, key, _ in inserted}
        result.new = [p for p in planned if p.natural_key in new_keys]
        result.new_by_kind = Counter(p.kind for p in result.new)
        pending = [pk for pk, _, status in inserted if status == Status.PENDING]
        older = {p.natural_key for p in planned if p.status == Status.PENDING and p.natural_key not in new_keys}
        _enqueue_on_commit(pending + _still_waiting(older))
    return result


def _still_waiting(keys: set[tuple[int, int, str, str]]) -> list[int]:
    """Rows planned again that an earlier call inserted and no worker has tried yet (its wake-up may have been
    lost): a rerun wakes a worker for them at once rather than leaving them to the reaper. Nothing to look up
    on an ordinary day, when every planned row is new."""
    if not keys:
        return []
    rows = Delivery.objects.filter(
        status=Status.PENDING,
        attempts=0,
        recipient_id__in={key[1] for key in keys},
        kind__in={key[2] for key in keys},
        period_key__in={key[3] for key in keys},
    ).values_list("pk", "action_id", "recipient_id", "kind", "period_key")
    return [pk for pk, action_id, *rest in rows if (action_id or 0, *rest) in keys]


def _enqueue_on_commit(ids) -> None:
    """Wake workers for the rows once the transaction that wrote them has committed.

    Like Celery's `delay_on_commit`, so a worker never looks for a row that is not committed yet, but tolerant
    of a broker that is down: the request or command that made the change still succeeds, the rows stay
    pending, and the reaper enqueues them once the broker is back.
    """
    ids = list(ids)
    if ids:
        transaction.on_commit(lambda: deliveries_enqueue(ids), robust=True)


def batch_size() -> int:
    """Rows per wake-up message. Each row is still claimed on its own, so the size only spreads the broker's and
    the worker's per-task costs (and the SMTP connection) over more emails; the task's soft time limit cuts a
    batch of slow emails (board packs) short and hands the rest back."""
    return max(1, _setting("REMINDER_BATCH_SIZE", 250))


# Batches per fan-out message: a message then carries at most this many batches' ids (about 70 kB at the default
# batch size), however large the backlog.
FAN_OUT_BATCHES = 40


def deliveries_enqueue(ids: list[int], *, countdown: float | None = None) -> None:
    """Publish the wake-up calls: one message per batch of rows (a lone row keeps the one-row task), so the
    broker's and the worker's per-task costs are paid once per batch rather than once per email.

    More rows than one batch go out as one fan-out message, which a worker splits into the batches: the sweep
    then publishes once rather than once per batch (a publish is a broker round trip and costs about as much as
    the sweep's selection does per thousand rows). If the fan-out message is lost the rows stay pending, as with
    any lost wake-up, and the reaper finds them.

    A broker that is down stops the publishing with a warning: the rows stay pending and the reaper enqueues
    them once it is back.
    """
    from .tasks import deliver_fan_out

    size = batch_size()
    if countdown or len(ids) <= size:
        deliveries_publish_batches(ids, countdown=countdown)
        return
    step = size * FAN_OUT_BATCHES
    for start in range(0, len(ids), step):
        if not _published(deliver_fan_out.delay, ids[start : start + step], waiting=len(ids) - start):
            return


def deliveries_publish_batches(ids: list[int], *, countdown: float | None = None) -> None:
    """One message per batch of rows; what a fan-out message becomes in the worker."""
    from .tasks import deliver, deliver_batch

    size = batch_size()
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        task, argument = (deliver, batch[0]) if len(batch) == 1 else (deliver_batch, batch)
        publish = (lambda arg, task=task: task.apply_async((arg,), countdown=countdown)) if countdown else task.delay
        if not _published(publish, argument, waiting=len(ids) - start):
            return


def _published(publish, argument, *, waiting: int) -> bool:
    """Publish one message; False, with a warning, when the broker is down (each further attempt would wait for
    it again, so the caller stops and leaves the rows pending for the reaper)."""
    try:
        publish(argument)
    except (KombuOperationalError, OSError) as exc:
        logger.warning("Broker unavailable (%s); %s deliveries stay pending for the reaper.", exc, waiting)
        return False
    return True


def reminders_sweep(*, day: date, dry_run: bool = False) -> SweepResult:
    """Add the reminders due on `day` to the ledger and wake workers for the new pending ones.

    The selection, the addressing and the insert are one statement (see `_sweep_statement`), so only the new
    rows' ids come back to Python. A dry run works the rows out in Python (`reminders_due`) to list them; a test
    holds the two to the same rows.
    """
    if dry_run:
        return ledger_insert(day=day, planned=reminders_due(day), dry_run=True)
    result = SweepResult(day=day)
    default, overrides = policies_by_area()
    selection = due_reminders_statement(day, default, overrides)
    if selection is None:
        return result
    with connection.cursor() as cursor:
        cursor.execute(*_sweep_statement(day, selection))
        counts = cursor.fetchall()
    pending: list[int] = []
    rerun = False
    for kind, status, due, new, new_ids in counts:
        result.due_by_kind[kind] += due
        result.new_by_kind[kind] += new
        result.created += new
        if status == Status.PENDING:
            pending.extend(new_ids)
            rerun = rerun or new < due
    if rerun:
        # Some pending rows were inserted by an earlier run: wake a worker for those nobody has tried yet (their
        # wake-up may have been lost). Rare, so the Python plan finds their keys.
        new_ids = set(pending)
        planned = {p.natural_key for p in reminders_due(day) if p.status == Status.PENDING}
        pending.extend(pk for pk in _still_waiting(planned) if pk not in new_ids)
    # Outside a transaction the statement has committed and this publishes at once; inside one, after it commits.
    _enqueue_on_commit(sorted(pending))
    return result


def _sweep_statement(day: date, selection: tuple[str, list]) -> tuple[str, list]:
    """The sweep as one statement: the selection (`due_reminders_statement`), addressed, inserted and counted.

    Addressed as `reminders_due` does it, from the same small maps (reachable users and their preference, plan
    managers by organisation, board recipients by area), passed as arrays:
    - an escalation to the plan managers goes to the lead organisation's plan managers, one to the board to the
      area's board recipients;
    - any other reminder to its lead officer if reachable, else to the lead organisation's plan managers;
    - a digestible reminder for someone who takes a daily digest is "in digest", and each such person gets one
      daily digest row.
    `INSERT ... ON CONFLICT DO NOTHING` under the ledger's unique constraint keeps it exactly-once, however often
    or concurrently it runs. Returns one row per (kind, status): how many were due, how many were new and the
    new rows' ids.
    """
    users = _reachable_users()
    managers = _plan_managers_by_organisation(users)
    board = _board_alert_recipients_by_area(users)
    digest_users = [pk for pk, how in users.items() if how == User.ReminderDelivery.DAILY_DIGEST]
    selection_sql, selection_params = selection
    sql = f"""
        WITH due (action_id, area_id, lead_id, lead_organisation_id, kind, period_key) AS (
            {selection_sql}
        ), reachable (user_id) AS (
            SELECT * FROM unnest(%s::bigint[])
        ), digest_user (user_id) AS (
            SELECT * FROM unnest(%s::bigint[])
        ), manager (organisation_id, user_id) AS (
            SELECT * FROM unnest(%s::bigint[], %s::bigint[])
        ), board (area_id, user_id) AS (
            SELECT * FROM unnest(%s::bigint[], %s::bigint[])
        ), due_lead AS (
            -- The lead officer where reachable (a hash join: a subquery per row scanned the whole list).
            SELECT due.*, reachable.user_id AS reachable_lead
            FROM due LEFT JOIN reachable ON reachable.user_id = due.lead_id
        ), addressed AS (
            SELECT due_lead.action_id, manager.user_id, due_lead.kind, due_lead.period_key
            FROM due_lead JOIN manager ON manager.organisation_id = due_lead.lead_organisation_id
            WHERE due_lead.kind = %s OR (due_lead.kind <> %s AND due_lead.reachable_lead IS NULL)
            UNION ALL
            SELECT due_lead.action_id, board.user_id, due_lead.kind, due_lead.period_key
            FROM due_lead JOIN board ON board.area_id = due_lead.area_id
            WHERE due_lead.kind = %s
            UNION ALL
            SELECT action_id, reachable_lead, kind, period_key
            FROM due_lead
            WHERE kind <> ALL(%s) AND reachable_lead IS NOT NULL
        ), reminder AS (
            SELECT action_id, user_id, kind, period_key,
                CASE WHEN kind = ANY(%s) AND user_id IN (SELECT user_id FROM digest_user) THEN %s ELSE %s END AS status
            FROM addressed
        ), ledger_row AS (
            SELECT * FROM reminder
            UNION ALL
            SELECT DISTINCT NULL::bigint, user_id, %s, %s, %s FROM reminder WHERE status = %s
        ), inserted AS (
            INSERT INTO {Delivery._meta.db_table} (action_id, meeting_id, recipient_id, kind, period_key,
                scheduled_for, status, attempts, last_error, provider_id, created_at)
            SELECT action_id, NULL, user_id, kind, period_key, %s, status, 0, '', '', %s FROM ledger_row
            ON CONFLICT DO NOTHING
            RETURNING id, kind, status
        ), due_count AS (
            SELECT kind, status, count(*) AS due FROM ledger_row GROUP BY kind, status
        ), new_count AS (
            SELECT kind, status, count(*) AS new, array_agg(id ORDER BY id) AS ids FROM inserted GROUP BY kind, status
        )
        SELECT kind, status, due, COALESCE(new, 0), COALESCE(ids, '{{}}')
        FROM due_count LEFT JOIN new_count USING (kind, status)
    """  # noqa: S608 - the table name comes from the model; every value is a parameter
    escalations = [Kind.ESCALATION_MANAGERS, Kind.ESCALATION_BOARD]
    params = [
        *selection_params,
        list(users),
        digest_users,
        *_pairs(managers),
        *_pairs(board),
        Kind.ESCALATION_MANAGERS,
        Kind.ESCALATION_BOARD,
        Kind.ESCALATION_BOARD,
        escalations,
        list(DIGESTIBLE_KINDS),
        Status.IN_DIGEST,
        Status.PENDING,
        Kind.DAILY_DIGEST,
        day.isoformat(),
        Status.PENDING,
        Status.IN_DIGEST,
        day,
        timezone.now(),
    ]
    return sql, params


def _pairs(recipients: dict[int, list[int]]) -> tuple[list[int], list[int]]:
    """A map of key -> user ids as two parallel arrays (key, user) to unnest."""
    pairs = [(key, user_id) for key, user_ids in recipients.items() for user_id in user_ids]
    return [key for key, _ in pairs], [user_id for _, user_id in pairs]


def weekly_digest_sweep(*, day: date, dry_run: bool = False) -> SweepResult:
    return ledger_insert(day=day, planned=weekly_digests_due(day), dry_run=dry_run)


def action_event_notify(*, action_id: int, kind: str) -> Delivery | None:
    """Tell the action's lead officer about an event (assigned, due date revised, sent back, signed off).

    Called after the action's change has committed. The action's version names the event, so a repeated call
    for the same change inserts nothing.
    """
    action = Action.objects.select_related("lead_officer").filter(pk=action_id).first()
    if action is None or action.lead_officer is None:
        return None
    officer = action.lead_officer
    if not (officer.is_active and officer.email):
        return None
    planned = Planned(action.pk, officer.pk, kind, f"v{action.version}", timezone.localdate())
    ledger_insert(day=planned.scheduled_for, planned=[planned])
    return Delivery.objects.filter(
        action_id=action.pk, recipient_id=officer.pk, kind=kind, period_key=planned.period_key
    ).first()


# --- Sending: a batch of rows over one connection, each row claimed on its own. ---


class Outcome:
    SENT = "sent"
    FAILED = "failed"
    RETRY = "retry"
    SKIPPED = "skipped"
    NOT_NEEDED = "not_needed"


@dataclass(frozen=True)
class SendResult:
    outcome: str
    countdown: float = 0.0
    detail: str = ""
    # The task's soft time limit interrupted this send: the rest of the batch is handed back.
    cut_off: bool = False


def retry_countdown(attempts: int) -> float:
    """Exponential backoff with full jitter, capped well below the broker's visibility timeout.

    A countdown longer than the visibility timeout would make Redis hand the message out again while it waits.
    """
    base = _setting("REMINDER_RETRY_BASE_SECONDS", 60)
    cap = _setting("REMINDER_RETRY_MAX_SECONDS", 600)
    ceiling = min(cap, base * 2 ** max(attempts - 1, 0))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def _claim(delivery_id: int) -> tuple[Any, int] | None:
    """The conditional update that takes one row for this worker: (claim time, attempts so far) or None.

    Claimable: pending and not waiting for a retry (a second's tolerance: the retry message may arrive a moment
    before next_attempt_at on another clock), or "sending" long after its claim (past the task's hard time
    limit), which means its worker died. One statement, returning the new attempt count.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=_setting("REMINDER_SENDING_STALE_SECONDS", 900))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Delivery._meta.db_table} "  # noqa: S608 - the table name comes from the model
            "SET status = %s, claimed_at = %s, attempts = attempts + 1, next_attempt_at = NULL "
            "WHERE id = %s AND ("
            " (status = %s AND (next_attempt_at IS NULL OR next_attempt_at <= %s))"
            " OR (status = %s AND claimed_at < %s AND attempts < %s)"
            ") RETURNING attempts",
            [
                Status.SENDING,
                now,
                delivery_id,
                Status.PENDING,
                now + timedelta(seconds=1),
                Status.SENDING,
                stale,
                max_attempts(),
            ],
        )
        row = cursor.fetchone()
    return (now, row[0]) if row else None


def delivery_claim(*, delivery_id: int) -> Any:
    """Take the row for this worker; returns the claim time, or None if someone else has it or it is settled.

    A row still "sending" long after its claim (past the task's hard time limit) belongs to a dead worker and
    may be claimed again: that re-send is the one place a duplicate can happen, and only if the dead worker's
    message had already been accepted by the mail server.
    """
    claimed = _claim(delivery_id)
    return claimed[0] if claimed else None


def _settle(delivery_id: int, claimed_at, **fields) -> None:
    # Only the claim that sent it may settle it; a later claim by another worker owns the row now.
    updated = Delivery.objects.filter(pk=delivery_id, status=Status.SENDING, claimed_at=claimed_at).update(**fields)
    if updated != 1:
        logger.warning(
            "Delivery %s was re-claimed while this worker sent it; leaving it to the newer claim.",
            delivery_id,
        )


class _SettleWithNextClaim:
    """Holds back the settling update of the row just sent until the next row's claim, and runs both in one
    transaction: one commit (one flush of the write-ahead log) per email instead of two. Nothing happens between
    the send and that commit but the loop moving on, so a crash leaves the same single row ambiguous as
    settling at once would."""

    def __init__(self) -> None:
        self.waiting: list[tuple[int, Any, dict]] = []

    def __call__(self, delivery_id: int, claimed_at, **fields) -> None:
        self.waiting.append((delivery_id, claimed_at, fields))

    def flush(self) -> None:
        while self.waiting:
            delivery_id, claimed_at, fields = self.waiting.pop(0)
            _settle(delivery_id, claimed_at, **fields)


def delivery_send(*, delivery_id: int, notify_client=None) -> SendResult:
    """Send one ledger row (a batch of one)."""
    return delivery_send_batch(delivery_ids=[delivery_id], notify_client=notify_client)[delivery_id]


def delivery_send_batch(*, delivery_ids, notify_client=None) -> dict[int, SendResult]:
    """Send a batch of ledger rows over one mail server connection; returns each row's outcome.

    The rows are loaded together (one query), then each in turn:
    1. Claim it with its own conditional update; if that changes no row, another worker has it (or it is
       done): skip it. Claiming one row at a time keeps at most one row per worker "sending", so a worker
       that dies leaves only the email in flight ambiguous, as when each row had its own task.
    2. Render and send outside any transaction, since a slow mail server must not hold database locks.
    3. Settle: sent; failed after one attempt for a permanent refusal (5xx); back to pending with a backoff
       for a transient one (connection, timeout, 4xx), or failed once the attempts run out.
    Cut off by the task's soft time limit, it records the row in flight as a transient failure and hands the
    rows it did not reach back unclaimed (outcome "retry", no countdown) to be enqueued again.
    """
    ids = list(dict.fromkeys(delivery_ids))
    rows = Delivery.objects.select_related(
        "recipient", "action__plan__area", "action__lead_officer", "action__lead_organisation", "meeting__area"
    ).in_bulk(ids)
    _settle_without_recipient([pk for pk in ids if pk not in rows])
    results: dict[int, SendResult] = {}
    mail_connection = None if (settings.NOTIFY_API_KEY or notify_client is not None) else get_connection()
    settle = _SettleWithNextClaim()
    try:
        for position, delivery_id in enumerate(ids):
            delivery = rows.get(delivery_id)
            with transaction.atomic():
                settle.flush()
                claimed = _claim(delivery_id) if delivery is not None else None
            if claimed is None:
                results[delivery_id] = SendResult(Outcome.SKIPPED)
                continue
            claimed_at, delivery.attempts = claimed
            results[delivery_id] = result = _send_claimed(delivery, claimed_at, notify_client, mail_connection, settle)
            if result.cut_off:
                for later in ids[position + 1 :]:
                    results[later] = SendResult(Outcome.RETRY)
                break
    finally:
        settle.flush()
        if mail_connection is not None:
            _close_quietly(mail_connection)
    return results


def _settle_without_recipient(ids: list[int]) -> None:
    """Rows that did not load with their recipient: the row was deleted, or its recipient was, after the row was
    written (the ledger's links are not database constraints; see Delivery). Nothing can be sent, so a pending
    one is settled as not needed and the reaper stops waking workers for it."""
    if ids:
        Delivery.objects.filter(pk__in=ids, status=Status.PENDING).update(
            status=Status.NOT_NEEDED, last_error="The recipient was deleted before this was sent."
        )


def _send_claimed(delivery: Delivery, claimed_at, notify_client, mail_connection, settle) -> SendResult:
    gone = _what_has_gone(delivery)
    if gone:
        settle(delivery.pk, claimed_at, status=Status.NOT_NEEDED, last_error=f"The {gone} before this was sent.")
        return SendResult(Outcome.NOT_NEEDED)
    try:
        provider_id = emails.delivery_email_send(delivery, notify_client=notify_client, connection=mail_connection)
    except Exception as exc:  # noqa: BLE001 - every failure is classified and recorded on the row
        if mail_connection is not None:
            # The connection may be dead or mid-conversation: the next row starts a fresh one.
            _close_quietly(mail_connection)
        result = _record_failure(delivery, claimed_at, exc, settle)
        return replace(result, cut_off=isinstance(exc, SoftTimeLimitExceeded))
    settle(
        delivery.pk,
        claimed_at,
        status=Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        provider_id=provider_id or "",
    )
    return SendResult(Outcome.SENT)


def _what_has_gone(delivery: Delivery) -> str | None:
    """Why the email is no longer needed, or None: its action was closed, or its action or meeting deleted since
    the row was written."""
    if delivery.action_id and delivery.action is None:
        return "action was deleted"
    if delivery.meeting_id and delivery.meeting is None:
        return "board meeting was deleted"
    if delivery.kind in DEADLINE_KINDS and not delivery.action.is_open:
        return "action was closed"
    return None


def _close_quietly(mail_connection) -> None:
    try:
        mail_connection.close()
    except Exception:  # noqa: BLE001 - closing a broken connection may fail too; a new one is opened anyway
        logger.debug("Closing the mail server connection failed", exc_info=True)


def _record_failure(delivery: Delivery, claimed_at, exc: Exception, settle=_settle) -> SendResult:
    detail = emails.describe_error(exc)
    if not emails.is_transient(exc):
        settle(delivery.pk, claimed_at, status=Status.FAILED, last_error=detail)
        return SendResult(Outcome.FAILED, detail=detail)
    if delivery.attempts >= max_attempts():
        settle(
            delivery.pk,
            claimed_at,
            status=Status.FAILED,
            last_error=f"Gave up after {delivery.attempts} attempts: {detail}",
        )
        return SendResult(Outcome.FAILED, detail=detail)
    countdown = retry_countdown(delivery.attempts)
    settle(
        delivery.pk,
        claimed_at,
        status=Status.PENDING,
        last_error=detail,
        next_attempt_at=timezone.now() + timedelta(seconds=countdown),
    )
    return SendResult(Outcome.RETRY, countdown=countdown, detail=detail)


# --- The reaper and re-sending. ---


@dataclass(frozen=True)
class ReapResult:
    requeued: int
    reclaimed: int
    unknown: int


def deliveries_reap() -> ReapResult:
    """Recover rows that a lost broker message or a dead worker left behind.

    1. Pending rows whose wake-up should have arrived long ago (lost in a Redis restart or flush): enqueue
       again.
    2. Rows "sending" for longer than the task's hard time limit plus a margin: the worker died mid-send and
       nobody knows whether the mail server took the message. Policy: send again (at least once), because a
       missed reminder costs more than a repeated one; the header X-SEND-Tracker-Key lets anyone spot the
       repeat. After the maximum number of attempts the row is parked as "unknown" for a person to check
       instead.
    """
    now = timezone.now()
    grace = timedelta(seconds=_setting("REMINDER_PENDING_GRACE_SECONDS", 600))
    stale = now - timedelta(seconds=_setting("REMINDER_SENDING_STALE_SECONDS", 900))
    # Pending rows first, so that rows reset from "sending" below are counted once, as reclaimed.
    lost = (Q(next_attempt_at__isnull=True) & Q(created_at__lt=now - grace)) | Q(next_attempt_at__lt=now - grace)
    waiting = list(
        Delivery.objects.filter(lost, status=Status.PENDING).order_by("created_at").values_list("pk", flat=True)[:5000]
    )
    unknown = Delivery.objects.filter(status=Status.SENDING, claimed_at__lt=stale, attempts__gte=max_attempts()).update(
        status=Status.UNKNOWN,
        last_error="The sender stopped mid-send too often; check whether this email arrived.",
    )
    abandoned = list(
        Delivery.objects.filter(status=Status.SENDING, claimed_at__lt=stale).values_list("pk", flat=True)[:5000]
    )
    # Conditional, so a worker that settles the row in the meantime wins.
    reclaimed = Delivery.objects.filter(pk__in=abandoned, status=Status.SENDING, claimed_at__lt=stale).update(
        status=Status.PENDING, next_attempt_at=None
    )
    deliveries_enqueue(sorted(set(waiting) | set(abandoned)))
    return ReapResult(requeued=len(waiting), reclaimed=reclaimed, unknown=unknown)


class NotResendable(Exception):
    pass


def delivery_resend(*, delivery: Delivery) -> Delivery:
    """Put a failed (or unknown) row back in the queue with a fresh set of attempts."""
    with transaction.atomic():
        changed = Delivery.objects.filter(pk=delivery.pk, status__in=[Status.FAILED, Status.UNKNOWN]).update(
            status=Status.PENDING, attempts=0, next_attempt_at=None, claimed_at=None
        )
        if changed != 1:
            raise NotResendable("Only a failed or unknown delivery can be sent again.")
        _enqueue_on_commit([delivery.pk])
    delivery.refresh_from_db()
    return delivery


def delivery_send_now(*, ids) -> Counter[str]:
    """Send rows in this process (the command's --send-now, for a machine without a worker)."""
    ids = list(ids)
    outcomes: Counter[str] = Counter()
    for start in range(0, len(ids), batch_size()):
        results = delivery_send_batch(delivery_ids=ids[start : start + batch_size()])
        outcomes.update(result.outcome for result in results.values())
    return outcomes


def reminder_preferences_update(*, user: User, reminder_delivery: str) -> User:
    """Each user chooses how their own reminders arrive; the next sweep follows the choice."""
    user.reminder_delivery = reminder_delivery
    user.full_clean(validate_unique=False, validate_constraints=False)
    user.save(update_fields=["reminder_delivery"])
    return user
