"""`make run`: prepare the database and demo data, then run the web server, a Celery worker and beat together.

The database is PostgreSQL 15 or later (DATABASE_URL; by default the local server's `send_tracker` database, which
is created if it is missing). Ctrl-C (or any one of the three stopping) stops all of them, so nothing is left
running in the background.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
# `python scripts/run_dev.py` puts scripts/ on the module path, not the project the settings are read from.
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
ADDRESS = os.environ.get("RUN_ADDRESS", "127.0.0.1:8000")

DEMO_LOGINS = [
    ("officer.suffolk", "action officer, Suffolk County Council"),
    ("health.suffolk", "action officer, the Suffolk integrated care board"),
    ("manager.suffolk", "plan manager, Suffolk County Council"),
    ("chair.suffolk", "independent chair of the Suffolk improvement board"),
    ("pcf.suffolk", "parent carer forum representative on the Suffolk board"),
    ("officer.westmere", "action officer, Westmere Council (invented area)"),
    ("adviser.dfe", "DfE SEND adviser"),
    ("adviser.nhse", "NHS England SEND adviser"),
    ("admin", "administrator"),
]

MINIMUM_POSTGRES = 15
# Keys of a DATABASES entry's OPTIONS that are Django's own; the others (sslmode, service…) are libpq's.
DJANGO_ONLY_OPTIONS = {"isolation_level", "server_side_binding", "assume_role", "pool"}


class ServerProblem(Exception):
    """The PostgreSQL server cannot be used: it does not answer, refuses us, or is too old."""


def database_settings() -> dict:
    """The database Django will use: DATABASE_URL from the environment or .env, or the settings' default."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_tracker.settings")
    from django.conf import settings

    return settings.DATABASES["default"]


def server_address(database: dict) -> str:
    """The database as a URL to show people, without its password."""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{database.get('USER') or ''}@{host}:{port}/{database['NAME']}"


def connect_to_server(database: dict) -> psycopg.Connection:
    """Connect to the server's `postgres` database, which always exists, as the user in the settings."""
    options = {k: v for k, v in (database.get("OPTIONS") or {}).items() if k not in DJANGO_ONLY_OPTIONS}
    params = {k: database.get(k.upper()) for k in ("host", "port", "user", "password")}
    try:
        connection = psycopg.connect(
            dbname="postgres",
            connect_timeout=5,
            autocommit=True,
            **{k: v for k, v in params.items() if v},
            **options,
        )
    except psycopg.Error as exc:
        # libpq's message runs over several lines and repeats the address; its last clause says what went wrong.
        first_line = (str(exc).splitlines() or [exc.__class__.__name__])[0]
        raise ServerProblem(first_line.rsplit(": ", 1)[-1].strip()) from None
    version = connection.info.server_version // 10000
    if version < MINIMUM_POSTGRES:
        connection.close()
        raise ServerProblem(f"the server runs PostgreSQL {version}")
    return connection


def prepare_database(database: dict) -> bool:
    """Create the database if it does not exist yet; True when it was created."""
    name = database["NAME"]
    with connect_to_server(database) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        try:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.errors.DuplicateDatabase:
            return False  # another `make run` created it a moment ago
        except psycopg.Error as exc:
            raise ServerProblem(f"could not create the database: {str(exc).strip()}") from None
    return True


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, check=True)


def prepare() -> None:
    for folder in ("var", "var/mail", "var/media", "var/celery/queue"):
        (ROOT / folder).mkdir(parents=True, exist_ok=True)
    manage("migrate", "--no-input", "-v", "0")
    manage("seed_demo")


def start(name: str, args: list[str]) -> subprocess.Popen:
    print(f"Starting {name}: {' '.join(args)}", flush=True)
    # Each child gets its own process group so Ctrl-C reaches it only through us, once.
    return subprocess.Popen(args, cwd=ROOT, start_new_session=True)


def stop(processes: dict[str, subprocess.Popen]) -> None:
    for name, process in processes.items():
        if process.poll() is None:
            if name == "web":
                # runserver's auto-reloader serves from a child process, so the whole group is signalled.
                os.killpg(process.pid, signal.SIGTERM)
            else:
                # Celery stops its own pool processes. Signalled directly as well, they die under it and its warm
                # shutdown waits for them until the deadline below kills it.
                process.terminate()
    deadline = time.monotonic() + 15
    for name, process in processes.items():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"{name} did not stop in time; killing it.", flush=True)
            os.killpg(process.pid, signal.SIGKILL)


def banner() -> None:
    password = os.environ.get("DEMO_PASSWORD", "demo-password")
    print("\nSEND Tracker is running at http://" + ADDRESS + "/", flush=True)
    print(f"Demo logins (password: {password}):")
    for username, who in DEMO_LOGINS:
        print(f"  {username:<18} {who}")
    mail = "var/mail/" if not os.environ.get("EMAIL_HOST") else os.environ["EMAIL_HOST"]
    print(f"Emails go to {mail}. Press Ctrl-C to stop everything.\n", flush=True)


def stop_on_sigterm(signum, frame) -> None:
    # `kill`, a terminal closing or a service manager stops `make run` as Ctrl-C does: the children stop with it
    # rather than being left running without their parent.
    raise KeyboardInterrupt


def main() -> int:
    from django.core.exceptions import ImproperlyConfigured

    signal.signal(signal.SIGTERM, stop_on_sigterm)

    try:
        database = database_settings()
    except ImproperlyConfigured as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 1
    try:
        if prepare_database(database):
            print(f"Created the database {server_address(database)}.", flush=True)
    except ServerProblem as exc:
        print(
            f"Cannot use PostgreSQL at {server_address(database)} ({exc}): `make run` needs PostgreSQL "
            f"{MINIMUM_POSTGRES} or later. Start it, or set DATABASE_URL to a server you can use, e.g. "
            "DATABASE_URL=postgres://user:password@host:5432/send_tracker make run (or put it in .env).",
            file=sys.stderr,
        )
        return 1
    prepare()
    celery = [PYTHON, "-m", "celery", "-A", "send_tracker"]
    processes = {
        "web": start("web", [PYTHON, "manage.py", "runserver", ADDRESS]),
        "worker": start("worker", [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"]),
        "beat": start("beat", [*celery, "beat", "--loglevel", "INFO"]),
    }
    banner()
    try:
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"{name} stopped (exit code {process.returncode}); stopping the others.", flush=True)
                    return process.returncode or 1
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main())
