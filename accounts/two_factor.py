"""Two-factor authentication policy: who must use a second factor, and sending them to enrol or verify.

django-otp marks `request.user.is_verified()` once the session has passed a TOTP code or a backup code. The
middleware here refuses everything else to a plan manager or administrator whose session has not, sending them to
enrol an authenticator app (first time) or to enter a code (every sign-in). It fails closed: any new way of
creating a session is covered without changes here.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from urllib.parse import urlencode

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import requires_second_factor

BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "Backup codes"
APP_DEVICE_NAME = "Authenticator app"

# Pages a signed-in person without a second factor may still reach: the steps to get one, signing out, and pages
# that show nothing about anyone's data.
EXEMPT_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "two_factor_setup",
        "two_factor_verify",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "accessibility",
        "healthz",
    }
)


def has_confirmed_app(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_url(request: HttpRequest) -> str:
    """Where to send someone who still needs a second factor, remembering the page they asked for."""
    name = "two_factor_verify" if has_confirmed_app(request.user) else "two_factor_setup"
    url = reverse(name)
    if request.method in ("GET", "HEAD"):
        url += "?" + urlencode({"next": request.get_full_path()})
    return url


class TwoFactorPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and requires_second_factor(user)
            and not _is_exempt(request)
        ):
            return HttpResponseRedirect(second_factor_url(request))
        return self.get_response(request)


def _is_exempt(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        # Nothing is there; the 404 page discloses nothing.
        return True
    return match.url_name in EXEMPT_URL_NAMES


def pending_app_device(user) -> TOTPDevice:
    """The unconfirmed authenticator-app device being enrolled, created on first visit and kept until confirmed,
    so reloading the page does not change the QR code the person has already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def new_backup_codes(user) -> list[str]:
    """Replace the user's backup codes with a fresh set and return them (they are shown once)."""
    codes = [_backup_code() for _ in range(BACKUP_CODE_COUNT)]
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _backup_code() -> str:
    # 10 characters from a 32-letter alphabet without look-alikes (50 bits): typed once, never guessable.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def confirm_app_device(user, device: TOTPDevice) -> list[str]:
    """Confirm a newly verified authenticator app, retire any older one, and issue backup codes."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return new_backup_codes(user)
