"""Creating and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import ApiToken

TOKEN_PREFIX = "st_"
MAX_LIVE_TOKENS = 20


def hash_key(key: str) -> str:
    # The key has 256 random bits, so a fast hash is enough: nobody can guess their way to a match.
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns it with its secret key, which is never stored or shown again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the token, such as the tool that will use it."})
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_LIVE_TOKENS:
        raise ValidationError(f"You already have {MAX_LIVE_TOKENS} tokens; revoke one you no longer use.")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, key_hash=hash_key(key), prefix=key[:10])
    token.full_clean()
    token.save()
    return token, key


def api_token_revoke(*, user, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; someone else's token is simply not found."""
    token = ApiToken.objects.get(pk=token_id, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
