"""Fixtures for the end-to-end delivery tests, and the due / delivered / duplicates / lost report."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from tests.services import require_redis

from .harness import Processes, RedisServer, SmtpServer

REPORT: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if REPORT:
        terminalreporter.section("reminder delivery under faults")
        for line in REPORT:
            terminalreporter.write_line(line)


@pytest.fixture
def redis_server():
    require_redis()
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


def test_database_url() -> str:
    """The pytest test database, for the worker and manage.py processes to share the committed test data."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db['USER']}{password}@{host}{port}/{db['NAME']}"


test_database_url.__test__ = False  # type: ignore[attr-defined]


@pytest.fixture
def processes(transactional_db, redis_server, smtp):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "send_tracker.settings",
        "DEBUG": "true",
        "SECRET_KEY": "e2e-tests-only",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": redis_server.url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "SITE_URL": "http://send-tracker.test",
        "NOTIFY_API_KEY": "",
        # Small numbers so that retries, stale claims and lost messages play out in seconds, not hours.
        "REMINDER_RETRY_BASE_SECONDS": "1",
        "REMINDER_RETRY_MAX_SECONDS": "2",
        "CELERY_VISIBILITY_TIMEOUT": "60",
        "CELERY_TASK_TIME_LIMIT": "8",
        "REMINDER_SENDING_STALE_SECONDS": "10",
        "REMINDER_PENDING_GRACE_SECONDS": "3",
        "LOG_LEVEL": "INFO",
    }
    procs = Processes(env)
    yield procs
    procs.stop_all()
