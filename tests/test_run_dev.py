"""`make run` creates its PostgreSQL database when it is missing, and says in one line when there is no server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from psycopg import sql

from scripts import run_dev

ROOT = Path(__file__).resolve().parent.parent


def unused_port() -> int:
    # The port was free a moment ago and nothing here listens on it, so a connection to it is refused.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.postgres
def test_a_missing_database_is_created_once():
    # A name that only works quoted, to show it is passed to CREATE DATABASE safely.
    name = f'{settings.DATABASES["default"]["NAME"]} run-dev "{uuid.uuid4().hex[:8]}"'
    database = {**settings.DATABASES["default"], "NAME": name}
    try:
        assert run_dev.prepare_database(database) is True
        assert run_dev.prepare_database(database) is False
        with run_dev.connect_to_server(database) as connection:
            assert connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    finally:
        with run_dev.connect_to_server(database) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def test_an_unreachable_server_is_a_problem_with_the_reason():
    database = {**settings.DATABASES["default"], "HOST": "127.0.0.1", "PORT": unused_port()}
    with pytest.raises(run_dev.ServerProblem, match="(?i)connection refused"):
        run_dev.prepare_database(database)


def run_dev_with(database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "scripts/run_dev.py"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "true", "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_run_without_a_server_stops_with_one_line_saying_what_to_do():
    url = f"postgres://postgres@127.0.0.1:{unused_port()}/send_tracker"
    result = run_dev_with(url)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Cannot use PostgreSQL at {url} (Connection refused)")
    assert "`make run` needs PostgreSQL 15 or later" in result.stderr
    assert "DATABASE_URL=postgres://user:password@host:5432/send_tracker make run" in result.stderr


def test_make_run_refuses_sqlite_before_doing_anything():
    result = run_dev_with("sqlite:///var/db.sqlite3")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Configuration error: DATABASE_URL must point at PostgreSQL")
    assert "Traceback" not in result.stderr


def test_sigterm_stops_make_run_and_everything_it_started(tmp_path):
    # The real main loop and stop(), with sleeping stand-ins for the web server, worker and beat (no database).
    pids = tmp_path / "pids"
    harness = (
        "import subprocess, sys\n"
        "from scripts import run_dev\n"
        "real_start = run_dev.start\n"
        "def start(name, args):\n"
        "    process = real_start(name, [sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        f"    open({str(pids)!r}, 'a').write(f'{{process.pid}}\\n')\n"
        "    return process\n"
        "run_dev.start = start\n"
        "run_dev.database_settings = lambda: {}\n"
        "run_dev.prepare_database = lambda database: False\n"
        "run_dev.prepare = lambda: None\n"
        "sys.exit(run_dev.main())\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", harness], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        for line in parent.stdout:
            if "Press Ctrl-C" in line:
                break
        children = [int(pid) for pid in pids.read_text().split()]
        assert len(children) == 3
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=20) == 0
    finally:
        parent.kill()
    for pid in children:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
