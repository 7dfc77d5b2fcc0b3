"""The run-wide deadline (issue 14 D5): no run can hang holding its account's lock.

A browser killed at the wrong moment once left ``context.new_page()`` waiting for ever, holding the
lock: every later scheduled run exited 11 and no alert went out. Here a Playwright call that never
returns is made on purpose, at a chosen step, in a process of its own (a second sync Playwright
cannot start beside pytest-playwright's); the deadline is seconds, not the real 15 minutes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from optout_bot.app.watchdog import Watchdog
from optout_bot.store.lock import LOGOUT_WAIT_S, RUN_DEADLINE_S, run_lock

ROOT = Path(__file__).resolve().parent.parent

# Runs `check` through runner.execute with its own browser; the recorder's first step makes a call
# that never returns (HANG=playwright), or making the recorder blocks in Python itself (HANG=python).
CHILD = """
import json, os, sys, threading
from optout_bot.store import history
from optout_bot.app import watchdog
from optout_bot.errors import OptoutBotError
from optout_bot.testing import attach_routes
from optout_bot.model.outcomes import exit_status_for
from optout_bot.engine.recorder import NullRecorder
from optout_bot.app.runner import RunDeps, RunRequest, execute
from tests.fake import Creds, fake, signed_in_store

watchdog.GRACE_S = float(os.environ['GRACE'])
site = fake()

reached = []

class Hang(NullRecorder):
    def step(self, name, page, title, note="", **more):
        reached.append(name)
        page.evaluate("new Promise(() => {})")  # never settles, and Playwright sets no timeout on it

def recorder(folder, mask):
    if os.environ["HANG"] == "python":
        threading.Event().wait()  # stuck outside Playwright, before any browser: only the last resort ends it
    return Hang()

request = RunRequest(
    command="check", account="me", flows=("linkedin.data-for-ai-improvement",),
    deadline_s=float(os.environ["DEADLINE"]),
)
deps = RunDeps(
    credentials=Creds(), store=signed_in_store(site),
    prepare_context=lambda context: attach_routes(context, site), recorder_factory=recorder,
)
result = execute(request, deps)
(entry,) = history.read(account="me")
print(json.dumps({"status": int(result.report.exit_status), "error": result.outcomes[0].error,
                  "message": result.outcomes[0].message, "history": entry.message,
                  "hung": bool(reached)}))
"""


def _child(
    hang: str, deadline: float, grace: float, tmp_path: Path
) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {
        **os.environ,
        "HANG": hang,
        "DEADLINE": str(deadline),
        "GRACE": str(grace),
        "OPTOUT_BOT_STATE_DIR": str(tmp_path / "state"),
    }
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done, time.monotonic() - started


def test_a_browser_call_that_never_returns_ends_at_the_deadline_with_exit_8(tmp_path: Path) -> None:
    # The hang is reached about 3 s after the child starts on an idle machine; a deadline of 8 s ends
    # it there. Should a loaded machine reach it only after the deadline (the browser is then stopped
    # the moment it is up, Watchdog.stop_with, and nothing hung), the run is made again with room.
    for deadline in (8, 30):
        done, took = _child("playwright", deadline, 20.0, tmp_path / str(deadline))
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        if report["hung"]:
            break
    assert report["hung"], "the call that never returns was not reached within 30 s"
    assert report["status"] == 8
    assert report["error"] == "BrowserStopped"
    assert report["message"] == f"the run did not finish within its {deadline} s limit and was stopped"
    assert report["history"] == report["message"]  # recorded like any other outcome
    assert took < deadline + 70
    os.environ["OPTOUT_BOT_STATE_DIR"] = str(tmp_path / str(deadline) / "state")
    try:
        with run_lock("me"):  # the lock was let go
            pass
    finally:
        del os.environ["OPTOUT_BOT_STATE_DIR"]


def test_a_run_stuck_outside_the_browser_is_ended_by_the_last_resort(tmp_path: Path) -> None:
    done, _ = _child("python", 0.5, 0.5, tmp_path)
    assert done.returncode == 8
    (line,) = done.stderr.strip().splitlines()[-1:]
    assert line.startswith("error: the run did not end after its deadline and was stopped")
    assert "Traceback" not in done.stderr


def test_a_stop_given_after_the_deadline_is_called_at_once() -> None:
    calls: list[str] = []
    with Watchdog(0.01, grace=30, last_resort=lambda: calls.append("exit")) as dog:
        while not dog.expired:
            time.sleep(0.01)
        dog.stop_with(lambda: calls.append("stop"))
    assert calls == ["stop"]


def test_the_watchdog_stops_first_then_ends_the_process() -> None:
    calls: list[str] = []
    ended = threading.Event()

    def last_resort() -> None:
        calls.append("exit")
        ended.set()

    with Watchdog(0.05, stop=lambda: calls.append("stop"), grace=0.05, last_resort=last_resort) as dog:
        assert ended.wait(5)
    assert dog.expired
    assert calls == ["stop", "exit"]


def test_a_run_that_ends_in_time_is_left_alone() -> None:
    calls: list[str] = []
    with Watchdog(0.3, stop=lambda: calls.append("stop"), last_resort=lambda: calls.append("exit")) as dog:
        pass
    assert not threading.Event().wait(0.5)
    assert calls == []
    assert not dog.expired


def test_logout_waits_longer_than_a_run_may_last() -> None:
    assert LOGOUT_WAIT_S > RUN_DEADLINE_S
