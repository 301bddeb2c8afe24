"""/healthz: does this instance reach its database and its broker?"""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse

from .celery import app


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not healthy"; the message says which
        return f"error: {exc.__class__.__name__}"
    return "ok"


def broker_status() -> str:
    try:
        with app.connection_for_write() as conn:
            # One quick attempt: a health check must answer fast, not wait for the broker to come back.
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
