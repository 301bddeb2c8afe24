"""The interface shell in Chromium: who sees what, accessibility, the keyboard, pages without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest

from actions.models import Action
from tests import factories as f
from tests.browser.conftest import assert_accessible, sign_in, sign_out

pytestmark = pytest.mark.browser


@pytest.fixture
def northshire_history(world):
    """Enough of Northshire's story to fill the area page: an inspection, a revisit judging it, a plan."""
    world.area.is_invented = True
    world.area.save()
    first, weakness, _ = f.failed_revisit(
        world.area,
        weakness_title="Education, health and care plans are late and of poor quality",
        judged_title="Plans are still late",
        report_url="https://reports.example.org/northshire-2016",
    )
    weakness.text = "Too few plans are issued within 20 weeks.\n\nFamilies wait too long for assessments."
    weakness.save()
    plan = f.ActionPlanFactory(area=world.area, inspection=first, title="Written statement of action")
    f.ActionFactory(plan=plan, status=Action.Status.IN_PROGRESS)
    f.ActionFactory(plan=plan, status=Action.Status.NOT_STARTED, due_date=dt.date(2020, 1, 31))
    return world


def area_names_on_home(page) -> list[str]:
    rows = page.locator("table.govuk-table tbody tr th a")
    return rows.all_inner_texts()


def test_each_persona_signs_in_and_sees_exactly_their_areas(page, world):
    expected = {
        "officer": ["Northshire"],
        "health": ["Northshire"],
        "manager": ["Northshire"],
        "chair": ["Northshire"],
        "pcf": ["Northshire"],
        "other": ["Southshire"],
        "adviser": ["Northshire"],
        "adviser2": ["Southshire"],
        "admin": ["Northshire", "Southshire"],
    }
    officers = {"officer", "health", "other"}  # action officers start at "My actions", everyone else at home
    seen = {}
    for username in expected:
        sign_in(page, username)
        assert page.url.endswith("/my-actions/" if username in officers else "/"), username
        page.goto("/")
        seen[username] = area_names_on_home(page)
        sign_out(page)
        assert "/accounts/login/" in page.url
    assert seen == expected


def test_deactivated_user_cannot_sign_in(page, world):
    with pytest.raises(AssertionError, match="Enter a correct username and password"):
        sign_in(page, "former")


def test_sign_in_page_is_accessible_before_and_after_a_failed_attempt(page, db):
    page.goto("/accounts/login/")
    assert page.title() == "Sign in – SEND Tracker"
    assert_accessible(page)
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.title() == "Error: Sign in – SEND Tracker"
    # GOV.UK Frontend moves focus to the error summary so screen reader users hear the problem first.
    assert page.evaluate("() => document.activeElement.classList.contains('govuk-error-summary')")
    assert_accessible(page)


def test_signed_in_pages_are_accessible(page, northshire_history, console_errors):
    sign_in(page, "officer")
    for url in ("/", "/areas/northshire/", "/accessibility/"):
        page.goto(url)
        assert_accessible(page)
    # Every script, stylesheet and image the pages use loaded, and no script failed.
    assert console_errors == []
    page.goto("/no-such-page/")
    assert page.title() == "Page not found – SEND Tracker"
    assert_accessible(page)


def test_statement_and_404_are_accessible_when_signed_out(page, db):
    for url in ("/accessibility/", "/no-such-page/"):
        page.goto(url)
        assert_accessible(page)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, world):
    sign_in(page, "officer")
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.textContent.trim()]")
    assert focused == ["govuk-skip-link", "Skip to main content"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"


def test_govuk_frontend_javascript_starts(page, world, console_errors):
    sign_in(page, "officer")
    page.goto("/")
    assert page.evaluate("() => document.body.className") == "govuk-template__body js-enabled govuk-frontend-supported"
    assert console_errors == []


def test_pages_work_without_javascript(page_without_js, northshire_history):
    page = page_without_js
    sign_in(page, "officer")
    page.goto("/")
    assert area_names_on_home(page) == ["Northshire"]
    page.get_by_role("link", name="Northshire").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Northshire"
    sign_out(page)
    assert "/accounts/login/" in page.url


def test_area_page_shows_the_timeline(page, northshire_history):
    sign_in(page, "adviser")
    page.goto("/areas/northshire/")
    headings = page.locator("main h3").all_inner_texts()
    assert headings == ["Full inspection, December 2016", "Revisit, January 2019"]
    assert page.get_by_text("Invented demo data").count() == 1


def test_accessibility_check_reports_violations_readably(page, db):
    page.goto("/accessibility/")
    page.set_content("<html><head><title>Broken</title></head><body><img src='x.png'><button></button></body></html>")
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page)
    message = str(failure.value)
    assert "image-alt (critical)" in message
    assert "button-name (critical)" in message
    assert "at img:" in message
