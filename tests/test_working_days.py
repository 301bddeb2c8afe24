from __future__ import annotations

from datetime import date, timedelta

import pytest

from send_tracker.working_days import (
    add_working_days,
    is_working_day,
    last_working_day_of_month,
    working_day_on_or_before,
    working_days_between,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 3, 29), False),  # Good Friday
        (date(2024, 4, 1), False),  # Easter Monday
        (date(2024, 5, 27), False),  # spring bank holiday
        (date(2024, 12, 25), False),
        (date(2024, 12, 26), False),
        (date(2024, 3, 30), False),  # Saturday
        (date(2024, 3, 28), True),
        (date(2023, 8, 7), True),  # Scotland's summer holiday is not England's
    ],
)
def test_england_and_wales_bank_holidays_and_weekends_are_not_working_days(day, expected):
    assert is_working_day(day) is expected


def test_adding_working_days_skips_weekends_and_bank_holidays():
    # Thursday 28 March 2024 + 1 working day skips Good Friday, the weekend and Easter Monday.
    assert add_working_days(date(2024, 3, 28), 1) == date(2024, 4, 2)
    assert add_working_days(date(2024, 4, 2), -1) == date(2024, 3, 28)
    assert add_working_days(date(2024, 3, 28), 0) == date(2024, 3, 28)


def test_written_statement_of_action_deadline_is_70_working_days_after_publication():
    # Published Monday 13 February 2017; Good Friday, Easter Monday and the May Day holiday fall inside.
    assert add_working_days(date(2017, 2, 13), 70) == date(2017, 5, 25)


def test_working_days_between_counts_the_end_not_the_start():
    assert working_days_between(date(2024, 3, 28), date(2024, 4, 2)) == 1
    assert working_days_between(date(2024, 4, 2), date(2024, 3, 28)) == -1
    assert working_days_between(date(2024, 1, 1), date(2024, 1, 1)) == 0


def test_a_weekend_or_holiday_moves_back_to_the_working_day_before():
    assert working_day_on_or_before(date(2024, 4, 1)) == date(2024, 3, 28)
    assert working_day_on_or_before(date(2024, 4, 2)) == date(2024, 4, 2)


def test_a_month_means_its_last_working_day():
    assert last_working_day_of_month(2024, 3) == date(2024, 3, 28)
    assert last_working_day_of_month(2024, 12) == date(2024, 12, 31)
    assert last_working_day_of_month(2024, 8) == date(2024, 8, 30)


def _counted_day_by_day(start: date, end: date) -> int:
    step, count, current = (1, 0, start) if end >= start else (-1, 0, start)
    while current != end:
        current += timedelta(days=step)
        if step == 1 and is_working_day(current):
            count += 1
        if step == -1 and is_working_day(current + timedelta(days=1)):
            count -= 1
    return count


def test_working_days_between_agrees_with_counting_day_by_day_across_years_and_holidays():
    # Every pair of dates, a few days apart, in a span with Christmas, Easter and a year end on every weekday.
    days = [date(2023, 12, 1) + timedelta(days=n) for n in range(0, 520, 3)]
    for start in days[::7]:
        for end in days:
            assert working_days_between(start, end) == _counted_day_by_day(start, end), (start, end)
