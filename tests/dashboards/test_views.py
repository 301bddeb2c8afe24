"""The board dashboard and national overview pages: access, content, links and a constant number of queries."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action
from tests import factories as f

from . import action_list_urls
from . import scenario as sc

pytestmark = pytest.mark.django_db


def dashboard_url(area) -> str:
    return reverse("dashboards:area_dashboard", args=[area.slug])


def get(client, user, url, **params):
    client.force_login(user)
    with sc.at(sc.TODAY):
        return client.get(url, params)


def test_chair_sees_the_dashboard_with_every_section(client, world):
    sc.build(world)
    sc.add_kpis(world.area)
    response = get(client, world.chair, dashboard_url(world.area))
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "Headline figures",
        "Progress on each finding",
        "Overdue actions",
        "Slippage",
        "Burn-up",
        "Since the board meeting on 20 May 2024",
        "Key performance indicators",
        "Board pack",
    ):
        assert heading in html
    assert 'data-figure="total">9<' in html
    assert 'data-figure="overdue">3<' in html
    assert "Waiting for the new ICB contract" in html
    assert 'role="img"' in html and 'aria-describedby="burn-up-desc"' in html


def test_charts_have_a_title_summary_and_table(client, world):
    sc.build(world)
    html = get(client, world.chair, dashboard_url(world.area)).content.decode()
    for chart_id in ("finding-status", "finding-rag", "burn-up"):
        assert f'id="{chart_id}-title"' in html
        assert f'id="{chart_id}-desc"' in html
    assert "Actions planned to be complete and actions signed off, by the end of each month" in html
    # RAG is written as a word wherever it is shown, never colour alone.
    assert '<strong class="govuk-tag govuk-tag--red">Red</strong>' in html


def test_officer_from_other_area_gets_404(client, world):
    sc.build(world)
    assert get(client, world.other_officer, dashboard_url(world.area)).status_code == 404
    assert get(client, world.adviser_elsewhere, dashboard_url(world.area)).status_code == 404


def test_dashboard_compares_with_the_meeting_the_user_picks(client, world):
    sc.build(world)
    html = get(client, world.chair, dashboard_url(world.area), since="2024-03-01").content.decode()
    assert "Since the board meeting on 1 March 2024" in html
    assert "3 newly signed off" in html


def test_a_malformed_date_is_reported_not_a_server_error(client, world):
    sc.build(world)
    response = get(client, world.chair, dashboard_url(world.area), since="20-05-2024", plan="nonsense")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a board meeting date from the list" in html
    assert "Choose one of this area&#x27;s plans" in html
    assert 'data-figure="total">9<' in html  # the current plan is shown meanwhile


@pytest.mark.parametrize("urlconf", [action_list_urls.Namespaced, action_list_urls.Plain])
def test_headline_figures_link_to_the_filtered_action_list(client, world, settings, urlconf):
    settings.ROOT_URLCONF = urlconf
    built = sc.build(world)
    html = get(client, world.chair, dashboard_url(world.area)).content.decode()
    scope = f"/actions/?area={world.area.pk}&amp;plan={built.plan.pk}"
    assert f'href="{scope}"' in html
    assert f'href="{scope}&amp;overdue=1"' in html
    for status in ("signed_off", "completed", "in_progress", "reopened", "not_started", "cancelled"):
        assert f'href="{scope}&amp;status={status}"' in html
    # Due from 20 June to 20 July 2024, as the day, month and year fields of the list's date inputs.
    assert (
        f'href="{scope}&amp;due_from_0=20&amp;due_from_1=6&amp;due_from_2=2024'
        '&amp;due_to_0=20&amp;due_to_1=7&amp;due_to_2=2024"'
    ) in html


def test_headline_figures_link_to_the_real_action_list(client, world):
    built = sc.build(world)
    html = get(client, world.chair, dashboard_url(world.area)).content.decode()
    assert f'href="/actions/?area={world.area.pk}&amp;plan={built.plan.pk}&amp;overdue=1"' in html


def grow(plan, findings, count: int, manager) -> None:
    """More actions with updates, revisions and history: what must not change the number of queries."""
    from actions import services

    for i in range(count):
        with sc.at(dt.date(2024, 4, 10)):
            action = f.ActionFactory(
                plan=plan,
                reference=f"G{i}",
                due_date=dt.date(2024, 5, 1 + i % 28),
                status=Action.Status.NOT_STARTED,
                findings=[findings["PA1"], findings["PA2"]],
            )
            services.progress_update_create(
                action=action, author=manager, text="Going", rag="amber", percent_complete=10
            )
        with sc.at(dt.date(2024, 4, 20)):
            action.refresh_from_db()
            services.action_revise_due_date(
                action_id=action.pk,
                user=manager,
                expected_version=action.version,
                new_due_date=dt.date(2024, 6, 1 + i % 28),
                reason="Later",
            )


def count_queries(client, user, url) -> int:
    client.force_login(user)
    with sc.at(sc.TODAY), CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_dashboard_runs_the_same_queries_whatever_the_number_of_actions(client, world, django_assert_num_queries):
    built = sc.build(world)
    sc.add_kpis(world.area)
    url = dashboard_url(world.area)
    small = count_queries(client, world.chair, url)
    grow(built.plan, built.findings, 25, world.manager)
    client.force_login(world.chair)
    with sc.at(sc.TODAY), django_assert_num_queries(small):
        client.get(url)
    # Session, user, their memberships with the areas they reach, the area, its plans, meetings, measures with
    # their values, the counts behind the headline and burn-up, findings, the listed actions and the sign-offs
    # since the last meeting.
    # The independent chair manages no plan, so "may they record measures?" needs no query.
    assert small == 11


def test_national_overview_runs_the_same_queries_whatever_the_size(client, world, django_assert_num_queries):
    built = sc.build(world)
    url = reverse("dashboards:national_overview")
    small = count_queries(client, world.admin, url)
    grow(built.plan, built.findings, 10, world.manager)
    other = f.ActionPlanFactory(area=world.other_area)
    for i in range(10):
        f.ActionFactory(plan=other, reference=f"S{i}", due_date=dt.date(2024, 5, 1))
    client.force_login(world.admin)
    with sc.at(sc.TODAY), django_assert_num_queries(small):
        client.get(url)
    # Includes loading the administrator's two-factor device.
    assert small == 9


def test_adviser_sees_only_their_caseload_side_by_side(client, world):
    sc.build(world)
    html = get(client, world.adviser, reverse("dashboards:national_overview")).content.decode()
    assert 'data-area="northshire"' in html
    assert 'data-area="southshire"' not in html
    html = get(client, world.admin, reverse("dashboards:national_overview")).content.decode()
    assert 'data-area="northshire"' in html and 'data-area="southshire"' in html


def test_national_overview_is_for_advisers_and_administrators(client, world):
    assert get(client, world.officer, reverse("dashboards:national_overview")).status_code == 403
    assert get(client, world.chair, reverse("dashboards:national_overview")).status_code == 403


def test_national_overview_filters_and_sorts(client, world):
    sc.build(world)
    url = reverse("dashboards:national_overview")
    html = get(client, world.admin, url, overdue="1").content.decode()
    assert 'data-area="northshire"' in html and 'data-area="southshire"' not in html
    html = get(client, world.admin, url, name="south").content.decode()
    assert 'data-area="southshire"' in html and 'data-area="northshire"' not in html
    html = get(client, world.admin, url, outcome="systemic", plan_status="accepted").content.decode()
    assert 'data-area="northshire"' in html and 'data-area="southshire"' not in html
    html = get(client, world.admin, url, sort="-overdue").content.decode()
    assert html.index('data-area="northshire"') < html.index('data-area="southshire"')
    html = get(client, world.admin, url, sort="overdue").content.decode()
    assert html.index('data-area="southshire"') < html.index('data-area="northshire"')


def test_national_overview_ignores_unknown_sorts_and_filters(client, world):
    sc.build(world)
    url = reverse("dashboards:national_overview")
    for params in ({"sort": "bogus"}, {"sort": "-"}, {"outcome": "nonsense"}, {"overdue": "2", "plan_status": "x"}):
        response = get(client, world.admin, url, **params)
        assert response.status_code == 200, params


def test_national_overview_downloads_as_a_workbook(client, world):
    sc.build(world)
    world.other_area.name = '=HYPERLINK("http://evil.example")'
    world.other_area.save()
    response = get(client, world.admin, reverse("dashboards:national_overview"), download="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content))["Areas"]
    assert sheet["A1"].value.startswith("National overview")
    header = [c.value for c in sheet[2]]
    assert header[:3] == ["Area", "Latest inspection", "Outcome"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    northshire = rows["Northshire"]
    assert northshire[header.index("Signed off (%)")] == 33
    assert northshire[header.index("Overdue")] == 3
    assert northshire[header.index("Oldest overdue")].date() == dt.date(2024, 5, 17)
    assert '\'=HYPERLINK("http://evil.example")' in rows
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
