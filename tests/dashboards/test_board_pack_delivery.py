"""The scheduled board pack goes through the reminders delivery ledger: owed once per meeting and chair, sent
once by the ledger's claim, with failures recorded on the row like any reminder's."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.core import mail
from django.db import IntegrityError, connection
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Membership
from dashboards import services, tasks
from dashboards.models import BoardPackSchedule
from inspections.models import BoardMeeting
from reminders import services as reminder_services
from reminders.models import Delivery, Kind
from tests import factories as f

from . import scenario as sc
from .test_board_pack import pdf_text

pytestmark = pytest.mark.django_db
Status = Delivery.Status

# Friday 5 July 2024 less five working days is Friday 28 June.
MEETING = dt.date(2024, 7, 5)
SEND_DAY = dt.date(2024, 6, 28)


@pytest.fixture
def built(world):
    built = sc.build(world)
    sc.add_kpis(world.area)
    BoardPackSchedule.objects.create(area=world.area, working_days_before=5)
    return built


@pytest.fixture
def worker(monkeypatch):
    """Stands in for the broker and a worker: each enqueued ledger id is sent at once through the real
    reminders delivery path (claim, send, settle). The broker and worker processes are covered in tests/e2e."""
    from reminders import tasks as reminder_tasks

    outcomes: list[str] = []
    monkeypatch.setattr(
        reminder_tasks.deliver,
        "delay",
        lambda delivery_id: outcomes.append(reminder_services.delivery_send(delivery_id=delivery_id).outcome),
    )
    return outcomes


def run_schedule(day: dt.date, capture) -> int:
    with sc.at(day, hour=7), capture(execute=True):
        return tasks.board_packs_send_due()


def test_schedule_run_twice_on_the_day_owes_and_sends_one_pack(built, worker, django_capture_on_commit_callbacks):
    assert run_schedule(SEND_DAY, django_capture_on_commit_callbacks) == 1
    assert run_schedule(SEND_DAY, django_capture_on_commit_callbacks) == 0
    assert run_schedule(SEND_DAY - dt.timedelta(days=1), django_capture_on_commit_callbacks) == 0
    meeting = BoardMeeting.objects.get(area=built.world.area, date=MEETING)
    [row] = Delivery.objects.all()
    assert (row.kind, row.recipient, row.meeting, row.action, row.period_key, row.scheduled_for) == (
        Kind.BOARD_PACK,
        built.world.chair,
        meeting,
        None,
        f"meeting-{meeting.pk}",
        SEND_DAY,
    )
    assert (row.status, row.attempts) == (Status.SENT, 1)
    assert worker == ["sent"]
    assert len(mail.outbox) == 1


def test_a_row_enqueued_twice_is_sent_once(built, worker, django_capture_on_commit_callbacks):
    with sc.at(SEND_DAY, hour=7):
        # The second run finds the row still pending (its wake-up not yet handled) and enqueues it again.
        with django_capture_on_commit_callbacks(execute=False) as first:
            tasks.board_packs_send_due()
        with django_capture_on_commit_callbacks(execute=False) as second:
            tasks.board_packs_send_due()
        for callback in first + second:
            callback()
    assert worker == ["sent", "skipped"]
    assert len(mail.outbox) == 1


def test_the_pack_email_has_both_files_and_the_ledger_key(built, worker, django_capture_on_commit_callbacks):
    run_schedule(SEND_DAY, django_capture_on_commit_callbacks)
    row = Delivery.objects.get()
    [message] = mail.outbox
    assert message.to == [built.world.chair.email]
    assert message.subject == "Board pack for the Northshire improvement board on 5 July 2024"
    headers = message.message()
    assert headers["X-SEND-Tracker-Key"] == row.key
    assert headers["Message-ID"].startswith(f"<delivery-{row.pk}@")
    assert [(name, mimetype) for name, _content, mimetype in message.attachments] == [
        ("board-pack-northshire-2024-07-05.pdf", "application/pdf"),
        (
            "board-pack-northshire-2024-07-05.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ]
    assert "Headline figures" in pdf_text(message.attachments[0][1])
    assert load_workbook(io.BytesIO(message.attachments[1][1])).sheetnames[0] == "Cover"
    assert "/areas/northshire/dashboard/" in message.body
    assert [mimetype for _body, mimetype in message.alternatives] == ["text/html"]


def test_a_permanent_refusal_is_recorded_after_one_attempt(built, worker, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.reminders.backends.Refusing550"
    run_schedule(SEND_DAY, django_capture_on_commit_callbacks)
    row = Delivery.objects.get()
    assert (row.status, row.attempts, row.sent_at) == (Status.FAILED, 1, None)
    assert row.last_error.startswith("SMTP 550: chair@example.org: Mailbox busy")
    assert worker == ["failed"]


def test_a_transient_refusal_waits_for_a_retry(built, worker, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.reminders.backends.Refusing451"
    run_schedule(SEND_DAY, django_capture_on_commit_callbacks)
    row = Delivery.objects.get()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert row.next_attempt_at is not None
    assert worker == ["retry"]


def test_a_render_cut_off_by_the_time_limit_is_retried(built, worker, monkeypatch, django_capture_on_commit_callbacks):
    from billiard.exceptions import SoftTimeLimitExceeded

    from dashboards import board_pack

    def too_slow(area, meeting):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(board_pack, "board_pack_attachments", too_slow)
    run_schedule(SEND_DAY, django_capture_on_commit_callbacks)
    assert worker == ["retry"]
    assert Delivery.objects.get().status == Status.PENDING


def test_a_render_that_fails_is_recorded_as_failed(built, worker, monkeypatch, django_capture_on_commit_callbacks):
    from dashboards import board_pack

    def broken(area, meeting):
        raise ValueError("no fonts")

    monkeypatch.setattr(board_pack, "board_pack_attachments", broken)
    run_schedule(SEND_DAY, django_capture_on_commit_callbacks)
    row = Delivery.objects.get()
    assert (row.status, row.attempts) == (Status.FAILED, 1)
    assert row.last_error == "PermanentFailure: The email could not be written: ValueError: no fonts"


def test_no_row_when_the_area_has_no_chair(world, worker, caplog, django_capture_on_commit_callbacks):
    BoardPackSchedule.objects.create(area=world.other_area, working_days_before=5)
    f.BoardMeetingFactory(area=world.other_area, date=MEETING)
    assert run_schedule(SEND_DAY, django_capture_on_commit_callbacks) == 0
    assert not Delivery.objects.exists()
    assert "No board chair with an email address for Southshire" in caplog.text


def test_a_pack_for_each_chair_of_each_area_due(world, worker, django_capture_on_commit_callbacks):
    """Two chairs of one area get a row each; an area whose meeting is not due gets none."""
    co_chair = f.MembershipFactory(
        user__username="cochair",
        organisation=world.council,
        role=Membership.Role.BOARD_MEMBER,
        is_independent_chair=True,
        areas=[world.area],
    ).user
    BoardPackSchedule.objects.create(area=world.area, working_days_before=5)
    BoardPackSchedule.objects.create(area=world.other_area, working_days_before=3)
    f.BoardMeetingFactory(area=world.area, date=MEETING)
    f.BoardMeetingFactory(area=world.other_area, date=MEETING)
    with sc.at(SEND_DAY, hour=7), django_capture_on_commit_callbacks(execute=False):
        assert services.board_packs_send_due(today=SEND_DAY) == 2
    assert set(Delivery.objects.values_list("recipient", "kind")) == {
        (world.chair.pk, Kind.BOARD_PACK),
        (co_chair.pk, Kind.BOARD_PACK),
    }


def test_a_board_pack_row_must_name_its_meeting(world):
    with pytest.raises(IntegrityError):
        Delivery.objects.create(
            recipient=world.chair, kind=Kind.BOARD_PACK, period_key="meeting-0", scheduled_for=SEND_DAY
        )


@pytest.mark.django_db(transaction=True)
def test_two_schedules_at_once_owe_one_pack(world, worker):
    """Two beats at the same moment, each in its own connection: the ledger's unique constraint lets one in."""
    BoardPackSchedule.objects.create(area=world.area, working_days_before=5)
    f.BoardMeetingFactory(area=world.area, date=MEETING)
    start = threading.Barrier(2)
    created: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait(timeout=10)
            created.append(services.board_packs_send_due(today=SEND_DAY))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    with sc.at(SEND_DAY, hour=7):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    # ledger_insert counts the rows its own insert returned, so the run that waited on the other's insert
    # reports none.
    assert sorted(created) == [0, 1]
    row = Delivery.objects.get()
    # Each run enqueued after its own commit; the row's claim lets exactly one of them send.
    assert row.status == Status.SENT
    assert sorted(worker) == ["sent", "skipped"] or worker == ["sent"]
    assert len(mail.outbox) == 1


def test_delivery_log_shows_the_pack_by_area_and_meeting(built, client, django_capture_on_commit_callbacks):
    with sc.at(SEND_DAY, hour=7), django_capture_on_commit_callbacks(execute=False):
        tasks.board_packs_send_due()
    client.force_login(built.world.manager)
    page = client.get(reverse("delivery_list"), {"kind": Kind.BOARD_PACK})
    assert page.status_code == 200
    content = page.content.decode()
    assert "Northshire board meeting on 5 Jul 2024" in content
    assert "Board pack" in content
    # A plan manager of another area does not see it.
    elsewhere = f.MembershipFactory(
        organisation=built.world.other_council, role=Membership.Role.PLAN_MANAGER, areas=[built.world.other_area]
    ).user
    client.force_login(elsewhere)
    assert "board meeting on" not in client.get(reverse("delivery_list")).content.decode()
