"""The benchmark harness's pure helpers (the harness itself is run by `make bench`, not by the test suite)."""

from __future__ import annotations

import pytest

from bench import run


def test_percentile_interpolates_between_neighbours():
    values = [10.0, 20.0, 30.0, 40.0, 50.0]
    assert run.percentile(values, 0.5) == 30.0
    assert run.percentile(values, 0.95) == pytest.approx(48.0)
    assert run.percentile([7.0], 0.95) == 7.0


def test_percentile_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        run.percentile([], 0.5)


def test_summary_reports_the_most_queries_any_request_needed():
    summary = run.summarise([5.0, 6.0, 7.0], [9, 9, 10])
    assert summary == {"p50_ms": 6.0, "p95_ms": 6.9, "queries": 10, "requests": 3}


def test_ratio_is_none_without_both_figures():
    assert run.ratio(30.0, 60.0) == 0.5
    assert run.ratio(None, 60.0) is None
    assert run.ratio(30.0, 0) is None


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///var/db.sqlite3",
        "postgres://postgres@127.0.0.1:5432/bench;drop",
        'postgres://postgres@127.0.0.1:5432/a"b',
        "postgres://postgres@127.0.0.1:5432/",
    ],
)
def test_only_plain_postgres_database_names_are_accepted(url):
    with pytest.raises(SystemExit):
        run.safe_database_name(url)


def test_the_application_database_is_recognised_whatever_the_spelling():
    assert run.same_database("postgres://postgres@127.0.0.1:5432/app", "postgresql://other@127.0.0.1/app")
    assert not run.same_database("postgres://postgres@127.0.0.1:5432/app", "postgres://postgres@127.0.0.1/bench")


def test_refuses_to_run_against_the_application_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/send_tracker")
    monkeypatch.setenv("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/send_tracker")
    with pytest.raises(SystemExit, match="application's own database"):
        run.configure(run.parse_args([]))


def test_csrf_token_is_read_from_a_form():
    html = '<form><input type="hidden" name="csrfmiddlewaretoken" value="abc123"></form>'
    assert run.csrf_token(html) == "abc123"
    assert run.csrf_token("<p>no form</p>") is None


def test_table_marks_missed_targets():
    results = {
        "pages": {
            "fast": {"p50_ms": 20.0, "p95_ms": 40.0, "queries": 8, "status": [200]},
            "slow": {"p50_ms": 120.0, "p95_ms": 240.0, "queries": 8, "status": [200]},
            "broken": {"p50_ms": 5.0, "p95_ms": 6.0, "queries": 3, "status": [500]},
        },
        "load": {"users": 20, "seconds": 60, "requests": 900, "errors": 0, "p50_ms": 50.0, "p95_ms": 500.0},
    }
    lines = run.table(results).splitlines()
    assert lines[1].endswith("ok")
    assert lines[2].endswith("MISSED")
    assert lines[3].endswith("HTTP [500]")
    assert "p95 500.0 ms (MISSED)" in lines[-1]


def test_table_marks_a_query_count_that_changes_with_the_data():
    results = {
        "pages": {
            "steady": {"p50_ms": 20.0, "p95_ms": 40.0, "queries": 8, "queries_small_data": 8, "status": [200]},
            "growing": {"p50_ms": 20.0, "p95_ms": 40.0, "queries": 11, "queries_small_data": 9, "status": [200]},
        }
    }
    lines = run.table(results).splitlines()
    assert lines[1].endswith("ok")
    assert "11 (9 small)" in lines[2]
    assert lines[2].endswith("MISSED")
