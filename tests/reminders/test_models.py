"""The reminder policy's validation and the ledger's database constraints."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from reminders.models import Delivery, Kind, ReminderPolicy, parse_working_days_list
from tests import factories as f


def test_working_days_list_is_parsed_largest_first():
    assert parse_working_days_list(" 1, 14,7 ") == (14, 7, 1)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("14, seven", "Enter whole numbers of working days separated by commas"),
        ("0", "between 1 and 60"),
        ("7, 7", "only once"),
    ],
)
def test_bad_working_days_lists_are_refused_with_a_reason(raw, message):
    with pytest.raises(ValidationError, match=message):
        parse_working_days_list(raw)


@pytest.mark.django_db
def test_there_is_one_default_policy_and_one_per_area(world):
    ReminderPolicy.objects.create()
    with pytest.raises(ValidationError):
        ReminderPolicy().full_clean()
    ReminderPolicy.objects.create(area=world.area)
    with pytest.raises(ValidationError):
        ReminderPolicy(area=world.area).full_clean()


@pytest.mark.django_db
def test_board_is_alerted_after_plan_managers():
    policy = ReminderPolicy(escalate_to_managers_after=10, escalate_to_board_after=10)
    with pytest.raises(ValidationError, match="The board is alerted after plan managers"):
        policy.full_clean()


@pytest.mark.django_db
def test_ledger_refuses_a_second_digest_for_the_same_period(world):
    fields = {"recipient": world.chair, "kind": Kind.WEEKLY_DIGEST, "period_key": "2026-W10"}
    Delivery.objects.create(scheduled_for=dt.date(2026, 3, 2), **fields)
    with pytest.raises(IntegrityError):
        Delivery.objects.create(scheduled_for=dt.date(2026, 3, 3), **fields)


@pytest.mark.django_db
def test_ledger_refuses_an_action_reminder_without_an_action(world):
    with pytest.raises(IntegrityError):
        Delivery.objects.create(
            recipient=world.officer, kind=Kind.OVERDUE, period_key="x", scheduled_for=dt.date(2026, 3, 2)
        )


@pytest.mark.django_db
def test_ledger_key_names_the_row_and_its_period(world):
    action = f.ActionFactory(plan=f.ActionPlanFactory(area=world.area))
    row = Delivery.objects.create(
        action=action,
        recipient=world.officer,
        kind=Kind.DUE_TODAY,
        period_key="2026-03-02",
        scheduled_for=dt.date(2026, 3, 2),
    )
    assert row.key == f"{row.pk}:due_today:{action.pk}:{world.officer.pk}:2026-03-02"
