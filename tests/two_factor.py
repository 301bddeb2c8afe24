"""Test helpers for two-factor authentication.

Plan managers and administrators must pass a second factor before any page. Tests that are about something else
sign them in with these helpers:
- `verify_session(client, user)`: marks a test client's signed-in session as having passed the second factor
  (tests/conftest.py makes every `client.force_login` do this, so force-logged-in managers just work);
- `enrolled_device(user)`: the user's confirmed authenticator-app device, created if needed;
- `current_code(device)`: the code the person's app would show now, and lets the device accept it again, so a
  test can sign in twice within the same 30 seconds;
- `complete_second_factor(page, user)`: in a Playwright page showing the code step, enters the code.
"""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import APP_DEVICE_NAME


def enrolled_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)
    return device


def current_code(device: TOTPDevice) -> str:
    # A TOTP device refuses a code from a time step it has already accepted; tests sign in faster than that.
    device.last_t = -1
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save(update_fields=["last_t", "throttling_failure_count", "throttling_failure_timestamp"])
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(code).zfill(device.digits)


def verify_session(client, user) -> None:
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = enrolled_device(user).persistent_id
    session.save()


def complete_second_factor(page, user) -> None:
    """On the 'Enter your security code' page of a Playwright `page`, type the current code and continue."""
    page.get_by_role("textbox", name="Security code").fill(current_code(enrolled_device(user)))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
