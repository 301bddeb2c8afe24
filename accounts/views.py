"""Sign-in pages of our own: two-factor enrolment, the code step after the password, and backup codes."""

from __future__ import annotations

import base64
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice

from . import access
from .forms import SecondFactorForm
from .models import Membership
from .two_factor import confirm_app_device, has_confirmed_app, new_backup_codes, pending_app_device

BACKUP_CODES_SESSION_KEY = "two_factor_new_backup_codes"


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


def qr_code_svg(text: str) -> str:
    """An SVG QR code, drawn on the server so enrolment needs no script and sends the secret nowhere."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4)
    svg = image.to_string(encoding="unicode")
    # The size comes from the stylesheet; the label tells screen reader users what the picture is.
    svg = svg.replace(
        "<svg ",
        '<svg class="app-qr-code" role="img" aria-label="QR code for adding SEND Tracker to an authenticator app" ',
        1,
    )
    # The SVG is generated here from a URL we built; it contains no user input.
    return mark_safe(svg)  # noqa: S308


def _grouped_secret(device) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@sensitive_post_parameters("code")
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """First step for a new plan manager or administrator: scan a QR code, then type the code the app shows."""
    if has_confirmed_app(request.user) and not request.user.is_verified():
        # Adding a new app must never be a way round the one already enrolled.
        return redirect("two_factor_verify")
    device = pending_app_device(request.user)
    form = SecondFactorForm(
        request.POST or None,
        hint="The 6-digit code your authenticator app shows for SEND Tracker.",
        button="Turn on two-factor authentication",
    )
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            request.session[BACKUP_CODES_SESSION_KEY] = confirm_app_device(request.user, device)
            otp_login(request, device)
            return redirect(f"{_backup_codes_url()}?{_next_query(request)}")
        form.add_error("code", "That code is not right. Check the time on your phone and enter the newest code")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_code": qr_code_svg(device.config_url),
            "secret": _grouped_secret(device),
            "next": _next_url(request),
        },
    )


@never_cache
@sensitive_post_parameters("code")
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The step after the password: a code from the authenticator app, or one of the backup codes."""
    if not has_confirmed_app(request.user):
        return redirect("two_factor_setup")
    form = SecondFactorForm(
        request.POST or None,
        hint="The 6-digit code from your authenticator app, or one of your backup codes.",
    )
    if request.method == "POST" and form.is_valid():
        # Each device limits repeated wrong codes itself (django-otp's throttling), so guessing is slowed down.
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                remaining = device.token_set.count()
                messages.warning(request, f"You used a backup code. You have {remaining} left.")
            return redirect(_next_url(request))
        form.add_error("code", "That code is not right. Enter the newest code from your app, or a backup code")
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
def backup_codes(request: HttpRequest) -> HttpResponse:
    """Shows new backup codes once, just after enrolment or after asking for a new set."""
    if not request.user.is_verified():
        return redirect("two_factor_verify" if has_confirmed_app(request.user) else "two_factor_setup")
    if request.method == "POST":
        request.session[BACKUP_CODES_SESSION_KEY] = new_backup_codes(request.user)
        return redirect(f"{_backup_codes_url()}?{_next_query(request)}")
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    return render(request, "accounts/two_factor_backup_codes.html", {"codes": codes, "next": _next_url(request)})


def _backup_codes_url() -> str:
    return reverse("two_factor_backup_codes")


def _next_query(request: HttpRequest) -> str:
    return "next=" + quote(_next_url(request), safe="/")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Who the user is in SEND Tracker, and links to their own settings (reminders, calendar, API tokens)."""
    memberships = Membership.objects.filter(user=request.user).select_related("organisation").order_by("role")
    context = {"memberships": memberships, "areas": access.visible_areas(request.user).order_by("name")}
    return render(request, "accounts/account.html", context)
