"""Real parts for the delivery tests: a programmable SMTP server, a private Redis, Celery workers, manage.py.

Everything listens on 127.0.0.1 at a free port and is stopped by the fixtures that start it; every wait is
bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], bool], *, timeout: float, interval: float = 0.2, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout:.0f} s waiting for {what or condition.__name__}")


class SmtpSink:
    """An aiosmtpd handler that can refuse, delay and hold messages, and records each accepted ledger key.

    - `transient_first`: answer 451 to the first N RCPT attempts for each address;
    - `refuse`: answer 550 to these addresses;
    - `hold_next()`: the next DATA waits until `release` is set, so a worker can be killed mid-send.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.accepted: list[tuple[str, str]] = []
        # Every accepted message, for tests that look inside one (headers, attachments).
        self.messages: list[email.message.Message] = []
        self.rcpt_attempts: Counter[str] = Counter()
        self.transient_first = 0
        self.refuse: set[str] = set()
        self._hold = False
        self.data_started = threading.Event()
        self.release = threading.Event()
        self.held = 0

    def hold_next(self) -> None:
        self._hold = True
        self.data_started.clear()
        self.release.clear()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd API
        with self.lock:
            self.rcpt_attempts[address] += 1
            attempt = self.rcpt_attempts[address]
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        if attempt <= self.transient_first:
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        message = email.message_from_bytes(envelope.content)
        # Recorded as soon as the whole message is in: from here on the server has it, whether or not its 250
        # reply ever reaches the sender. A held message is therefore the ambiguous case a re-send may repeat.
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.accepted.append((message["X-SEND-Tracker-Key"], rcpt))
            self.messages.append(message)
        if self._hold:
            self._hold = False
            self.held += 1
            self.data_started.set()
            deadline = time.monotonic() + 60
            while not self.release.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        return "250 2.0.0 Message accepted"

    def keys(self) -> list[str]:
        with self.lock:
            return [key for key, _ in self.accepted]


class SmtpServer:
    def __init__(self) -> None:
        self.sink = SmtpSink()
        self.port = free_port()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.sink.release.set()
        self.controller.stop()


class RedisServer:
    """A private redis-server (no persistence), so flushing or restarting it disturbs nobody else."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.ping, timeout=10, what="redis-server to answer")
        return self

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_connect_timeout=1)

    def ping(self) -> bool:
        try:
            return bool(self.client().ping())
        except Exception:
            return False

    def flushall(self) -> None:
        self.client().flushall()

    def restart(self) -> None:
        """Stop without saving, as a crash would, and start again empty on the same port."""
        self.crash()
        self.start()

    def crash(self) -> None:
        """Stop without saving, as a crash would."""
        # The server drops the connection as it goes down, which the client reports as an error.
        with contextlib.suppress(Exception):
            self.client().shutdown(nosave=True)
        if self.proc:
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Processes:
    """Starts manage.py and celery processes with the test environment, and makes sure they all stop."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.workers: list[subprocess.Popen] = []
        self.logdir = Path(tempfile.mkdtemp(prefix="send-tracker-e2e-"))

    def start_worker(self, concurrency: int = 2) -> subprocess.Popen:
        log = self.logdir / f"worker-{len(self.workers)}.log"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "send_tracker",
            "worker",
            "--loglevel=INFO",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=e2e{len(self.workers)}@%h",
        ]
        with open(log, "w") as out:
            # A session of its own, so the whole worker (main process and pool children) can be killed as one.
            proc = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        proc.log = log  # type: ignore[attr-defined]
        self.workers.append(proc)
        wait_for(lambda: "ready." in log.read_text(errors="replace"), timeout=60, what="the Celery worker to start")
        return proc

    def kill(self, proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def pool_children(self, proc: subprocess.Popen) -> list[int]:
        """The worker's pool processes (its children), read from /proc."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == proc.pid:
                children.append(int(stat.parent.name))
        return children

    def stop_all(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                self.kill(proc, signal.SIGTERM)

    def manage(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )

    def manage_async(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def celery_call(self, task: str, *args: str) -> None:
        arguments = [f"--args={json.dumps(list(args))}"] if args else []
        subprocess.run(
            [sys.executable, "-m", "celery", "-A", "send_tracker", "call", task, *arguments],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            timeout=60,
            check=True,
        )

    def logs(self) -> str:
        return "\n".join(
            f"--- {proc.log.name}\n" + proc.log.read_text(errors="replace")[-4000:]  # type: ignore[attr-defined]
            for proc in self.workers
        )
