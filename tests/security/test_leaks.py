"""Nothing from another area leaks into lists, searches, exports, downloads, the API, calendar feeds or emails.

Objects marked SECRET are planted in Southshire; every persona who works in Northshire looks everywhere for them.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from actions import services as action_services
from api.services import api_token_create
from calendars.services import calendar_token_reset
from reminders import services as reminder_services
from reminders.models import Delivery
from tests import factories as f

SECRET = "SOUTHSHIRE-SECRET"
NORTHSHIRE_PERSONAS = ["officer", "health_officer", "manager", "chair", "pcf", "adviser"]
TODAY = dt.date(2026, 3, 4)  # a Wednesday
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def planted(world):
    """Actions due around today in both areas; the Southshire ones carry the secret everywhere text can go."""
    with time_machine.travel(dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC), tick=False):
        ours = f.ActionFactory(
            plan__area=world.area,
            reference="1.1",
            title="Northshire action",
            lead_organisation=world.council,
            lead_officer=world.officer,
            due_date=TODAY - dt.timedelta(days=3),
        )
        plan = f.ActionPlanFactory(area=world.other_area, title=f"{SECRET} plan")
        for number, due in enumerate((TODAY - dt.timedelta(days=3), TODAY, TODAY + dt.timedelta(days=5)), start=1):
            action = f.ActionFactory(
                plan=plan,
                reference=f"{number}.9",
                title=f"{SECRET} action {number}",
                description=f"{SECRET} description",
                lead_organisation=world.other_council,
                lead_officer=world.other_officer,
                due_date=due,
            )
            action_services.progress_update_create(
                action=action,
                author=world.other_officer,
                text=f"{SECRET} update",
                rag="red",
                percent_complete=10,
                files=[SimpleUploadedFile(f"{SECRET}.pdf", PDF, content_type="application/pdf")],
            )
        f.MeasureFactory(area=world.other_area, name=f"{SECRET} measure")
    return ours


def body(response) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return data.decode("utf-8", errors="replace")


@pytest.mark.parametrize("persona", NORTHSHIRE_PERSONAS)
def test_pages_searches_and_exports_show_nothing_from_another_area(client, world, planted, persona):
    client.force_login(getattr(world, persona))
    urls = [
        "/",
        "/start/",
        "/my-actions/",
        "/actions/",
        "/actions/?q=SECRET",
        "/actions/?export=csv",
        "/actions/?export=xlsx",
        "/actions/?q=SECRET&export=csv",
        "/areas/northshire/",
        "/areas/northshire/dashboard/",
        "/national/",
        "/reminders/deliveries/",
    ]
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code in (200, 403), url
        assert SECRET not in body(response), f"{persona} sees Southshire data at {url}"
        if url.endswith("xlsx") and response.status_code == 200:
            import io

            from openpyxl import load_workbook

            book = load_workbook(
                io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
            )
            text = " ".join(str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r if c.value)
            assert SECRET not in text, f"{persona} sees Southshire data in {url}"


@pytest.mark.parametrize("persona", NORTHSHIRE_PERSONAS)
def test_the_api_lists_and_searches_show_nothing_from_another_area(world, planted, persona):
    _, key = api_token_create(user=getattr(world, persona), name="leak test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    for resource in (
        "areas",
        "inspections",
        "findings",
        "plans",
        "actions",
        "progress-updates",
        "measures",
        "measure-values",
    ):
        for query in ("", "?search=SECRET", "?page_size=1000"):
            response = client.get(f"/api/v1/{resource}/{query}")
            assert response.status_code == 200, (resource, response.content[:300])
            assert SECRET not in body(response), f"{persona} sees Southshire data in /api/v1/{resource}/{query}"
            assert "southshire" not in body(response).lower()


@pytest.mark.parametrize("persona", ["officer", "health_officer", "manager", "chair", "adviser"])
def test_calendar_feeds_show_nothing_from_another_area(client, world, planted, persona):
    user = getattr(world, persona)
    token = calendar_token_reset(user=user)
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert SECRET not in body(response)


def test_a_deactivated_persons_calendar_feed_stops(client, world, planted):
    token = calendar_token_reset(user=world.other_officer)
    assert SECRET in body(client.get(f"/calendar/{token}.ics"))  # the planted actions are really in the feed
    world.other_officer.is_active = False
    world.other_officer.save()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_evidence_from_another_area_cannot_be_downloaded_by_guessing_its_number(client, world, planted):
    from actions.models import Evidence

    secret_ids = list(Evidence.objects.filter(original_name__startswith=SECRET).values_list("pk", flat=True))
    assert secret_ids
    for persona in NORTHSHIRE_PERSONAS:
        client.force_login(getattr(world, persona))
        for pk in secret_ids:
            assert client.get(f"/evidence/{pk}/download/").status_code == 404, persona


def test_reminder_and_digest_emails_to_northshire_people_mention_nothing_from_another_area(world, planted):
    with time_machine.travel(dt.datetime(2026, 3, 4, 7, 0, tzinfo=dt.UTC), tick=False):
        reminder_services.reminders_sweep(day=TODAY)
        reminder_services.weekly_digest_sweep(day=TODAY)
        ids = list(Delivery.objects.values_list("pk", flat=True))
        reminder_services.delivery_send_now(ids=ids)
    assert mail.outbox, "the sweep sent nothing: the leak check would prove nothing"
    northshire = {getattr(world, p).email for p in NORTHSHIRE_PERSONAS}
    checked = 0
    for message in mail.outbox:
        text = (
            message.subject
            + message.body
            + "".join(str(content) for content, _ in getattr(message, "alternatives", []))
        )
        if set(message.to) & northshire:
            checked += 1
            assert SECRET not in text, f"email to {message.to} mentions Southshire: {message.subject}"
    assert checked, "no email went to a Northshire persona"
    # The Southshire officer did hear about their own actions, so the planted data was live.
    assert any(SECRET in m.body for m in mail.outbox if world.other_officer.email in m.to)


def test_the_planted_data_is_visible_where_it_belongs(client, world, planted):
    # Control: the same searches find the secret for the Southshire officer, so the checks above are meaningful.
    client.force_login(world.other_officer)
    assert SECRET in body(client.get("/actions/?q=SECRET"))
    assert SECRET in body(client.get("/actions/?q=SECRET&export=csv"))
    _, key = api_token_create(user=world.other_officer, name="control")
    assert SECRET in body(Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/actions/?search=SECRET"))
