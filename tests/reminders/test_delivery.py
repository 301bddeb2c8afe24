"""Sending one ledger row: claiming, recording success and failure, retry timing, the reaper and re-sending."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
import time_machine
from billiard.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions import services as action_services
from reminders import emails, services
from reminders.models import Delivery, Kind
from tests import factories as f
from tests.reminders.orphans import delete_bypassing_django

Status = Delivery.Status
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def enqueued(monkeypatch):
    """Ledger ids handed to the broker. The broker itself is exercised in tests/e2e."""
    from reminders import tasks

    sent: list[int] = []
    monkeypatch.setattr(tasks.deliver, "delay", lambda delivery_id: sent.append(delivery_id))
    monkeypatch.setattr(tasks.deliver_batch, "delay", lambda delivery_ids: sent.extend(delivery_ids))
    return sent


@pytest.fixture
def delivery(world):
    action = f.ActionFactory(
        plan=f.ActionPlanFactory(area=world.area),
        reference="2.3",
        title="Clear the EHC needs assessment backlog",
        due_date=dt.date(2026, 2, 27),
        lead_officer=world.officer,
    )
    return Delivery.objects.create(
        action=action,
        recipient=world.officer,
        kind=Kind.OVERDUE,
        period_key="2026-03-02",
        scheduled_for=dt.date(2026, 3, 2),
    )


@time_machine.travel(NOW, tick=False)
def test_a_claimed_row_is_sent_once_and_recorded(delivery):
    assert services.delivery_send(delivery_id=delivery.pk).outcome == services.Outcome.SENT
    assert services.delivery_send(delivery_id=delivery.pk).outcome == services.Outcome.SKIPPED
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == (Status.SENT, 1, NOW)
    assert len(mail.outbox) == 1


@time_machine.travel(NOW, tick=False)
def test_transient_refusal_waits_with_backoff_below_the_cap(delivery, settings):
    settings.EMAIL_BACKEND = "tests.reminders.backends.Refusing451"
    settings.REMINDER_RETRY_BASE_SECONDS = 60
    settings.REMINDER_RETRY_MAX_SECONDS = 600
    result = services.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert result.outcome == services.Outcome.RETRY
    assert 30 <= result.countdown <= 60
    assert (delivery.status, delivery.attempts) == (Status.PENDING, 1)
    assert delivery.next_attempt_at == NOW + dt.timedelta(seconds=result.countdown)
    assert delivery.last_error.startswith("SMTP 451")
    # Another wake-up before the backoff has passed (a duplicate message) does nothing.
    assert services.delivery_send(delivery_id=delivery.pk).outcome == services.Outcome.SKIPPED


def test_backoff_doubles_and_is_capped(settings):
    settings.REMINDER_RETRY_BASE_SECONDS = 60
    settings.REMINDER_RETRY_MAX_SECONDS = 600
    for attempts, ceiling in [(1, 60), (2, 120), (3, 240), (4, 480), (5, 600), (12, 600)]:
        for _ in range(20):
            assert ceiling / 2 <= services.retry_countdown(attempts) <= ceiling


@time_machine.travel(NOW, tick=False)
def test_transient_failures_give_up_after_the_last_attempt(delivery, settings):
    settings.EMAIL_BACKEND = "tests.reminders.backends.Unreachable"
    settings.REMINDER_MAX_ATTEMPTS = 2
    assert services.delivery_send(delivery_id=delivery.pk).outcome == services.Outcome.RETRY
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    assert services.delivery_send(delivery_id=delivery.pk).outcome == services.Outcome.FAILED
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.FAILED, 2)
    assert delivery.last_error.startswith("Gave up after 2 attempts: ConnectionRefusedError")


@time_machine.travel(NOW, tick=False)
def test_permanent_refusal_fails_after_one_attempt(delivery, settings):
    settings.EMAIL_BACKEND = "tests.reminders.backends.Refusing550"
    assert services.delivery_send(delivery_id=delivery.pk).outcome == services.Outcome.FAILED
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.FAILED, 1)
    assert delivery.last_error == "SMTP 550: officer@example.org: Mailbox busy"


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.org": (451, b"busy")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"no such user")}), False),
        (smtplib.SMTPDataError(421, b"closing"), True),
        (smtplib.SMTPDataError(554, b"rejected"), False),
        (smtplib.SMTPSenderRefused(553, b"bad sender", "x@example.org"), False),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (ConnectionRefusedError(111, "refused"), True),
        (TimeoutError("timed out"), True),
        (SoftTimeLimitExceeded(), True),
        (emails.PermanentFailure("template error"), False),
        (ValueError("a bug"), False),
    ],
)
def test_errors_are_classified_as_transient_or_permanent(error, transient):
    assert emails.is_transient(error) is transient


def test_a_row_abandoned_mid_send_can_be_claimed_again_after_the_stale_period(delivery, settings):
    settings.REMINDER_SENDING_STALE_SECONDS = 300
    with time_machine.travel(NOW, tick=False):
        assert services.delivery_claim(delivery_id=delivery.pk) is not None
    with time_machine.travel(NOW + dt.timedelta(seconds=200), tick=False):
        assert services.delivery_claim(delivery_id=delivery.pk) is None
    with time_machine.travel(NOW + dt.timedelta(seconds=301), tick=False):
        assert services.delivery_claim(delivery_id=delivery.pk) is not None
    delivery.refresh_from_db()
    assert delivery.attempts == 2


def test_reaper_requeues_lost_rows_and_resets_abandoned_ones(delivery, world, settings, enqueued):
    settings.REMINDER_PENDING_GRACE_SECONDS = 600
    settings.REMINDER_SENDING_STALE_SECONDS = 300
    settings.REMINDER_MAX_ATTEMPTS = 3
    abandoned = Delivery.objects.create(
        action=delivery.action, recipient=world.manager, kind=Kind.OVERDUE, period_key="x", scheduled_for=NOW.date()
    )
    hopeless = Delivery.objects.create(
        action=delivery.action, recipient=world.chair, kind=Kind.OVERDUE, period_key="x", scheduled_for=NOW.date()
    )
    fresh = Delivery.objects.create(
        action=delivery.action, recipient=world.adviser, kind=Kind.OVERDUE, period_key="x", scheduled_for=NOW.date()
    )
    Delivery.objects.filter(pk__in=[delivery.pk, abandoned.pk, hopeless.pk]).update(created_at=NOW)
    Delivery.objects.filter(pk=abandoned.pk).update(status=Status.SENDING, claimed_at=NOW, attempts=1)
    Delivery.objects.filter(pk=hopeless.pk).update(status=Status.SENDING, claimed_at=NOW, attempts=3)
    Delivery.objects.filter(pk=fresh.pk).update(created_at=NOW + dt.timedelta(minutes=59))
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        result = services.deliveries_reap()
    assert (result.requeued, result.reclaimed, result.unknown) == (1, 1, 1)
    assert sorted(enqueued) == sorted([delivery.pk, abandoned.pk])
    statuses = dict(Delivery.objects.values_list("pk", "status"))
    assert statuses[abandoned.pk] == Status.PENDING
    assert statuses[hopeless.pk] == Status.UNKNOWN
    assert statuses[fresh.pk] == Status.PENDING


def test_resend_puts_a_failed_row_back_with_fresh_attempts(delivery, enqueued, django_capture_on_commit_callbacks):
    Delivery.objects.filter(pk=delivery.pk).update(status=Status.FAILED, attempts=1, last_error="SMTP 550: no")
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_resend(delivery=delivery)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.PENDING, 0)
    assert enqueued == [delivery.pk]


def test_resend_refuses_a_row_that_did_not_fail(delivery, enqueued):
    with pytest.raises(services.NotResendable):
        services.delivery_resend(delivery=delivery)
    assert enqueued == []


class FakeNotify:
    """Stands in for GOV.UK Notify's API client (the network edge): records calls, answers like Notify."""

    def __init__(self, error: Exception | None = None):
        self.calls: list[dict] = []
        self.error = error

    def send_email_notification(self, **kwargs):
        self.calls.append(kwargs)
        if self.error:
            raise self.error
        return {"id": "740e5834-3a29-46b4-9a6f-16142fde533a", "reference": kwargs["reference"]}


