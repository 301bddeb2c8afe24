"""Deployment security: production settings pass Django's deploy checks; every page carries a strict CSP."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests import factories as f
from tests.test_settings import CONFIG_VARS

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DEBUG": "false",
    "SITE_URL": "https://send-tracker.example.gov.uk",
    "ALLOWED_HOSTS": "send-tracker.example.gov.uk",
    "DATABASE_URL": "postgres://send_tracker@127.0.0.1:5432/send_tracker",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_HOST": "smtp.example.gov.uk",
}


def manage(*args: str, **variables: str) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests for their own process; a deployment never has it.
    environment = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_checks_pass_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_checks_catch_a_weak_secret_key():
    # The check itself is working: a short key fails it.
    result = manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY="short-key", **PRODUCTION)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def production_setting(name: str) -> str:
    code = f"from django.conf import settings; print(repr(settings.{name}))"
    result = manage("shell", "-c", code, SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SESSION_COOKIE_SECURE", "True"),
        ("CSRF_COOKIE_SECURE", "True"),
        ("SECURE_SSL_REDIRECT", "True"),
        ("SECURE_HSTS_SECONDS", "31536000"),
        ("SECURE_REFERRER_POLICY", "'same-origin'"),
        ("SESSION_COOKIE_AGE", "1800"),
    ],
)
def test_production_settings_turn_on_https_protections(name, expected):
    assert production_setting(name) == expected


def test_development_over_http_does_not_force_https(settings):
    # DEBUG on with an http SITE_URL (the laptop): no redirect loop, cookies work over plain HTTP.
    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.SESSION_COOKIE_SECURE is False


PAGES_FOR_ANYONE = [
    "/accounts/login/",
    "/accounts/password-reset/",
    "/accounts/password-reset/sent/",
    "/accessibility/",
    "/no-such-page/",
]


@pytest.mark.parametrize("url", PAGES_FOR_ANYONE)
def test_every_page_has_a_strict_content_security_policy(client, db, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def assert_nothing_inline(html: str, url: str) -> None:
    assert not INLINE_SCRIPT.search(html), f"inline script on {url}"
    match = INLINE_STYLE.search(html)
    assert not match, f"inline style or event handler on {url}: {html[match.start() - 80 : match.end() + 80]}"


def test_signed_in_pages_have_no_inline_script_or_style(client, world):
    plan = f.ActionPlanFactory(area=world.area)
    f.ActionFactory(plan=plan)
    client.force_login(world.manager)
    for url in ["/", "/areas/northshire/", "/accounts/two-factor/backup-codes/", *PAGES_FOR_ANYONE]:
        response = client.get(url, follow=True)
        assert_nothing_inline(response.content.decode(), url)


def test_two_factor_pages_have_no_inline_script_or_style(client, world):
    client.post("/accounts/login/", {"username": "manager", "password": f.PASSWORD})
    for url in ["/accounts/two-factor/set-up/"]:
        assert_nothing_inline(client.get(url).content.decode(), url)
