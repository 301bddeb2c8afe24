"""`make bench`: SEND Tracker at national scale, measured against its targets. See bench/README.md.

Phases, each against a PostgreSQL database of the benchmark's own (BENCH_DATABASE_URL):
1. data: migrate and `seed_scale` (152 areas x 100 actions x 10 updates);
2. pages: gunicorn with DEBUG off on a free 127.0.0.1 port; each page requested by a signed-in persona, server
   time and queries read from headers set by bench.middleware; Django admin's Action changelist alongside;
3. load: 20 signed-in users for 60 seconds on a mixed flow, including posting updates;
4. sweep: a 100,000-open-action data set; the reminder sweep for one day against one SQL statement (the floor);
5. email: the ledger rows that sweep queued, sent by 2 Celery worker processes to a local aiosmtpd server.
Writes bench/results.json and prints a table.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/send_tracker_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
HOST = "127.0.0.1"

TARGETS = {
    "page_p95_ms": 150,
    "page_queries": 12,
    "action_list_vs_admin": 1.0,
    "sweep_seconds": 3.0,
    "sweep_vs_floor": 3.0,
    "sweep_peak_mb": 300,
    "email_per_second": 100,
    "load_errors": 0,
    "load_p95_ms": 400,
}


# --- Pure helpers (tested in tests/test_bench.py) -------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` (0..1) of the values fall, interpolating between neighbours."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def summarise(times_ms: list[float], queries: list[int]) -> dict[str, Any]:
    return {
        "p50_ms": round(percentile(times_ms, 0.5), 1),
        "p95_ms": round(percentile(times_ms, 0.95), 1),
        # The most any request needed: a page whose count varies between requests shows it here.
        "queries": max(queries) if queries else None,
        "requests": len(times_ms),
    }


def ratio(ours: float | None, theirs: float | None) -> float | None:
    if not ours or not theirs:
        return None
    return round(ours / theirs, 2)


def safe_database_name(url: str) -> str:
    """The database name in a postgres:// URL, refusing anything that could be a shell or SQL surprise."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(f"BENCH_DATABASE_URL must be a postgres:// URL (got {url!r}).")
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", name):
        raise SystemExit(f"BENCH_DATABASE_URL must name a plain database (letters, digits, _), got {name!r}.")
    return name


def same_database(first: str, second: str) -> bool:
    a, b = urlsplit(first), urlsplit(second)
    return (a.hostname or "localhost", a.port or 5432, a.path) == (b.hostname or "localhost", b.port or 5432, b.path)


def csrf_token(html: str) -> str | None:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else None


def check(value: float | None, limit: float, higher_is_better: bool = False) -> str:
    if value is None:
        return "-"
    good = value >= limit if higher_is_better else value <= limit
    return "ok" if good else "MISSED"


# --- Configuration ----------------------------------------------------------------------------------------------


@dataclass
class Sizes:
    areas: int = 152
    actions_per_area: int = 100
    updates_per_action: int = 10
    sweep_actions_per_area: int = 660
    requests: int = 50
    load_users: int = 20
    load_seconds: int = 60
    email_seconds: int = 20
    workers: int = 2  # Celery worker processes, as the target is stated
    # gunicorn's recommended (2 x cores) + 1 sync workers: a worker waiting on PostgreSQL leaves the core to another.
    web_workers: int = field(default_factory=lambda: 2 * (os.cpu_count() or 1) + 1)

    @classmethod
    def quick(cls) -> Sizes:
        return cls(
            areas=20,
            actions_per_area=20,
            updates_per_action=3,
            sweep_actions_per_area=100,
            requests=10,
            load_users=4,
            load_seconds=8,
            email_seconds=5,
        )


