"""A run-wide deadline, so that no run can hang for ever holding its account's lock.

A browser killed at the wrong moment can leave a Playwright call waiting for an answer that never
comes (seen at ``context.new_page()``): every later scheduled run would then find the account busy
and no alert would go out. At the deadline the watchdog stops Playwright's driver, which makes the
waiting call fail at once (the run then reports exit 8 and records what it did, and the OS drops the
lock). Should the run still not end within a grace period, the process exits (8) from here.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from optout_bot.i18n import _
from optout_bot.model.outcomes import ExitStatus

log = logging.getLogger(__name__)

GRACE_S = 30.0
"""How long the run has to end by itself once its driver was stopped."""


class Watchdog:
    """Calls ``stop`` once ``seconds`` have passed, then ends the process ``grace`` seconds later."""

    def __init__(
        self,
        seconds: float,
        stop: Callable[[], None] | None = None,
        grace: float | None = None,
        last_resort: Callable[[], None] | None = None,
    ) -> None:
        self.seconds = seconds
        self.stop: Callable[[], None] = stop or _nothing
        """What ends the run's waiting: set once the browser is up (``kill_driver``)."""
        self.grace = GRACE_S if grace is None else grace
        self.last_resort = last_resort or _exit_transient
        self.expired = False
        self._timers: list[threading.Timer] = []

    def stop_with(self, stop: Callable[[], None]) -> None:
        """Use ``stop`` from now on (once the browser is up); called at once if the deadline already passed."""
        self.stop = stop
        if self.expired:
            self._call_stop()

    def __enter__(self) -> Watchdog:
        self._start(self.seconds, self._fire)
        return self

    def __exit__(self, *exc: object) -> None:
        for timer in self._timers:
            timer.cancel()

    def _start(self, seconds: float, action: Callable[[], None]) -> None:
        timer = threading.Timer(seconds, action)
        timer.daemon = True  # never keeps a finished process alive
        self._timers.append(timer)
        timer.start()

    def _fire(self) -> None:
        self.expired = True
        log.warning(
            "%s",
            _("The run took longer than {seconds} s: stopping the browser.").format(
                seconds=round(self.seconds)
            ),
            extra={"plain": True},
        )
        self._call_stop()
        self._start(self.grace, self.last_resort)

    def _call_stop(self) -> None:
        try:
            self.stop()
        except Exception as exc:  # noqa: BLE001 - the last resort still ends the run
            log.warning("could not stop the browser (%s)", type(exc).__name__)


def _nothing() -> None:
    """Before the browser starts there is nothing to stop: the grace period and the last resort remain."""


def _exit_transient() -> None:
    sys.stderr.write(
        "error: the run did not end after its deadline and was stopped (run it again; a scheduled run "
        "retries on its own)\n"
    )
    sys.stderr.flush()
    os._exit(int(ExitStatus.TRANSIENT))  # from a thread: the only way to end a process stuck elsewhere


def driver_pid(playwright: Any) -> int | None:
    """The process id of Playwright's driver (a private detail of the sync API; None if not found)."""
    try:
        pid = playwright.stop.__self__._client._transport._proc.pid
    except AttributeError:
        return None
    return pid if isinstance(pid, int) else None


def kill_driver(playwright: Any) -> None:
    """Kill Playwright's driver: every call waiting on it fails at once, and the browser it drove
    exits with it (its pipe closes)."""
    pid = driver_pid(playwright)
    if pid is None:
        raise ProcessLookupError("Playwright's driver process was not found")
    os.kill(pid, signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
