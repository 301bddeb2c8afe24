"""The daily work in a real browser, with the demo data: update, complete, sign off, conflicts, access.

Every page visited is checked with axe-core. The progress update and the sign-off are done with the keyboard
alone (Tab, arrow keys, typing and Enter), as someone who does not use a mouse would.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.browser.conftest import assert_accessible, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def demo(transactional_db):
    # Passwords are hashed with the fast test hasher (tests/conftest.py), so seeding takes seconds.
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def demo_sign_in(page, username: str) -> None:
    sign_in(page, username, settings.DEMO_PASSWORD)


def tab_to(page, locator, limit: int = 120) -> None:
    """Press Tab until `locator` has the focus, as a keyboard user moves through the page."""
    target = locator.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(element) => document.activeElement === element", target):
            return
    raise AssertionError(f"Tab never reached {locator}")


def table_with_caption(page, caption: str):
    return page.locator("table").filter(has=page.locator("caption", has_text=caption))


def test_officer_updates_completes_and_board_signs_off(page, demo, tmp_path):
    demo_sign_in(page, "officer.suffolk")
    assert page.get_by_role("heading", name="My actions", level=1).is_visible()
    assert_accessible(page)

    overdue = table_with_caption(page, "Overdue").get_by_role("link").first
    title = overdue.inner_text()
    overdue.click()
    action_url = page.url
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert_accessible(page)

    # The progress update, by keyboard alone (choosing the file is the browser's own dialog).
    tab_to(page, page.get_by_role("link", name="Post a progress update"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/update/$"))
    assert_accessible(page)
    tab_to(page, page.get_by_label("What has happened since the last update?"))
    page.keyboard.type("Extra panel sessions cleared the backlog of assessments.")
    page.keyboard.press("Tab")  # into the RAG radios: arrow keys choose within the group
    for _ in range(3):
        if page.get_by_label("Amber").is_checked():
            break
        page.keyboard.press("ArrowRight")
    assert page.get_by_label("Amber").is_checked()
    tab_to(page, page.get_by_label("Percentage complete"))
    page.keyboard.press("Control+A")
    page.keyboard.type("90")
    evidence = tmp_path / "panel-minutes.pdf"
    evidence.write_bytes(PDF)
    page.locator("input[type=file]").set_input_files(str(evidence))
    tab_to(page, page.get_by_role("button", name="Post update"))
    page.keyboard.press("Enter")
    page.wait_for_url(action_url)
    assert page.get_by_text("Your update has been posted.").is_visible()
    assert page.get_by_text("Extra panel sessions cleared the backlog").is_visible()
    assert page.get_by_role("link", name="Download panel-minutes.pdf").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Mark as complete").click()
    assert_accessible(page)
    page.get_by_role("button", name="Mark as complete").click()  # empty: the error summary explains
    assert page.locator(".govuk-error-summary").get_by_text("Enter a completion statement").is_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Completion statement").fill("Backlog cleared; all assessments now within 6 weeks.")
    page.get_by_role("button", name="Mark as complete").click()
    page.wait_for_url(action_url)
    timeline = page.locator(".app-timeline")
    assert timeline.get_by_text("Marked complete").is_visible()
    assert page.locator(".govuk-tag", has_text="Completed, awaiting sign-off").first.is_visible()
    assert_accessible(page)
    sign_out(page)

    # The chair signs it off from "Awaiting your sign-off", by keyboard alone.
    demo_sign_in(page, "chair.suffolk")
    page.goto("/my-actions/")
    assert_accessible(page)
    link = table_with_caption(page, "Awaiting your sign-off").get_by_role("link", name=title)
    tab_to(page, link)
    page.keyboard.press("Enter")
    page.wait_for_url(action_url)
    assert_accessible(page)
    tab_to(page, page.get_by_role("link", name="Sign off", exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/sign-off/$"))
    assert_accessible(page)
    tab_to(page, page.get_by_label("Note (optional)"))
    page.keyboard.type("Agreed at the improvement board.")
    tab_to(page, page.get_by_role("button", name="Sign off"))
    page.keyboard.press("Enter")
    page.wait_for_url(action_url)
    assert page.get_by_text("The action is signed off.").is_visible()
    first_entry = page.locator(".app-timeline__entry").first
    assert first_entry.get_by_role("heading", name="Signed off").is_visible()
    assert first_entry.get_by_text("Agreed at the improvement board.").is_visible()
    assert page.locator(".govuk-tag", has_text="Blue").first.is_visible()
    assert_accessible(page)
    sign_out(page)

    # Someone from another area cannot even find it.
    demo_sign_in(page, "officer.westmere")
    response = page.goto(action_url)
    assert response.status == 404
    assert_accessible(page)


def test_second_editor_gets_the_conflict_page_and_reapplies(browser, live_server, page, demo):
    other_context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    other = other_context.new_page()
    try:
        for each in (page, other):
            demo_sign_in(each, "manager.suffolk")
        page.goto("/actions/?q=&status=in_progress")
        page.locator("table.govuk-table tbody a").first.click()
        edit_url = page.url + "edit/"
        page.goto(edit_url)
        other.goto(edit_url)
        assert_accessible(page)

        page.get_by_label("Title").fill("Renamed by the first manager")
        page.get_by_role("button", name="Save changes").click()
        assert page.get_by_text("Your changes have been saved.").is_visible()
        assert_accessible(page)

        other.get_by_label("Description").fill("Clarified by the second manager.")
        other.get_by_role("button", name="Save changes").click()
        heading = other.get_by_role("heading", level=1)
        assert heading.inner_text() == "Someone else changed this action while you were working on it"
        assert other.get_by_text("Renamed by the first manager").first.is_visible()
        assert_accessible(other)

        # The form to save again holds the first manager's title and the second manager's description.
        assert other.get_by_label("Title").input_value() == "Renamed by the first manager"
        assert other.get_by_label("Description").input_value() == "Clarified by the second manager."
        other.get_by_role("button", name="Save changes").click()
        assert other.get_by_text("Your changes have been saved.").is_visible()
        assert other.get_by_role("heading", level=1).inner_text().endswith("Renamed by the first manager")
        assert other.get_by_text("Clarified by the second manager.").first.is_visible()
        assert_accessible(other)
    finally:
        other_context.close()


def test_list_filters_export_and_plan_page(page, demo):
    demo_sign_in(page, "manager.suffolk")
    page.goto("/actions/")
    assert_accessible(page)
    page.get_by_text("Filter actions").click()
    page.get_by_label("Overdue only").check()
    page.get_by_role("button", name="Apply filters").click()
    assert re.search(r"\d+ actions? match these filters", page.locator("#result-count").inner_text())
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these actions as Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.goto("/")
    assert_accessible(page)
    page.locator("main a[href^='/plans/']").first.click()
    assert page.locator(".govuk-summary-card").first.is_visible()
    assert_accessible(page)


def test_someone_with_two_areas_chooses_an_area_then_its_plan(page, demo):
    # Without JavaScript's help: the area's plans come with the page that applying the area filter returns.
    demo_sign_in(page, "adviser.dfe")
    page.goto("/actions/")
    page.get_by_text("Filter actions").click()
    plan = page.get_by_label("Plan")
    assert plan.locator("option").count() == 1  # "All plans" until an area is chosen
    assert page.get_by_text("To choose from an area's plans, choose the area and apply the filters").is_visible()
    page.get_by_label("Area").select_option(index=1)
    page.get_by_role("button", name="Apply filters").click()
    assert_accessible(page)
    assert plan.locator("option").count() > 1
    plan.select_option(index=1)
    page.get_by_role("button", name="Apply filters").click()
    assert re.search(r"\d+ actions? match these filters", page.locator("#result-count").inner_text())
    assert page.locator("table.govuk-table tbody a").count() > 0
    assert_accessible(page)
