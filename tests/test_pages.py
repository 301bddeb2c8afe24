"""The interface shell through the test client: sign-in, the home page, the area page and the error pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib import messages
from django.shortcuts import render
from django.test import Client, RequestFactory
from django.urls import path

from actions.models import Action
from inspections.models import Inspection
from send_tracker import urls as project_urls
from send_tracker.views import server_error
from tests import factories as f

TODAY = dt.date(2025, 3, 12)


def _boom(request):
    raise RuntimeError("a deliberate failure")


def _with_messages(request):
    messages.success(request, "Progress update saved")
    messages.info(request, "2 actions are overdue")
    return render(request, "accessibility.html", {"page_has_errors": "errors" in request.GET})


# The project's URLs plus one that fails, to see the 500 page the way a visitor would, and one with messages.
urlpatterns = [path("boom/", _boom), path("messages/", _with_messages), *project_urls.urlpatterns]
handler500 = project_urls.handler500


def title_of(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert match, "the page has no <title>"
    return " ".join(match.group(1).split())


@pytest.fixture
def northshire_actions(world):
    """Actions of every kind in Northshire's plan, seen on 12 March 2025: 3 open, of which 1 is overdue."""
    with time_machine.travel(dt.datetime(2025, 3, 12, 10, 0, tzinfo=dt.UTC), tick=False):
        plan = f.ActionPlanFactory(area=world.area, title="Northshire priority action plan")
        yesterday, next_month = TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=30)
        f.ActionFactory(plan=plan, status=Action.Status.IN_PROGRESS, due_date=next_month)
        f.ActionFactory(plan=plan, status=Action.Status.NOT_STARTED, due_date=TODAY)  # due today: not overdue
        f.ActionFactory(plan=plan, status=Action.Status.REOPENED, due_date=yesterday)  # overdue
        f.ActionFactory(plan=plan, status=Action.Status.COMPLETED, due_date=yesterday)  # awaiting sign-off
        f.ActionFactory(plan=plan, status=Action.Status.SIGNED_OFF, rag=Action.Rag.BLUE, due_date=yesterday)
        f.ActionFactory(plan=plan, status=Action.Status.CANCELLED, due_date=yesterday)
        # Southshire's overdue action must not leak into Northshire's counts or onto Northshire users' pages.
        f.ActionFactory(
            plan__area=world.other_area,
            plan__title="Southshire plan",
            status=Action.Status.IN_PROGRESS,
            due_date=yesterday,
        )
    return plan


