"""Celery tasks: thin wrappers that take ids or dates and call the service of the same name.

All of them are safe to run twice (the ledger makes them so), which is what late acknowledgement requires.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date

from celery import shared_task
from django.utils import timezone

from . import services

logger = logging.getLogger(__name__)


def _day(value: str | None) -> date:
    return date.fromisoformat(value) if value else timezone.localdate()


@shared_task(bind=True, acks_late=True, ignore_result=True)
def deliver(self, delivery_id: int) -> str:
    result = services.delivery_send(delivery_id=delivery_id)
    if result.outcome == services.Outcome.RETRY:
        # The ledger counts attempts and gives up by itself, so Celery's own retry limit is switched off here.
        raise self.retry(countdown=result.countdown, max_retries=None)
    return result.outcome


@shared_task(acks_late=True, ignore_result=True)
def deliver_batch(delivery_ids: list[int]) -> dict[str, int]:
    """Send a batch of rows over one mail connection; each row is still claimed on its own (the ledger decides).

    Rows waiting for a retry, or handed back by the soft time limit, get one new message, due when the last of
    them may be claimed again. If that publish fails they stay pending and the reaper finds them.
    """
    results = services.delivery_send_batch(delivery_ids=delivery_ids)
    retry = {pk: r.countdown for pk, r in results.items() if r.outcome == services.Outcome.RETRY}
    if retry:
        services.deliveries_enqueue(sorted(retry), countdown=max(retry.values()) or None)
    return dict(Counter(r.outcome for r in results.values()))


@shared_task(acks_late=True, ignore_result=True)
def deliver_fan_out(delivery_ids: list[int]) -> int:
    """Split a large wake-up (a sweep's new rows) into one message per batch. Publishing twice, after a
    redelivery, only wakes workers for rows the ledger already guards."""
    services.deliveries_publish_batches(delivery_ids)
    return len(delivery_ids)


@shared_task(ignore_result=True)
def sweep(day: str | None = None) -> dict[str, int]:
    result = services.reminders_sweep(day=_day(day))
    logger.info("Reminder sweep for %s: %s new rows, due %s", result.day, result.created, dict(result.due_by_kind))
    return dict(result.due_by_kind)


@shared_task(ignore_result=True)
def weekly_digest(day: str | None = None) -> int:
    return services.weekly_digest_sweep(day=_day(day)).created


@shared_task(ignore_result=True)
def reap() -> dict[str, int]:
    result = services.deliveries_reap()
    if result.requeued or result.reclaimed or result.unknown:
        logger.warning("Reaper: %s", result)
    return {"requeued": result.requeued, "reclaimed": result.reclaimed, "unknown": result.unknown}
