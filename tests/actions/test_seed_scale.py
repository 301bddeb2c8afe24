"""seed_scale at a tiny size: consistent rows, the right access for its personas, the same data for a seed."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Max

from accounts import access
from accounts.models import Membership, User
from actions import scale
from actions.models import Action, ActionPlan, DueDateRevision, ProgressUpdate, StatusChange
from inspections.models import Inspection, LocalArea

ANCHOR = dt.date(2025, 3, 12)
TINY = scale.ScaleConfig(areas=5, actions_per_area=12, updates_per_action=3, seed=7, anchor=ANCHOR)

pytestmark = pytest.mark.django_db


def build(config: scale.ScaleConfig = TINY) -> scale.ScaleResult:
    return scale.Generator(config).run()


def area(number: int) -> LocalArea:
    return LocalArea.objects.get(slug=scale.area_slug(number))


def user(name: str) -> User:
    return User.objects.get(username=name)


def test_counts_match_the_requested_size():
    result = build()
    assert LocalArea.objects.count() == 5
    assert Action.objects.count() == 5 * 12
    assert ProgressUpdate.objects.count() == 5 * 12 * 3
    assert result.counts["actions.Action"] == 60
    assert result.counts["actions.ProgressUpdate"] == 180
    # Every role is there: per area six council officers, a health officer, a plan manager, chair and forum rep.
    roles = Counter(Membership.objects.values_list("role", flat=True))
    assert roles[Membership.Role.ACTION_OFFICER] == 5 * 7
    assert roles[Membership.Role.PLAN_MANAGER] == 5
    assert roles[Membership.Role.BOARD_MEMBER] == 5 * 2
    assert roles[Membership.Role.ADVISER] == 2
    assert roles[Membership.Role.ADMINISTRATOR] == 1


def test_every_action_has_a_plan_in_its_area_and_due_dates_in_range():
    build()
    for action in Action.objects.select_related("plan__area", "plan__inspection"):
        assert action.plan.area.slug.startswith(scale.SLUG_PREFIX)
        assert action.plan.inspection.area_id == action.plan.area_id
        assert action.start_date <= action.original_due_date
        assert action.start_date <= action.due_date
        assert ANCHOR - dt.timedelta(days=120) <= action.due_date <= ANCHOR + dt.timedelta(days=540) or (
            action.due_date == action.start_date + dt.timedelta(days=30)
        )
        assert action.created_at.date() < ANCHOR
    assert not ActionPlan.objects.filter(actions__isnull=True).exists()
    assert Action.objects.filter(findings__isnull=True).count() == 0


def test_every_update_has_an_author_who_may_post_it_and_nothing_is_dated_after_the_anchor():
    build()
    for update in ProgressUpdate.objects.select_related("author", "action__plan").prefetch_related(
        "action__supporting_organisations"
    ):
        assert update.author_id is not None
        assert access.can_update_action(update.author, update.action)
        assert update.created_at.date() < ANCHOR
        assert update.created_at > update.action.created_at


def test_denormalised_fields_follow_the_latest_update_and_the_workflow():
    build()
    latest = {}
    for update in ProgressUpdate.objects.order_by("action_id", "created_at"):
        latest[update.action_id] = update
    changes = Counter(StatusChange.objects.values_list("action_id", flat=True))
    revisions = Counter(DueDateRevision.objects.values_list("action_id", flat=True))
    updates = Counter(ProgressUpdate.objects.values_list("action_id", flat=True))
    history = Counter(Action.history.values_list("id", flat=True))
    for action in Action.objects.all():
        last = latest.get(action.pk)
        if last is None:
            assert action.last_update_at is None
            assert action.status in (Action.Status.NOT_STARTED, Action.Status.CANCELLED)
        else:
            assert action.last_update_at == last.created_at
            assert action.status != Action.Status.NOT_STARTED
        if action.status in (Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS, Action.Status.CANCELLED) and last:
            assert (action.rag, action.percent_complete) == (last.rag, last.percent_complete)
        if action.status in (Action.Status.COMPLETED, Action.Status.SIGNED_OFF, Action.Status.REOPENED):
            assert action.percent_complete == 100
        assert (action.rag == Action.Rag.BLUE) == (action.status == Action.Status.SIGNED_OFF)
        assert (action.completed_at is not None) == (action.status in (Action.Status.COMPLETED, "signed_off"))
        assert (action.signed_off_by_id is not None) == (action.status == Action.Status.SIGNED_OFF)
        assert (action.due_date != action.original_due_date) == (revisions[action.pk] == 1)
        steps = updates[action.pk] + changes[action.pk] + revisions[action.pk]
        assert action.version == 1 + steps
        assert history[action.pk] == 1 + steps


def test_history_ends_in_the_actions_current_state():
    build()
    for action in Action.objects.all():
        records = list(action.history.order_by("history_date", "history_id"))
        assert records[0].history_type == "+"
        assert records[0].status == Action.Status.NOT_STARTED
        final = records[-1]
        assert (final.status, final.rag, final.percent_complete, final.version, final.due_date) == (
            action.status,
            action.rag,
            action.percent_complete,
            action.version,
            action.due_date,
        )
        assert all(record.history_user_id for record in records)
        dates = [record.history_date for record in records]
        assert dates == sorted(dates)


def test_updates_add_up_per_area_and_the_first_action_has_the_long_timeline():
    build(scale.ScaleConfig(areas=2, actions_per_area=40, updates_per_action=5, seed=3, anchor=ANCHOR))
    per_area = dict(
        LocalArea.objects.annotate(n=Count("plans__actions__updates")).values_list("slug", "n").order_by("slug")
    )
    assert per_area == {scale.area_slug(1): 200, scale.area_slug(2): 200}
    first = Action.objects.annotate(n=Count("updates")).get(plan__area=area(1), reference=scale.HEAVY_REFERENCE)
    assert first.n == scale.HEAVY_UPDATES
    assert first.status == Action.Status.IN_PROGRESS


def test_some_areas_have_a_follow_up_inspection_judging_every_earlier_finding():
    build(scale.ScaleConfig(areas=8, actions_per_area=4, updates_per_action=1, seed=4, anchor=ANCHOR))
    follow_ups = Inspection.objects.exclude(kind=Inspection.Kind.FULL).select_related("follows")
    assert follow_ups.exists()
    for inspection in follow_ups:
        assert inspection.follows.area_id == inspection.area_id
        assert inspection.onsite_start > inspection.follows.published_on
        assert inspection.published_on < ANCHOR
        earlier = set(inspection.follows.findings.values_list("pk", flat=True))
        assert set(inspection.findings.values_list("judges_id", flat=True)) == earlier
    assert {i.area.slug for i in follow_ups} <= {scale.area_slug(4), scale.area_slug(8)}


def test_generated_personas_see_the_right_areas():
    build()
    one, two, five = area(1), area(2), area(5)
    all_ids = set(LocalArea.objects.values_list("pk", flat=True))
    officer = user(scale.username(1, "officer1"))
    assert access.visible_area_ids(officer) == {one.pk}
    manager = user(scale.username(1, "manager"))
    assert access.managed_area_ids(manager) == {one.pk}
    chair = user(scale.username(1, "chair"))
    assert access.board_area_ids(chair) == {one.pk}
    assert access.visible_area_ids(user(scale.username(2, "pcf"))) == {two.pk}
    # Four areas share an ICB, so its officer sees all four (and not the fifth, under another ICB).
    health = user(scale.username(1, "health"))
    assert access.visible_area_ids(health) == set(
        LocalArea.objects.filter(slug__in=[scale.area_slug(n) for n in range(1, 5)]).values_list("pk", flat=True)
    )
    assert five.pk not in access.visible_area_ids(health)
    assert access.visible_area_ids(user(scale.adviser_username("dfe", 0))) == all_ids
    assert access.visible_area_ids(user(scale.ADMIN_USERNAME)) == all_ids
    assert user(scale.username(1, "officer1")).check_password(TINY.password)


def test_board_members_can_sign_off_the_completed_actions_of_their_area():
    build()
    chair = user(scale.username(1, "chair"))
    completed = Action.objects.filter(plan__area=area(1), status=Action.Status.COMPLETED)
    other = Action.objects.filter(plan__area=area(2), status=Action.Status.COMPLETED)
    assert all(access.can_sign_off_action(chair, action) for action in completed)
    assert not any(access.can_sign_off_action(chair, action) for action in other)


def fingerprint() -> list[tuple]:
    actions = Action.objects.annotate(updates_count=Count("updates"), latest=Max("updates__created_at"))
    return sorted(
        actions.values_list(
            "plan__area__slug",
            "reference",
            "title",
            "status",
            "rag",
            "percent_complete",
            "due_date",
            "original_due_date",
            "last_update_at",
            "lead_officer__username",
            "updates_count",
            "latest",
            "version",
        )
    )


def build_and_forget(config: scale.ScaleConfig) -> list[tuple]:
    with transaction.atomic():
        build(config)
        rows = fingerprint()
        transaction.set_rollback(True)
    return rows


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = build_and_forget(TINY)
    assert first == build_and_forget(TINY)
    other = scale.ScaleConfig(**{**TINY.__dict__, "seed": 8})
    assert build_and_forget(other) != first


def test_open_only_builds_only_open_actions():
    build(scale.ScaleConfig(areas=2, actions_per_area=30, updates_per_action=1, seed=2, anchor=ANCHOR, open_only=True))
    assert set(Action.objects.values_list("status", flat=True)) <= set(Action.OPEN_STATUSES)
    assert Action.objects.count() == 60


def test_command_refuses_a_database_that_already_has_scale_data(capsys):
    call_command("seed_scale", areas=1, actions_per_area=2, updates_per_action=1, anchor=ANCHOR)
    assert "Scale data built" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already holds scale data"):
        call_command("seed_scale", areas=1, actions_per_area=2, updates_per_action=1)
    assert Action.objects.count() == 2


def test_command_refuses_more_areas_than_slugs_allow():
    with pytest.raises(CommandError, match="at most 999"):
        call_command("seed_scale", areas=1000)
    assert not LocalArea.objects.exists()


def test_builds_nothing_empty_when_asked_for_no_updates():
    build(scale.ScaleConfig(areas=1, actions_per_area=5, updates_per_action=0, seed=1, anchor=ANCHOR))
    assert ProgressUpdate.objects.count() == 0
    assert set(Action.objects.values_list("last_update_at", flat=True)) == {None}
    per_status = defaultdict(int)
    for status in Action.objects.values_list("status", flat=True):
        per_status[status] += 1
    assert sum(per_status.values()) == 5
