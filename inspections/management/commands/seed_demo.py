"""Load the demonstration data set (idempotent: a second run changes nothing)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from inspections.demo import build


class Command(BaseCommand):
    help = "Create the demo areas, inspections, plans, actions, KPIs and demo users (safe to run again)."

    def handle(self, *args, **options) -> None:
        before = build.counts()
        world = build.seed_demo()
        after = build.counts()
        self.stdout.write(f"Demo data loaded (dates counted from {world.anchor:%d %B %Y}).")
        for name, total in after.items():
            added = total - before[name]
            self.stdout.write(f"  {name}: {total}" + (f" ({added} new)" if added else ""))
        self.stdout.write(f"Demo logins (password: {settings.DEMO_PASSWORD}):")
        for username, role in build.demo_logins():
            self.stdout.write(f"  {username:<18} {role}")
