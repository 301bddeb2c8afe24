"""The sweep over 40 consecutive days, with time frozen: exactly who is reminded of what, and when.

The window, Monday 13 April to Friday 22 May 2026, holds six weekends and the early May bank holiday (Monday 4
May); the weekly overdue reminders also cross the spring bank holiday (Monday 25 May) and Easter (3 and 6
April).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from datetime import date

import pytest
import time_machine

from accounts.models import User
from actions import services as action_services
from actions.models import Action
from reminders.models import Delivery, Kind, ReminderPolicy
from reminders.services import reminders_due, reminders_sweep
from tests import factories as f

FIRST_DAY = date(2026, 4, 13)
DAYS = 40
LONDON = dt.timezone(dt.timedelta(hours=1))  # British Summer Time throughout the window


def d(month: int, day: int) -> date:
    return date(2026, month, day)


@pytest.fixture
def scenario(world):
    plan = f.ActionPlanFactory(area=world.area)
    other_plan = f.ActionPlanFactory(area=world.other_area)
    world.health_officer.reminder_delivery = User.ReminderDelivery.DAILY_DIGEST
    world.health_officer.save()
    ReminderPolicy.objects.create(area=world.other_area, before_due_working_days="3", on_due_date=False)

    def action(reference: str, due: date, lead, plan=plan, **extra):
        return f.ActionFactory(plan=plan, reference=reference, due_date=due, lead_officer=lead, **extra)

    return {
        # Due the Tuesday after the May bank holiday: the "1 working day before" reminder is the Friday
        # before.
        "A": action("A", d(5, 5), world.officer),
        # Overdue since before the window: weekly reminders (one moved off the bank holiday) and both
        # escalations.
        "C": action("C", d(3, 27), world.officer),
        # Due on a Saturday, led by someone who takes a daily digest.
        "B": action("B", d(5, 16), world.health_officer, lead_organisation=world.icb),
        # Cancelled: never reminded.
        "D": action("D", d(4, 22), world.officer, status=Action.Status.CANCELLED),
        # The other area overrides the policy: one reminder 3 working days before, none on the day.
        "E": action("E", d(5, 13), world.other_officer, plan=other_plan),
        # Nobody leads it: the council's plan managers are reminded instead.
        "F": action("F", d(4, 20), None),
        # Completed part way through the window: its reminders stop.
        "G": action("G", d(5, 11), world.officer),
    }


def expected(world) -> set[tuple[str, str, date, str]]:
    officer, health, manager = world.officer.username, world.health_officer.username, world.manager.username
    chair, adviser, other = world.chair.username, world.adviser.username, world.other_officer.username
    return {
        (officer, Kind.DUE_SOON, d(4, 14), "A"),
        (officer, Kind.DUE_SOON, d(4, 23), "A"),
        (officer, Kind.DUE_SOON, d(5, 1), "A"),
        (officer, Kind.DUE_TODAY, d(5, 5), "A"),
        (officer, Kind.OVERDUE, d(5, 6), "A"),
        (officer, Kind.OVERDUE, d(5, 13), "A"),
        (officer, Kind.OVERDUE, d(5, 20), "A"),
        (manager, Kind.ESCALATION_MANAGERS, d(5, 19), "A"),
        (officer, Kind.OVERDUE, d(4, 13), "C"),
        (officer, Kind.OVERDUE, d(4, 20), "C"),
        (officer, Kind.OVERDUE, d(4, 27), "C"),
        (officer, Kind.OVERDUE, d(5, 1), "C"),  # Monday 4 May is a bank holiday
        (officer, Kind.OVERDUE, d(5, 11), "C"),
        (officer, Kind.OVERDUE, d(5, 18), "C"),
        (officer, Kind.OVERDUE, d(5, 22), "C"),  # Monday 25 May is a bank holiday
        (manager, Kind.ESCALATION_MANAGERS, d(4, 14), "C"),
        (chair, Kind.ESCALATION_BOARD, d(4, 28), "C"),
        (adviser, Kind.ESCALATION_BOARD, d(4, 28), "C"),
        (health, Kind.DUE_SOON, d(4, 24), "B"),
        (health, Kind.DUE_SOON, d(5, 6), "B"),
        (health, Kind.DUE_SOON, d(5, 14), "B"),
        (health, Kind.DUE_TODAY, d(5, 15), "B"),  # due Saturday 16 May: reminded on the Friday
        (health, Kind.OVERDUE, d(5, 18), "B"),
        (health, Kind.OVERDUE, d(5, 22), "B"),  # Monday 25 May is a bank holiday
        (health, Kind.DAILY_DIGEST, d(4, 24), "-"),
        (health, Kind.DAILY_DIGEST, d(5, 6), "-"),
        (health, Kind.DAILY_DIGEST, d(5, 14), "-"),
        (health, Kind.DAILY_DIGEST, d(5, 15), "-"),
        (other, Kind.DUE_SOON, d(5, 8), "E"),
        (other, Kind.OVERDUE, d(5, 14), "E"),
        (other, Kind.OVERDUE, d(5, 21), "E"),
        (manager, Kind.DUE_SOON, d(4, 17), "F"),
        (manager, Kind.DUE_TODAY, d(4, 20), "F"),
        (manager, Kind.OVERDUE, d(4, 21), "F"),
        (manager, Kind.OVERDUE, d(4, 28), "F"),
        (manager, Kind.OVERDUE, d(5, 5), "F"),
        (manager, Kind.OVERDUE, d(5, 12), "F"),
        (manager, Kind.OVERDUE, d(5, 19), "F"),
        (manager, Kind.ESCALATION_MANAGERS, d(5, 5), "F"),
        (chair, Kind.ESCALATION_BOARD, d(5, 19), "F"),
        (adviser, Kind.ESCALATION_BOARD, d(5, 19), "F"),
        (officer, Kind.DUE_SOON, d(4, 20), "G"),
        (officer, Kind.DUE_SOON, d(4, 29), "G"),
    }


def produced() -> set[tuple[str, str, date, str]]:
    rows = Delivery.objects.select_related("recipient", "action")
    return {(r.recipient.username, r.kind, r.scheduled_for, r.action.reference if r.action else "-") for r in rows}


@pytest.mark.django_db
def test_sweep_over_forty_days_produces_exactly_the_expected_reminders(world, scenario):
    for offset in range(DAYS):
        day = FIRST_DAY + dt.timedelta(days=offset)
        with time_machine.travel(dt.datetime.combine(day, dt.time(7, 0), tzinfo=LONDON), tick=False):
            reminders_sweep(day=day)
            # The beat firing twice, or someone running the command by hand, adds nothing.
            assert reminders_sweep(day=day).created == 0
            if day == d(4, 30):
                action_services.action_complete(action=scenario["G"], user=world.officer, statement="Done.")
    assert produced() == expected(world)


@pytest.mark.django_db
def test_digest_reminders_are_bundled_and_overdue_alerts_are_not(world, scenario):
    reminders_sweep(day=d(5, 15))
    rows = {(r.kind, r.status) for r in Delivery.objects.filter(recipient=world.health_officer)}
    assert rows == {(Kind.DUE_TODAY, Delivery.Status.IN_DIGEST), (Kind.DAILY_DIGEST, Delivery.Status.PENDING)}
    reminders_sweep(day=d(5, 18))
    overdue = Delivery.objects.get(recipient=world.health_officer, kind=Kind.OVERDUE)
    assert overdue.status == Delivery.Status.PENDING


@pytest.mark.django_db
def test_sweep_on_a_weekend_or_bank_holiday_adds_nothing(world, scenario):
    for day in (d(5, 2), d(5, 3), d(5, 4), d(5, 25)):
        assert reminders_sweep(day=day).due == 0
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_dry_run_lists_new_reminders_and_writes_nothing(world, scenario):
    result = reminders_sweep(day=d(5, 19), dry_run=True)
    assert not Delivery.objects.exists()
    assert {(p.kind, p.recipient_id) for p in result.new} >= {
        (Kind.ESCALATION_MANAGERS, world.manager.pk),
        (Kind.ESCALATION_BOARD, world.chair.pk),
    }
    reminders_sweep(day=d(5, 19))
    assert reminders_sweep(day=d(5, 19), dry_run=True).new == []


def _ledger() -> dict[int, tuple]:
    rows = Delivery.objects.values_list(
        "pk", "action_id", "recipient_id", "kind", "period_key", "scheduled_for", "status"
    )
    return {pk: (action_id or 0, *rest) for pk, action_id, *rest in rows}


@pytest.mark.django_db
def test_sweep_inserts_exactly_the_rows_the_python_plan_describes(world, scenario):
    """The sweep addresses and inserts in SQL; `reminders_due` (which the dry run lists) plans the same rows in
    Python. Over 40 days: digests for a lead officer and for a plan manager, a policy override, an action nobody
    leads, leads who cannot be reached (no email, deactivated), escalations already sent, an action completed
    part way, and each day swept twice."""
    world.manager.reminder_delivery = User.ReminderDelivery.DAILY_DIGEST
    world.manager.save()
    no_email = f.UserFactory(email="")
    plan = scenario["A"].plan
    f.ActionFactory(plan=plan, reference="H", due_date=d(4, 29), lead_officer=no_email)
    f.ActionFactory(plan=plan, reference="I", due_date=d(5, 7), lead_officer=world.deactivated)
    f.ActionFactory(plan=plan, reference="J", due_date=d(5, 7), lead_officer=world.health_officer)
    kinds_seen = set()
    for offset in range(DAYS):
        day = FIRST_DAY + dt.timedelta(days=offset)
        with time_machine.travel(dt.datetime.combine(day, dt.time(7, 0), tzinfo=LONDON), tick=False):
            before = _ledger()
            planned = reminders_due(day)
            owed = {(*p.natural_key, p.scheduled_for, p.status) for p in planned}
            result = reminders_sweep(day=day)
            added = {pk: row for pk, row in _ledger().items() if pk not in before}
            assert set(added.values()) == owed - set(before.values())
            assert len(added) == result.created
            assert result.due_by_kind == Counter(p.kind for p in planned)
            assert result.new_by_kind == Counter(row[2] for row in added.values())
            assert reminders_sweep(day=day).created == 0
            kinds_seen |= {(p.kind, p.status) for p in planned}
            if day == d(4, 30):
                action_services.action_complete(action=scenario["G"], user=world.officer, statement="Done.")
    assert kinds_seen >= {
        (Kind.DUE_SOON, Delivery.Status.IN_DIGEST),
        (Kind.DUE_TODAY, Delivery.Status.IN_DIGEST),
        (Kind.DUE_SOON, Delivery.Status.PENDING),
        (Kind.OVERDUE, Delivery.Status.PENDING),
        (Kind.ESCALATION_MANAGERS, Delivery.Status.PENDING),
        (Kind.ESCALATION_BOARD, Delivery.Status.PENDING),
        (Kind.DAILY_DIGEST, Delivery.Status.PENDING),
    }


@pytest.mark.django_db
def test_sweep_wakes_workers_for_new_pending_rows_and_on_a_rerun_for_those_not_yet_tried(
    world, scenario, monkeypatch, django_capture_on_commit_callbacks
):
    from reminders import tasks

    sent: list[int] = []
    monkeypatch.setattr(tasks.deliver, "delay", lambda pk: sent.append(pk))
    monkeypatch.setattr(tasks.deliver_batch, "delay", lambda pks: sent.extend(pks))
    with django_capture_on_commit_callbacks(execute=True):
        reminders_sweep(day=d(5, 6))
    pending = sorted(Delivery.objects.filter(status=Delivery.Status.PENDING).values_list("pk", flat=True))
    assert Delivery.objects.filter(status=Delivery.Status.IN_DIGEST).exists()
    assert len(pending) > 1 and sorted(sent) == pending
    # A rerun adds nothing, but wakes a worker for the rows it plans again that nobody has tried yet (their
    # wake-up may have been lost); escalations already in the ledger are not planned again.
    again = sorted(
        Delivery.objects.filter(pk__in=pending)
        .exclude(kind__in=[Kind.ESCALATION_MANAGERS, Kind.ESCALATION_BOARD])
        .values_list("pk", flat=True)
    )
    assert len(again) > 1
    Delivery.objects.filter(pk=again[0]).update(attempts=1)
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_sweep(day=d(5, 6)).created == 0
    assert sorted(sent) == again[1:]


def _sweep_queries(day: date) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        reminders_sweep(day=day)
    return len(queries)


# Policies, the earliest open due date, users, plan managers, board recipients, and one statement that selects the
# open actions with something due, addresses, inserts and counts the rows (no transaction of its own: one statement).
SWEEP_QUERIES = 6


@pytest.mark.django_db
def test_sweep_runs_the_same_queries_for_few_and_many_actions(world):
    plan = f.ActionPlanFactory(area=world.area)
    for _ in range(3):
        f.ActionFactory(plan=plan, due_date=d(3, 2), lead_officer=world.officer)
    few = _sweep_queries(d(3, 2))
    for _ in range(40):
        f.ActionFactory(plan=plan, due_date=d(3, 3), lead_officer=world.health_officer)
    many = _sweep_queries(d(3, 3))
    assert few == many == SWEEP_QUERIES
