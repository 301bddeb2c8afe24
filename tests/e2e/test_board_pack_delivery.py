"""The scheduled board pack reaches the chair exactly once through the reminders delivery ledger, with real
Redis, a real Celery worker and a real SMTP server: the beat task runs twice at once (two task messages, a
worker with two pool processes), the worker renders the pack and sends it."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.models import Membership
from dashboards.models import BoardPackSchedule
from reminders.models import Delivery, Kind
from tests import factories as f

from .harness import wait_for
from .test_delivery_faults import count, wait_until_settled

pytestmark = [pytest.mark.e2e, pytest.mark.redis, pytest.mark.postgres]

MEETING = date(2026, 3, 9)  # a Monday
SEND_DAY = date(2026, 3, 2)  # five working days before it


def schedule_runs_finished(worker) -> int:
    log = worker.log.read_text(errors="replace")
    return sum(
        1 for line in log.splitlines() if "dashboards.tasks.board_packs_send_due[" in line and " succeeded " in line
    )


def test_two_schedules_at_once_deliver_one_board_pack(processes, smtp):
    area = f.LocalAreaFactory(name="Eastshire", slug="eastshire")
    chair = f.MembershipFactory(
        user__username="chair", role=Membership.Role.BOARD_MEMBER, is_independent_chair=True, areas=[area]
    ).user
    f.BoardMeetingFactory(area=area, date=MEETING)
    BoardPackSchedule.objects.create(area=area, working_days_before=5)
    worker = processes.start_worker(concurrency=2)
    # As two beats would: both messages are in the queue before either runs, and two pool processes take them.
    processes.celery_call("dashboards.tasks.board_packs_send_due", SEND_DAY.isoformat())
    processes.celery_call("dashboards.tasks.board_packs_send_due", SEND_DAY.isoformat())
    # Both schedule runs finish (the worker logs each), then the row they owe is settled.
    wait_for(lambda: schedule_runs_finished(worker) == 2, timeout=90, what="both schedule runs to finish")
    wait_until_settled(processes, timeout=90)
    counts = count("board pack, schedule run twice at once", smtp)
    assert (counts.due, counts.delivered, counts.duplicates, counts.lost) == (1, 1, 0, 0)
    row = Delivery.objects.get()
    assert (row.kind, row.recipient_id, row.status, row.attempts) == (Kind.BOARD_PACK, chair.pk, "sent", 1)
    [message] = smtp.sink.messages
    assert message["X-SEND-Tracker-Key"] == row.key
    assert sorted(part.get_filename() for part in message.walk() if part.get_filename()) == [
        "board-pack-eastshire-2026-03-09.pdf",
        "board-pack-eastshire-2026-03-09.xlsx",
    ]
