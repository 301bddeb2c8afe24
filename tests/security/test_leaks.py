"""Nothing from another area leaks into lists, searches, exports, downloads, the API, calendar feeds or emails.

Objects marked SECRET are planted in Southshire; every persona who works in Northshire looks everywhere for them.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from actions import services as action_services
from actions.models import Action, ActionPlan, Measure
from api.services import api_token_create
from calendars.services import calendar_token_reset
from reminders import services as reminder_services
from reminders.models import Delivery, Kind
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


# Board packs, the delivery log and the other exports. A Southshire board meeting and the Southshire deliveries
# carry the secret too; the Northshire board meets on the same days, so a pack that mixed areas would show it.

NORTHSHIRE_MEETING = dt.date(2026, 3, 2)
NEXT_MEETING = dt.date(2026, 3, 18)


@pytest.fixture
def boards(world, planted):
    f.BoardMeetingFactory(area=world.area, date=NORTHSHIRE_MEETING - dt.timedelta(days=28), title="Northshire board")
    ours = f.BoardMeetingFactory(area=world.area, date=NORTHSHIRE_MEETING, title="Northshire board")
    f.BoardMeetingFactory(area=world.area, date=NEXT_MEETING, title="Northshire board")
    theirs = [
        f.BoardMeetingFactory(area=world.other_area, date=day, title=f"{SECRET} board")
        for day in (NORTHSHIRE_MEETING - dt.timedelta(days=28), NORTHSHIRE_MEETING, NEXT_MEETING)
    ]
    f.MeasureValueFactory(measure=Measure.objects.get(area=world.other_area))
    for action in Action.objects.filter(plan__area=world.other_area):
        Delivery.objects.create(
            action=action,
            recipient=world.other_officer,
            kind=Kind.OVERDUE,
            period_key="2026-03-04",
            scheduled_for=TODAY,
        )
    Delivery.objects.create(
        meeting=theirs[-1],
        recipient=world.other_officer,
        kind=Kind.BOARD_PACK,
        period_key=f"meeting-{theirs[-1].pk}",
        scheduled_for=TODAY,
    )
    return ours, theirs


def pdf_text(content: bytes, tmp_path) -> str:
    """The PDF's text as poppler's pdftotext extracts it: what a reader, a screen reader or a search would get."""
    source = tmp_path / "pack.pdf"
    source.write_bytes(content)
    result = subprocess.run(["pdftotext", "-layout", str(source), "-"], capture_output=True, check=True, text=True)
    return result.stdout


def xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return " ".join(str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r if c.value is not None)


def pack_download(client, **query):
    with time_machine.travel(dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC), tick=False):
        return client.get("/areas/northshire/board-pack/", {"meeting": NORTHSHIRE_MEETING.isoformat(), **query})


@pytest.mark.parametrize("persona", NORTHSHIRE_PERSONAS)
def test_board_pack_pdf_and_workbook_show_nothing_from_another_area(client, world, boards, persona, tmp_path):
    client.force_login(getattr(world, persona))
    pdf = pack_download(client, format="pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content, tmp_path)
    assert "Northshire" in text and "Northshire action" in text  # the text really was extracted
    assert SECRET not in text and "Southshire" not in text
    workbook = pack_download(client, format="xlsx")
    assert workbook.status_code == 200
    text = xlsx_text(workbook.content)
    assert "Northshire" in text
    assert SECRET not in text and "Southshire" not in text


def test_a_board_pack_cannot_be_pointed_at_another_areas_plan(client, world, boards, tmp_path):
    """The pack's plan is a hidden field: a plan of another area must not bring that plan into the pack."""
    other_plan = ActionPlan.objects.get(area=world.other_area)
    client.force_login(world.chair)
    for query in ({"format": "pdf", "plan": other_plan.pk}, {"format": "xlsx", "plan": other_plan.pk}):
        response = pack_download(client, **query)
        if response.status_code == 200:
            text = pdf_text(response.content, tmp_path) if query["format"] == "pdf" else xlsx_text(response.content)
            assert SECRET not in text and "Southshire" not in text
        else:
            assert response.status_code in (302, 404)
    page = client.get("/areas/northshire/dashboard/", {"plan": other_plan.pk}, follow=True)
    assert SECRET not in body(page)
    # And another area's pack is simply not found.
    assert client.get("/areas/southshire/board-pack/", {"meeting": NORTHSHIRE_MEETING.isoformat()}).status_code == 404


def test_the_board_pack_email_carries_nothing_from_another_area(world, boards, tmp_path):
    ours, _ = boards
    world.chair.email = "chair@northshire.example"
    world.chair.save()
    Delivery.objects.create(
        meeting=ours, recipient=world.chair, kind=Kind.BOARD_PACK, period_key=f"meeting-{ours.pk}", scheduled_for=TODAY
    )
    with time_machine.travel(dt.datetime(2026, 3, 4, 7, 0, tzinfo=dt.UTC), tick=False):
        reminder_services.delivery_send_now(
            ids=list(Delivery.objects.filter(recipient=world.chair).values_list("pk", flat=True))
        )
    [message] = [m for m in mail.outbox if world.chair.email in m.to]
    text = message.subject + message.body + "".join(str(content) for content, _ in message.alternatives)
    assert "Northshire" in text and SECRET not in text
    attachments = {name: content for name, content, _ in message.attachments}
    assert len(attachments) == 2, list(attachments)
    for name, content in attachments.items():
        text = pdf_text(content, tmp_path) if name.endswith(".pdf") else xlsx_text(content)
        assert "Northshire" in text, name
        assert SECRET not in text and "Southshire" not in text, name


@pytest.mark.parametrize("query", ["", "?kind=board_pack", "?kind=overdue", "?status=pending", "?date=2026-03-04"])
def test_the_delivery_log_shows_nothing_from_another_area(client, world, boards, query):
    assert Delivery.objects.filter(action__plan__area=world.other_area).exists()  # there is something to leak
    client.force_login(world.manager)
    response = client.get(f"/reminders/deliveries/{query}")
    assert response.status_code == 200
    assert SECRET not in body(response) and "Southshire" not in body(response)
    client.force_login(world.admin)  # control: the administrator sees the whole ledger
    assert SECRET in body(client.get("/reminders/deliveries/?kind=overdue"))


@pytest.mark.parametrize("persona", NORTHSHIRE_PERSONAS)
def test_plan_and_overview_exports_show_nothing_from_another_area(client, world, boards, persona):
    client.force_login(getattr(world, persona))
    plan = ActionPlan.objects.get(area=world.area)
    response = client.get(f"/plans/{plan.pk}/export.xlsx")
    assert response.status_code == 200
    text = xlsx_text(b"".join(response.streaming_content) if response.streaming else response.content)
    assert "Northshire action" in text and SECRET not in text
    other_plan = ActionPlan.objects.get(area=world.other_area)
    assert client.get(f"/plans/{other_plan.pk}/export.xlsx").status_code == 404
    overview = client.get("/national/?download=xlsx")
    if persona == "adviser":
        assert overview.status_code == 200
        text = xlsx_text(overview.content)
        assert "Northshire" in text and "Southshire" not in text and SECRET not in text
    else:
        assert overview.status_code == 403
    template = client.get("/plans/import-template.xlsx")
    assert template.status_code == 200 and SECRET not in xlsx_text(template.content)
