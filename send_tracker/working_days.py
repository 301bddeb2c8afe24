"""Working days in England: Monday to Friday, less England and Wales bank holidays.

Every deadline in SEND Tracker (plan submissions, reminders, escalations, slippage) is counted with these
functions, so that one calendar is used everywhere.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    # The "ENG" subdivision of the UK calendar is the England (and Wales) bank-holiday list.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def load_bank_holidays(years: range) -> None:
    """Read these years' bank holidays now. The holidays library's first use imports every country's calendar,
    about 150 ms, which a web worker does while it starts rather than in someone's first request."""
    for year in years:
        _bank_holidays(year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (before it when `days` is negative).

    `start` itself is never counted, so add_working_days(Friday, 1) is the following Monday.
    """
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    current = start
    while remaining:
        current += timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def working_day_on_or_before(day: date) -> date:
    """A date that falls on a weekend or bank holiday moves back to the working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before `start`.

    Counted in closed form rather than day by day, because the reminder sweep asks it for every due date from
    the oldest open action's to today's.
    """
    if end < start:
        return -working_days_between(end, start)
    weekdays = _weekdays_up_to(end) - _weekdays_up_to(start)
    return weekdays - _weekday_holidays_between(start, end)


def _weekdays_up_to(day: date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday) up to and including `day`."""
    days = day.toordinal() - 1
    return 5 * (days // 7) + min(days % 7 + 1, 5)


def _weekday_holidays_between(start: date, end: date) -> int:
    """Bank holidays falling on weekdays after `start` up to and including `end` (`start` <= `end`)."""
    count = 0
    for year in range(start.year, end.year + 1):
        in_year = _weekday_holidays(year)
        count += bisect_right(in_year, end) - bisect_right(in_year, start)
    return count


@lru_cache(maxsize=64)
def _weekday_holidays(year: int) -> tuple[date, ...]:
    return tuple(sorted(day for day in _bank_holidays(year) if day.weekday() < 5))


def last_working_day_of_month(year: int, month: int) -> date:
    first_of_next = date(year + (month == 12), month % 12 + 1, 1)
    return working_day_on_or_before(first_of_next - timedelta(days=1))
