"""Celery tasks of the dashboards app: thin wrappers around the services of the same name."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def board_packs_send_due(day: str | None = None) -> int:
    """Daily from beat: owe each board pack due today to the area's chair in the reminders delivery ledger,
    whose workers send it. `day` (YYYY-MM-DD) runs the schedule for another day."""
    return services.board_packs_send_due(today=date.fromisoformat(day) if day else timezone.localdate())
