"""Real services the integration tests need: PostgreSQL, Redis and Chromium.

Outside CI a missing service skips the tests that need it, so a newcomer can run the suite on a laptop. With `CI`
set, a missing service fails those tests instead: a CI run that silently skipped them would prove nothing.
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


def require_postgres() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        missing("this test needs PostgreSQL: set DATABASE_URL=postgres://…")


def require_chromium() -> str:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM
