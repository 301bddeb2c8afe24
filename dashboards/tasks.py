"""Celery tasks of the dashboards app: thin wrappers around the services of the same name."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def board_packs_send_due() -> int:
    """Daily from beat: email each board pack due today to the area's chair."""
    return services.board_packs_send_due(today=timezone.localdate())