@dataclass
class Environment:
    database_url: str
    redis_url: str
    env: dict[str, str] = field(default_factory=dict)
    seed: int = 1
    anchor: date = field(default_factory=date.today)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def code_version() -> str | None:
    """The commit measured, so that figures can be compared between versions."""
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return found.stdout.strip() or None


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def manage(environment: Environment, *args: str) -> str:
    completed = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment.env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{completed.stdout}\n{completed.stderr}")
    return completed.stdout


def recreate_database(url: str) -> None:
    import psycopg

    name = safe_database_name(url)
    parts = urlsplit(url)
    admin_url = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def build_data(environment: Environment, areas: int, actions_per_area: int, updates: int, open_only: bool) -> float:
    """A fresh database with the scale data set; returns the seeding time in seconds."""
    from django.db import connections

    connections.close_all()
    recreate_database(environment.database_url)
    manage(environment, "migrate", "--no-input", "-v0")
    args = [
        "seed_scale",
        f"--areas={areas}",
        f"--actions-per-area={actions_per_area}",
        f"--updates-per-action={updates}",
        f"--seed={environment.seed}",
        f"--anchor={environment.anchor.isoformat()}",
    ]
    if open_only:
        args.append("--open-only")
    started = time.perf_counter()
    manage(environment, *args)
    return time.perf_counter() - started


# --- HTTP ---------------------------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    body: str
    headers: dict[str, str]
    client_ms: float

    @property
    def server_ms(self) -> float:
        return float(self.headers.get("x-server-time-ms", self.client_ms))

    @property
    def queries(self) -> int | None:
        value = self.headers.get("x-query-count")
        return int(value) if value is not None else None


