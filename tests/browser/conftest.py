"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Fixtures here are shared by every browser test module:
- `browser`: one Chromium for the whole session (skipped on a laptop without Chromium, fails in CI);
- `page`: a fresh browser context and page per test, with `base_url` set to the live server, so
  `page.goto("/")` works; `page_without_js` is the same with JavaScript turned off;
- `console_errors`: a list that collects the page's console errors and failed requests.
Helpers to import (`from tests.browser.conftest import assert_accessible, sign_in`):
- `sign_in(page, username, password)`: signs in through the real form and checks it worked;
- `assert_accessible(page)`: runs axe-core's WCAG 2.0/2.1/2.2 A and AA rules on the current page and fails
  with a readable list of any serious or critical violations.
Mark browser tests with `@pytest.mark.browser`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.factories import PASSWORD
from tests.services import CHROMIUM_ARGS, missing, require_chromium

# Playwright's sync API runs an event loop in this thread, so Django's "no ORM calls from async code" guard
# would trip on the test's own database work. The tests are synchronous; the guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
GOVUK_CSS = ROOT / "static" / "vendor" / "govuk" / "govuk-frontend.min.css"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_RUN = """async (tags) => await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
})"""
FAILING_IMPACTS = ("serious", "critical")
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def live_server(request) -> Iterator[object]:
    """pytest-django's live server on 127.0.0.1, started with a MEDIA_URL it can use.

    Settings leave MEDIA_URL as None because evidence files have no public URL. Django's live server wraps
    the site in a media-file handler built from MEDIA_URL and fails on every request when it is None, so the
    server is started with a path that nothing serves.
    """
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    address = request.config.getvalue("liveserver") or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "127.0.0.1"
    with override_settings(MEDIA_URL="/no-public-media/"):
        server = LiveServer(address)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = require_chromium()
    if not GOVUK_CSS.is_file():
        missing(f"{GOVUK_CSS.relative_to(ROOT)} is missing: run `make assets` (python scripts/build_assets.py)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _new_page(browser, live_server, **options):
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Europe/London",
        viewport={"width": 1280, "height": 900},
        **options,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    context, page = _new_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser, live_server) -> Iterator[object]:
    context, page = _new_page(browser, live_server, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture
def console_errors(page) -> list[str]:
    """Console errors and failed requests on `page` (a missing script or stylesheet shows up here)."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on("requestfailed", lambda request: errors.append(f"request failed: {request.url}"))
    page.on(
        "response",
        lambda response: response.status >= 400 and errors.append(f"{response.status}: {response.url}"),
    )
    return errors


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the form, as a person would, and check that it worked."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if page.locator(".govuk-error-summary").count():
        summary = " ".join(page.locator(".govuk-error-summary").inner_text().split())
        raise AssertionError(f"signing in as {username!r} failed: {summary}")


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def assert_accessible(page) -> None:
    """Run axe-core on the page as it is now; fail on any serious or critical WCAG 2.2 A/AA violation."""
    if not AXE_SCRIPT.is_file():
        missing(f"{AXE_SCRIPT.relative_to(ROOT)} is missing: run `npm ci` (or `make assets`)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol rather than added as a <script>, so a strict Content
        # Security Policy on the page does not block it.
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate(AXE_RUN, AXE_TAGS)
    problems = [violation for violation in result["violations"] if violation["impact"] in FAILING_IMPACTS]
    if problems:
        pytest.fail(describe_violations(page.url, problems), pytrace=False)


def describe_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} serious or critical accessibility problem(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"  at {target}: {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"  …and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)
