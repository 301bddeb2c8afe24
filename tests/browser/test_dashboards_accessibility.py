"""axe-core in Debian's Chromium on both dashboards: no serious or critical WCAG 2.2 AA violations."""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.test import Client
from django.urls import reverse

from tests.dashboards import scenario as sc
from tests.services import missing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server(transactional_db):
    """The site with its static files on a free port of 127.0.0.1.

    Not pytest-django's server: its media handler cannot start while MEDIA_URL is None, as it is here
    (evidence is only ever served through an access-checked view).
    """
    httpd = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    httpd.set_app(StaticFilesHandler(get_wsgi_application()))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{httpd.server_address[1]}")
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


# `browser` is the session's Chromium from tests/browser/conftest.py: one sync Playwright per process.


def signed_in_page(browser, server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": server.url,
            }
        ]
    )
    return context.new_page()


def serious_violations(page) -> list[str]:
    if not AXE.exists():
        missing(f"axe-core is not installed at {AXE} (run `make assets`)")
    # Evaluated through the DevTools protocol, not added as a <script>: the Content Security Policy forbids that.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_board_dashboard_has_no_serious_accessibility_violations(browser, server, world):
    sc.build(world)
    sc.add_kpis(world.area)
    page = signed_in_page(browser, server, world.chair)
    page.goto(server.url + reverse("dashboards:area_dashboard", args=[world.area.slug]))
    assert page.locator("h1").inner_text() == "Northshire board dashboard"
    assert page.locator("svg[role=img]").count() >= 4
    assert serious_violations(page) == []


def test_national_overview_has_no_serious_accessibility_violations(browser, server, world):
    sc.build(world)
    page = signed_in_page(browser, server, world.admin)
    page.goto(server.url + reverse("dashboards:national_overview"))
    assert page.locator("h1").inner_text() == "National overview"
    assert page.locator("tr[data-area]").count() == 2
    assert serious_violations(page) == []


def test_kpi_forms_have_no_serious_accessibility_violations(browser, server, world, tmp_path):
    sc.add_kpis(world.area)
    page = signed_in_page(browser, server, world.manager)
    page.goto(server.url + reverse("dashboards:measure_value_create", args=[world.area.slug]))
    page.get_by_role("button", name="Save value").click()  # an empty form: the error summary and messages
    assert page.locator(".govuk-error-summary").count() == 1
    assert serious_violations(page) == []
    bad = tmp_path / "timeliness.csv"
    bad.write_text("time_period,geographic_level\n2024,National\n")
    page.goto(server.url + reverse("dashboards:measure_import"))
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Import file").click()
    assert "The file was not imported" in page.content()
    assert serious_violations(page) == []