class Browser:
    """One signed-in person: a cookie jar and plain HTTP/1.1 requests (gunicorn's sync workers close each one)."""

    def __init__(self, port: int, cookies: dict[str, str]):
        self.port = port
        self.cookies = dict(cookies)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Reply:
        headers = {"Host": f"{HOST}:{self.port}", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
            headers["Origin"] = f"http://{HOST}:{self.port}"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        elapsed = (time.perf_counter() - started) * 1000
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Reply(response.status, text, {k.lower(): v for k, v in response.getheaders()}, elapsed)

    def get(self, path: str) -> Reply:
        return self.request("GET", path)


@contextlib.contextmanager
def process(args: list[str], environment: Environment, name: str, log_path: Path) -> Iterator[subprocess.Popen]:
    """Start a child process in its own process group; stop that group (and only it) on the way out."""
    log_file = log_path.open("w")
    child = subprocess.Popen(
        args, cwd=ROOT, env=environment.env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        yield child
    finally:
        # The parent first (a warm shutdown: gunicorn and Celery stop their own children), then the whole group.
        with contextlib.suppress(ProcessLookupError):
            os.kill(child.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        log_file.close()


def wait_for(check_ready: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, http.client.HTTPException):
            if check_ready():
                return
        time.sleep(0.3)
    raise SystemExit(f"{what} did not start within {seconds:.0f} s")


@contextlib.contextmanager
def web_server(environment: Environment, workers: int) -> Iterator[int]:
    port = free_port()
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "send_tracker.wsgi",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--timeout=120",
        "--log-level=warning",
    ]
    with process(args, environment, "gunicorn", ROOT / "var" / "bench-gunicorn.log"):
        wait_for(lambda: Browser(port, {}).get("/accounts/login/").status > 0, "gunicorn")
        yield port


# --- Personas and the objects they look at -------------------------------------------------------------------


def django_setup(environment: Environment) -> None:
    os.environ.update(environment.env)
    import django

    django.setup()


def sign_in(username: str) -> dict[str, str]:
    """A session cookie for `username`, made the way Django's test client does (no password hashing per run).

    Plan managers and administrators must pass a second factor before any page; their session is marked as
    verified with an enrolled authenticator app, as it would be after they typed their code, so the timed
    requests include the device check every verified request makes.
    """
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.access import requires_second_factor
    from accounts.models import User
    from accounts.two_factor import APP_DEVICE_NAME

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    if requires_second_factor(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name=APP_DEVICE_NAME, defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


@dataclass
class Fixtures:
    area_slug: str
    area_id: int
    plan_id: int
    heavy_action_id: int
    heavy_updates: int
    personas: dict[str, str]


def find_fixtures() -> Fixtures:
    from actions import scale
    from actions.models import Action, ActionPlan
    from inspections.models import LocalArea

    area = LocalArea.objects.get(slug=scale.area_slug(1))
    plan = ActionPlan.objects.filter(area=area).order_by("pk").first()
    heavy = Action.objects.get(plan=plan, reference=scale.HEAVY_REFERENCE)
    return Fixtures(
        area_slug=area.slug,
        area_id=area.pk,
        plan_id=plan.pk,
        heavy_action_id=heavy.pk,
        heavy_updates=heavy.updates.count(),
        personas={
            "officer": scale.username(1, "officer1"),
            "manager": scale.username(1, "manager"),
            "chair": scale.username(1, "chair"),
            "adviser": scale.adviser_username("dfe", 0),
            "admin": scale.ADMIN_USERNAME,
        },
    )


@dataclass(frozen=True)
class Page:
    name: str
    url_name: str
    persona: str
    kwargs: Callable[[Fixtures], dict[str, Any]] = lambda fx: {}
    query: Callable[[Fixtures], dict[str, Any]] = lambda fx: {}
    note: str = ""


# Keyed by URL name, so pages that do not exist yet are skipped with a note rather than failing the run.
PAGES = [
    Page("home", "home", "adviser", note="an adviser with ten areas"),
    Page("area_page", "area_detail", "officer", kwargs=lambda fx: {"slug": fx.area_slug}),
    Page("plan_page", "plan_detail", "manager", kwargs=lambda fx: {"pk": fx.plan_id}),
    Page("my_actions", "my_actions", "officer"),
    Page("action_list", "action_list", "adviser", note="1,000 actions in ten areas"),
    Page(
        "action_list_area_overdue",
        "action_list",
        "adviser",
        query=lambda fx: {"area": fx.area_id, "overdue": "on"},
    ),
    Page("action_detail_50_updates", "action_detail", "manager", kwargs=lambda fx: {"pk": fx.heavy_action_id}),
    Page("area_dashboard", "dashboards:area_dashboard", "chair", kwargs=lambda fx: {"slug": fx.area_slug}),
    Page("national_overview", "dashboards:national_overview", "admin", note="all areas"),
    Page("api_action_list", "api-action-list", "adviser"),
]
# The peer comparison: the same rows (every action, as an administrator) and the same page size (admin's 100).
OUR_LIST_AS_ADMIN = Page("action_list_all_rows", "action_list", "admin", query=lambda fx: {"per_page": 100})
ADMIN_CHANGELIST = Page("admin_changelist", "admin:actions_action_changelist", "admin")


def reverse_or_none(url_name: str, **kwargs: Any) -> str | None:
    """The path for a URL name, or None when this version of the application has no such page."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(url_name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def page_path(page: Page, fixtures: Fixtures) -> str | None:
    path = reverse_or_none(page.url_name, **page.kwargs(fixtures))
    if path is None:
        return None
    query = page.query(fixtures)
    return f"{path}?{urlencode(query)}" if query else path


def measure_pages(
    port: int, targets: list[tuple[dict[str, str], str]], requests: int
) -> list[tuple[dict[str, Any], str]]:
    """Each (cookies, path) requested `requests` times after 3 to warm up; a summary and any problem for each.

    Several paths take turns, request by request, so that a change in the machine's speed during the run falls on
    all of them alike: the action list and the admin changelist are compared this way. Timed one after the other,
    their ratio moved between 0.64 and 0.96 over four runs, as the machine's speed drifted by half within a minute.
    """
    browsers = [Browser(port, cookies) for cookies, _path in targets]
    for browser, (_cookies, path) in zip(browsers, targets, strict=True):
        for _ in range(3):  # warm up: connections, template caches
            browser.get(path)
    samples = [{"times": [], "client": [], "queries": [], "statuses": set()} for _ in targets]
    for _ in range(requests):
        for browser, (_cookies, path), sample in zip(browsers, targets, samples, strict=True):
            reply = browser.get(path)
            sample["statuses"].add(reply.status)
            sample["times"].append(reply.server_ms)
            sample["client"].append(reply.client_ms)
            if reply.queries is not None:
                sample["queries"].append(reply.queries)
    results = []
    for sample in samples:
        summary = summarise(sample["times"], sample["queries"])
        summary["client_p50_ms"] = round(percentile(sample["client"], 0.5), 1)
        summary["status"] = sorted(sample["statuses"])
        problem = "" if sample["statuses"] == {200} else f"answered {sorted(sample['statuses'])}"
        results.append((summary, problem))
    return results


# The small data set for the query-count comparison: a few areas, few actions, few updates.
SMALL = {"areas": 3, "actions_per_area": 30, "updates_per_action": 2}


def small_page_queries(environment: Environment, sizes: Sizes) -> dict[str, int | None]:
    """Queries per page on a small data set, to compare with the full one: they should not grow with the data."""
    build_data(environment, SMALL["areas"], SMALL["actions_per_area"], SMALL["updates_per_action"], False)
    fixtures = find_fixtures()
    with web_server(environment, sizes.web_workers) as port:
        pages = run_pages(port, fixtures, sizes, notes=[], requests=2, quiet=True)
    return {name: page["queries"] for name, page in pages.items()}


def run_pages(
    port: int, fixtures: Fixtures, sizes: Sizes, notes: list[str], requests: int | None = None, quiet: bool = False
) -> dict[str, Any]:
    cookies = {key: sign_in(username) for key, username in fixtures.personas.items()}
    results: dict[str, Any] = {}
    # Each page on its own, then our list and the admin changelist taking turns (see measure_pages).
    for group in [*([page] for page in PAGES), [OUR_LIST_AS_ADMIN, ADMIN_CHANGELIST]]:
        paths = {page.name: page_path(page, fixtures) for page in group}
        for page in group:
            if paths[page.name] is None:
                notes.append(f"{page.name}: skipped, no URL named {page.url_name!r} in this version")
                if not quiet:
                    log(notes[-1])
        present = [page for page in group if paths[page.name] is not None]
        targets = [(cookies[page.persona], paths[page.name]) for page in present]
        measured = measure_pages(port, targets, requests or sizes.requests)
        for page, (summary, problem) in zip(present, measured, strict=True):
            summary.update(path=paths[page.name], persona=fixtures.personas[page.persona])
            if problem:
                notes.append(f"{page.name}: {paths[page.name]} {problem}")
                log(notes[-1])
            results[page.name] = summary
            if not quiet:
                log(
                    f"{page.name}: p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, {summary['queries']} queries"
                )
    return results


# --- Load ---------------------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    requests: int = 0
    errors: int = 0
    times_ms: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, what: str, reply: Reply | None, expected: tuple[int, ...] = (200,), problem: str = "") -> None:
        with self.lock:
            self.requests += 1
            if reply is not None:
                self.times_ms.append(reply.client_ms)
            if reply is None or reply.status not in expected:
                self.errors += 1
                if len(self.error_samples) < 10:
                    status = reply.status if reply is not None else problem
                    self.error_samples.append(f"{what}: {status}")


def run_load(port: int, sizes: Sizes) -> dict[str, Any]:
    result = LoadResult()
    deadline = time.monotonic() + sizes.load_seconds
    threads = [
        threading.Thread(target=LoadUser(n, port, sizes, deadline, result).run, daemon=True)
        for n in range(sizes.load_users)
    ]
    posts = reverse_or_none("progress_update_create", pk=1) is not None
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=sizes.load_seconds + 120)
    elapsed = time.monotonic() - started
    return {
        "users": sizes.load_users,
        "seconds": round(elapsed, 1),
        "requests": result.requests,
        "errors": result.errors,
        "p50_ms": round(percentile(result.times_ms, 0.5), 1) if result.times_ms else None,
        "p95_ms": round(percentile(result.times_ms, 0.95), 1) if result.times_ms else None,
        "requests_per_second": round(result.requests / elapsed, 1) if elapsed else None,
        "posts_updates": posts,
        "error_samples": result.error_samples,
    }


class LoadUser:
    """One person's loop: My actions, the action list, one of their actions, post an update, the dashboard."""

    def __init__(self, number: int, port: int, sizes: Sizes, deadline: float, result: LoadResult):
        from actions import scale
        from actions.models import Action

        self.area_number = number % sizes.areas + 1
        username = scale.username(self.area_number, "officer1")
        self.actions = list(
            Action.objects.filter(lead_officer__username=username, status__in=Action.OPEN_STATUSES)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        self.browser = Browser(port, sign_in(username))
        self.rng = random.Random(number)
        self.deadline = deadline
        self.result = result
        self.sequence = 0

    @staticmethod
    def url(name: str, **kwargs: Any) -> str | None:
        return reverse_or_none(name, **kwargs)

    def call(self, what: str, path: str | None, form: dict[str, str] | None = None, expected=(200,)) -> Reply | None:
        if path is None:
            return None
        try:
            reply = self.browser.request("POST" if form is not None else "GET", path, form)
        except OSError as exc:
            self.result.record(what, None, problem=exc.__class__.__name__)
            return None
        self.result.record(what, reply, expected)
        return reply

    def post_update(self, pk: int) -> None:
        path = self.url("progress_update_create", pk=pk)
        form_page = self.call("update_form", path)
        if form_page is None or form_page.status != 200:
            return
        token = csrf_token(form_page.body)
        if token is None:
            self.result.record("update_form", None, problem="no CSRF token in the form")
            return
        self.sequence += 1
        form = {
            "csrfmiddlewaretoken": token,
            "text": f"Load-test update {self.sequence}: work continues as planned.",
            "rag": self.rng.choice(["green", "amber", "red"]),
            "percent_complete": str(self.rng.randint(10, 90)),
        }
        # The form may carry hidden fields (a version for optimistic locking, for example): send them back.
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form_page.body):
            form.setdefault(name, value)
        self.call("post_update", path, form, expected=(302, 303))

    def run(self) -> None:
        from actions import scale

        while time.monotonic() < self.deadline:
            steps: list[Callable[[], Any]] = [
                lambda: self.call("my_actions", self.url("my_actions")),
                lambda: self.call("action_list", self.url("action_list")),
            ]
            if self.actions:
                pk = self.rng.choice(self.actions)
                steps.append(lambda pk=pk: self.call("action_detail", self.url("action_detail", pk=pk)))
                steps.append(lambda pk=pk: self.post_update(pk))
            slug = scale.area_slug(self.area_number)
            steps.append(
                lambda slug=slug: self.call("area_dashboard", self.url("dashboards:area_dashboard", slug=slug))
            )
            for step in steps:
                if time.monotonic() >= self.deadline:
                    return
                step()
                time.sleep(self.rng.uniform(0.5, 1.5))  # think time, like locust's `between(0.5, 1.5)`


# --- Sweep and email ------------------------------------------------------------------------------------------


def reminders_available() -> bool:
    try:
        import reminders.services as services
    except ImportError:
        return False
    return hasattr(services, "reminders_sweep")


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def previous_working_day(day: date) -> date:
    from send_tracker.working_days import working_day_on_or_before

    return working_day_on_or_before(day - timedelta(days=1))


def run_sweep(environment: Environment, day: date, enqueue: bool = True) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.sweep", day.isoformat(), *([] if enqueue else ["--no-enqueue"])],
        cwd=ROOT,
        env=environment.env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"The sweep failed:\n{completed.stdout}\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def settle_after_backlog() -> None:
    """Vacuum and analyse the ledger the backlog sweep has just filled, as autovacuum would have done in the
    months the backlog stands for. Otherwise autovacuum starts on it during the measured sweep, and the floor
    and the sweep are planned without statistics for the ledger they consult."""
    from django.db import connection

    from reminders.models import Delivery

    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {Delivery._meta.db_table}")


def purge_queue(environment: Environment) -> None:
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "send_tracker", "purge", "-f"],
        cwd=ROOT,
        env=environment.env,
        capture_output=True,
        check=False,
    )


def run_email(environment: Environment, sizes: Sizes) -> dict[str, Any]:
    """Deliver the queued ledger rows for a fixed window and count how many were sent per second."""
    from django.db import connections

    from reminders.models import Delivery

    smtp_port = free_port()
    env = {**environment.env, "EMAIL_HOST": HOST, "EMAIL_PORT": str(smtp_port), "EMAIL_USE_TLS": "false"}
    mail = Environment(environment.database_url, environment.redis_url, env)
    smtp = [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"{HOST}:{smtp_port}"]
    worker = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "send_tracker",
        "worker",
        f"--concurrency={sizes.workers}",
        "--pool=prefork",
        "--loglevel=WARNING",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    queued = Delivery.objects.filter(status=Delivery.Status.PENDING).count()
    sent = Delivery.objects.filter(status=Delivery.Status.SENT)
    connections.close_all()
    with process(smtp, mail, "aiosmtpd", ROOT / "var" / "bench-smtp.log"):
        wait_for(lambda: socket.create_connection((HOST, smtp_port), timeout=1).close() is None, "aiosmtpd")
        before = sent.count()
        with process(worker, mail, "celery", ROOT / "var" / "bench-celery.log"):
            # Count from the first delivery, so worker start-up is not charged to throughput.
            deadline = time.monotonic() + 90
            while sent.count() == before and time.monotonic() < deadline:
                time.sleep(0.2)
            start_count, started = sent.count(), time.monotonic()
            time.sleep(sizes.email_seconds)
            end_count, elapsed = sent.count(), time.monotonic() - started
        failed = Delivery.objects.filter(status__in=[Delivery.Status.FAILED]).count()
    purge_queue(environment)
    delivered = end_count - start_count
    return {
        "workers": sizes.workers,
        "messages": delivered,
        "seconds": round(elapsed, 1),
        "per_second": round(delivered / elapsed, 1) if elapsed else None,
        "queued": queued,
        "failed": failed,
    }


def pages_and_peer(pages: dict[str, Any]) -> dict[str, Any]:
    """Split the admin comparison out of the page results, with our list's time as a ratio to admin's."""
    peers = {name: pages.pop(name) for name in (OUR_LIST_AS_ADMIN.name, ADMIN_CHANGELIST.name) if name in pages}
    out: dict[str, Any] = {"pages": pages}
    admin = peers.get(ADMIN_CHANGELIST.name)
    if admin:
        out["admin_changelist"] = {"p50_ms": admin["p50_ms"], "p95_ms": admin["p95_ms"], "queries": admin["queries"]}
    ours = peers.get(OUR_LIST_AS_ADMIN.name)
    if admin and ours:
        out["action_list_same_rows"] = ours
        out["action_list_vs_admin"] = ratio(ours["p50_ms"], admin["p50_ms"])
        out["action_list_vs_admin_p95"] = ratio(ours["p95_ms"], admin["p95_ms"])
    return out


# --- Output -------------------------------------------------------------------------------------------------


def table(results: dict[str, Any]) -> str:
    lines = [f"{'page':<28} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}  target"]
    for name, page in results.get("pages", {}).items():
        verdict = "ok"
        queries = str(page["queries"])
        small = page.get("queries_small_data")
        if small is not None and small != page["queries"]:
            queries += f" ({small} small)"  # the count grows (or shrinks) with the data: a target missed
        if (
            page["p95_ms"] > TARGETS["page_p95_ms"]
            or (page["queries"] or 0) > TARGETS["page_queries"]
            or (small is not None and small != page["queries"])
        ):
            verdict = "MISSED"
        if page.get("status") != [200]:
            verdict = f"HTTP {page.get('status')}"
        lines.append(f"{name:<28} {page['p50_ms']:>8} {page['p95_ms']:>8} {queries:>8}  {verdict}")
    admin = results.get("admin_changelist")
    if admin:
        lines.append(f"{'admin changelist (peer)':<28} {admin['p50_ms']:>8} {admin['p95_ms']:>8}")
    if results.get("action_list_vs_admin") is not None:
        value = results["action_list_vs_admin"]
        lines.append(f"action list / admin (p50): {value}  {check(value, TARGETS['action_list_vs_admin'])}")
    sweep = results.get("sweep")
    if sweep:
        lines.append(
            f"sweep: {sweep['actions']} open actions, {sweep['seconds']:.2f} s ({check(sweep['seconds'], 3.0)}), "
            f"floor {sweep['floor_seconds']:.3f} s, ratio {sweep['ratio']} ({check(sweep['ratio'], 3.0)}), "
            f"{sweep['rows']} rows, {sweep['queries']} queries, peak {sweep['peak_mb']:.0f} MB "
            f"({check(sweep['peak_mb'], 300)})"
        )
    email = results.get("email")
    if email:
        lines.append(
            f"email: {email['messages']} sent in {email['seconds']} s by {email['workers']} worker processes = "
            f"{email['per_second']}/s ({check(email['per_second'], 100, higher_is_better=True)})"
        )
    load = results.get("load")
    if load:
        lines.append(
            f"load: {load['users']} users, {load['seconds']} s, {load['requests']} requests, {load['errors']} errors "
            f"({check(load['errors'], 0)}), p50 {load['p50_ms']} ms, p95 {load['p95_ms']} ms "
            f"({check(load['p95_ms'], 400)})"
        )
    for note in results.get("notes", []):
        lines.append(f"note: {note}")
    return "\n".join(lines)


# --- Main ---------------------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data and few requests: checks the harness")
    parser.add_argument("--areas", type=int)
    parser.add_argument("--actions-per-area", type=int)
    parser.add_argument("--updates-per-action", type=int)
    parser.add_argument("--sweep-actions-per-area", type=int)
    parser.add_argument("--requests", type=int, help="requests per page (at least 50 for the published figures)")
    parser.add_argument("--load-seconds", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--only",
        choices=["pages", "load", "sweep", "email"],
        action="append",
        help="run only these phases (repeatable); the data is built regardless",
    )
    return parser.parse_args(argv)


def configure(args: argparse.Namespace) -> tuple[Environment, Sizes]:
    sizes = Sizes.quick() if args.quick else Sizes()
    for name in ("areas", "actions_per_area", "updates_per_action", "sweep_actions_per_area", "requests"):
        if getattr(args, name) is not None:
            setattr(sizes, name, getattr(args, name))
    if args.load_seconds is not None:
        sizes.load_seconds = args.load_seconds
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    safe_database_name(database_url)
    app_database = os.environ.get("DATABASE_URL")
    if app_database and same_database(database_url, app_database):
        raise SystemExit("BENCH_DATABASE_URL names the application's own database; the benchmark drops it. Refused.")
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    if os.environ.get("REDIS_URL") and redis_url == os.environ["REDIS_URL"]:
        raise SystemExit("BENCH_REDIS_URL is the application's Redis database; the benchmark purges its queue.")
    from datetime import date as _date

    sys.path.insert(0, str(ROOT))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"http://{HOST}",
        "API_THROTTLE_RATE": "1000000/minute",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        "EMAIL_HOST": "",
    }
    environment = Environment(database_url, redis_url, env, seed=args.seed)
    environment.anchor = _date.today()
    return environment, sizes


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    environment, sizes = configure(args)
    phases = set(args.only or ["pages", "load", "sweep", "email"])
    (ROOT / "var").mkdir(exist_ok=True)
    started = time.monotonic()
    django_setup(environment)
    from send_tracker.working_days import working_day_on_or_before

    # Reminders only go out on working days: date the data and the sweep to the latest one.
    environment.anchor = working_day_on_or_before(date.today())
    notes: list[str] = []
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg(), "web_workers": sizes.web_workers},
        "commit": code_version(),
    }

    small_queries: dict[str, int | None] = {}
    if phases & {"pages", "load"}:
        # Before any server starts: with DEBUG off, pages need the collected static files' manifest (a fresh
        # clone has none, and every page would answer 500).
        manage(environment, "collectstatic", "--no-input", "-v0")
    if "pages" in phases:
        log(f"query counts on a small data set ({SMALL})")
        small_queries = small_page_queries(environment, sizes)
        log(f"query counts, small data: {small_queries}")

    if phases & {"pages", "load"}:
        log(f"data: {sizes.areas} areas x {sizes.actions_per_area} actions x {sizes.updates_per_action} updates")
        seed_seconds = build_data(environment, sizes.areas, sizes.actions_per_area, sizes.updates_per_action, False)
        from actions.models import Action, ProgressUpdate

        results["data"] = {
            "areas": sizes.areas,
            "actions": Action.objects.count(),
            "updates": ProgressUpdate.objects.count(),
            "seed_seconds": round(seed_seconds, 1),
        }
        log(f"data built in {seed_seconds:.1f} s: {results['data']}")
        fixtures = find_fixtures()
        with web_server(environment, sizes.web_workers) as port:
            if "pages" in phases:
                pages = run_pages(port, fixtures, sizes, notes)
                for name, page in pages.items():
                    page["queries_small_data"] = small_queries.get(name)
                results.update(pages_and_peer(pages))
            if "load" in phases:
                log(f"load: {sizes.load_users} users for {sizes.load_seconds} s")
                results["load"] = run_load(port, sizes)
                log(f"load: {results['load']}")

    if phases & {"sweep", "email"}:
        if not reminders_available():
            notes.append("sweep and email: skipped, the reminders app has no sweep in this version")
            log(notes[-1])
        elif not redis_answers(environment.redis_url):
            notes.append(f"sweep and email: skipped, Redis is not answering at {environment.redis_url}")
            log(notes[-1])
        else:
            log(f"sweep data: {sizes.areas} areas x {sizes.sweep_actions_per_area} open actions")
            sweep_seed = build_data(environment, sizes.areas, sizes.sweep_actions_per_area, 1, True)
            day = environment.anchor
            # The day before settles the backlog of escalations for long-overdue actions, as months of daily
            # sweeps would have (without publishing its messages); the measured sweep is then an ordinary day's.
            backlog = run_sweep(environment, previous_working_day(day), enqueue=False)
            settle_after_backlog()
            sweep = run_sweep(environment, day)
            sweep["ratio"] = ratio(sweep["seconds"], sweep["floor_seconds"])
            sweep["seed_seconds"] = round(sweep_seed, 1)
            sweep["backlog"] = {k: backlog[k] for k in ("day", "seconds", "queries", "rows", "peak_mb")}
            sweep["backlog"]["published"] = False
            results["sweep"] = sweep
            log(f"sweep: {sweep}")
            if "email" in phases:
                results["email"] = run_email(environment, sizes)
                log(f"email: {results['email']}")
            purge_queue(environment)

    results["notes"] = notes
    results["machine"]["load_average_end"] = os.getloadavg()
    results["seconds"] = round(time.monotonic() - started, 1)
    RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print()
    print(table(results))
    print(f"\nWritten to {RESULTS.relative_to(ROOT)} in {results['seconds']:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