class NotifyHTTPError(Exception):
    def __init__(self, status_code: int):
        super().__init__(f"Notify answered {status_code}")
        self.status_code = status_code


@time_machine.travel(NOW, tick=False)
def test_notify_delivery_sends_subject_and_body_with_the_ledger_id_as_reference(delivery, settings):
    settings.NOTIFY_API_KEY = "test-key"
    settings.NOTIFY_EMAIL_TEMPLATE_ID = "a1b2c3"
    client = FakeNotify()
    assert services.delivery_send(delivery_id=delivery.pk, notify_client=client).outcome == services.Outcome.SENT
    (call,) = client.calls
    assert call["email_address"] == "officer@example.org"
    assert call["template_id"] == "a1b2c3"
    assert call["reference"] == str(delivery.pk)
    assert call["personalisation"]["subject"].startswith("Overdue: Northshire 2.3")
    assert "http://" in call["personalisation"]["body"]
    delivery.refresh_from_db()
    assert delivery.provider_id == "740e5834-3a29-46b4-9a6f-16142fde533a"
    assert mail.outbox == []


@pytest.mark.parametrize(("status_code", "outcome"), [(400, "failed"), (403, "failed"), (429, "retry"), (500, "retry")])
def test_notify_errors_retry_only_when_they_may_pass(delivery, settings, status_code, outcome):
    settings.NOTIFY_API_KEY = "test-key"
    settings.NOTIFY_EMAIL_TEMPLATE_ID = "a1b2c3"
    client = FakeNotify(error=NotifyHTTPError(status_code))
    assert services.delivery_send(delivery_id=delivery.pk, notify_client=client).outcome == outcome


