"""Personal API tokens: a user may hold several (one per reporting tool), each named and revocable."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text='What uses it, for example "Power BI board report".')
    # Only a hash is stored: the token itself is shown once, when it is created.
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="The start of the token, so its owner can recognise it.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "-created_at"]
        indexes = [
            # The account page: a user's tokens still in use.
            models.Index(fields=["user"], name="api_token_live_user_idx", condition=Q(revoked_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
