"""The issue's finish line on the demonstration data: manager.suffolk exports the current plan, edits three rows
in the spreadsheet, uploads it, sees exactly those three changes and applies them; an API client lists Suffolk's
overdue actions with a token."""

from __future__ import annotations

import datetime as dt
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import User
from actions.importing import UNCHANGED, import_preview, plan_export_xlsx
from actions.models import Action, ActionPlan
from api.services import api_token_create
from inspections.models import LocalArea


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def suffolk_plans():
    return ActionPlan.objects.filter(area__slug="suffolk").exclude(status=ActionPlan.Status.SUPERSEDED)


def test_every_demo_plan_exports_and_imports_unchanged(demo):
    admin = User.objects.get(username="admin")
    for plan in ActionPlan.objects.all():
        preview = import_preview(plan=plan, user=admin, data=plan_export_xlsx(plan), filename="export.xlsx")
        assert preview.file_errors == []
        assert preview.counts[UNCHANGED] == plan.actions.count(), [
            (r.reference, r.errors, [(c.label, c.old, c.new) for c in r.changes])
            for r in preview.rows
            if r.outcome != UNCHANGED
        ]
        assert all(not row.warnings for row in preview.rows), [r.warnings for r in preview.rows if r.warnings]


def test_manager_suffolk_edits_three_rows_in_excel_and_applies_exactly_those(demo, client):
    manager = User.objects.get(username="manager.suffolk")
    plan = suffolk_plans().filter(actions__status__in=Action.OPEN_STATUSES).distinct().first()
    client.force_login(manager)
    book = load_workbook(BytesIO(client.get(reverse("plan_export", args=[plan.pk])).content))
    sheet = book["Actions"]
    open_rows = [
        row[0].row for row in sheet.iter_rows(min_row=2) if row[8].value in ("Not started", "In progress", "Reopened")
    ][:3]
    first, second, third = open_rows
    sheet.cell(first, 3).value = f"{sheet.cell(first, 3).value} (revised)"
    sheet.cell(second, 7).value = sheet.cell(second, 7).value + dt.timedelta(days=28)
    sheet.cell(third, 10).value = "Fewer than 5% of families report waiting more than 20 weeks"
    edited = BytesIO()
    book.save(edited)
    refs = [sheet.cell(n, 1).value for n in open_rows]

    upload = SimpleUploadedFile("suffolk plan (edited).xlsx", edited.getvalue())
    response = client.post(reverse("plan_import", args=[plan.pk]), {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    changed = {row.reference: [c.label for c in row.changes] for row in preview.context["preview"].rows if row.changes}
    assert changed == {refs[0]: ["Action"], refs[1]: ["Due date"], refs[2]: ["Success measure"]}

    confirm = client.post(
        reverse("plan_import_confirm", args=[plan.pk, preview.context["token"]]),
        {"digest": preview.context["preview"].digest},
    )
    assert confirm.context["report"].updated == 3
    assert Action.objects.get(plan=plan, reference=refs[0]).title.endswith("(revised)")
    assert Action.objects.get(plan=plan, reference=refs[1]).due_date_revisions.count() >= 1


def test_an_api_client_lists_suffolks_overdue_actions_with_a_token(demo):
    suffolk = LocalArea.objects.get(slug="suffolk")
    _, key = api_token_create(user=User.objects.get(username="manager.suffolk"), name="Power BI")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    body = client.get("/api/v1/actions/", {"area": suffolk.pk, "overdue": "true", "page_size": 200}).json()

    expected = set(
        Action.objects.filter(
            plan__area=suffolk, status__in=Action.OPEN_STATUSES, due_date__lt=timezone.localdate()
        ).values_list("pk", flat=True)
    )
    assert expected
    assert {action["id"] for action in body["results"]} == expected
