"""Sessions end after SESSION_COOKIE_AGE (30 minutes) without a request.

Django can push a session's expiry on at every request (SESSION_SAVE_EVERY_REQUEST), but that writes to the
session table on every page view. Here a signed-in session is saved again only when its expiry was last pushed
on more than REFRESH_SECONDS ago, so a session ends between 29 and 30 minutes after the last request, with at
most one write a minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

REFRESH_SECONDS = 60
REFRESHED_AT = "_idle_refreshed_at"


@receiver(user_logged_in)
def mark_fresh_on_sign_in(sender, request: HttpRequest, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[REFRESHED_AT] = int(time.time())


class IdleTimeoutMiddleware:
    """Pushes a signed-in session's expiry on, at most once a minute. Goes after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        # Only sessions already loaded for a signed-in person: never create one for an anonymous visitor.
        if session is not None and user is not None and user.is_authenticated and session.session_key:
            now = int(time.time())
            last = session.get(REFRESHED_AT)
            if not isinstance(last, int) or now - last >= REFRESH_SECONDS:
                # Saving (SessionMiddleware does it on the way out) sets a new expiry SESSION_COOKIE_AGE ahead.
                session[REFRESHED_AT] = now
        return response