def test_sent_at_is_aware(delivery):
    services.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert timezone.is_aware(delivery.sent_at)


def test_a_reminder_about_an_action_closed_since_the_sweep_is_not_sent(delivery, world):
    action_services.action_complete(action=delivery.action, user=world.officer, statement="Done.")
    assert services.delivery_send(delivery_id=delivery.pk).outcome == services.Outcome.NOT_NEEDED
    delivery.refresh_from_db()
    assert delivery.status == Status.NOT_NEEDED
    assert mail.outbox == []


@pytest.fixture
def counting_backend(settings):
    from tests.reminders import backends

    settings.EMAIL_BACKEND = "tests.reminders.backends.Counting"
    backends.Counting.opened, backends.Counting.sent = [], []
    return backends.Counting


def more_rows(delivery, n: int) -> list[Delivery]:
    rows = [delivery]
    for i in range(n - 1):
        action = f.ActionFactory(
            plan=delivery.action.plan, lead_officer=delivery.recipient, due_date=dt.date(2026, 2, 27)
        )
        rows.append(
            Delivery.objects.create(
                action=action,
                recipient=delivery.recipient,
                kind=Kind.OVERDUE,
                period_key=f"p{i}",
                scheduled_for=NOW.date(),
            )
        )
    return rows


@time_machine.travel(NOW, tick=False)
def test_a_batch_goes_over_one_connection_and_each_row_is_claimed_on_its_own(
    delivery, counting_backend, django_assert_num_queries
):
    rows = more_rows(delivery, 4)
    Delivery.objects.filter(pk=rows[1].pk).update(status=Status.SENT)  # already sent by another worker
    ids = [row.pk for row in rows]
    # One query loads the batch; then each row's claim, committed together with the previous row's settle
    # (here a savepoint and its release around each, a transaction of its own outside a test), and the last
    # row's settle at the end: 1 + 4 claims + 3 settles + 4 x 2 savepoint statements.
    with django_assert_num_queries(16):
        results = services.delivery_send_batch(delivery_ids=ids)
    assert [results[pk].outcome for pk in ids] == ["sent", "skipped", "sent", "sent"]
    assert len(counting_backend.opened) == 1
    assert [m.extra_headers["X-SEND-Tracker-Key"] for m in counting_backend.sent] == [rows[i].key for i in (0, 2, 3)]
    assert set(Delivery.objects.values_list("status", "attempts")) == {(Status.SENT, 1), (Status.SENT, 0)}


@time_machine.travel(NOW, tick=False)
def test_a_batch_cut_off_by_the_soft_time_limit_hands_the_rest_back_unclaimed(delivery, settings, counting_backend):
    settings.EMAIL_BACKEND = "tests.reminders.backends.CutOffOnSecond"
    rows = more_rows(delivery, 4)
    results = services.delivery_send_batch(delivery_ids=[row.pk for row in rows])
    assert [results[row.pk].outcome for row in rows] == ["sent", "retry", "retry", "retry"]
    statuses = dict(Delivery.objects.values_list("pk", "status"))
    attempts = dict(Delivery.objects.values_list("pk", "attempts"))
    assert [statuses[row.pk] for row in rows] == [Status.SENT, Status.PENDING, Status.PENDING, Status.PENDING]
    # The row in flight waits for its backoff; the two not reached were never claimed.
    assert [attempts[row.pk] for row in rows] == [1, 1, 0, 0]


def test_the_batch_task_enqueues_its_retries_in_one_message(delivery, settings, monkeypatch):
    from reminders import tasks

    settings.EMAIL_BACKEND = "tests.reminders.backends.Refusing451"
    rows = more_rows(delivery, 3)
    published = []
    monkeypatch.setattr(tasks.deliver_batch, "apply_async", lambda args, countdown: published.append((args, countdown)))
    outcomes = tasks.deliver_batch([row.pk for row in rows])
    assert outcomes == {"retry": 3}
    [(args, countdown)] = published
    assert args == ([row.pk for row in rows],)
    waits = Delivery.objects.values_list("next_attempt_at", flat=True)
    assert countdown > 0 and all(w is not None for w in waits)


