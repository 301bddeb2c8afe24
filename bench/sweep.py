"""Time the reminder sweep for one day and the single SQL statement that selects the same due actions.

Run by bench/run.py in a fresh process (`python -m bench.sweep DAY [--no-enqueue]`), so that peak memory is the sweep's
own; prints one JSON object.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from datetime import date, timedelta


def due_dates_with_reminders(day: date, policy, earliest: date, latest: date) -> list[date]:
    """Every due date for which the reminder rules ask for something on `day` (pure date arithmetic)."""
    from reminders.policy import reminder_kinds_on

    found = []
    current = earliest
    while current <= latest:
        if reminder_kinds_on(current, day, policy):
            found.append(current)
        current += timedelta(days=1)
    return found


def floor(day: date) -> dict[str, float | int]:
    """The least any sweep must do: one indexed statement returning the open actions with a reminder due.

    The due dates are worked out in Python first (a few thousand calls to the cached date rules) and are not
    timed; only the statement is, which uses the partial index on open actions' due dates. It ignores the ledger,
    so it returns every action with a reminder or escalation due, a superset of what the sweep inserts.
    """
    from django.db import connection

    from actions.models import Action
    from reminders.services import policies_by_area

    default, overrides = policies_by_area()
    furthest = max((n for p in (default, *overrides.values()) for n in p.before_due), default=0)
    bounds = Action.objects.filter(status__in=Action.OPEN_STATUSES).values_list("due_date", flat=True)
    earliest = bounds.order_by("due_date").first() or day
    dates = due_dates_with_reminders(day, default, earliest, day + timedelta(days=furthest * 2 + 14))
    table = Action._meta.db_table
    plan_table = Action._meta.get_field("plan").related_model._meta.db_table
    sql = (
        f"SELECT a.id, a.due_date, a.lead_officer_id, a.lead_organisation_id, p.area_id "  # noqa: S608
        f"FROM {table} a JOIN {plan_table} p ON p.id = a.plan_id "
        "WHERE a.status IN ('not_started', 'in_progress', 'reopened') AND a.due_date = ANY(%s)"
    )
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(sql, [dates])
        rows = cursor.fetchall()
        seconds = time.perf_counter() - started
    return {"floor_seconds": seconds, "floor_actions": len(rows), "due_dates": len(dates)}


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection

    from actions.models import Action
    from reminders.models import Delivery
    from reminders.services import reminders_sweep

    day = date.fromisoformat(argv[0])
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    open_actions = Action.objects.filter(status__in=Action.OPEN_STATUSES).count()
    ledger_before = Delivery.objects.count()
    queries = 0
    sql = {"seconds": 0.0}

    def counter(execute, sql_text, params, many, context):
        nonlocal queries
        queries += 1
        began = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            sql["seconds"] += time.perf_counter() - began

    # Time the broker publishes separately: one message per batch of new ledger rows (one per row before
    # batching), sent once the insert has committed.
    from reminders import tasks

    enqueue = {"seconds": 0.0, "messages": 0}

    def timed(publish):
        def timed_publish(*args, **kwargs):
            began = time.perf_counter()
            try:
                return publish(*args, **kwargs)
            finally:
                enqueue["seconds"] += time.perf_counter() - began
                enqueue["messages"] += 1

        return timed_publish

    for task in (tasks.deliver, getattr(tasks, "deliver_batch", None)):
        if task is None:
            continue
        if "--no-enqueue" in argv:
            # The backlog sweep: its messages would only be purged, so they are not published at all.
            task.apply_async = lambda *args, **kwargs: None
        else:
            task.apply_async = timed(task.apply_async)
    connection.close()  # the sweep opens its own connection, as the Celery task would
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = reminders_sweep(day=day)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # The floor runs after the sweep, in the same process, on a warm database, like the sweep's own queries.
    measured_floor = floor(day)
    out = {
        "day": day.isoformat(),
        "actions": open_actions,
        "seconds": seconds,
        "queries": queries,
        # Time spent in the database (the statements as the client sees them), the rest being Python.
        "sql_seconds": sql["seconds"],
        "rows": result.created,
        "planned": len(result.planned),
        "ledger_before": ledger_before,
        "enqueue_seconds": enqueue["seconds"],
        "messages": enqueue["messages"],
        "peak_mb": peak_kb / 1024,
        "django_loaded_mb": baseline_kb / 1024,
        **measured_floor,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
