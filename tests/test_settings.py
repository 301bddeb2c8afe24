"""Start-up refuses a bad configuration with one sentence naming the variable, never a stack trace."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG_VARS = [
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "DEFAULT_FROM_EMAIL",
    "SITE_URL",
    "NOTIFY_API_KEY",
    "DEMO_PASSWORD",
    "MEDIA_ROOT",
    "LOG_LEVEL",
    "SECRET_KEY_FALLBACKS",
    "TRUSTED_PROXY_COUNT",
    "AXES_FAILURE_LIMIT",
    "OTP_TOTP_ISSUER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "API_THROTTLE_RATE",
]


def run_check(**variables: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    environment.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_secret_key_in_production_stops_start_up_with_a_clear_message():
    result = run_check(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("EMAIL_PORT", "twenty-five"),
        ("EMAIL_USE_TLS", "sometimes"),
        ("DATABASE_URL", "mongodb://localhost/send"),
        ("SITE_URL", "send-tracker.example"),
        ("REDIS_URL", "http://127.0.0.1:6379"),
        ("API_THROTTLE_RATE", "lots"),
    ],
)
def test_malformed_value_stops_start_up_naming_the_variable(variable, value):
    result = run_check(**{"DEBUG": "true", variable: value})
    assert result.returncode != 0
    assert result.stderr.startswith(f"Configuration error: {variable} ")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("url", ["sqlite:///var/db.sqlite3", "mysql://send:secret@db.example/send_tracker"])
def test_a_database_other_than_postgresql_is_refused_saying_what_is_needed(url):
    result = run_check(DEBUG="true", DATABASE_URL=url)
    assert result.returncode != 0
    assert result.stderr.startswith("Configuration error: DATABASE_URL must point at PostgreSQL")
    assert "SEND Tracker needs PostgreSQL 15 or later" in result.stderr
    assert "Set DATABASE_URL=postgres://user:password@host:5432/database" in result.stderr
    # The URL may carry a password, so only its scheme is repeated.
    assert "secret" not in result.stderr
    assert "Traceback" not in result.stderr


def test_the_default_database_is_send_tracker_on_the_local_postgresql_server():
    environment = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    show = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['HOST'], d['PORT'], d['USER'], d['NAME'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", show],
        cwd=ROOT,
        env={**environment, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "send_tracker.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "127.0.0.1", "5432", "postgres", "send_tracker"]


def test_production_configuration_starts():
    result = run_check(
        DEBUG="false", SECRET_KEY="x" * 50, DATABASE_URL="postgres://send_tracker:secret@db.example:5432/send_tracker"
    )
    assert result.returncode == 0, result.stderr


def test_time_zone_is_london_and_aware(settings):
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.USE_TZ is True


def test_a_web_worker_prepares_its_first_requests_while_it_starts():
    # What a worker would otherwise do in someone's first request: the URL names, the bank holidays, the templates.
    probe = (
        "import gc, send_tracker.wsgi\n"
        "from django.template import engines\n"
        "from send_tracker.working_days import _bank_holidays\n"
        "[loader] = engines['django'].engine.template_loaders\n"
        "print(_bank_holidays.cache_info().currsize, len(loader.get_template_cache), gc.get_freeze_count() > 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    years, templates, frozen = result.stdout.split()
    assert int(years) == 5
    assert int(templates) >= len(list((ROOT / "templates").rglob("*.html")))
    assert frozen == "True"
