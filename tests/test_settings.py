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


def test_production_configuration_starts(tmp_path):
    result = run_check(DEBUG="false", SECRET_KEY="x" * 50, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode == 0, result.stderr


def test_time_zone_is_london_and_aware(settings):
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.USE_TZ is True
