"""axe-core in Debian's Chromium on both dashboards and the KPI forms: no serious or critical WCAG 2.2 AA
violations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.conftest import assert_accessible, sign_in
from tests.dashboards import scenario as sc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_board_dashboard_has_no_serious_accessibility_violations(page, world):
    sc.build(world)
    sc.add_kpis(world.area)
    sign_in(page, world.chair.username)
    page.goto(reverse("dashboards:area_dashboard", args=[world.area.slug]))
    assert page.locator("h1").inner_text() == "Northshire board dashboard"
    assert page.locator("svg[role=img]").count() >= 4
    assert_accessible(page)


def test_national_overview_has_no_serious_accessibility_violations(page, world):
    sc.build(world)
    sign_in(page, world.admin.username)
    page.goto(reverse("dashboards:national_overview"))
    assert page.locator("h1").inner_text() == "National overview"
    assert page.locator("tr[data-area]").count() == 2
    assert_accessible(page)


def test_kpi_forms_have_no_serious_accessibility_violations(page, world, tmp_path):
    sc.add_kpis(world.area)
    sign_in(page, world.manager.username)
    page.goto(reverse("dashboards:measure_value_create", args=[world.area.slug]))
    page.get_by_role("button", name="Save value").click()  # an empty form: the error summary and messages
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    bad = tmp_path / "timeliness.csv"
    bad.write_text("time_period,geographic_level\n2024,National\n")
    page.goto(reverse("dashboards:measure_import"))
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Import file").click()
    assert "The file was not imported" in page.content()
    assert_accessible(page)
