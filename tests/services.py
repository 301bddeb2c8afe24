"""Real services the tests need: PostgreSQL, Redis and Chromium.

Every test that uses the database needs PostgreSQL 15 or later, as SEND Tracker itself does: without a server
answering at DATABASE_URL the run stops before the first test with one message saying so (tests/conftest.py),
rather than erroring in every one of them. Redis and Chromium are needed only by a few integration tests: outside
CI a missing one skips those tests, so a newcomer can run the suite on a laptop. With `CI` set, a missing service
fails those tests instead: a CI run that silently skipped them would prove nothing.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def missing(reason: str) -> None:
    """Skip on a laptop, fail in CI."""
    if in_ci():
        pytest.fail(f"CI requires this service: {reason}", pytrace=False)
    pytest.skip(reason)


def redis_url() -> str:
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def require_redis() -> str:
    import redis

    url = redis_url()
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:
        missing(f"Redis is not answering at {url} ({exc.__class__.__name__})")
    return url


def postgres_problem() -> str | None:
    """Why the PostgreSQL server in the settings cannot be used by the tests, or None when it can."""
    from django.conf import settings

    from scripts.run_dev import MINIMUM_POSTGRES, ServerProblem, connect_to_server, server_address

    database = settings.DATABASES["default"]
    try:
        connect_to_server(database).close()
    except ServerProblem as exc:
        return (
            f"Cannot use PostgreSQL at {server_address(database)} ({exc}): the tests that use the database need "
            f"PostgreSQL {MINIMUM_POSTGRES} or later. Start it, or set DATABASE_URL to a server you can use, e.g. "
            "DATABASE_URL=postgres://user:password@host:5432/send_tracker."
        )
    return None


def require_chromium() -> str:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM
