"""Plan managers record KPI values in the browser."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import MeasureValue
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure(world):
    return f.MeasureFactory(area=world.area, name="Annual reviews on time")


def url(area) -> str:
    return reverse("dashboards:measure_value_create", args=[area.slug])


def post(client, user, area, **data):
    client.force_login(user)
    fields = {
        "period_0": "1",
        "period_1": "9",
        "period_2": "2024",
        "period_label": "2024-25",
        "value": "61.5",
        "comparator": "",
        "source": "Council case system",
    } | data
    return client.post(url(area), fields)


def test_plan_manager_records_a_value(client, world, measure):
    response = post(client, world.manager, world.area, measure=measure.pk)
    assert response.status_code == 302
    assert response["Location"].endswith("/areas/northshire/dashboard/#kpis")
    value = MeasureValue.objects.get(measure=measure)
    assert (value.period, value.value, value.comparator, value.period_label, value.source) == (
        dt.date(2024, 9, 1),
        Decimal("61.50"),
        None,
        "2024-25",
        "Council case system",
    )


def test_a_second_value_for_the_same_period_replaces_the_first(client, world, measure):
    post(client, world.manager, world.area, measure=measure.pk)
    post(client, world.manager, world.area, measure=measure.pk, value="", comparator="58")
    value = MeasureValue.objects.get(measure=measure)
    assert (value.value, value.comparator) == (None, Decimal("58.00"))  # blank is missing, not zero


def test_invalid_values_get_specific_errors_and_save_nothing(client, world, measure):
    response = post(
        client,
        world.manager,
        world.area,
        measure=measure.pk,
        value="lots",
        period_1="13",
        source="",
        comparator="1.234",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the value as a number, like 48.5" in html
    assert "Enter the comparator to no more than 2 decimal places" in html
    assert "Enter where the figure comes from" in html
    assert "Error: " in html
    assert not MeasureValue.objects.exists()


def test_a_measure_of_another_area_cannot_be_chosen(client, world, measure):
    elsewhere = f.MeasureFactory(area=world.other_area)
    response = post(client, world.manager, world.area, measure=elsewhere.pk)
    assert "Choose one of this area&#x27;s measures" in response.content.decode()
    assert not MeasureValue.objects.exists()


def test_officers_and_board_members_cannot_record_values(client, world, measure):
    for user in (world.officer, world.chair, world.adviser):
        response = post(client, user, world.area, measure=measure.pk)
        assert response.status_code == 403
        assert "You cannot do this" in response.text
    # Someone who cannot see the area is not told it exists.
    assert post(client, world.other_officer, world.area, measure=measure.pk).status_code == 404
    assert not MeasureValue.objects.exists()


def test_form_page_shows_for_the_plan_manager(client, world, measure):
    client.force_login(world.manager)
    html = client.get(url(world.area)).content.decode()
    assert "Record a measure value for Northshire" in html
    assert "Annual reviews on time" in html
