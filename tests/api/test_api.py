"""The REST API: each endpoint for each persona, scope (404 outside it), optimistic locking (409), filters."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from actions.models import Action, DueDateRevision
from api.models import ApiToken
from inspections.models import Finding
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 6, 3)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2024, 6, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def data(world):
    plan = f.ActionPlanFactory(area=world.area)
    finding = f.FindingFactory(inspection=plan.inspection, reference="AW1", kind=Finding.Kind.SIGNIFICANT_WEAKNESS)
    overdue = f.ActionFactory(
        plan=plan,
        reference="1.1",
        title="Audit EHC plans",
        due_date=dt.date(2024, 5, 31),
        lead_officer=world.officer,
        findings=[finding],
        rag=Action.Rag.RED,
    )
    upcoming = f.ActionFactory(
        plan=plan,
        reference="1.2",
        title="Train staff",
        due_date=dt.date(2024, 9, 30),
        lead_organisation=world.icb,
        supporting_organisations=[world.council],
    )
    done = f.ActionFactory(
        plan=plan,
        reference="1.3",
        title="Publish the local offer",
        due_date=dt.date(2024, 5, 1),
        status=Action.Status.COMPLETED,
    )
    update = f.ProgressUpdateFactory(action=overdue, author=world.officer)
    measure = f.MeasureFactory(area=world.area, name="EHC plans in 20 weeks")
    value = f.MeasureValueFactory(measure=measure)
    other_plan = f.ActionPlanFactory(area=world.other_area)
    other_finding = f.FindingFactory(inspection=other_plan.inspection)
    other_action = f.ActionFactory(plan=other_plan, reference="9.9", due_date=dt.date(2024, 1, 1))
    other_update = f.ProgressUpdateFactory(action=other_action, author=world.other_officer)
    other_measure = f.MeasureFactory(area=world.other_area)
    other_value = f.MeasureValueFactory(measure=other_measure)
    return {
        "areas": (world.area, world.other_area),
        "inspections": (plan.inspection, other_plan.inspection),
        "findings": (finding, other_finding),
        "plans": (plan, other_plan),
        "actions": (overdue, other_action),
        "progress-updates": (update, other_update),
        "measures": (measure, other_measure),
        "measure-values": (value, other_value),
        "overdue": overdue,
        "upcoming": upcoming,
        "done": done,
        "plan": plan,
    }


ENDPOINTS = [
    "areas",
    "inspections",
    "findings",
    "plans",
    "actions",
    "progress-updates",
    "measures",
    "measure-values",
]
IN_AREA = ["officer", "health_officer", "manager", "chair", "pcf", "adviser", "admin"]


def ids(response) -> set[int]:
    return {item["id"] for item in response.json()["results"]}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("persona", IN_AREA)
def test_people_in_the_area_see_its_objects(api_as, world, data, endpoint, persona):
    client = api_as(getattr(world, persona))
    mine, theirs = data[endpoint]

    listing = client.get(f"/api/v1/{endpoint}/")
    assert listing.status_code == 200
    assert mine.pk in ids(listing)
    assert client.get(f"/api/v1/{endpoint}/{mine.pk}/").json()["id"] == mine.pk
    if persona != "admin":
        assert theirs.pk not in ids(listing)
        assert client.get(f"/api/v1/{endpoint}/{theirs.pk}/").status_code == 404


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("persona", ["other_officer", "adviser_elsewhere"])
def test_people_outside_the_area_get_404(api_as, world, data, endpoint, persona):
    client = api_as(getattr(world, persona))
    mine, theirs = data[endpoint]

    assert mine.pk not in ids(client.get(f"/api/v1/{endpoint}/"))
    assert client.get(f"/api/v1/{endpoint}/{mine.pk}/").status_code == 404


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_without_credentials_the_api_answers_401(endpoint, data):
    response = APIClient().get(f"/api/v1/{endpoint}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_working(world, data):
    from api.services import api_token_create, api_token_revoke

    token, key = api_token_create(user=world.officer, name="Power BI")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/actions/").status_code == 200
    api_token_revoke(user=world.officer, token_id=token.pk)
    assert client.get("/api/v1/actions/").status_code == 401


def test_a_deactivated_users_token_stops_working(world, data):
    from api.services import api_token_create

    _, key = api_token_create(user=world.deactivated, name="old")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/actions/").status_code == 401


def test_the_browser_session_works_too(client, world, data):
    client.force_login(world.officer)
    assert client.get("/api/v1/actions/").status_code == 200


def test_using_a_token_records_when_it_was_last_used(api_as, world, data):
    api_as(world.officer).get("/api/v1/areas/")
    assert ApiToken.objects.get(user=world.officer).last_used_at is not None


# --- Actions: the action list's filters. ---


def test_api_client_lists_an_areas_overdue_actions_with_a_token(api_as, world, data):
    response = api_as(world.manager).get("/api/v1/actions/", {"area": world.area.pk, "overdue": "true"})

    assert [a["reference"] for a in response.json()["results"]] == ["1.1"]
    assert response.json()["results"][0]["is_overdue"] is True


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "completed"}, ["1.3"]),
        ({"status": ["completed", "in_progress"]}, ["1.1", "1.2", "1.3"]),
        ({"rag": "red"}, ["1.1"]),
        ({"due_after": "2024-06-01"}, ["1.2"]),
        ({"due_before": "2024-05-31"}, ["1.1", "1.3"]),
        ({"overdue": "false"}, ["1.2", "1.3"]),
        ({"q": "train"}, ["1.2"]),
        ({"q": "1.3"}, ["1.3"]),
        ({"lead_organisation": "icb"}, ["1.2"]),
        ({"lead_officer": "officer"}, ["1.1"]),
        ({"finding": "aw1"}, ["1.1"]),
        ({"plan": "plan"}, ["1.1", "1.2", "1.3"]),
        ({"ordering": "-due_date"}, ["1.2", "1.1", "1.3"]),
    ],
)
def test_action_filters(api_as, world, data, params, expected):
    lookups = {
        "icb": world.icb.pk,
        "officer": world.officer.pk,
        "aw1": data["findings"][0].pk,
        "plan": data["plan"].pk,
    }
    params = {k: lookups.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
    response = api_as(world.admin).get("/api/v1/actions/", {**params, "area": world.area.pk})

    assert [a["reference"] for a in response.json()["results"]] == expected


@pytest.mark.parametrize("params", [{"due_after": "soon"}, {"status": "lost"}, {"overdue": "maybe"}, {"area": "x"}])
def test_a_bad_filter_value_is_a_400_naming_it(api_as, world, data, params):
    response = api_as(world.manager).get("/api/v1/actions/", params)

    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_lists_are_paginated(api_as, world, data):
    response = api_as(world.manager).get("/api/v1/actions/", {"page_size": 2})
    body = response.json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert "page=2" in body["next"]


def test_the_action_list_takes_a_fixed_number_of_queries(api_as, world, data, django_assert_num_queries):
    client = api_as(world.manager)
    for n in range(10):
        f.ActionFactory(plan=data["plan"], reference=f"5.{n}", findings=[data["findings"][0]])
    client.get("/api/v1/areas/")  # records the token's first use, a write that later requests skip
    # Token, the user's roles and visible areas (one query), count, page, findings, supporting organisations.
    with django_assert_num_queries(6):
        assert client.get("/api/v1/actions/").status_code == 200


# --- Partial update with optimistic locking. ---


def test_manager_changes_an_action_with_its_version(api_as, world, data):
    action = data["overdue"]
    response = api_as(world.manager).patch(
        f"/api/v1/actions/{action.pk}/", {"version": action.version, "title": "Audit every EHC plan"}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Audit every EHC plan"
    assert response.json()["version"] == action.version + 1


def test_a_stale_version_gets_409_with_the_current_action(api_as, world, data):
    action = data["overdue"]
    client = api_as(world.manager)
    client.patch(f"/api/v1/actions/{action.pk}/", {"version": action.version, "title": "First save"})

    response = client.patch(f"/api/v1/actions/{action.pk}/", {"version": action.version, "title": "Second save"})

    assert response.status_code == 409
    assert response.json()["current"]["title"] == "First save"
    assert response.json()["current"]["version"] == action.version + 1
    assert Action.objects.get(pk=action.pk).title == "First save"


def test_a_stale_version_with_nothing_to_change_is_still_409(api_as, world, data):
    action = data["overdue"]
    response = api_as(world.manager).patch(f"/api/v1/actions/{action.pk}/", {"version": action.version - 1 or 99})
    assert response.status_code == 409


def test_the_version_is_required(api_as, world, data):
    response = api_as(world.manager).patch(f"/api/v1/actions/{data['overdue'].pk}/", {"title": "No version"})

    assert response.status_code == 400
    assert "version" in response.json()


def test_a_new_due_date_needs_a_reason_and_is_recorded(api_as, world, data):
    action = data["overdue"]
    client = api_as(world.manager)
    url = f"/api/v1/actions/{action.pk}/"

    assert client.patch(url, {"version": action.version, "due_date": "2024-07-31"}).status_code == 400
    response = client.patch(
        url, {"version": action.version, "due_date": "2024-07-31", "due_date_reason": "Auditors delayed"}
    )

    assert response.status_code == 200
    assert response.json()["due_date"] == "2024-07-31"
    assert response.json()["original_due_date"] == "2024-05-31"
    assert DueDateRevision.objects.get(action=action).reason == "Auditors delayed"


def test_a_lead_officer_may_change_the_description_but_not_the_title(api_as, world, data):
    action = data["overdue"]
    client = api_as(world.officer)
    url = f"/api/v1/actions/{action.pk}/"

    assert client.patch(url, {"version": action.version, "description": "With the QA team"}).status_code == 200
    assert client.patch(url, {"version": action.version + 1, "title": "Mine now"}).status_code == 403


@pytest.mark.parametrize("persona", ["health_officer", "chair", "adviser"])
def test_people_who_do_not_manage_the_action_cannot_change_it(api_as, world, data, persona):
    action = data["overdue"]
    response = api_as(getattr(world, persona)).patch(
        f"/api/v1/actions/{action.pk}/", {"version": action.version, "title": "Not allowed"}
    )
    assert response.status_code == 403


def test_changing_an_action_in_another_area_is_404(api_as, world, data):
    action = data["actions"][1]
    response = api_as(world.manager).patch(f"/api/v1/actions/{action.pk}/", {"version": action.version, "title": "x"})
    assert response.status_code == 404


def test_blue_cannot_be_set_and_bad_values_are_400(api_as, world, data):
    action = data["overdue"]
    client = api_as(world.manager)
    url = f"/api/v1/actions/{action.pk}/"

    assert client.patch(url, {"version": action.version, "rag": "blue"}).status_code == 400
    assert client.patch(url, {"version": action.version, "start_date": "2024-12-01"}).status_code == 400
    assert client.patch(url, {"version": action.version, "findings": [data["findings"][1].pk]}).status_code == 400


def test_actions_cannot_be_replaced_or_deleted(api_as, world, data):
    client = api_as(world.manager)
    url = f"/api/v1/actions/{data['overdue'].pk}/"
    assert client.put(url, {"version": 1}).status_code == 405
    assert client.delete(url).status_code == 405


# --- Progress updates: create. ---


def test_an_officer_posts_a_progress_update(api_as, world, data):
    action = data["overdue"]
    response = api_as(world.officer).post(
        "/api/v1/progress-updates/",
        {"action": action.pk, "text": "40 plans audited", "rag": "amber", "percent_complete": 40},
    )

    assert response.status_code == 201, response.json()
    assert response.json()["author"] == world.officer.pk
    action.refresh_from_db()
    assert (action.rag, action.percent_complete) == (Action.Rag.AMBER, 40)


def test_a_supporting_organisations_officer_posts_an_update(api_as, world, data):
    response = api_as(world.officer).post(
        "/api/v1/progress-updates/",
        {"action": data["upcoming"].pk, "text": "Venue booked", "rag": "green", "percent_complete": 10},
    )
    assert response.status_code == 201


@pytest.mark.parametrize("persona", ["adviser", "chair"])
def test_readers_cannot_post_updates(api_as, world, data, persona):
    response = api_as(getattr(world, persona)).post(
        "/api/v1/progress-updates/",
        {"action": data["overdue"].pk, "text": "Hello", "rag": "green", "percent_complete": 10},
    )
    assert response.status_code == 403


def test_an_update_on_another_areas_action_is_refused_without_saying_it_exists(api_as, world, data):
    response = api_as(world.officer).post(
        "/api/v1/progress-updates/",
        {"action": data["actions"][1].pk, "text": "Hello", "rag": "green", "percent_complete": 10},
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["action"][0]


def test_updates_on_a_completed_action_are_refused(api_as, world, data):
    response = api_as(world.manager).post(
        "/api/v1/progress-updates/",
        {"action": data["done"].pk, "text": "Late news", "rag": "green", "percent_complete": 100},
    )
    assert response.status_code == 400


def test_updates_cannot_be_changed(api_as, world, data):
    url = f"/api/v1/progress-updates/{data['progress-updates'][0].pk}/"
    assert api_as(world.officer).patch(url, {"text": "Rewritten"}).status_code == 405


# --- Throttling, per token. ---


def test_each_token_has_its_own_allowance(settings, world, data):
    from api.services import api_token_create

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "3/minute"}}
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        first, second = APIClient(), APIClient()
        first.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=world.officer, name='a')[1]}")
        second.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=world.officer, name='b')[1]}")
        assert [first.get("/api/v1/areas/").status_code for _ in range(4)] == [200, 200, 200, 429]
        assert second.get("/api/v1/areas/").status_code == 200
    finally:
        SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
