"""The action services: deadlines, optimistic locking, the workflow and who may do each step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actions import services
from actions.models import Action, PlanDeadlineRule, PlanKind, StatusChange
from tests import factories as f


def test_written_statement_is_due_70_working_days_after_the_report(db):
    plan = f.ActionPlanFactory.build(
        kind=PlanKind.WRITTEN_STATEMENT,
        inspection=f.InspectionFactory(
            framework="2016",
            outcome="wsoa_required",
            onsite_start=dt.date(2016, 12, 5),
            onsite_end=dt.date(2016, 12, 9),
            published_on=dt.date(2017, 2, 13),
        ),
    )
    plan.area = plan.inspection.area
    services.plan_save(plan=plan)
    assert plan.submission_due == dt.date(2017, 5, 25)


def test_administrators_can_change_the_working_days_for_a_kind_of_plan(db):
    PlanDeadlineRule.objects.create(kind=PlanKind.PRIORITY_ACTION, working_days=10)
    plan = f.ActionPlanFactory(inspection__published_on=dt.date(2024, 1, 30))
    services.plan_save(plan=plan)
    assert plan.submission_due == dt.date(2024, 2, 13)


def test_plan_manager_creates_an_action_keeping_its_first_due_date(world):
    plan = f.ActionPlanFactory(area=world.area)
    finding = f.FindingFactory(inspection=plan.inspection)
    action = services.action_create(
        plan=plan,
        user=world.manager,
        reference="1.1",
        title="Publish a co-produced Local Offer",
        lead_organisation=world.council,
        due_date=dt.date(2025, 3, 31),
        findings=[finding],
    )
    assert action.original_due_date == dt.date(2025, 3, 31)
    assert list(action.findings.all()) == [finding]


def test_officers_cannot_create_actions_and_findings_must_be_from_the_area(world):
    plan = f.ActionPlanFactory(area=world.area)
    fields = {
        "reference": "1.1",
        "title": "x",
        "lead_organisation": world.council,
        "due_date": dt.date(2025, 3, 31),
    }
    with pytest.raises(PermissionDenied):
        services.action_create(plan=plan, user=world.officer, **fields)
    elsewhere = f.FindingFactory(inspection__area=world.other_area)
    with pytest.raises(ValidationError):
        services.action_create(plan=plan, user=world.manager, findings=[elsewhere], **fields)
    assert not Action.objects.exists()


def test_a_stale_version_is_refused_and_nothing_is_written(world):
    action = f.ActionFactory(plan__area=world.area, title="Original")
    services.action_update(action_id=action.pk, user=world.manager, expected_version=1, changes={"title": "First"})
    with pytest.raises(services.StaleVersion) as caught:
        services.action_update(action_id=action.pk, user=world.manager, expected_version=1, changes={"title": "Second"})
    assert caught.value.current.title == "First"
    action.refresh_from_db()
    assert (action.title, action.version) == ("First", 2)


def test_lead_officer_may_change_only_the_description_and_supporting_organisations(world):
    action = f.ActionFactory(plan__area=world.area, lead_officer=world.officer)
    services.action_update(
        action_id=action.pk, user=world.officer, expected_version=1, changes={"description": "More detail"}
    )
    with pytest.raises(PermissionDenied, match="title"):
        services.action_update(action_id=action.pk, user=world.officer, expected_version=2, changes={"title": "No"})


def test_revising_a_due_date_needs_a_reason_and_keeps_the_original(world):
    action = f.ActionFactory(plan__area=world.area, due_date=dt.date(2025, 1, 31))
    with pytest.raises(ValidationError):
        services.action_revise_due_date(
            action_id=action.pk,
            user=world.manager,
            expected_version=1,
            new_due_date=dt.date(2025, 3, 31),
            reason=" ",
        )
    services.action_revise_due_date(
        action_id=action.pk,
        user=world.manager,
        expected_version=1,
        new_due_date=dt.date(2025, 3, 31),
        reason="Waiting for the new ICB contract",
    )
    action.refresh_from_db()
    assert (action.original_due_date, action.due_date) == (dt.date(2025, 1, 31), dt.date(2025, 3, 31))
    assert action.due_date_revisions.get().reason == "Waiting for the new ICB contract"


def test_a_progress_update_sets_the_actions_rag_and_percentage(world):
    action = f.ActionFactory(plan__area=world.area, status=Action.Status.NOT_STARTED, lead_officer=world.officer)
    services.progress_update_create(
        action=action, author=world.officer, text="Started", rag="amber", percent_complete=20
    )
    action.refresh_from_db()
    assert (action.status, action.rag, action.percent_complete) == ("in_progress", "amber", 20)
    assert action.last_update_at is not None
    with pytest.raises(PermissionDenied):
        services.progress_update_create(
            action=action, author=world.other_officer, text="x", rag="red", percent_complete=1
        )


def test_complete_then_sign_off_records_each_step(world):
    action = f.ActionFactory(plan__area=world.area, lead_officer=world.officer)
    services.action_complete(action=action, user=world.officer, statement="Backlog cleared; see evidence")
    action.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.action_sign_off(action=action, user=world.officer)
    services.action_sign_off(action=action, user=world.chair, note="Evidence seen by the board")
    action.refresh_from_db()
    assert (action.status, action.rag, action.signed_off_by) == ("signed_off", "blue", world.chair)
    steps = list(StatusChange.objects.filter(action=action).values_list("to_status", "changed_by__username"))
    assert steps == [("completed", "officer"), ("signed_off", "chair")]


def test_the_board_can_send_an_action_back_with_a_reason(world):
    action = f.ActionFactory(plan__area=world.area, status=Action.Status.COMPLETED)
    with pytest.raises(ValidationError):
        services.action_send_back(action=action, user=world.pcf, reason="")
    services.action_send_back(action=action, user=world.pcf, reason="No evidence of impact yet")
    action.refresh_from_db()
    assert action.status == Action.Status.REOPENED


def test_a_board_member_cannot_sign_off_an_action_they_lead(world):
    action = f.ActionFactory(plan__area=world.area, status=Action.Status.COMPLETED, lead_officer=world.chair)
    with pytest.raises(PermissionDenied):
        services.action_sign_off(action=action, user=world.chair)


def test_only_plan_managers_cancel_and_only_open_actions(world):
    action = f.ActionFactory(plan__area=world.area)
    with pytest.raises(PermissionDenied):
        services.action_cancel(action=action, user=world.officer, reason="Duplicate")
    services.action_cancel(action=action, user=world.manager, reason="Merged into 2.4")
    action.refresh_from_db()
    assert action.status == Action.Status.CANCELLED
    with pytest.raises(ValidationError):
        services.action_cancel(action=action, user=world.manager, reason="Again")


def test_priority_action_plan_is_due_27_working_days_after_the_report(db):
    # Suffolk: report published 30 January 2024, priority action plan due 7 March 2024.
    plan = f.ActionPlanFactory(inspection__published_on=dt.date(2024, 1, 30))
    services.plan_save(plan=plan)
    assert plan.submission_due == dt.date(2024, 3, 7)
