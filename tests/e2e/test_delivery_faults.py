"""Reminders reach everyone exactly once, as far as possible, with real Redis, Celery workers and SMTP.

Each scenario seeds actions due on one day, runs `manage.py send_reminders` as a separate process (as the beat
would), lets a real `celery worker` send to a real aiosmtpd server, and counts:
- due: the ledger rows owed (SQL ground truth);
- delivered: distinct ledger keys the SMTP server accepted;
- duplicates: accepted messages beyond one per key;
- lost: due - delivered - rows recorded as permanently failed. It must be 0 in every scenario.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from datetime import date

import pytest

from reminders.models import Delivery
from tests import factories as f

from .conftest import REPORT
from .harness import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.redis, pytest.mark.postgres]

DAY = date(2026, 3, 2)  # a Monday
LEADS = 12
Status = Delivery.Status


@dataclass
class Counts:
    due: int
    delivered: int
    duplicates: int
    lost: int
    failed: int


def seed(leads: int = LEADS) -> list:
    plan = f.ActionPlanFactory()
    users = [f.UserFactory(username=f"lead{i}") for i in range(leads)]
    for i, user in enumerate(users):
        f.ActionFactory(plan=plan, reference=f"1.{i + 1}", due_date=DAY, original_due_date=DAY, lead_officer=user)
    return users


def sweep(processes) -> str:
    return processes.manage("send_reminders", "--date", DAY.isoformat()).stdout


def settled() -> bool:
    return not Delivery.objects.filter(status__in=[Status.PENDING, Status.SENDING]).exists()


def wait_until_settled(processes, *, timeout: float = 60, reap_every: float | None = None) -> None:
    """Wait until every row is sent or failed; with `reap_every`, run the reaper as the beat would."""
    deadline = time.monotonic() + timeout
    last_reap = time.monotonic()
    while time.monotonic() < deadline:
        if settled():
            return
        if reap_every is not None and time.monotonic() - last_reap >= reap_every:
            processes.celery_call("reminders.tasks.reap")
            last_reap = time.monotonic()
        time.sleep(0.3)
    rows = list(Delivery.objects.values_list("pk", "status", "attempts", "last_error"))
    raise AssertionError(f"Deliveries did not settle within {timeout:.0f} s: {rows}\n{processes.logs()}")


def count(name: str, smtp) -> Counts:
    # A moment for any late duplicate to arrive before counting.
    time.sleep(1)
    rows = list(Delivery.objects.exclude(status__in=[Status.IN_DIGEST, Status.NOT_NEEDED]))
    keys = smtp.sink.keys()
    ledger_keys = {row.key for row in rows}
    failed = sum(1 for row in rows if row.status == Status.FAILED)
    delivered = len(set(keys) & ledger_keys)
    counts = Counts(
        due=len(rows),
        delivered=delivered,
        duplicates=len(keys) - len(set(keys)),
        lost=len(rows) - delivered - failed,
        failed=failed,
    )
    line = (
        f"{name}: due {counts.due} / delivered {counts.delivered} / duplicates {counts.duplicates} / "
        f"lost {counts.lost} (failed permanently {counts.failed})"
    )
    REPORT.append(line)
    print(line)
    assert not set(keys) - ledger_keys, "the SMTP server received a key the ledger does not hold"
    return counts


def test_normal_run_delivers_each_reminder_once(processes, smtp):
    seed()
    processes.start_worker()
    output = sweep(processes)
    assert "Due today: 12 due, 12 new" in output
    wait_until_settled(processes)
    counts = count("normal run", smtp)
    assert (counts.due, counts.delivered, counts.duplicates, counts.lost) == (LEADS, LEADS, 0, 0)
    assert set(Delivery.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}


def test_a_sweep_larger_than_a_batch_fans_out_in_the_worker_and_delivers_each_once(processes, smtp):
    # Batches of 5: the sweep's 12 new rows go out as one fan-out message, which the worker splits into 3.
    processes.env["REMINDER_BATCH_SIZE"] = "5"
    seed()
    processes.start_worker()
    sweep(processes)
    wait_until_settled(processes)
    counts = count("sweep fanned out in batches of 5", smtp)
    assert (counts.due, counts.delivered, counts.duplicates, counts.lost) == (LEADS, LEADS, 0, 0)
    assert "deliver_fan_out" in processes.logs()


def test_sweep_run_twice_adds_and_sends_nothing_more(processes, smtp):
    seed()
    processes.start_worker()
    sweep(processes)
    second = sweep(processes)
    assert "Due today: 12 due, 0 new" in second
    wait_until_settled(processes)
    counts = count("sweep run twice", smtp)
    assert (counts.due, counts.delivered, counts.duplicates, counts.lost) == (LEADS, LEADS, 0, 0)


def test_two_sweeps_at_once_add_each_row_once(processes, smtp):
    seed()
    processes.start_worker()
    both = [processes.manage_async("send_reminders", "--date", DAY.isoformat()) for _ in range(2)]
    outputs = [proc.communicate(timeout=120) for proc in both]
    assert all(proc.returncode == 0 for proc in both), outputs
    wait_until_settled(processes)
    counts = count("two sweeps at once", smtp)
    assert Delivery.objects.count() == LEADS
    assert (counts.due, counts.delivered, counts.duplicates, counts.lost) == (LEADS, LEADS, 0, 0)


def test_transient_refusals_are_retried_until_delivered(processes, smtp):
    seed()
    smtp.sink.transient_first = 2
    processes.start_worker()
    sweep(processes)
    wait_until_settled(processes)
    counts = count("SMTP 451 on first two attempts", smtp)
    assert (counts.due, counts.delivered, counts.duplicates, counts.lost) == (LEADS, LEADS, 0, 0)
    assert set(Delivery.objects.values_list("status", "attempts")) == {(Status.SENT, 3)}


def test_permanent_refusal_is_recorded_after_one_attempt(processes, smtp):
    users = seed()
    refused = users[3]
    smtp.sink.refuse = {refused.email}
    processes.start_worker()
    sweep(processes)
    wait_until_settled(processes)
    counts = count("SMTP 550 for one recipient", smtp)
    assert (counts.due, counts.delivered, counts.duplicates, counts.lost, counts.failed) == (
        LEADS,
        LEADS - 1,
        0,
        0,
        1,
    )
    failed = Delivery.objects.get(recipient=refused)
    assert (failed.status, failed.attempts) == (Status.FAILED, 1)
    assert failed.last_error.startswith("SMTP 550")
    assert smtp.sink.rcpt_attempts[refused.email] == 1


def test_worker_killed_mid_send_loses_nothing(processes, smtp):
    seed()
    smtp.sink.hold_next()
    # One pool process, so exactly one send is in flight when the worker dies: the one held in DATA.
    worker = processes.start_worker(concurrency=1)
    sweep(processes)
    assert smtp.sink.data_started.wait(timeout=30), processes.logs()
    processes.kill(worker, signal.SIGKILL)
    # The server goes on to accept the message the dead worker sent: an ambiguous send, which may be repeated.
    smtp.sink.release.set()
    stuck = Delivery.objects.filter(status=Status.SENDING).count()
    assert stuck == 1
    processes.start_worker(concurrency=1)
    wait_until_settled(processes, timeout=90, reap_every=3)
    counts = count("worker SIGKILLed mid-send, restarted", smtp)
    assert (counts.due, counts.delivered, counts.lost) == (LEADS, LEADS, 0)
    assert counts.duplicates <= smtp.sink.held
    assert not Delivery.objects.filter(status__in=[Status.SENDING, Status.UNKNOWN]).exists()


def test_pool_process_killed_mid_send_loses_nothing(processes, smtp):
    seed()
    smtp.sink.hold_next()
    worker = processes.start_worker(concurrency=1)
    sweep(processes)
    assert smtp.sink.data_started.wait(timeout=30), processes.logs()
    # Only the pool process dies (as under the OOM killer); the main process stays up and, with
    # task_reject_on_worker_lost, puts the message back instead of acknowledging it.
    (child,) = processes.pool_children(worker)
    os.kill(child, signal.SIGKILL)
    smtp.sink.release.set()
    wait_until_settled(processes, timeout=90, reap_every=3)
    counts = count("pool process SIGKILLed mid-send", smtp)
    assert (counts.due, counts.delivered, counts.lost) == (LEADS, LEADS, 0)
    assert counts.duplicates <= smtp.sink.held
    assert worker.poll() is None, "the worker's main process survives and carries on"


def test_redis_flushed_after_sweep_the_reaper_delivers_everything(processes, smtp, redis_server):
    seed()
    # No worker yet: the wake-up messages wait in Redis, and are then wiped out.
    sweep(processes)
    redis_server.flushall()
    processes.start_worker()
    time.sleep(2)
    assert Delivery.objects.filter(status=Status.PENDING).count() == LEADS
    wait_until_settled(processes, timeout=90, reap_every=3)
    counts = count("Redis flushed after the sweep", smtp)
    assert (counts.due, counts.delivered, counts.duplicates, counts.lost) == (LEADS, LEADS, 0, 0)
    wait_for(settled, timeout=1, what="settled")


def test_redis_restarted_without_persistence_the_reaper_delivers_everything(processes, smtp, redis_server):
    seed()
    sweep(processes)
    # A crash of a Redis without AOF: the queued wake-up messages are gone when it comes back.
    redis_server.restart()
    processes.start_worker()
    wait_until_settled(processes, timeout=90, reap_every=3)
    counts = count("Redis restarted without persistence after the sweep", smtp)
    assert (counts.due, counts.delivered, counts.duplicates, counts.lost) == (LEADS, LEADS, 0, 0)


def test_redis_down_during_the_sweep_rows_wait_and_the_reaper_sends_them(processes, smtp, redis_server):
    seed()
    redis_server.crash()
    # The sweep still records everything owed; only the wake-up calls fail, and are logged.
    output = sweep(processes)
    assert "Due today: 12 due, 12 new" in output
    assert Delivery.objects.filter(status=Status.PENDING).count() == LEADS
    redis_server.start()
    processes.start_worker()
    wait_until_settled(processes, timeout=90, reap_every=3)
    counts = count("Redis down while the sweep ran", smtp)
    assert (counts.due, counts.delivered, counts.duplicates, counts.lost) == (LEADS, LEADS, 0, 0)
