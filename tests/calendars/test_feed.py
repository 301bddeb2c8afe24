"""Private calendar feeds: what is in them, stable UIDs, and revoking the URL."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from actions import services
from actions.models import Action
from calendars.services import calendar_token_reset
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2024, 6, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def plan(world):
    plan = f.ActionPlanFactory(
        area=world.area,
        status="draft",
        submitted_on=None,
        accepted_on=None,
        submission_due=dt.date(2024, 5, 10),
        title="Written statement of action",
    )
    f.ActionFactory(
        plan=plan,
        reference="1.1",
        title="Audit EHC plans",
        due_date=dt.date(2024, 7, 31),
        lead_officer=world.officer,
    )
    f.ActionFactory(
        plan=plan,
        reference="1.2",
        title="Train staff",
        due_date=dt.date(2024, 9, 30),
        lead_organisation=world.icb,
        supporting_organisations=[world.council],
    )
    f.ActionFactory(
        plan=plan,
        reference="1.3",
        title="Health-only action",
        due_date=dt.date(2024, 8, 1),
        lead_organisation=world.icb,
    )
    f.ActionFactory(
        plan=plan,
        reference="1.4",
        title="Cancelled",
        due_date=dt.date(2024, 8, 2),
        lead_officer=world.officer,
        status=Action.Status.CANCELLED,
    )
    other_plan = f.ActionPlanFactory(area=world.other_area, submission_due=dt.date(2024, 5, 11))
    f.ActionFactory(plan=other_plan, reference="9.1", lead_officer=world.officer, due_date=dt.date(2024, 7, 1))
    return plan


def fetch(client, user) -> Calendar:
    response = client.get(reverse("calendar_feed", args=[user.calendar_token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_lists_actions_led_or_supported_and_plan_submissions(client, world, plan):
    calendar_token_reset(user=world.officer)

    found = events(fetch(client, world.officer))

    assert sorted(found) == [
        "Due: 1.1 Audit EHC plans",
        "Due: 1.2 Train staff",
        "Plan submission due: Written statement of action (Northshire)",
    ]
    audit = found["Due: 1.1 Audit EHC plans"]
    assert audit["DTSTART"].dt == dt.date(2024, 7, 31)
    assert audit["DTEND"].dt == dt.date(2024, 8, 1)
    assert str(audit["UID"]) == f"action-{Action.objects.get(reference='1.1').pk}@127.0.0.1"
    assert str(audit["URL"]).startswith("http")
    assert "Audit EHC plans" in str(audit["DESCRIPTION"])


def test_a_revised_due_date_moves_the_same_event(client, world, plan):
    calendar_token_reset(user=world.officer)
    before = events(fetch(client, world.officer))["Due: 1.1 Audit EHC plans"]
    action = Action.objects.get(reference="1.1")

    services.action_revise_due_date(
        action_id=action.pk,
        user=world.manager,
        expected_version=action.version,
        new_due_date=dt.date(2024, 10, 31),
        reason="Auditors delayed",
    )
    after = events(fetch(client, world.officer))["Due: 1.1 Audit EHC plans"]

    assert after["UID"] == before["UID"]
    assert after["DTSTART"].dt == dt.date(2024, 10, 31)
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])


def test_a_health_officer_sees_their_organisations_actions_only_when_they_lead_them(client, world, plan):
    calendar_token_reset(user=world.health_officer)
    assert "Due: 1.3 Health-only action" not in events(fetch(client, world.health_officer))


def test_an_unknown_or_revoked_link_is_not_found(client, world, plan):
    old = calendar_token_reset(user=world.officer)
    calendar_token_reset(user=world.officer)

    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar_feed", args=["x" * 43])).status_code == 404


def test_a_deactivated_users_link_stops_working(client, world, plan):
    token = calendar_token_reset(user=world.deactivated)
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 404


def test_the_calendar_page_creates_replaces_and_turns_off_the_link(client, world):
    client.force_login(world.officer)
    assert client.get(reverse("calendar_settings")).context["feed_url"] is None

    client.post(reverse("calendar_reset"))
    world.officer.refresh_from_db()
    first = world.officer.calendar_token
    page = client.get(reverse("calendar_settings"))
    assert page.context["feed_url"].endswith(f"/calendar/{first}.ics")

    client.post(reverse("calendar_reset"))
    world.officer.refresh_from_db()
    assert world.officer.calendar_token not in ("", first)

    client.post(reverse("calendar_revoke"))
    world.officer.refresh_from_db()
    assert world.officer.calendar_token == ""
    assert client.get(reverse("calendar_feed", args=[first])).status_code == 404


def test_changing_the_link_needs_a_post(client, world):
    client.force_login(world.officer)
    assert client.get(reverse("calendar_reset")).status_code == 405


def test_the_feed_takes_a_fixed_number_of_queries(client, world, plan, django_assert_num_queries):
    calendar_token_reset(user=world.officer)
    url = reverse("calendar_feed", args=[world.officer.calendar_token])
    # User, memberships (roles, organisations and visible areas), actions, plans.
    with django_assert_num_queries(4):
        client.get(url)
