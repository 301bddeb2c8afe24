"""Signing in with a second factor in Chromium, under the enforced Content Security Policy."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_a_manager_enrols_an_app_reading_the_key_then_gets_in(page, console_errors, world):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-factor/set-up/**")
    assert page.get_by_role("img", name="QR code for adding SEND Tracker to an authenticator app").is_visible()
    assert_accessible(page)
    page.get_by_text("I cannot scan the QR code").click()
    assert page.locator("#secret-key").is_visible()
    device = TOTPDevice.objects.get(user=world.manager, confirmed=False)
    code = str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(device.digits)
    page.get_by_role("textbox", name="Security code").fill(code)
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.wait_for_url("**/accounts/two-factor/backup-codes/**")
    assert page.locator("#backup-codes li").count() == 10
    assert_accessible(page)
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    assert "Signed in as" in page.content()
    assert console_errors == []


def test_the_sign_in_helper_passes_the_code_step_for_managers(page, console_errors, world):
    sign_in(page, "manager")
    page.goto("/areas/northshire/")
    assert page.url.endswith("/areas/northshire/")
    assert console_errors == []


def test_the_lockout_page_is_accessible(page, world):
    page.goto("/accounts/login/")
    for _ in range(5):
        page.get_by_label("Username").fill("officer")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        if "locked" in page.title():
            break
        page.goto("/accounts/login/")
    assert page.get_by_role("heading", name="Sign-in locked for 15 minutes").is_visible()
    assert_accessible(page)
