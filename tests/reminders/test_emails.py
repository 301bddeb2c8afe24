"""What each email says, to whom, with which links and headers; and the event emails from the action workflow."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from actions import services as action_services
from actions.models import Action
from reminders import emails, services
from reminders.models import Delivery, Kind
from tests import factories as f
from tests.reminders.orphans import delete_bypassing_django

Status = Delivery.Status
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def enqueued(monkeypatch):
    from reminders import tasks

    sent: list[int] = []
    monkeypatch.setattr(tasks.deliver, "delay", lambda delivery_id: sent.append(delivery_id))
    monkeypatch.setattr(tasks.deliver_batch, "delay", lambda delivery_ids: sent.extend(delivery_ids))
    return sent


@pytest.fixture
def action(world):
    return f.ActionFactory(
        plan=f.ActionPlanFactory(area=world.area),
        reference="2.3",
        title="Clear the EHC needs assessment backlog <b>now</b>",
        due_date=dt.date(2026, 2, 27),
        lead_officer=world.officer,
    )


def row(action, recipient, kind, period_key="p", day=DAY) -> Delivery:
    return Delivery.objects.create(
        action=action, recipient=recipient, kind=kind, period_key=period_key, scheduled_for=day
    )


def test_overdue_email_names_area_reference_and_reason_with_absolute_link(world, action, settings):
    settings.SITE_URL = "https://send-tracker.example.gov.uk"
    delivery = row(action, world.officer, Kind.OVERDUE)
    message = emails.delivery_email(delivery)
    assert message.subject == "Overdue: Northshire 2.3 — Clear the EHC needs assessment backlog <b>now</b>"
    assert message.to == ["officer@example.org"]
    assert message.extra_headers["X-SEND-Tracker-Key"] == delivery.key
    assert f"https://send-tracker.example.gov.uk/actions/{action.pk}/" in message.body
    assert "overdue by 1 working day." in message.body
    assert "https://send-tracker.example.gov.uk/account/reminders/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Clear the EHC needs assessment backlog &lt;b&gt;now&lt;/b&gt;" in html
    assert "<b>now</b>" not in html
    assert 'href="https://send-tracker.example.gov.uk/account/reminders/"' in html


@pytest.mark.parametrize(
    ("kind", "subject_start"),
    [
        (Kind.DUE_SOON, "Due in 5 working days: Northshire 2.3"),
        (Kind.DUE_TODAY, "Due today: Northshire 2.3"),
        (Kind.ESCALATION_MANAGERS, "Overdue 10 working days: Northshire 2.3"),
        (Kind.ESCALATION_BOARD, "Overdue 20 working days, board alerted: Northshire 2.3"),
        (Kind.ASSIGNED, "Assigned to you: Northshire 2.3"),
        (Kind.DUE_DATE_REVISED, "Due date changed: Northshire 2.3"),
        (Kind.SENT_BACK, "Sent back: Northshire 2.3"),
        (Kind.SIGNED_OFF, "Signed off: Northshire 2.3"),
    ],
)
def test_each_action_email_kind_has_its_subject(world, action, kind, subject_start):
    day = {
        Kind.DUE_SOON: dt.date(2026, 2, 20),
        Kind.DUE_TODAY: dt.date(2026, 2, 27),
        Kind.ESCALATION_MANAGERS: dt.date(2026, 3, 13),
        Kind.ESCALATION_BOARD: dt.date(2026, 3, 27),
    }.get(kind, DAY)
    message = emails.delivery_email(row(action, world.officer, kind, day=day))
    assert message.subject.startswith(subject_start)
    assert message.subject.endswith("— Clear the EHC needs assessment backlog <b>now</b>")


def test_daily_digest_lists_the_days_bundled_reminders(world, action):
    other = f.ActionFactory(
        plan=action.plan, reference="1.1", title="Publish the local offer", lead_officer=world.officer
    )
    row(action, world.officer, Kind.DUE_TODAY, day=DAY).__class__.objects.filter(action=action).update(
        status=Status.IN_DIGEST
    )
    Delivery.objects.create(
        action=other,
        recipient=world.officer,
        kind=Kind.DUE_SOON,
        period_key="p",
        scheduled_for=DAY,
        status=Status.IN_DIGEST,
    )
    digest = Delivery.objects.create(recipient=world.officer, kind=Kind.DAILY_DIGEST, period_key="d", scheduled_for=DAY)
    message = emails.delivery_email(digest)
    assert message.subject == "Your reminders for Monday 2 March 2026: 2 actions"
    assert "Northshire 2.3 Clear the EHC" in message.body
    assert "Northshire 1.1 Publish the local offer" in message.body


@pytest.mark.django_db
def test_daily_digest_leaves_out_an_action_deleted_since_the_sweep(world, action):
    gone = f.ActionFactory(
        plan=action.plan, reference="1.1", title="Publish the local offer", lead_officer=world.officer
    )
    for each in (action, gone):
        Delivery.objects.create(
            action=each,
            recipient=world.officer,
            kind=Kind.DUE_SOON,
            period_key="p",
            scheduled_for=DAY,
            status=Status.IN_DIGEST,
        )
    # As a concurrent deletion would: after the sweep wrote the row.
    delete_bypassing_django(type(gone), gone.pk)
    digest = Delivery.objects.create(recipient=world.officer, kind=Kind.DAILY_DIGEST, period_key="d", scheduled_for=DAY)
    message = emails.delivery_email(digest)
    assert "Northshire 2.3 Clear the EHC" in message.body
    assert "Publish the local offer" not in message.body
    assert message.subject == "Your reminders for Monday 2 March 2026: 1 action"


@pytest.mark.django_db
def test_weekly_digest_covers_the_week_in_the_advisers_areas_only(world):
    plan = f.ActionPlanFactory(area=world.area)
    monday = dt.date(2026, 3, 9)
    with time_machine.travel(dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC), tick=False):
        late = f.ActionFactory(plan=plan, reference="1.1", title="Oldest overdue", due_date=dt.date(2026, 2, 2))
        later = f.ActionFactory(plan=plan, reference="1.2", title="Newer overdue", due_date=dt.date(2026, 3, 2))
        f.ActionFactory(plan=plan, reference="1.3", title="Due soon", due_date=dt.date(2026, 3, 16))
        f.ActionFactory(plan=plan, reference="1.4", title="Due later", due_date=dt.date(2026, 4, 30))
        done = f.ActionFactory(plan=plan, reference="1.5", title="Done this week", lead_officer=world.officer)
        f.ActionFactory(
            plan=f.ActionPlanFactory(area=world.other_area),
            reference="9.9",
            title="Elsewhere overdue",
            due_date=dt.date(2026, 2, 2),
        )
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        action_services.action_complete(action=done, user=world.officer, statement="Finished.")
        action_services.progress_update_create(
            action=later, author=world.officer, text="Slipping.", rag=Action.Rag.RED, percent_complete=40
        )
    digest = Delivery.objects.create(
        recipient=world.adviser, kind=Kind.WEEKLY_DIGEST, period_key="2026-W11", scheduled_for=monday
    )
    body = emails.delivery_email(digest).body
    assert body.index("1.1 Oldest overdue") < body.index("1.2 Newer overdue")
    assert "Due in the next 14 days (1):\n- 1.3 Due soon" in body
    assert "Due later" not in body
    assert "Newly completed, awaiting sign-off (1):\n- 1.5 Done this week" in body
    assert "1.2 Newer overdue: Green to Red" in body
    assert "Elsewhere" not in body
    assert late.plan.area.name in emails.delivery_email(digest).subject


@pytest.mark.django_db
def test_weekly_digest_goes_to_board_members_and_advisers_with_areas(world, enqueued):
    result = services.weekly_digest_sweep(day=dt.date(2026, 3, 9))
    recipients = {p.recipient_id for p in result.planned}
    assert recipients == {world.chair.pk, world.pcf.pk, world.adviser.pk, world.adviser_elsewhere.pk}
    assert services.weekly_digest_sweep(day=dt.date(2026, 3, 10)).created == 0


def test_reassigning_an_action_emails_the_new_lead_after_commit(
    world, action, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        action_services.action_update(
            action_id=action.pk,
            user=world.manager,
            expected_version=action.version,
            changes={"lead_officer": world.health_officer},
        )
    (delivery,) = Delivery.objects.filter(kind=Kind.ASSIGNED)
    assert (delivery.recipient, delivery.period_key) == (world.health_officer, "v2")
    assert enqueued == [delivery.pk]


def test_an_update_that_keeps_the_lead_sends_nothing(world, action, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        action_services.action_update(
            action_id=action.pk, user=world.manager, expected_version=action.version, changes={"description": "More."}
        )
    assert not Delivery.objects.exists()


def test_due_date_revision_send_back_and_sign_off_email_the_lead(
    world, action, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        action = action_services.action_revise_due_date(
            action_id=action.pk,
            user=world.manager,
            expected_version=action.version,
            new_due_date=dt.date(2026, 4, 30),
            reason="Waiting for the new panel.",
        )
        action = action_services.action_complete(action=action, user=world.officer, statement="Done.")
        action = action_services.action_send_back(action=action, user=world.chair, reason="No evidence yet.")
        action = action_services.action_complete(action=action, user=world.officer, statement="Evidence added.")
        action = action_services.action_sign_off(action=action, user=world.chair)
    kinds = list(Delivery.objects.order_by("pk").values_list("kind", "recipient__username"))
    assert kinds == [
        (Kind.DUE_DATE_REVISED, "officer"),
        (Kind.SENT_BACK, "officer"),
        (Kind.SIGNED_OFF, "officer"),
    ]
    messages = {d.kind: emails.delivery_email(d) for d in Delivery.objects.all()}
    assert "Reason given: Waiting for the new panel." in messages[Kind.DUE_DATE_REVISED].body
    assert "Reason given by" in messages[Kind.SENT_BACK].body and "No evidence yet." in messages[Kind.SENT_BACK].body


def test_event_for_an_inactive_lead_is_not_recorded(world, action, enqueued):
    action.lead_officer = world.deactivated
    action.save()
    assert services.action_event_notify(action_id=action.pk, kind=Kind.ASSIGNED) is None
    assert not Delivery.objects.exists()


def test_sending_a_reminder_uses_one_recipient_and_the_ledger_key(world, action):
    delivery = row(action, world.officer, Kind.OVERDUE)
    services.delivery_send(delivery_id=delivery.pk)
    (message,) = mail.outbox
    assert message.to == ["officer@example.org"] and not message.cc and not message.bcc
    assert message.extra_headers["X-SEND-Tracker-Key"] == f"{delivery.pk}:overdue:{action.pk}:{world.officer.pk}:p"
