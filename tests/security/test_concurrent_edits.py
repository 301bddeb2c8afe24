"""Optimistic locking under real concurrency: 1,000 pairs of simultaneous edits of one action on PostgreSQL.

Two worker threads, each with its own database connection, start every round together (a barrier) and both call
actions.services.action_update from the same version of the action. A round loses an update if both saves
succeed, if neither does, or if what is stored afterwards is not what the successful save wrote. The report line
is printed in the test output; the test fails unless there are 0 lost updates.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import pytest
from django.db import close_old_connections, connection

from actions.models import Action
from actions.services import StaleVersion, action_update
from tests import factories as f

PAIRS = 1_000
TIME_LIMIT_SECONDS = 300
ROUND_TIMEOUT_SECONDS = 20


@dataclass
class Round:
    version: int = 0
    outcomes: dict[str, str] = field(default_factory=dict)


def edit(action_id: int, user, version: int, writer: str, number: int) -> str:
    try:
        action_update(
            action_id=action_id,
            user=user,
            expected_version=version,
            changes={"title": f"Round {number} written by {writer}"},
        )
    except StaleVersion:
        return "conflict"
    return "saved"


@pytest.mark.postgres
def test_a_thousand_pairs_of_simultaneous_edits_lose_no_update(transactional_db, world, capsys):
    action = f.ActionFactory(plan__area=world.area, lead_organisation=world.council)
    start_version = action.version
    history_before = action.history.count()
    current = Round(version=start_version)
    barrier = threading.Barrier(3, timeout=ROUND_TIMEOUT_SECONDS)
    lock = threading.Lock()
    errors: list[BaseException] = []
    stop = threading.Event()

    def worker(writer: str) -> None:
        try:
            for number in range(PAIRS):
                barrier.wait()  # the round is set up
                if stop.is_set():
                    return
                outcome = edit(action.pk, world.manager, current.version, writer, number)
                with lock:
                    current.outcomes[writer] = outcome
                barrier.wait()  # both edits are finished
        except threading.BrokenBarrierError:
            pass  # the main thread stopped the run and reports why
        except BaseException as error:  # reported by the main thread
            errors.append(error)
            stop.set()
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(name,), daemon=True) for name in ("A", "B")]
    for thread in threads:
        thread.start()
    lost: list[str] = []
    started = time.monotonic()
    try:
        for number in range(PAIRS):
            current.outcomes = {}
            barrier.wait()
            barrier.wait()
            saved = [writer for writer, outcome in current.outcomes.items() if outcome == "saved"]
            stored = Action.objects.values_list("title", "version").get(pk=action.pk)
            expected_version = start_version + number + 1
            if len(saved) != 1:
                lost.append(f"round {number}: {len(saved)} saves from version {current.version}")
            elif stored != (f"Round {number} written by {saved[0]}", expected_version):
                lost.append(f"round {number}: stored {stored!r} after {saved[0]} saved")
            current.version = stored[1]
            assert time.monotonic() - started < TIME_LIMIT_SECONDS, f"stopped after {number} rounds: too slow"
    finally:
        # On an early stop, release the workers from the barrier so they finish; on success they already have.
        stop.set()
        barrier.abort()
        for thread in threads:
            thread.join(timeout=ROUND_TIMEOUT_SECONDS)
        close_old_connections()
    elapsed = time.monotonic() - started
    assert not errors, errors

    with capsys.disabled():
        print(
            f"\nconcurrent edits: {PAIRS} pairs in {elapsed:.1f} s, "
            f"{PAIRS - len(lost)} with exactly one save and one conflict, lost updates: {len(lost)}"
        )
    assert lost == []
    action.refresh_from_db()
    assert action.version == start_version + PAIRS
    # Every successful save left exactly one history record.
    assert action.history.count() == history_before + PAIRS
