"""Our action list and Django admin's Action changelist, back to back in one process, on a seeded database.

Ratios measured this way hold on a busy machine, where wall-clock times vary two- or threefold between runs.
Run against your own database seeded with `manage.py seed_scale` (never the application's data):

    DATABASE_URL=postgres://.../st_x_scale DEBUG=false SECRET_KEY=... ALLOWED_HOSTS=testserver \\
      .venv/bin/python -m bench.inprocess 20                       # medians, queries and sizes of each page
    ... .venv/bin/python -m bench.inprocess 20 --profile ours_admin_100   # a pyinstrument profile of one page

Static files must have been collected (`manage.py collectstatic`), as with DEBUG off in production. Each persona
is signed in with a confirmed second factor, as the two-factor policy requires of administrators; so every page
here makes one query more than in `make bench` (the device lookup).
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_tracker.settings")


def main(argv: list[str]) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from actions import scale
    from inspections.models import LocalArea

    def client_for(username: str) -> Client:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    admin = client_for(scale.ADMIN_USERNAME)
    adviser = client_for(scale.adviser_username("dfe", 0))
    officer = client_for(scale.username(1, "officer1"))
    chair = client_for(scale.username(1, "chair"))
    area = LocalArea.objects.get(slug=scale.area_slug(1))
    pages = {
        "ours_admin_100": (admin, "/actions/?per_page=100"),
        "admin_changelist": (admin, "/admin/actions/action/"),
        "adviser_list": (adviser, "/actions/"),
        "adviser_area_overdue": (adviser, f"/actions/?area={area.pk}&overdue=on"),
        "my_actions": (officer, "/my-actions/"),
        "api_adviser": (adviser, "/api/v1/actions/"),
        "area_dashboard": (chair, f"/areas/{area.slug}/dashboard/"),
        "national_overview": (admin, "/national/"),
    }

    def get(name: str) -> tuple[float, int, int]:
        client, url = pages[name]
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url, secure=True)
            ms = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{name}: status {response.status_code}")
        return ms, len(ctx.captured_queries), len(response.content)

    rounds = int(argv[0]) if argv else 20
    if len(argv) > 2 and argv[1] == "--profile":
        from pyinstrument import Profiler

        for _ in range(3):
            get(argv[2])
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(rounds):
            get(argv[2])
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False))
        return

    names = argv[1:] or list(pages)
    for name in names:
        get(name)
        get(name)
    times: dict[str, list[float]] = {name: [] for name in names}
    seen: dict[str, tuple[int, int]] = {}
    # Round-robin, so that a burst of load on the machine falls on every page alike.
    for _ in range(rounds):
        for name in names:
            ms, queries, size = get(name)
            times[name].append(ms)
            seen[name] = (queries, size)
    for name in names:
        ordered = sorted(times[name])
        p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
        queries, size = seen[name]
        print(f"{name:22} p50 {statistics.median(ordered):7.1f} ms  p95 {p95:7.1f}  queries {queries:3}  bytes {size}")
    if "ours_admin_100" in times and "admin_changelist" in times:
        ratio = statistics.median(times["ours_admin_100"]) / statistics.median(times["admin_changelist"])
        print(f"action list / admin changelist (p50): {ratio:.2f}")
    print("load average:", " ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main(sys.argv[1:])
