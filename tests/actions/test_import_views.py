"""The import pages: upload, preview with column mapping, confirm; the template and the plan export."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from actions.importing import XLSX_CONTENT_TYPE, plan_export_xlsx
from actions.models import Action
from tests import factories as f

from .importing_helpers import read_xlsx, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_and_time(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def plan(world):
    plan = f.ActionPlanFactory(area=world.area)
    for n in range(1, 4):
        f.ActionFactory(plan=plan, reference=f"1.{n}", title=f"Action {n}", due_date=dt.date(2024, 9, n))
    return plan


def upload(client, plan, data: bytes, name: str = "plan.xlsx"):
    return client.post(reverse("plan_import", args=[plan.pk]), {"file": SimpleUploadedFile(name, data)})


def test_manager_uploads_previews_and_confirms(client, world, plan):
    rows = read_xlsx(plan_export_xlsx(plan))
    rows[2][2] = "Action 2, clearer"
    client.force_login(world.manager)

    response = upload(client, plan, xlsx(rows))
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert preview.context["preview"].counts["update"] == 1
    assert b"Action 2, clearer" in preview.content
    assert Action.objects.get(plan=plan, reference="1.2").title == "Action 2"

    confirm = client.post(
        reverse("plan_import_confirm", args=[plan.pk, preview.context["token"]]),
        {"digest": preview.context["preview"].digest},
    )

    assert confirm.status_code == 200
    assert str(confirm.context["report"]) == "0 created, 1 updated, 2 unchanged, 0 rejected"
    assert Action.objects.get(plan=plan, reference="1.2").title == "Action 2, clearer"


def test_confirming_an_out_of_date_preview_writes_nothing(client, world, plan):
    rows = read_xlsx(plan_export_xlsx(plan))
    rows[2][2] = "Action 2, clearer"
    client.force_login(world.manager)
    location = upload(client, plan, xlsx(rows))["Location"]
    preview = client.get(location)
    action = Action.objects.get(plan=plan, reference="1.3")
    action.title = "Changed by someone else"
    action.version += 1
    action.save()

    confirm = client.post(
        reverse("plan_import_confirm", args=[plan.pk, preview.context["token"]]),
        {"digest": preview.context["preview"].digest},
    )

    assert confirm.status_code == 302
    assert Action.objects.get(plan=plan, reference="1.2").title == "Action 2"


def test_the_user_corrects_the_column_mapping(client, world, plan):
    data = xlsx([["Ref", "Action", "Finish"], ["7.1", "New thing", "31/07/2024"]])
    client.force_login(world.manager)
    location = upload(client, plan, data)["Location"]
    first = client.get(location)
    assert "Due date" in first.context["preview"].file_errors[0]

    mapped = client.post(location, {"map_reference": "0", "map_title": "1", "map_due_date": "2"})

    assert mapped.context["preview"].file_errors == []
    assert mapped.context["preview"].counts["create"] == 1


def test_a_bad_file_shows_its_message(client, world, plan):
    client.force_login(world.manager)
    response = client.get(upload(client, plan, b"just some words", "notes.docx")["Location"])

    assert b"not a spreadsheet" in response.content
    assert b"Import 0" not in response.content


def test_abandoned_uploads_are_removed_a_day_later(client, world, plan, settings):
    client.force_login(world.manager)
    upload(client, plan, plan_export_xlsx(plan))
    assert len(list((settings.MEDIA_ROOT / "imports").iterdir())) == 1
    with time_machine.travel(dt.datetime(2024, 5, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        import os

        for path in (settings.MEDIA_ROOT / "imports").iterdir():
            os.utime(path, (dt.datetime(2024, 5, 1, tzinfo=dt.UTC).timestamp(),) * 2)
        upload(client, plan, plan_export_xlsx(plan))
    assert len(list((settings.MEDIA_ROOT / "imports").iterdir())) == 1


def test_an_officer_cannot_import(client, world, plan):
    client.force_login(world.officer)
    assert client.get(reverse("plan_import", args=[plan.pk])).status_code == 403


def test_another_areas_manager_gets_404(client, world, plan):
    other_manager = f.MembershipFactory(organisation=world.other_council, role="plan_manager").user
    client.force_login(other_manager)

    assert client.get(reverse("plan_import", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plan_export", args=[plan.pk])).status_code == 404


def test_another_users_upload_is_not_found(client, world, plan):
    client.force_login(world.manager)
    location = upload(client, plan, plan_export_xlsx(plan))["Location"]
    client.force_login(world.admin)
    assert client.get(location).status_code == 404


def test_template_and_export_download_as_xlsx(client, world, plan):
    client.force_login(world.officer)
    template = client.get(reverse("plan_import_template"))
    export = client.get(reverse("plan_export", args=[plan.pk]))

    assert template["Content-Type"] == XLSX_CONTENT_TYPE
    assert read_xlsx(template.content)[0][:3] == ["Ref", "Finding", "Action"]
    assert [row[0] for row in read_xlsx(export.content)] == ["Ref", "1.1", "1.2", "1.3"]


def test_export_keeps_formula_like_text_as_text(world, plan):
    action = Action.objects.get(plan=plan, reference="1.1")
    action.title = '=HYPERLINK("http://example.invalid")'
    action.save()
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(plan_export_xlsx(plan))).active
    assert sheet["C2"].data_type == "s"


def test_command_dry_run_writes_nothing_and_apply_writes(tmp_path, world, plan):
    rows = read_xlsx(plan_export_xlsx(plan))
    rows[1][2] = "From the command line"
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx(rows))

    call_command("import_plan", str(path), plan=plan.pk, dry_run=True, user="manager")
    assert Action.objects.get(plan=plan, reference="1.1").title == "Action 1"
    call_command("import_plan", str(path), plan=plan.pk, user="manager")
    assert Action.objects.get(plan=plan, reference="1.1").title == "From the command line"


def test_command_dry_run_fails_on_a_file_with_errors(tmp_path, world, plan):
    path = tmp_path / "plan.csv"
    path.write_text("Ref,Action,Due date\n1.9,Thing,someday\n")
    with pytest.raises(CommandError, match="has errors"):
        call_command("import_plan", str(path), plan=plan.pk, dry_run=True, user="manager")


def test_command_refuses_a_bad_file(tmp_path, world, plan):
    path = tmp_path / "plan.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        call_command("import_plan", str(path), plan=plan.pk, user="manager")


def test_manager_downloads_the_plan_edits_three_rows_and_applies_exactly_those(client, world, plan):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(world.manager)
    book = load_workbook(BytesIO(client.get(reverse("plan_export", args=[plan.pk])).content))
    sheet = book["Actions"]
    sheet["C2"] = "Action 1, reworded"
    sheet["G3"] = dt.datetime(2024, 12, 31)
    sheet["H4"] = "Amber"
    edited = BytesIO()
    book.save(edited)

    preview = client.get(upload(client, plan, edited.getvalue(), "plan (edited).xlsx")["Location"])
    changes = {
        row.reference: [(c.label, c.new) for c in row.changes] for row in preview.context["preview"].rows if row.changes
    }
    assert changes == {
        "1.1": [("Action", "Action 1, reworded")],
        "1.2": [("Due date", "31/12/2024")],
        "1.3": [("RAG", "Amber")],
    }
    confirm = client.post(
        reverse("plan_import_confirm", args=[plan.pk, preview.context["token"]]),
        {"digest": preview.context["preview"].digest},
    )

    assert str(confirm.context["report"]) == "0 created, 3 updated, 0 unchanged, 0 rejected"
    actions = {a.reference: a for a in Action.objects.filter(plan=plan)}
    assert actions["1.1"].title == "Action 1, reworded"
    assert actions["1.2"].due_date == dt.date(2024, 12, 31)
    assert actions["1.3"].rag == Action.Rag.AMBER
