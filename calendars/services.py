"""Each user's private calendar-feed URL: turn it on (or replace it), or turn it off."""

from __future__ import annotations

import secrets


def calendar_token_reset(*, user) -> str:
    """A new secret for the user's feed URL; any URL given out before stops working at once."""
    user.calendar_token = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def calendar_token_revoke(*, user) -> None:
    user.calendar_token = ""
    user.save(update_fields=["calendar_token"])
