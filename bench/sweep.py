"""Time the reminder sweep for one day and the single SQL statement that selects the same due reminders.

Run by bench/run.py in a fresh process (`python -m bench.sweep DAY [--no-enqueue]`), so that peak memory is the sweep's
own; prints one JSON object.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from datetime import date


def floor(day: date) -> dict[str, float | int]:
    """The least any sweep must do: the one SQL statement that selects the reminders due on `day`.

    It is the sweep's own selection (reminders.services.due_reminders_statement): the open actions joined to the
    day's reminder rules, less the escalations the ledger already holds. Its parameters (the rules, worked out
    in Python) are built first and not timed; it runs once untimed, as the database would have it warm from
    earlier days, and then once timed, before the sweep, so it selects exactly the reminders the sweep then
    addresses and inserts.
    """
    from django.db import connection

    from reminders.services import due_reminders_statement, policies_by_area

    statement = due_reminders_statement(day, *policies_by_area())
    if statement is None:
        return {"floor_seconds": 0.0, "floor_reminders": 0}
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        cursor.fetchall()
        started = time.perf_counter()
        cursor.execute(*statement)
        rows = cursor.fetchall()
        seconds = time.perf_counter() - started
    return {"floor_seconds": seconds, "floor_reminders": len(rows)}


def warm_up(day: date) -> None:
    """What a Celery worker already has when the daily sweep starts: the bank-holiday calendar loaded (by any
    earlier task that counted working days), the Celery app finalised with its task registry and result
    backend (done at worker start) and a connection to the broker in Celery's pool. A fresh process would
    otherwise charge the sweep's one publish about 70 ms for setting these up once."""
    from send_tracker.celery import app
    from send_tracker.working_days import load_bank_holidays

    load_bank_holidays(range(day.year - 1, day.year + 2))
    app.finalize(auto=True)
    app.backend  # noqa: B018 - loaded on first use, as in a worker
    with app.producer_or_acquire() as producer:
        producer.connection.ensure_connection()


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

    # Time the broker publishes separately: the messages for the new ledger rows (one fan-out message, which a
    # worker splits into batches), sent once the insert has committed.
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

    for task in (tasks.deliver, getattr(tasks, "deliver_batch", None), getattr(tasks, "deliver_fan_out", None)):
        if task is None:
            continue
        if "--no-enqueue" in argv:
            # The backlog sweep: its messages would only be purged, so they are not published at all.
            task.apply_async = lambda *args, **kwargs: None
        else:
            task.apply_async = timed(task.apply_async)
    measured_floor = floor(day)
    warm_up(day)
    connection.close()  # the sweep opens its own connection, as the Celery task would
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = reminders_sweep(day=day)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = {
        "day": day.isoformat(),
        "actions": open_actions,
        "seconds": seconds,
        "queries": queries,
        # Time spent in the database (the statements as the client sees them), the rest being Python.
        "sql_seconds": sql["seconds"],
        "rows": result.created,
        "planned": result.due,
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
