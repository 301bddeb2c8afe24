"""Rules the database holds itself, so no code path can break them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actions.models import Action
from inspections.models import Finding, Inspection
from tests import factories as f

pytestmark = pytest.mark.django_db


def assert_refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_an_outcome_must_belong_to_the_inspection_framework():
    assert_refused(lambda: f.InspectionFactory(framework="2016", outcome=Inspection.Outcome.SYSTEMIC))
    assert_refused(lambda: f.InspectionFactory(framework="2023", outcome=Inspection.Outcome.WSOA_REQUIRED))


def test_a_revisit_must_name_the_inspection_it_follows():
    assert_refused(lambda: f.InspectionFactory(kind=Inspection.Kind.REVISIT, outcome=""))
    first = f.InspectionFactory(framework="2016", outcome=Inspection.Outcome.WSOA_REQUIRED)
    revisit = f.InspectionFactory(
        area=first.area, framework="2016", kind=Inspection.Kind.REVISIT, outcome="", follows=first
    )
    assert revisit.follows == first


def test_inspection_dates_must_be_in_order():
    assert_refused(lambda: f.InspectionFactory(onsite_start=dt.date(2023, 11, 10), onsite_end=dt.date(2023, 11, 6)))
    assert_refused(lambda: f.InspectionFactory(published_on=dt.date(2023, 11, 1)))


def test_a_judgement_needs_the_earlier_finding_it_judges():
    assert_refused(lambda: f.FindingFactory(judgement=Finding.Judgement.SUFFICIENT))
    earlier = f.FindingFactory()
    assert_refused(lambda: f.FindingFactory(judges=earlier))
    assert f.FindingFactory(judges=earlier, judgement=Finding.Judgement.NOT_SUFFICIENT).judges == earlier


def test_finding_and_action_references_are_unique_where_they_live():
    finding = f.FindingFactory(reference="1")
    assert_refused(lambda: f.FindingFactory(inspection=finding.inspection, reference="1"))
    action = f.ActionFactory(reference="2.3")
    assert_refused(lambda: f.ActionFactory(plan=action.plan, reference="2.3"))
    assert f.ActionFactory(reference="2.3").reference == "2.3"  # another plan


def test_blue_means_signed_off_and_nothing_else():
    assert_refused(lambda: f.ActionFactory(status=Action.Status.IN_PROGRESS, rag=Action.Rag.BLUE))
    assert_refused(lambda: f.ActionFactory(status=Action.Status.SIGNED_OFF, rag=Action.Rag.GREEN))
    assert f.ActionFactory(status=Action.Status.SIGNED_OFF, rag=Action.Rag.BLUE).rag == "blue"


def test_an_action_is_due_after_it_starts():
    assert_refused(lambda: f.ActionFactory(start_date=dt.date(2024, 5, 1), due_date=dt.date(2024, 4, 1)))


def test_la_code_must_look_like_one():
    area = f.LocalAreaFactory.build(la_code="10000029", council=f.OrganisationFactory())
    with pytest.raises(ValidationError, match="E followed by eight digits"):
        area.full_clean()


def test_progress_updates_cannot_be_changed_once_posted():
    update = f.ProgressUpdateFactory()
    update.text = "Rewritten history"
    with pytest.raises(ValidationError, match="cannot be changed"):
        update.save()


def test_changes_to_actions_are_kept_in_history_with_who_made_them(world):
    action = f.ActionFactory(plan__area=world.area)
    action._history_user = world.manager
    action.title = "Clear the EHC needs assessment backlog"
    action.save()
    latest = action.history.first()
    assert latest.title == "Clear the EHC needs assessment backlog"
    assert latest.history_user == world.manager
    assert action.history.count() == 2
