"""One run per account at a time.

Two runs on one account (a scheduled check firing while a person runs ``disable``) would share a
session file and could race on the same switch. ``run_lock`` takes an OS file lock (``flock`` on
POSIX, ``LockFileEx`` on Windows) on ``<state_dir>/accounts/<account>/run.lock``. The OS drops the
lock when its process exits, however it exits, so a crash never leaves a stale lock behind; the
empty lock file itself may stay and means nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from optout_bot.errors import RunLocked, StateDirError
from optout_bot.i18n import _
from optout_bot.store.paths import account_dir

__all__ = ["LOGOUT_WAIT_S", "RUN_DEADLINE_S", "run_lock"]

log = logging.getLogger(__name__)

RUN_DEADLINE_S = 900.0
"""The longest one run may hold an account's lock: its watchdog ends it then (runner.py)."""
LOGOUT_WAIT_S = RUN_DEADLINE_S + 30
"""``logout`` waits this long for a run in progress, which would otherwise save its session after it."""


@contextmanager
def run_lock(account: str, wait: float = 0, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the run lock of ``account`` for the ``with`` block.

    ``wait`` is how many seconds to wait for another run to finish (0: one attempt); ``waiting`` is
    told the account once when that wait begins. Raises ``RunLocked`` if another process still holds
    the lock, ``StateDirError`` if it cannot be made.
    """
    path = account_dir(account) / "run.lock"
    # fallback_to_soft=False: a soft lock (a marker file) would survive a crash and block every later run.
    lock = FileLock(path, timeout=0, mode=0o600, fallback_to_soft=False)
    try:
        try:
            lock.acquire()
        except Timeout:
            if wait <= 0:
                raise
            if waiting is not None:
                waiting(account)
            lock.acquire(timeout=wait)
    except Timeout:
        raise RunLocked(
            _("another optout-bot run for account '{account}' is in progress").format(account=account)
        ) from None
    except OSError as exc:
        raise StateDirError(
            _("cannot lock {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from None
    log.debug("holding the run lock of account %r", account)
    try:
        yield
    finally:
        lock.release()
