"""`make run`: prepare the database and demo data, then run the web server, a Celery worker and beat together.

Ctrl-C (or any one of the three stopping) stops all of them, so nothing is left running in the background.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
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


def main() -> int:
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