def test_anonymous_visitor_is_sent_to_sign_in(client, world):
    for url in ("/", "/areas/northshire/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"


def test_sign_in_page_is_a_gov_uk_form(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert title_of(response) == "Sign in – SEND Tracker"
    html = response.content.decode()
    assert 'class="govuk-input' in html
    assert 'autocomplete="current-password"' in html
    assert "govuk-error-summary" not in html


def test_correct_password_signs_in_and_goes_to_the_start_page(client, world):
    # /start/ sends officers on to "My actions" and everyone else home (tests/actions/test_views.py).
    response = client.post("/accounts/login/", {"username": "officer", "password": f.PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/start/"
    assert client.session["_auth_user_id"] == str(world.officer.pk)


def test_wrong_password_shows_an_error_and_does_not_sign_in(client, world):
    response = client.post("/accounts/login/", {"username": "officer", "password": "not-the-password"})
    assert response.status_code == 200
    html = response.content.decode()
    assert title_of(response) == "Error: Sign in – SEND Tracker"
    assert "govuk-error-summary" in html
    assert "Enter a correct username and password. Both are case-sensitive." in html
    # The summary links to the field that shows the same message.
    assert 'href="#id_username"' in html
    assert "govuk-form-group--error" in html
    assert "_auth_user_id" not in client.session


def test_empty_sign_in_form_names_each_missing_field(client, db):
    response = client.post("/accounts/login/", {"username": "", "password": ""})
    html = response.content.decode()
    assert "Enter your username" in html
    assert "Enter your password" in html
    assert title_of(response).startswith("Error: ")


def test_deactivated_user_cannot_sign_in(client, world):
    response = client.post("/accounts/login/", {"username": "former", "password": f.PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_that_ends_the_session(client, world):
    client.force_login(world.officer)
    page = client.get("/").content.decode()
    assert 'action="/accounts/logout/"' in page
    assert "Signed in as" in page
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_home_lists_the_officers_area_with_open_and_overdue_counts(client, world, northshire_actions):
    client.force_login(world.officer)
    with time_machine.travel(dt.datetime(2025, 3, 12, 10, 0, tzinfo=dt.UTC), tick=False):
        response = client.get("/")
    assert response.status_code == 200
    [summary] = response.context["areas"]
    assert summary.area == world.area
    assert (summary.open_actions, summary.overdue_actions) == (3, 1)
    assert summary.current_plan == northshire_actions
    html = response.content.decode()
    assert 'href="/areas/northshire/"' in html
    assert "Northshire priority action plan" in html
    assert "Southshire" not in html
    cells = re.findall(r'govuk-table__cell--numeric">\s*(?:<strong>)?(\d+)', html)
    assert cells == ["3", "1"]


def test_home_shows_each_area_to_the_people_who_may_see_it(client, world, northshire_actions):
    expected = {
        world.officer: ["Northshire"],
        world.health_officer: ["Northshire"],
        world.chair: ["Northshire"],
        world.adviser: ["Northshire"],
        world.other_officer: ["Southshire"],
        world.adviser_elsewhere: ["Southshire"],
        world.admin: ["Northshire", "Southshire"],
    }
    for user, names in expected.items():
        client.force_login(user)
        response = client.get("/")
        assert [s.area.name for s in response.context["areas"]] == names, user.username


def test_home_shows_the_latest_inspection_and_marks_invented_areas(client, world):
    world.area.is_invented = True
    world.area.save()
    f.InspectionFactory(
        area=world.area,
        framework=Inspection.Framework.LOCAL_AREA_2016,
        outcome=Inspection.Outcome.WSOA_REQUIRED,
        onsite_start=dt.date(2016, 12, 5),
        onsite_end=dt.date(2016, 12, 9),
        published_on=dt.date(2017, 2, 1),
    )
    f.InspectionFactory(area=world.area, outcome=Inspection.Outcome.INCONSISTENT)
    client.force_login(world.officer)
    html = client.get("/").content.decode()
    assert "Invented demo data" in html
    assert "Inconsistent experiences and outcomes" in html
    assert "November 2023" in html
    assert "Written statement of action required" not in html
    assert "No plan yet" in html


def test_home_explains_when_the_user_sees_no_area(client, db):
    loner = f.UserFactory(username="loner")
    client.force_login(loner)
    response = client.get("/")
    assert response.context["areas"] == []
    assert "You cannot see any local areas yet." in response.content.decode()


def test_home_query_count_does_not_grow_with_the_number_of_areas(client, world, django_assert_num_queries):
    for area in (world.area, world.other_area):
        for _ in range(3):
            f.ActionFactory(plan__area=area, plan__title=f"{area.name} plan")
    client.force_login(world.admin)
    # Session, user, the administrator's two-factor device, roles, visible area ids, areas with counts, their
    # inspections, their plans.
    with django_assert_num_queries(8):
        response = client.get("/")
    assert len(response.context["areas"]) == 2


def test_area_page_shows_inspections_oldest_first_with_judgements_and_plans(client, world):
    first, _, _ = f.failed_revisit(world.area, weakness_title="Slow EHC plans", judged_title="EHC plans still late")
    f.ActionPlanFactory(area=world.area, inspection=first, title="Written statement of action 2017")
    world.area.partnerships.update(start_date=dt.date(2022, 7, 1))
    client.force_login(world.officer)
    response = client.get("/areas/northshire/")
    assert response.status_code == 200
    assert title_of(response) == "Northshire – SEND Tracker"
    html = response.content.decode()
    assert html.index("Full inspection, December 2016") < html.index("Revisit, January 2019")
    assert "Slow EHC plans" in html and "EHC plans still late" in html
    assert html.count("Not sufficient progress") == 2  # on the revisit's finding and on the one it judges
    assert "Written statement of action 2017" in html
    assert "NHS Northshire ICB" in html and "from 1 July 2022" in html


def test_area_page_query_count_is_fixed(client, world, django_assert_num_queries):
    inspection = f.InspectionFactory(area=world.area)
    for _ in range(4):
        f.FindingFactory(inspection=inspection)
    f.ActionPlanFactory(area=world.area, inspection=inspection)
    client.force_login(world.officer)
    # Session, user, memberships (roles and visible areas), area and council, inspections, findings, judgements,
    # inspection plans, partnerships with their organisations.
    with django_assert_num_queries(9):
        client.get("/areas/northshire/")


def test_officer_from_other_area_gets_404_on_the_area_page(client, world):
    client.force_login(world.other_officer)
    response = client.get("/areas/northshire/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_unknown_url_gives_the_404_page_without_a_stack_trace(client, world):
    client.force_login(world.officer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert title_of(response) == "Page not found – SEND Tracker"
    assert "Traceback" not in html and "URLconf" not in html


def test_server_error_page_renders_without_the_database(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "Signed in as" not in html


@pytest.mark.urls(__name__)
def test_a_failing_page_shows_the_500_page_without_a_stack_trace(client, world):
    client.raise_request_exception = False
    client.force_login(world.officer)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "deliberate failure" not in html and "Traceback" not in html


def test_accessibility_statement_is_public(client, db):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "WCAG" in html and "Equality and Human Rights Commission" in html
    assert 'id="report-a-problem"' in html


def test_pages_have_no_inline_scripts_or_styles(client, world):
    client.force_login(world.officer)
    for url in ("/", "/areas/northshire/", "/accessibility/", "/no-such-page/"):
        html = client.get(url).content.decode()
        assert "style=" not in html, url
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S):
            assert script.strip() == "", f"inline script on {url}"


@pytest.mark.urls(__name__)
def test_messages_show_as_notification_banners(client, db):
    html = client.get("/messages/").content.decode()
    success = html.index("govuk-notification-banner--success")
    assert 'role="alert"' in html[success - 200 : success + 200]
    assert "Progress update saved" in html
    assert 'role="region" aria-labelledby="notification-title-2"' in html
    assert "2 actions are overdue" in html


@pytest.mark.urls(__name__)
def test_a_page_can_mark_its_title_as_having_errors(client, db):
    assert title_of(client.get("/messages/")) == "Accessibility statement – SEND Tracker"
    assert title_of(client.get("/messages/?errors")) == "Error: Accessibility statement – SEND Tracker"


def test_admin_link_only_for_staff(client, world):
    client.force_login(world.officer)
    assert 'href="/admin/"' not in client.get("/").content.decode()
    world.officer.is_staff = True
    world.officer.save()
    # Staff need a second factor; signing in again passes it (tests/conftest.py).
    client.force_login(world.officer)
    assert 'href="/admin/"' in client.get("/").content.decode()


def test_sign_in_page_has_no_navigation_and_other_public_pages_offer_sign_in(client, db):
    login = client.get("/accounts/login/").content.decode()
    assert "govuk-service-navigation" not in login
    statement = client.get("/accessibility/").content.decode()
    assert 'href="/accounts/login/"' in statement


def test_a_form_sent_without_its_security_token_gets_a_clear_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "officer", "password": "whatever"})
    assert response.status_code == 403
    html = response.content.decode()
    assert title_of(response) == "Your session has expired – SEND Tracker"
    assert "nothing has been changed" in html and "CSRF" not in html
