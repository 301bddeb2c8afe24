"""Build the national-scale benchmark data set (see actions/scale.py)."""

from __future__ import annotations

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from actions import scale


def positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Create invented national-scale data (areas, people, plans, actions, updates) with bulk inserts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--areas", type=positive, default=152)
        parser.add_argument("--actions-per-area", type=positive, default=100)
        parser.add_argument("--updates-per-action", type=positive, default=10)
        parser.add_argument("--seed", type=int, default=1, help="The same seed and anchor give the same data.")
        parser.add_argument(
            "--anchor",
            type=date.fromisoformat,
            default=None,
            help="The day the data treats as today (YYYY-MM-DD); by default today.",
        )
        parser.add_argument(
            "--open-only", action="store_true", help="Every action still open (the reminder sweep's data set)."
        )

    def handle(self, *args, **options) -> None:
        if options["areas"] > 999:
            raise CommandError("--areas can be at most 999 (area slugs have three digits).")
        if scale.scale_data_present():
            raise CommandError("This database already holds scale data (areas named scale-...); use an empty one.")
        config = scale.ScaleConfig(
            areas=options["areas"],
            actions_per_area=options["actions_per_area"],
            updates_per_action=options["updates_per_action"],
            seed=options["seed"],
            anchor=options["anchor"],
            open_only=options["open_only"],
            password=settings.DEMO_PASSWORD,
        )
        started = time.perf_counter()
        result = scale.Generator(config).run()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Scale data built in {seconds:.1f} s (seed {config.seed}):")
        for name, number in sorted(result.counts.items()):
            self.stdout.write(f"  {name}: {number}")
        self.stdout.write(
            f"Sign in as {scale.username(1, 'officer1')}, {scale.username(1, 'manager')}, "
            f"{scale.adviser_username('dfe', 0)} or {scale.ADMIN_USERNAME} (password: DEMO_PASSWORD)."
        )
