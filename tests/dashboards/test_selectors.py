"""Every dashboard figure against the hand-computed scenario in scenario.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from accounts import access
from actions import services
from dashboards import selectors
from tests import factories as f

from . import scenario as sc

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(world):
    return sc.build(world)


@pytest.fixture
def board(built):
    sc.add_kpis(built.world.area)
    with sc.at(sc.TODAY):
        return selectors.area_dashboard(built.world.area)


def refs(actions) -> list[str]:
    return [a.reference for a in actions]


def test_headline_stages_add_up_to_the_total_and_leave_out_cancelled(board):
    h = board.headline
    assert (h.total, h.signed_off, h.awaiting_sign_off, h.in_progress, h.reopened, h.not_started) == (9, 3, 1, 2, 1, 2)
    assert (h.overdue, h.due_soon, h.cancelled) == (3, 2, 1)
    assert h.signed_off_percent == 33


def test_each_finding_counts_its_actions_and_an_action_answering_two_counts_in_both(board):
    rows = {row.finding.reference: row for row in board.findings}
    assert list(rows) == ["AFI1", "PA1", "PA2"]  # strengths are not findings to act on
    pa1, pa2, afi1 = rows["PA1"], rows["PA2"], rows["AFI1"]
    assert pa1.status_counts == {"not_started": 0, "in_progress": 1, "reopened": 0, "completed": 1, "signed_off": 3}
    assert pa1.rag_counts == {"red": 1, "amber": 0, "green": 1, "blue": 3}
    assert pa2.status_counts == {"not_started": 1, "in_progress": 0, "reopened": 0, "completed": 0, "signed_off": 1}
    assert pa2.rag_counts == {"red": 0, "amber": 0, "green": 1, "blue": 1}
    assert afi1.status_counts == {"not_started": 1, "in_progress": 1, "reopened": 1, "completed": 0, "signed_off": 0}
    assert (pa1.total, pa2.total, afi1.total) == (5, 2, 3)


def test_readiness_counts_only_actions_signed_off_with_evidence(board):
    rows = {row.finding.reference: row for row in board.findings}
    # PA1: A1 and A2 have evidence, A10 was signed off without any.
    assert (rows["PA1"].ready, rows["PA1"].readiness_percent) == (2, 40)
    assert (rows["PA2"].ready, rows["PA2"].readiness_percent) == (1, 50)
    assert (rows["AFI1"].ready, rows["AFI1"].readiness_percent) == (0, 0)


def test_finding_shows_its_latest_inspection_judgement(board):
    rows = {row.finding.reference: row for row in board.findings}
    judgement = rows["PA1"].last_judgement
    assert judgement.get_judgement_display() == "Not sufficient progress"
    assert judgement.inspection.onsite_start == dt.date(2024, 5, 13)
    assert rows["AFI1"].last_judgement is None


def test_overdue_actions_oldest_first_with_working_days_and_latest_update(board):
    assert refs(o.action for o in board.overdue) == ["A6", "A3", "A9"]
    # 17 May to 20 June: 23 working days (27 May is a bank holiday); 31 May: 14; 14 June: 4.
    assert [o.working_days_overdue for o in board.overdue] == [23, 14, 4]
    a3 = board.overdue[1].action
    assert a3.latest_update_text == "Supplier delayed"
    assert a3.latest_update_at.date() == dt.date(2024, 6, 10)


def test_slippage_shows_working_days_moved_and_the_reason(board):
    assert len(board.slipped) == 1
    slipped = board.slipped[0]
    assert slipped.action.reference == "A4"
    # Wednesday 15 May to Monday 15 July 2024: 11 + 20 + 11 working days, less nothing else (27 May counted out).
    assert slipped.working_days == 42
    assert [r.reason for r in slipped.revisions] == ["Waiting for the new ICB contract"]


def test_burn_up_runs_from_acceptance_with_cumulative_planned_and_signed_off(board):
    assert [(m.month, m.planned, m.signed_off) for m in board.burn_up] == [
        (dt.date(2024, 4, 1), 0, 0),
        (dt.date(2024, 5, 1), 3, 1),
        (dt.date(2024, 6, 1), 7, 3),
        (dt.date(2024, 7, 1), 9, None),
    ]


def test_since_the_last_meeting_defaults_to_20_may(board):
    assert board.since == dt.date(2024, 5, 20)
    since = board.since_meeting
    assert [(a.reference, a.rag_then, a.rag) for a in since.rag_changes] == [("A3", "amber", "red")]
    assert refs(c.action for c in since.signed_off) == ["A2", "A10"]
    # A6 was already overdue at the meeting; A9 did not exist then.
    assert refs(since.newly_overdue) == ["A3", "A9"]


def test_since_an_earlier_meeting_sees_more_changes(built):
    with sc.at(sc.TODAY):
        board = selectors.area_dashboard(built.world.area, since=dt.date(2024, 3, 1))
    since = board.since_meeting
    # On 1 March no action existed yet, so nothing has a RAG "then"; everything overdue is newly overdue.
    assert since.rag_changes == []
    assert refs(c.action for c in since.signed_off) == ["A1", "A2", "A10"]
    assert refs(since.newly_overdue) == ["A6", "A3", "A9"]


def test_kpi_direction_of_travel_skips_suppressed_values(board):
    trends = {t.measure.name: t for t in board.kpis}
    timeliness = trends["Plans within 20 weeks"]
    assert [v.value for v in timeliness.values] == [Decimal("40.00"), None, Decimal("45.50")]
    assert timeliness.direction == "improving"  # 45.5 against 40; the suppressed 2022 value is not zero
    assert timeliness.target_met is False
    assert trends["Average weeks to issue"].direction == "worsening"  # lower is better: 30 then 32


def test_national_overview_row_matches_the_dashboard(built):
    with sc.at(sc.TODAY):
        rows = selectors.national_overview(access.visible_areas(built.world.admin))
    by_area = {row.area.name: row for row in rows}
    assert set(by_area) == {"Northshire", "Southshire"}
    row = by_area["Northshire"]
    assert (row.total, row.signed_off, row.signed_off_percent, row.overdue) == (9, 3, 33, 3)
    assert row.oldest_overdue == dt.date(2024, 5, 17)
    assert (row.red, row.amber, row.green, row.blue) == (1, 0, 5, 3)
    # 30 days ago (21 May): only A6 was overdue; since then A2 and A10 were signed off.
    assert (row.signed_off_last_30_days, row.overdue_30_days_ago, row.overdue_change) == (2, 1, 2)
    empty = by_area["Southshire"]
    assert (empty.plan, empty.total, empty.signed_off_percent) == (None, 0, None)


def test_overdue_a_month_ago_reads_the_history_only_of_actions_changed_since(world):
    plan = f.ActionPlanFactory(area=world.area)
    with sc.at(dt.date(2024, 4, 1)):
        f.ActionFactory(plan=plan, reference="U", due_date=dt.date(2024, 5, 1))  # overdue then and now, unchanged
        revised = f.ActionFactory(plan=plan, reference="R", due_date=dt.date(2024, 5, 1))
    with sc.at(dt.date(2024, 6, 1)):
        f.ActionFactory(plan=plan, reference="N", due_date=dt.date(2024, 5, 1))  # overdue now; did not exist then
    with sc.at(dt.date(2024, 6, 10)):
        # Overdue on 21 May, the day a month before; no longer overdue since its due date moved.
        services.action_revise_due_date(
            action_id=revised.pk,
            user=world.manager,
            expected_version=revised.version,
            new_due_date=dt.date(2024, 9, 1),
            reason="Later",
        )
    with sc.at(sc.TODAY):
        [row] = [r for r in selectors.national_overview(access.visible_areas(world.admin)) if r.plan == plan]
    assert (row.overdue, row.overdue_30_days_ago, row.overdue_change) == (2, 2, 0)
