from __future__ import annotations

import pytest
from django.http import Http404

from accounts import access
from tests import factories as f


def test_each_persona_sees_exactly_its_areas(world):
    area, other = world.area.pk, world.other_area.pk
    expected = {
        world.officer: {area},
        world.health_officer: {area},
        world.manager: {area},
        world.chair: {area},
        world.pcf: {area},
        world.other_officer: {other},
        world.adviser: {area},
        world.adviser_elsewhere: {other},
        world.admin: {area, other},
        world.deactivated: set(),
    }
    for user, areas in expected.items():
        assert set(access.visible_area_ids(user)) == areas, user.username


def test_health_partner_loses_access_when_the_partnership_ends(world):
    ccg = f.OrganisationFactory(name="Old CCG", kind="ccg")
    f.AreaPartnerFactory(area=world.area, organisation=ccg, end_date="2022-06-30")
    officer = f.MembershipFactory(organisation=ccg).user
    assert access.visible_area_ids(officer) == frozenset()


def test_only_plan_managers_and_admins_manage_the_area(world):
    managers = {
        u.username for u in vars(world).values() if hasattr(u, "username") and access.can_manage_area(u, world.area)
    }
    assert managers == {"manager", "admin"}


def test_officer_updates_actions_led_or_supported_by_their_organisation(world):
    led = f.ActionFactory(plan__area=world.area, lead_organisation=world.council)
    supported = f.ActionFactory(plan=led.plan, lead_organisation=world.icb, supporting_organisations=[world.council])
    health_only = f.ActionFactory(plan=led.plan, lead_organisation=world.icb)
    assert access.can_update_action(world.officer, led)
    assert access.can_update_action(world.officer, supported)
    assert not access.can_update_action(world.officer, health_only)
    assert access.can_update_action(world.health_officer, health_only)
    assert access.can_update_action(world.manager, health_only)
    assert not access.can_update_action(world.other_officer, led)
    assert not access.can_update_action(world.adviser, led)


def test_board_members_sign_off_but_not_their_own_action(world):
    action = f.ActionFactory(plan__area=world.area, lead_officer=world.chair)
    other = f.ActionFactory(plan=action.plan)
    assert not access.can_sign_off_action(world.chair, action)
    assert access.can_sign_off_action(world.chair, other)
    assert access.can_sign_off_action(world.pcf, action)
    assert not access.can_sign_off_action(world.officer, other)
    assert not access.can_sign_off_action(world.adviser, other)


def test_scoped_lookup_outside_the_users_areas_is_not_found(world):
    action = f.ActionFactory(plan__area=world.other_area)
    with pytest.raises(Http404):
        access.get_visible_or_404(access.visible_actions(world.officer), pk=action.pk)
    assert access.get_visible_or_404(access.visible_actions(world.other_officer), pk=action.pk) == action
