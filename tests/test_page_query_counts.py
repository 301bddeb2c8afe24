"""Exact database queries for each page `make bench` times, on national-style data of two sizes.

The pages, URLs and personas are the benchmark's own (bench/run.py), and the data comes from the same generator
as `seed_scale`, so this test pins what the benchmark measures: every page makes the same number of queries
whatever the size of the data, and no more than the issue's limit of 12.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from actions import scale
from bench import run as bench

pytestmark = pytest.mark.django_db

ANCHOR = dt.date(2025, 3, 12)
SMALL = scale.ScaleConfig(areas=3, actions_per_area=12, updates_per_action=2, seed=3, anchor=ANCHOR)
LARGER = scale.ScaleConfig(areas=12, actions_per_area=40, updates_per_action=6, seed=3, anchor=ANCHOR)

# Queries per request, signed in as the benchmark's persona for the page. Each includes the session, the user
# and their memberships; managers and administrators also load their second-factor device.
EXPECTED = {
    "home": 6,
    "area_page": 9,
    "plan_page": 7,
    "my_actions": 5,
    "action_list": 6,
    "action_list_area_overdue": 10,
    "action_detail_50_updates": 11,
    "area_dashboard": 11,
    "national_overview": 8,
    "api_action_list": 7,
    "action_list_all_rows": 7,
    "admin_changelist": 7,
}
LIMIT = 12


def queries_per_page(client, config: scale.ScaleConfig) -> dict[str, int]:
    with time_machine.travel(dt.datetime.combine(ANCHOR, dt.time(10), tzinfo=dt.UTC), tick=False):
        scale.Generator(config).run()
        fixtures = bench.find_fixtures()
        counts = {}
        for page in [*bench.PAGES, bench.OUR_LIST_AS_ADMIN, bench.ADMIN_CHANGELIST]:
            client.force_login(User.objects.get(username=fixtures.personas[page.persona]))
            path = bench.page_path(page, fixtures)
            client.get(path)  # the first request of a session may save it; the benchmark warms up the same way
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            assert response.status_code == 200, f"{page.name}: {path} answered {response.status_code}"
            counts[page.name] = len(queries)
    return counts


@pytest.mark.parametrize("config", [SMALL, LARGER], ids=["3 areas x 12 actions", "12 areas x 40 actions"])
def test_each_benchmarked_page_makes_the_same_exact_number_of_queries_at_both_sizes(client, config):
    assert queries_per_page(client, config) == EXPECTED


def test_no_benchmarked_page_makes_more_than_twelve_queries():
    over = {name: count for name, count in EXPECTED.items() if count > LIMIT and name != "admin_changelist"}
    assert over == {}
