"""Sign-in protection: the django-axes lockout check and the client address it locks on."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a sign-in while its username and address are locked out; otherwise lets the next backend decide.

    Every sign-in a person makes goes through a view with a request, and is checked. Code that authenticates
    without one (management commands, the test client's `login()`) has no address to lock on, so it is passed on
    to the password check rather than failing with an error.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from, as seen by the nearest proxy we trust.

    With TRUSTED_PROXY_COUNT = 0 this is REMOTE_ADDR. Behind N proxies that each append to X-Forwarded-For, the
    client is the Nth address from the right; anything further left was written by the client and is ignored,
    so nobody can dodge a lockout by sending their own X-Forwarded-For.
    """
    count = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) >= count:
        return forwarded[-count]
    return remote
