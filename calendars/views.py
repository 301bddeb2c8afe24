from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from .feeds import user_calendar
from .services import calendar_token_reset, calendar_token_revoke


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: the secret in the URL is the only credential, as calendar clients cannot sign in."""
    if len(token) < 20:
        raise Http404("No such calendar.")
    user = get_user_model().objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404("No such calendar.")
    response = HttpResponse(user_calendar(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="send-tracker.ics"'
    response["Cache-Control"] = "private, max-age=900"
    # The URL is the secret: keep it out of other sites' logs.
    response["Referrer-Policy"] = "no-referrer"
    return response


def feed_url(user) -> str | None:
    if not user.calendar_token:
        return None
    return settings.SITE_URL + reverse("calendar_feed", args=[user.calendar_token])


@login_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    url = feed_url(request.user)
    return render(
        request,
        "calendars/calendar_settings.html",
        {"feed_url": url, "webcal_url": url and "webcal://" + url.split("://", 1)[1]},
    )


@login_required
@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    had_one = bool(request.user.calendar_token)
    calendar_token_reset(user=request.user)
    messages.success(
        request,
        "Your new calendar link is ready. The old link has stopped working."
        if had_one
        else "Your calendar link is ready.",
    )
    return redirect("calendar_settings")


@login_required
@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    calendar_token_revoke(user=request.user)
    messages.success(request, "Your calendar link has been turned off and no longer works.")
    return redirect("calendar_settings")
