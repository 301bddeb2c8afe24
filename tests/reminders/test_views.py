"""The delivery log (plan managers and administrators) and the reminder preferences page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from reminders.models import Delivery, Kind
from reminders.services import reminders_sweep
from tests import factories as f

Status = Delivery.Status
DAY = dt.date(2026, 3, 2)
LOG = "/reminders/deliveries/"
# Session, user, the plan manager's two-factor device, the user's roles and managed areas (one query), the row
# count for pagination, and the page of rows with their recipient, action, plan and area joined in.
QUERIES_PER_LOG_PAGE = 6


@pytest.fixture
def enqueued(monkeypatch):
    from reminders import tasks

    sent: list[int] = []
    monkeypatch.setattr(tasks.deliver, "delay", lambda delivery_id: sent.append(delivery_id))
    monkeypatch.setattr(tasks.deliver_batch, "delay", lambda delivery_ids: sent.extend(delivery_ids))
    return sent


def deliveries(area, recipient, n: int, **fields) -> list[Delivery]:
    plan = f.ActionPlanFactory(area=area)
    rows = []
    for _ in range(n):
        action = f.ActionFactory(plan=plan, lead_officer=recipient)
        defaults = {"kind": Kind.OVERDUE, "period_key": "p", "scheduled_for": DAY, **fields}
        rows.append(Delivery.objects.create(action=action, recipient=recipient, **defaults))
    return rows


def test_urls_are_where_the_footer_and_pages_expect():
    assert reverse("delivery_list") == LOG
    assert reverse("reminder_preferences") == "/account/reminders/"


def test_plan_manager_sees_their_areas_deliveries_only(client, world):
    ours = deliveries(world.area, world.officer, 2)
    deliveries(world.other_area, world.other_officer, 1, period_key="elsewhere")
    client.force_login(world.manager)
    response = client.get(LOG)
    assert response.status_code == 200
    assert set(response.context["table"].data) == set(ours)
    assert "elsewhere" not in response.content.decode()


def test_administrator_sees_every_delivery(client, world):
    rows = deliveries(world.area, world.officer, 1) + deliveries(world.other_area, world.other_officer, 1)
    client.force_login(world.admin)
    assert set(client.get(LOG).context["table"].data) == set(rows)


@pytest.mark.parametrize("persona", ["officer", "chair", "adviser", "pcf"])
def test_people_who_are_not_plan_managers_cannot_open_the_log(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(LOG).status_code == 403


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(LOG)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_log_filters_by_status_kind_and_date(client, world):
    failed = deliveries(world.area, world.officer, 1, status=Status.FAILED, last_error="SMTP 550: mailbox unavailable")
    deliveries(world.area, world.officer, 1, status=Status.SENT)
    escalation = deliveries(world.area, world.manager, 1, kind=Kind.ESCALATION_MANAGERS)
    later = deliveries(world.area, world.officer, 1, scheduled_for=DAY + dt.timedelta(days=1))
    client.force_login(world.manager)
    assert list(client.get(LOG, {"status": "failed"}).context["table"].data) == failed
    assert list(client.get(LOG, {"kind": "escalation_managers"}).context["table"].data) == escalation
    assert list(client.get(LOG, {"date": "2026-03-03"}).context["table"].data) == later
    page = client.get(LOG, {"status": "failed"}).content.decode()
    assert "SMTP 550: mailbox unavailable" in page
    assert "Send again" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date": "31/02/2026"}, "Enter the date as year-month-day, for example 2026-03-02."),
        ({"status": "lost"}, "Choose a status from the list."),
        ({"kind": "spam"}, "Choose a kind of email from the list."),
    ],
)
def test_bad_filters_get_a_specific_message_and_no_rows(client, world, query, message):
    deliveries(world.area, world.officer, 1)
    client.force_login(world.manager)
    response = client.get(LOG, query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(response.context["table"].data) == []


def test_log_runs_the_same_queries_for_few_and_many_rows(client, world):
    client.force_login(world.manager)
    deliveries(world.area, world.officer, 3)
    client.get(LOG)  # warm the session and access caches the same way for both measurements
    with CaptureQueriesContext(connection) as few:
        client.get(LOG)
    deliveries(world.area, world.health_officer, 30, period_key="more")
    with CaptureQueriesContext(connection) as many:
        client.get(LOG)
    assert len(few) == len(many) == QUERIES_PER_LOG_PAGE, [q["sql"] for q in many]


def test_failed_row_can_be_sent_again(client, world, enqueued, django_capture_on_commit_callbacks):
    (row,) = deliveries(world.area, world.officer, 1, status=Status.FAILED, attempts=1, last_error="SMTP 550: no")
    client.force_login(world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{LOG}{row.pk}/resend/", {"next": f"{LOG}?status=failed"})
    assert response.status_code == 302
    assert response["Location"] == f"{LOG}?status=failed"
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 0)
    assert enqueued == [row.pk]


def test_sent_row_is_not_sent_again(client, world, enqueued):
    (row,) = deliveries(world.area, world.officer, 1, status=Status.SENT, attempts=1)
    client.force_login(world.manager)
    response = client.post(f"{LOG}{row.pk}/resend/", follow=True)
    assert "Only a failed or unknown delivery can be sent again." in response.content.decode()
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert enqueued == []


def test_resend_outside_the_managers_areas_is_not_found(client, world, enqueued):
    (row,) = deliveries(world.other_area, world.other_officer, 1, status=Status.FAILED)
    client.force_login(world.manager)
    assert client.post(f"{LOG}{row.pk}/resend/").status_code == 404
    row.refresh_from_db()
    assert row.status == Status.FAILED


def test_resend_refuses_get_and_offsite_next(client, world, enqueued):
    (row,) = deliveries(world.area, world.officer, 1, status=Status.FAILED)
    client.force_login(world.manager)
    assert client.get(f"{LOG}{row.pk}/resend/").status_code == 405
    response = client.post(f"{LOG}{row.pk}/resend/", {"next": "https://evil.example/"})
    assert response["Location"] == LOG


def test_preferences_page_shows_and_saves_the_choice(client, world):
    client.force_login(world.officer)
    page = client.get("/account/reminders/")
    assert page.status_code == 200
    assert "One daily digest" in page.content.decode()
    response = client.post("/account/reminders/", {"reminder_delivery": "daily_digest"}, follow=True)
    assert "Your reminder preference is saved." in response.content.decode()
    world.officer.refresh_from_db()
    assert world.officer.reminder_delivery == User.ReminderDelivery.DAILY_DIGEST


def test_preferences_page_refuses_an_unknown_choice_and_changes_nothing(client, world):
    client.force_login(world.officer)
    response = client.post("/account/reminders/", {"reminder_delivery": "never"})
    assert response.status_code == 200
    assert "Choose one email for each reminder or one daily digest." in response.content.decode()
    world.officer.refresh_from_db()
    assert world.officer.reminder_delivery == User.ReminderDelivery.EACH


def test_the_next_sweep_honours_a_preference_changed_in_the_browser(client, world, enqueued):
    f.ActionFactory(plan=f.ActionPlanFactory(area=world.area), due_date=DAY, lead_officer=world.officer)
    client.force_login(world.officer)
    client.post("/account/reminders/", {"reminder_delivery": "daily_digest"})
    reminders_sweep(day=DAY)
    assert set(Delivery.objects.filter(recipient=world.officer).values_list("kind", "status")) == {
        (Kind.DUE_TODAY, Status.IN_DIGEST),
        (Kind.DAILY_DIGEST, Status.PENDING),
    }


def _title(response) -> str:
    import re

    return " ".join(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).split())


def test_titles_say_when_the_page_shows_errors(client, world):
    client.force_login(world.manager)
    assert _title(client.get(LOG)) == "Delivery log – SEND Tracker"
    assert _title(client.get(LOG, {"date": "yesterday"})) == "Error: Delivery log – SEND Tracker"
    assert _title(client.get("/account/reminders/")) == "Your reminders – SEND Tracker"
    assert _title(client.post("/account/reminders/", {})) == "Error: Your reminders – SEND Tracker"


def test_reminder_pages_have_no_inline_scripts_or_styles(client, world):
    import re

    deliveries(world.area, world.officer, 2, status=Status.FAILED, last_error="SMTP 550: no")
    client.force_login(world.manager)
    for url in (LOG, f"{LOG}?status=failed", "/account/reminders/"):
        html = client.get(url).content.decode()
        assert "style=" not in html, url
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S):
            assert script.strip() == "", f"inline script on {url}"
