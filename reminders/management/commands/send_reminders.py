"""manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]: the daily sweep the beat runs, for any day."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reminders import services
from reminders.models import Delivery, Kind


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--date must be a date written YYYY-MM-DD, for example 2026-03-02 (got {value!r})."
        ) from None


class Command(BaseCommand):
    help = "Work out which reminders are due on a day, add them to the delivery ledger and queue them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The day to sweep, YYYY-MM-DD (default: today in Europe/London).")
        parser.add_argument("--dry-run", action="store_true", help="List what would be sent; write nothing.")
        parser.add_argument(
            "--weekly-digest",
            action="store_true",
            help="Also add the weekly digests (the beat does this on Mondays).",
        )
        parser.add_argument(
            "--send-now",
            action="store_true",
            help="Send the new rows from this process instead of waiting for a Celery worker.",
        )

    def handle(self, *args, **options) -> None:
        day = parse_day(options["date"]) if options["date"] else timezone.localdate()
        dry_run = options["dry_run"]
        results = [services.reminders_sweep(day=day, dry_run=dry_run)]
        if options["weekly_digest"]:
            results.append(services.weekly_digest_sweep(day=day, dry_run=dry_run))
        due = sum((result.due_by_kind for result in results), Counter())
        new = sum((result.new_by_kind for result in results), Counter())
        verb = "Would add" if dry_run else "Added"
        self.stdout.write(f"Reminders for {day:%A %d %B %Y}: {due.total()} due, {verb.lower()} {new.total()} new.")
        for kind in Kind:
            due_count, new_count = due[kind], new[kind]
            if due_count:
                self.stdout.write(f"  {kind.label}: {due_count} due, {new_count} new")
        if dry_run:
            self._list([planned for result in results for planned in result.new])
            return
        if options["send_now"]:
            ids = Delivery.objects.filter(scheduled_for=day, status=Delivery.Status.PENDING).values_list(
                "pk", flat=True
            )
            outcomes = services.delivery_send_now(ids=list(ids))
            self.stdout.write("Sent now: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))

    def _list(self, planned: list[services.Planned]) -> None:
        from accounts.models import User
        from actions.models import Action

        users = {u.pk: u for u in User.objects.filter(pk__in={p.recipient_id for p in planned})}
        actions = {
            a.pk: a
            for a in Action.objects.filter(pk__in={p.action_id for p in planned if p.action_id}).select_related(
                "plan__area"
            )
        }
        for p in planned:
            user = users[p.recipient_id]
            what = "digest"
            if p.action_id:
                action = actions[p.action_id]
                what = f"{action.plan.area.name} {action.reference} {action.title}"
            note = " (in daily digest)" if p.status == Delivery.Status.IN_DIGEST else ""
            self.stdout.write(f"  {Kind(p.kind).label} to {user.email}: {what}{note}")
