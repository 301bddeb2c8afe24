"""manage.py send_reminders and the Celery tasks that wrap the same services."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reminders import tasks
from reminders.models import Delivery, Kind
from tests import factories as f

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def due_today(world):
    plan = f.ActionPlanFactory(area=world.area)
    return f.ActionFactory(
        plan=plan, reference="2.3", title="Clear the backlog", due_date=DAY, lead_officer=world.officer
    )


def run(*args: str) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_dry_run_lists_what_would_be_sent_and_writes_nothing(due_today):
    output = run("--date", "2026-03-02", "--dry-run")
    assert "Reminders for Monday 02 March 2026: 1 due, would add 1 new." in output
    assert "  Due today: 1 due, 1 new" in output
    assert "  Due today to officer@example.org: Northshire 2.3 Clear the backlog" in output
    assert not Delivery.objects.exists()


def test_command_adds_rows_and_a_second_run_adds_none(due_today):
    assert "added 1 new" in run("--date", "2026-03-02")
    assert "  Due today: 1 due, 0 new" in run("--date", "2026-03-02")
    assert Delivery.objects.get().kind == Kind.DUE_TODAY


def test_send_now_delivers_from_the_command(due_today, mailoutbox):
    output = run("--date", "2026-03-02", "--send-now")
    assert "Sent now: sent 1" in output
    assert mailoutbox[0].subject == "Due today: Northshire 2.3 — Clear the backlog"


@pytest.mark.parametrize("bad", ["02/03/2026", "2026-02-30", "tomorrow"])
def test_bad_date_is_refused_with_the_expected_format(db, bad):
    with pytest.raises(CommandError, match="--date must be a date written YYYY-MM-DD"):
        run("--date", bad)
    assert not Delivery.objects.exists()


def test_sweep_task_runs_the_sweep_for_the_given_day(due_today):
    assert tasks.sweep("2026-03-02") == {Kind.DUE_TODAY: 1}
    assert Delivery.objects.count() == 1


def test_weekly_digest_task_adds_one_row_per_reader(world):
    assert tasks.weekly_digest("2026-03-02") == 4