@time_machine.travel(NOW, tick=False)
def test_a_batch_has_one_row_sending_at_a_time(delivery, settings, counting_backend):
    """A worker that dies mid-batch leaves only the email in flight ambiguous: the rows before it are settled
    and the rows after it not yet claimed."""
    from tests.reminders import backends

    settings.EMAIL_BACKEND = "tests.reminders.backends.SendingRowsCounter"
    backends.SendingRowsCounter.seen = []
    rows = more_rows(delivery, 5)
    services.delivery_send_batch(delivery_ids=[row.pk for row in rows])
    assert backends.SendingRowsCounter.seen == [1, 1, 1, 1, 1]
    assert not Delivery.objects.exclude(status=Status.SENT).exists()


def test_more_rows_than_a_batch_go_out_as_one_fan_out_message_that_a_worker_splits(settings, monkeypatch):
    from reminders import services, tasks

    settings.REMINDER_BATCH_SIZE = 3
    monkeypatch.setattr(services, "FAN_OUT_BATCHES", 2)
    fan_outs, batches, singles = [], [], []
    monkeypatch.setattr(tasks.deliver_fan_out, "delay", fan_outs.append)
    monkeypatch.setattr(tasks.deliver_batch, "delay", batches.append)
    monkeypatch.setattr(tasks.deliver, "delay", singles.append)
    ids = list(range(1, 15))
    services.deliveries_enqueue(ids)
    # 14 rows: more than a batch, so no batch is published yet; at most 2 batches' ids per fan-out message.
    assert fan_outs == [[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], [13, 14]]
    assert batches == [] and singles == []
    for message in fan_outs:
        tasks.deliver_fan_out(message)
    assert batches == [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12], [13, 14]]
    # One batch's worth or fewer is published as it is: no fan-out for a single event or a small reap.
    fan_outs.clear()
    services.deliveries_enqueue([20, 21, 22])
    services.deliveries_enqueue([23])
    assert fan_outs == [] and batches[-1] == [20, 21, 22] and singles == [23]


def test_a_fan_out_with_the_broker_down_leaves_the_rows_pending_with_a_warning(settings, monkeypatch, caplog):
    from kombu.exceptions import OperationalError

    from reminders import services, tasks

    settings.REMINDER_BATCH_SIZE = 2

    def down(ids):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.deliver_fan_out, "delay", down)
    services.deliveries_enqueue([1, 2, 3, 4, 5])
    assert "Broker unavailable (Connection refused); 5 deliveries stay pending for the reaper." in caplog.text


@time_machine.travel(NOW, tick=False)
def test_a_row_whose_action_was_deleted_after_the_sweep_is_not_needed_and_not_sent(delivery):
    delete_bypassing_django(type(delivery.action), delivery.action_id)
    assert services.delivery_send(delivery_id=delivery.pk).outcome == services.Outcome.NOT_NEEDED
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == (Status.NOT_NEEDED, "The action was deleted before this was sent.")
    assert mail.outbox == []


@time_machine.travel(NOW, tick=False)
def test_a_row_whose_recipient_was_deleted_after_the_sweep_is_settled_so_the_reaper_stops_waking_workers(delivery):
    manager = f.UserFactory(username="copied.manager")
    row = Delivery.objects.create(
        action=delivery.action,
        recipient=manager,
        kind=Kind.ESCALATION_MANAGERS,
        period_key="due:2026-02-27",
        scheduled_for=dt.date(2026, 3, 2),
    )
    delete_bypassing_django(type(manager), manager.pk)
    assert services.delivery_send(delivery_id=row.pk).outcome == services.Outcome.SKIPPED
    row.refresh_from_db()
    assert (row.status, row.last_error) == (Status.NOT_NEEDED, "The recipient was deleted before this was sent.")
    assert mail.outbox == []


def test_deleting_an_action_or_a_user_through_django_still_deletes_their_ledger_rows(delivery):
    other = Delivery.objects.create(
        action=None,
        recipient=delivery.recipient,
        kind=Kind.DAILY_DIGEST,
        period_key="2026-03-02",
        scheduled_for=dt.date(2026, 3, 2),
    )
    delivery.action.delete()
    assert not Delivery.objects.filter(pk=delivery.pk).exists()
    other.recipient.delete()
    assert not Delivery.objects.exists()


def test_the_ledger_key_is_unique_for_digests_without_an_action_too(delivery):
    fields = {"recipient": delivery.recipient, "kind": Kind.DAILY_DIGEST, "period_key": "2026-03-02"}
    Delivery.objects.create(action=None, scheduled_for=dt.date(2026, 3, 2), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(action=None, scheduled_for=dt.date(2026, 3, 2), **fields)
