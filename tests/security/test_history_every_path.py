"""Every way of changing an action leaves a history record naming who made the change.

Paths: each action service, the browser (edit form), the REST API (PATCH) and a spreadsheet import.
"""

from __future__ import annotations

import datetime as dt
import json
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from actions import services
from actions.models import Action
from api.services import api_token_create
from tests import factories as f

NOW = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def action(world):
    return f.ActionFactory(
        plan__area=world.area,
        lead_organisation=world.council,
        lead_officer=world.officer,
        due_date=dt.date(2026, 6, 30),
        reference="1.1",
    )


def latest(action: Action):
    return action.history.order_by("-history_date", "-history_id").first()


def records(action: Action) -> int:
    return action.history.count()


def test_each_action_service_leaves_a_history_record_by_its_user(world, action):
    steps = [
        (
            world.manager,
            lambda: services.action_update(
                action_id=action.pk, user=world.manager, expected_version=action.version, changes={"title": "New"}
            ),
        ),
        (
            world.manager,
            lambda: services.action_revise_due_date(
                action_id=action.pk,
                user=world.manager,
                expected_version=Action.objects.get(pk=action.pk).version,
                new_due_date=dt.date(2026, 7, 31),
                reason="Waiting for the new service specification",
            ),
        ),
        (
            world.officer,
            lambda: services.progress_update_create(
                action=Action.objects.get(pk=action.pk),
                author=world.officer,
                text="Going well",
                rag="green",
                percent_complete=60,
            ),
        ),
        (
            world.officer,
            lambda: services.action_complete(
                action=Action.objects.get(pk=action.pk), user=world.officer, statement="Done: the new pathway is live"
            ),
        ),
        (
            world.chair,
            lambda: services.action_send_back(
                action=Action.objects.get(pk=action.pk), user=world.chair, reason="Show parents' feedback first"
            ),
        ),
        (
            world.officer,
            lambda: services.action_complete(
                action=Action.objects.get(pk=action.pk), user=world.officer, statement="Feedback attached"
            ),
        ),
        (world.chair, lambda: services.action_sign_off(action=Action.objects.get(pk=action.pk), user=world.chair)),
    ]
    for user, step in steps:
        before = records(action)
        step()
        assert records(action) > before, step
        assert latest(action).history_user_id == user.pk


def test_cancelling_leaves_a_history_record(world, action):
    before = records(action)
    services.action_cancel(action=action, user=world.manager, reason="Merged into action 1.2")
    assert records(action) == before + 1
    assert latest(action).history_user_id == world.manager.pk
    assert latest(action).status == Action.Status.CANCELLED


def test_creating_an_action_leaves_a_history_record(world):
    plan = f.ActionPlanFactory(area=world.area)
    created = services.action_create(
        plan=plan,
        user=world.manager,
        reference="4.2",
        title="Publish the local offer",
        lead_organisation=world.council,
        due_date=dt.date(2026, 9, 30),
    )
    assert records(created) == 1
    assert latest(created).history_type == "+"


def test_the_browser_edit_form_leaves_a_history_record_by_the_signed_in_person(client, world, action):
    client.force_login(world.manager)
    form = client.get(f"/actions/{action.pk}/edit/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["title"] = "Changed in the browser"
    for name, value in list(data.items()):
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
    before = records(action)
    response = client.post(f"/actions/{action.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert records(action) == before + 1
    assert latest(action).title == "Changed in the browser"
    assert latest(action).history_user_id == world.manager.pk


def test_the_api_leaves_a_history_record_by_the_tokens_owner(world, action):
    _, key = api_token_create(user=world.manager, name="history")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    before = records(action)
    response = client.patch(
        f"/api/v1/actions/{action.pk}/",
        data=json.dumps({"version": action.version, "title": "Changed through the API"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert records(action) == before + 1
    assert latest(action).title == "Changed through the API"
    assert latest(action).history_user_id == world.manager.pk


def test_a_spreadsheet_import_leaves_a_history_record_by_the_importer(client, world, action):
    client.force_login(world.manager)
    book = load_workbook(BytesIO(client.get(reverse("plan_export", args=[action.plan_id])).content))
    sheet = book["Actions"]
    headers = [cell.value for cell in sheet[1]]
    title_column = next(i for i, h in enumerate(headers, start=1) if str(h).strip().lower() in ("action", "title"))
    sheet.cell(2, title_column).value = "Changed in Excel"
    edited = BytesIO()
    book.save(edited)
    before = records(action)
    upload = SimpleUploadedFile("plan.xlsx", edited.getvalue())
    response = client.post(reverse("plan_import", args=[action.plan_id]), {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    client.post(
        reverse("plan_import_confirm", args=[action.plan_id, preview.context["token"]]),
        {"digest": preview.context["preview"].digest},
    )
    assert records(action) == before + 1
    assert latest(action).title == "Changed in Excel"
    assert latest(action).history_user_id == world.manager.pk
