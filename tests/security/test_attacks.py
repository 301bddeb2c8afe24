"""Attack tests through the real pages: hostile evidence files, formula injection in exports, script payloads."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from actions.models import Evidence, ProgressUpdate
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
