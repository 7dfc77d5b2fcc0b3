"""One run per account: a second process is told the account is busy; exit or crash frees the lock."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from optout_bot.errors import RunLocked
from optout_bot.store.lock import run_lock
from optout_bot.store.paths import state_dir

ROOT = Path(__file__).resolve().parent.parent

# Takes the lock, says so, then holds it until a line arrives on stdin (or the process is killed).
HOLDER = """
import sys
from optout_bot.store.lock import run_lock
with run_lock(sys.argv[1]):
    print("locked", flush=True)
    sys.stdin.readline()
print("released", flush=True)
"""


class Holder:
    """Another optout-bot process holding the run lock of one account."""

    def __init__(self, account: str) -> None:
        # The child inherits the test's isolated HOME/XDG environment, so it locks the same file.
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, account],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "locked"  # blocks until the lock is held

    def finish(self) -> None:
        """Let the holder leave its ``with`` block and exit normally."""
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == "released"
        assert self.proc.wait(timeout=30) == 0

    def crash(self) -> None:
        """Kill the holder without any clean-up, as a crash or an OOM kill would."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()


@pytest.fixture
def holder() -> Iterator[Holder]:
    h = Holder("work")
    yield h
    h.close()


def test_second_process_gets_run_locked(holder: Holder) -> None:
    with (
        pytest.raises(RunLocked, match="another optout-bot run for account 'work' is in progress"),
        run_lock("work"),
    ):
        pytest.fail("entered a lock another process holds")


def test_other_accounts_are_not_blocked(holder: Holder) -> None:
    with run_lock("home"):
        pass


def test_lock_is_free_after_the_holder_exits(holder: Holder) -> None:
    holder.finish()
    with run_lock("work"):
        pass


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_lock_is_free_after_the_holder_crashes(holder: Holder) -> None:
    holder.crash()
    with run_lock("work"):
        pass


def test_wait_gives_up_after_the_given_time(holder: Holder) -> None:
    start = time.monotonic()
    with pytest.raises(RunLocked), run_lock("work", wait=0.3):
        pytest.fail("entered a lock another process holds")
    assert time.monotonic() - start >= 0.3


def test_lock_is_released_when_the_run_raises() -> None:
    with pytest.raises(ValueError, match="boom"), run_lock("work"):
        raise ValueError("boom")
    with run_lock("work"):
        pass


def test_lock_file_is_private(holder: Holder) -> None:
    lock = state_dir() / "accounts" / "work" / "run.lock"
    assert stat.S_IMODE(lock.stat().st_mode) == 0o600
    assert stat.S_IMODE(lock.parent.stat().st_mode) == 0o700


def test_the_holder_shares_our_state_dir(holder: Holder) -> None:
    # Guards the other tests: a child locking some other file would make them pass for nothing.
    assert os.environ["XDG_STATE_HOME"] in str(state_dir())
    assert (state_dir() / "accounts" / "work" / "run.lock").exists()


# A run in progress: holds the lock, and when told to end, saves its session (as run_account does).
SAVING_RUN = """
import sys
from optout_bot.store.lock import run_lock
from optout_bot.store.paths import write_private, state_dir
with run_lock("default"):
    print("locked", flush=True)
    sys.stdin.readline()
    write_private(state_dir() / "accounts" / "default" / "linkedin.session", b"a saved session")
"""


def test_logout_waits_for_a_run_that_would_save_its_session_after_it(tmp_path: Path) -> None:
    """Issue 14 D6: logout said "Deleted" while a run went on to save the session: still signed in."""
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "OPTOUT_BOT_STATE_DIR": str(state_dir()),
    }
    session = state_dir() / "accounts" / "default" / "linkedin.session"
    corrupt = session.with_name("linkedin.session.corrupt-20261101T000000Z")
    run = subprocess.Popen(
        [sys.executable, "-c", SAVING_RUN],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    logout = None
    try:
        assert run.stdout is not None
        assert run.stdin is not None
        assert run.stdout.readline().strip() == "locked"
        corrupt.write_bytes(b"an old session set aside")
        logout = subprocess.Popen(
            [sys.executable, "-m", "optout_bot", "logout"],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert logout.stderr is not None
        assert logout.stderr.readline().startswith("Waiting for the optout-bot run of account 'default'")
        run.stdin.write("\n")
        run.stdin.flush()
        assert run.wait(timeout=30) == 0
        assert logout.wait(timeout=60) == 0
        assert "Deleted the stored credentials and session" in logout.stderr.read()
        assert not session.exists()  # the session the run saved is gone too
        assert not corrupt.exists()  # and so is the copy set aside earlier (it may hold a live cookie)
    finally:
        for proc in (run, logout):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
