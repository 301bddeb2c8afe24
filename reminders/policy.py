"""Which reminders an action's due date calls for on a given day: pure date arithmetic, no database.

All counting is in working days (England and Wales bank holidays, send_tracker.working_days). A reminder that
would fall on a weekend or holiday moves to the working day before it, so nobody is reminded late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from send_tracker.working_days import (
    add_working_days,
    is_working_day,
    working_day_on_or_before,
    working_days_between,
)

from .models import DEFAULT_BEFORE_DUE, Kind, ReminderPolicy, parse_working_days_list


@dataclass(frozen=True)
class Policy:
    """The numbers of a ReminderPolicy, detached from the database so the date rules can be tested alone."""

    before_due: tuple[int, ...] = parse_working_days_list(DEFAULT_BEFORE_DUE)
    on_due_date: bool = True
    overdue_repeat_days: int = 7
    escalate_to_managers_after: int = 10
    escalate_to_board_after: int = 20

    @classmethod
    def from_model(cls, row: ReminderPolicy) -> Policy:
        return cls(
            before_due=row.before_due,
            on_due_date=row.on_due_date,
            overdue_repeat_days=row.overdue_repeat_days,
            escalate_to_managers_after=row.escalate_to_managers_after,
            escalate_to_board_after=row.escalate_to_board_after,
        )


DEFAULT_POLICY = Policy()


def first_overdue_day(due: date) -> date:
    return add_working_days(due, 1)


def is_overdue_reminder_day(due: date, day: date, repeat_days: int) -> bool:
    """The next working day after the due date, then every `repeat_days` days (moved back off non-working
    days)."""
    first = first_overdue_day(due)
    if day < first:
        return False
    if day == first:
        return True
    # A repeat moves back by at most a few days (a weekend plus Christmas), so only two repeats can land on
    # `day`.
    k = (day - first).days // repeat_days
    return any(working_day_on_or_before(first + timedelta(days=repeat_days * n)) == day for n in (k, k + 1) if n >= 1)


@lru_cache(maxsize=8192)
def reminder_kinds_on(due: date, day: date, policy: Policy = DEFAULT_POLICY) -> tuple[tuple[str, str], ...]:
    """Cached, so a sweep over many actions works the dates out once per distinct due date and policy."""
    return tuple(_reminder_kinds_on(due, day, policy))


def _reminder_kinds_on(due: date, day: date, policy: Policy) -> list[tuple[str, str]]:
    """The (kind, period key) pairs an open action due on `due` calls for on `day`.

    Escalations are keyed by the due date, not the day: each is sent once per due date, and a sweep that
    missed the exact day (an outage) still sends it on the next run. Everything else is keyed by the day it is
    for.
    """
    if not is_working_day(day):
        return []
    found: list[tuple[str, str]] = []
    anchor = working_day_on_or_before(due)
    if day < anchor:
        if any(add_working_days(anchor, -n) == day for n in policy.before_due):
            found.append((Kind.DUE_SOON, day.isoformat()))
        return found
    if day == anchor:
        if policy.on_due_date:
            found.append((Kind.DUE_TODAY, day.isoformat()))
        return found
    if day <= due:
        # Between a weekend due date's anchor and the date itself: not yet overdue.
        return found
    if is_overdue_reminder_day(due, day, policy.overdue_repeat_days):
        found.append((Kind.OVERDUE, day.isoformat()))
    late = working_days_between(due, day)
    if late >= policy.escalate_to_managers_after:
        found.append((Kind.ESCALATION_MANAGERS, f"due:{due.isoformat()}"))
    if late >= policy.escalate_to_board_after:
        found.append((Kind.ESCALATION_BOARD, f"due:{due.isoformat()}"))
    return found


def iso_week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
