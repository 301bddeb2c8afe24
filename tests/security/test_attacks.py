"""Attack tests through the real pages: hostile evidence files, formula injection in exports, script payloads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from actions import services as action_services
from actions.models import Action, Evidence, ProgressUpdate
from tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML_PAGE = b"<html><body><script>alert(1)</script></body></html>"
XSS = '<script>alert("x")</script>'
XSS_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def action(world):
    return f.ActionFactory(plan__area=world.area, lead_organisation=world.council, lead_officer=world.officer)


def post_update(client, action, *files):
    return client.post(
        f"/actions/{action.pk}/update/",
        {"text": "Monthly update", "rag": "green", "percent_complete": "40", "evidence": list(files)},
    )


# Evidence uploads


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("quarterly-report.pdf", WINDOWS_EXE),
        ("minutes.docx", ELF),
        ("chart.svg", SVG_WITH_SCRIPT),
        ("chart.png", SVG_WITH_SCRIPT),
        ("page.html", HTML_PAGE),
    ],
)
def test_hostile_files_are_refused_with_a_message_and_nothing_is_stored(
    client, world, action, media_in_tmp, name, content
):
    client.force_login(world.officer)
    response = post_update(client, action, SimpleUploadedFile(name, content, content_type="application/pdf"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert name in html  # the message names the file
    assert not ProgressUpdate.objects.filter(action=action).exists()
    assert not Evidence.objects.exists()
    assert not any(Path(media_in_tmp).rglob("*.*")) if Path(media_in_tmp).exists() else True


def test_an_oversized_file_is_refused(client, world, action):
    client.force_login(world.officer)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (20 * 1024 * 1024 + 1), content_type="application/pdf")
    response = post_update(client, action, big)
    assert response.status_code == 200
    assert "20 MB" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    "name", ["../../../etc/passwd.pdf", "..\\..\\windows\\win.ini.pdf", "/etc/cron.d/evil.pdf", "minutes.pdf\x00.sh"]
)
def test_a_path_in_the_file_name_never_reaches_the_disk(client, world, action, media_in_tmp, name):
    client.force_login(world.officer)
    response = post_update(client, action, SimpleUploadedFile(name, PDF, content_type="application/pdf"))
    assert response.status_code == 302, response.content.decode()[:2000]
    evidence = Evidence.objects.get()
    stored = Path(evidence.file.path).resolve()
    assert stored.is_relative_to(Path(media_in_tmp).resolve() / "evidence")
    assert (
        "/" not in evidence.original_name and "\\" not in evidence.original_name and ".." not in evidence.original_name
    )
    assert stored.name != evidence.original_name


def test_evidence_is_served_only_as_an_attachment_that_browsers_will_not_sniff(client, world, action):
    client.force_login(world.officer)
    post_update(client, action, SimpleUploadedFile(f"{XSS}.pdf", PDF, content_type="text/html"))
    evidence = Evidence.objects.get()
    assert evidence.content_type == "application/pdf"
    response = client.get(f"/evidence/{evidence.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "<script>" not in response["Content-Disposition"] or "filename*=" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF
    # The name is shown escaped on the action page.
    page = client.get(f"/actions/{action.pk}/").content.decode()
    assert XSS not in page


def test_html_saved_as_text_is_only_ever_served_as_plain_text_to_save(client, world, action):
    # Text files are allowed evidence; markup in one must never be rendered by the browser.
    client.force_login(world.officer)
    assert (
        post_update(client, action, SimpleUploadedFile("notes.txt", HTML_PAGE, content_type="text/html")).status_code
        == 302
    )
    evidence = Evidence.objects.get()
    response = client.get(f"/evidence/{evidence.pk}/download/")
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_evidence_has_no_public_url(settings):
    assert settings.MEDIA_URL is None
    assert Path(settings.MEDIA_ROOT).resolve() != Path(settings.STATIC_ROOT).resolve()
    assert not Path(settings.MEDIA_ROOT).resolve().is_relative_to(Path(settings.STATIC_ROOT).resolve())


# Formula injection in exports

PAYLOADS = ['=HYPERLINK("http://evil.example","Click")', "+44 1234 cmd", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)"]


@pytest.fixture
def poisoned(world):
    plan = f.ActionPlanFactory(area=world.area, title="=1+1 plan")
    for number, payload in enumerate(PAYLOADS, start=1):
        f.ActionFactory(plan=plan, reference=f"{number}.1", title=payload, percent_complete=25)
    return plan


def test_csv_export_neutralises_formula_payloads_and_keeps_numbers(client, world, poisoned):
    client.force_login(world.manager)
    response = client.get("/actions/?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    for payload in PAYLOADS:
        assert "'" + payload in cells
        assert payload not in cells
    assert not any(cell[:1] in ("=", "+", "@") for cell in cells)
    assert not any(cell.startswith("-") and not cell.lstrip("-").replace(".", "").isdigit() for cell in cells)


def xlsx_cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_xlsx_export_has_no_formula_cells(client, world, poisoned):
    client.force_login(world.manager)
    response = client.get("/actions/?export=xlsx")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    cells = xlsx_cells(body)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = [cell.value for cell in cells]
    for payload in PAYLOADS:
        assert payload not in values


def test_plan_workbook_export_has_no_formula_cells(client, world, poisoned):
    client.force_login(world.manager)
    response = client.get(f"/plans/{poisoned.pk}/export.xlsx")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    cells = xlsx_cells(body)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


# Script payloads appear as text


def test_script_payloads_in_user_entered_fields_are_shown_as_text_on_every_page(client, world):
    world.council.name = f"Council {XSS}"
    world.council.save()
    world.officer.first_name = XSS
    world.officer.save()
    plan = f.ActionPlanFactory(area=world.area, title=f"Plan {XSS}")
    action = f.ActionFactory(
        plan=plan,
        reference="1.1",
        title=f"Title {XSS}",
        description=f"Description {XSS}",
        lead_organisation=world.council,
        lead_officer=world.officer,
    )
    f.ProgressUpdateFactory(action=action, author=world.officer, text=f"Update {XSS}")
    client.force_login(world.manager)
    due = client.get(f"/actions/{action.pk}/due-date/")
    assert due.status_code == 200
    pages = [
        "/",
        "/areas/northshire/",
        "/actions/",
        "/my-actions/",
        f"/plans/{plan.pk}/",
        f"/actions/{action.pk}/",
        f"/actions/{action.pk}/edit/",
        "/areas/northshire/dashboard/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert XSS not in html, f"raw script payload on {url}"
    detail = client.get(f"/actions/{action.pk}/").content.decode()
    assert XSS_ESCAPED in detail or "&lt;script&gt;" in detail


def test_script_payloads_in_emails_are_text_and_escaped_in_html(world):
    from django.core import mail

    from reminders import services as reminder_services
    from reminders.models import Delivery, Kind

    world.officer.email = "officer@northshire.example"
    world.officer.save()
    action = f.ActionFactory(
        plan__area=world.area,
        title=f"Title {XSS}",
        lead_organisation=world.council,
        lead_officer=world.officer,
    )
    reminder_services.action_event_notify(action_id=action.pk, kind=Kind.ASSIGNED)
    reminder_services.delivery_send_now(ids=list(Delivery.objects.values_list("pk", flat=True)))
    assert mail.outbox, "no email was sent"
    message = mail.outbox[-1]
    assert f"Title {XSS}" in message.body  # plain text shows exactly what was typed
    for content, kind in getattr(message, "alternatives", []):
        if kind == "text/html":
            assert XSS not in content
            assert "&lt;script&gt;" in content


# A second payload without a slash, which survives in a file name (a slash would end the name there).
IMG = "<img src=x onerror=alert(1)>"
IMG_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
TODAY = dt.date(2026, 3, 4)


@pytest.fixture
def hostile(world, django_capture_on_commit_callbacks):
    """Script payloads in every kind of text people type: names, a file name, reasons, titles, measure names."""
    with (
        time_machine.travel(dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks() as notifications,
    ):
        world.area.name = f"Northshire {XSS}"
        world.area.save()
        world.icb.name = f"ICB {IMG}"
        world.icb.save()
        world.officer.first_name, world.officer.last_name = XSS, IMG
        world.officer.email = "officer@northshire.example"
        world.officer.save()
        plan = f.ActionPlanFactory(area=world.area, title=f"Plan {XSS}")
        revised, sent_back, cancelled = (
            f.ActionFactory(
                plan=plan,
                reference=f"1.{number}",
                title=f"Action {number} {XSS}",
                lead_organisation=world.council,
                lead_officer=world.officer,
                supporting_organisations=[world.icb],
                due_date=TODAY - dt.timedelta(days=2),
            )
            for number in (1, 2, 3)
        )
        action_services.progress_update_create(
            action=revised,
            author=world.officer,
            text=f"Update {XSS}",
            rag="amber",
            percent_complete=50,
            files=[SimpleUploadedFile(f"{IMG}.pdf", PDF, content_type="application/pdf")],
        )
        action_services.action_revise_due_date(
            action_id=revised.pk,
            user=world.manager,
            expected_version=Action.objects.get(pk=revised.pk).version,
            new_due_date=TODAY + dt.timedelta(days=30),
            reason=f"Revised because {XSS}",
        )
        action_services.action_complete(action=sent_back, user=world.officer, statement=f"Done {XSS}")
        action_services.action_send_back(
            action=Action.objects.get(pk=sent_back.pk), user=world.chair, reason=f"Sent back because {XSS}"
        )
        action_services.action_cancel(action=cancelled, user=world.manager, reason=f"Cancelled because {XSS}")
        for day in (TODAY - dt.timedelta(days=30), TODAY - dt.timedelta(days=2), TODAY + dt.timedelta(days=14)):
            f.BoardMeetingFactory(area=world.area, date=day, title=f"Board {XSS}")
        measure = f.MeasureFactory(area=world.area, name=f"Measure {XSS}")
        f.MeasureValueFactory(measure=measure)
    # The emails about the due date and the sending back are owed once the changes commit.
    for notify in notifications:
        notify()
    return plan, revised, sent_back, cancelled


def test_script_payloads_in_names_file_names_reasons_meetings_and_measures_are_text_on_every_page(
    client, world, hostile
):
    plan, revised, sent_back, cancelled = hostile
    evidence = Evidence.objects.get(update__action=revised)
    assert IMG in evidence.original_name  # the name is kept as typed, to be shown as text
    pages = {
        "manager": [
            "/",
            "/areas/northshire/",
            "/actions/",
            "/actions/?q=script",
            f"/plans/{plan.pk}/",
            *(f"/actions/{a.pk}/" for a in (revised, sent_back, cancelled)),
            f"/actions/{revised.pk}/edit/",
            f"/actions/{revised.pk}/due-date/",
            f"/actions/{revised.pk}/update/",
            "/areas/northshire/dashboard/",
            "/areas/northshire/measures/values/new/",
            "/reminders/deliveries/",
        ],
        "officer": ["/my-actions/", f"/actions/{revised.pk}/complete/"],
        "chair": ["/areas/northshire/dashboard/", f"/actions/{sent_back.pk}/"],
        "adviser": ["/national/"],
        "admin": [
            f"/admin/actions/action/{revised.pk}/change/",
            f"/admin/actions/evidence/{evidence.pk}/change/",
            "/admin/actions/measure/",
            "/admin/inspections/localarea/",
        ],
    }
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    shown = ""
    for persona, urls in pages.items():
        client.force_login(getattr(world, persona))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (persona, url)
            html = response.content.decode()
            assert XSS not in html and IMG not in html, f"raw script payload on {url} for {persona}"
            shown += html
    # Each typed text did reach a page, escaped: so the checks above looked at the right places.
    for text in (
        "Northshire &lt;script&gt;",
        f"ICB {IMG_ESCAPED}",
        f"{IMG_ESCAPED}.pdf",
        "Revised because &lt;script&gt;",
        "Sent back because &lt;script&gt;",
        "Cancelled because &lt;script&gt;",
        "Board &lt;script&gt;",
        "Measure &lt;script&gt;",
        "Done &lt;script&gt;",
    ):
        assert text in shown, f"{text!r} is shown nowhere"


def test_script_payloads_are_plain_text_in_exports_and_the_board_pack(client, world, hostile, tmp_path):
    _, revised, _, _ = hostile
    client.force_login(world.manager)
    exported = client.get("/actions/?export=csv")
    content = b"".join(exported.streaming_content) if exported.streaming else exported.content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert any(f"Action 1 {XSS}" in cell for row in rows for cell in row)  # as typed: a CSV is text
    book = load_workbook(io.BytesIO(client.get(f"/plans/{revised.plan_id}/export.xlsx").content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    assert any(c.value == f"Action 1 {XSS}" and c.data_type == "s" for c in cells)
    with time_machine.travel(dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC), tick=False):
        pack = client.get(
            "/areas/northshire/board-pack/", {"meeting": (TODAY - dt.timedelta(days=2)).isoformat(), "format": "pdf"}
        )
    assert pack.status_code == 200
    source = tmp_path / "pack.pdf"
    source.write_bytes(pack.content)
    text = subprocess.run(["pdftotext", str(source), "-"], capture_output=True, check=True, text=True).stdout
    # Had the PDF's HTML not escaped them, the payloads would be markup, not text on the page.
    assert "Board <script>" in text and "Measure <script>" in text


def test_script_payloads_in_reasons_and_titles_are_escaped_in_every_email(world, hostile):
    from django.core import mail

    from inspections.models import BoardMeeting
    from reminders import services as reminder_services
    from reminders.models import Delivery, Kind

    world.chair.email = "chair@northshire.example"
    world.chair.save()
    meeting = BoardMeeting.objects.filter(area=world.area).order_by("-date").first()
    Delivery.objects.create(
        meeting=meeting, recipient=world.chair, kind=Kind.BOARD_PACK, period_key="pack", scheduled_for=TODAY
    )
    with time_machine.travel(dt.datetime(2026, 3, 4, 7, 0, tzinfo=dt.UTC), tick=False):
        reminder_services.reminders_sweep(day=TODAY)
        reminder_services.weekly_digest_sweep(day=TODAY)
        reminder_services.delivery_send_now(ids=list(Delivery.objects.values_list("pk", flat=True)))
    kinds = set(Delivery.objects.filter(status=Delivery.Status.SENT).values_list("kind", flat=True))
    assert {Kind.DUE_DATE_REVISED, Kind.SENT_BACK, Kind.BOARD_PACK} <= kinds, kinds
    assert mail.outbox
    plain = ""
    for message in mail.outbox:
        plain += message.subject + message.body
        for content, kind in message.alternatives:
            if kind == "text/html":
                assert XSS not in content and IMG not in content, message.subject
    for text in (f"Revised because {XSS}", f"Sent back because {XSS}", f"Action 1 {XSS}"):
        assert text in plain, f"{text!r} is in no email"
