"""The one retry policy: navigation only, transient failures only, bounded in count and time.

Never retried (docs/design.md anti-pattern 6): credential submissions, checkpoints, HTTP 999, missing
selectors. Those raise errors that are not ``TransientError`` and so pass straight through.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    retry_if_not_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)
from tenacity.stop import stop_base

from optout_bot.errors import BrowserStopped, ErrorKind, TransientError
from optout_bot.i18n import _

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# All waiting in one run, Retry-After included; a longer wait is left to the next scheduled run.
MAX_SECONDS = 120.0


class RetryAfter(TransientError):
    """A 429 or 503 that said how long to wait."""

    error_kind = ErrorKind.RETRY_AFTER

    def __init__(self, message: str, seconds: float) -> None:
        super().__init__(message)
        self.seconds = seconds


def _wait(base: Callable[[RetryCallState], float]) -> Callable[[RetryCallState], float]:
    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RetryAfter):
            return exc.seconds
        return base(state)

    return wait


class _OverBudget(stop_base):
    """Stop when the waits so far plus the one about to start would pass ``max_seconds``.

    It counts the waits themselves (``idle_for``), not only the clock, so the budget holds with an
    injected sleep too, and a run never starts a wait it may not finish.
    """

    def __init__(self, max_seconds: float) -> None:
        self.max_seconds = max_seconds

    def __call__(self, retry_state: RetryCallState) -> bool:
        spent = max(retry_state.seconds_since_start or 0.0, retry_state.idle_for)
        return spent + (retry_state.upcoming_sleep or 0.0) > self.max_seconds


def _say_retrying(state: RetryCallState) -> None:
    """One plain sentence before each wait (shown without -v; see ``cli.configure_logging``)."""
    # What failed in detail (a status code, a path) is for -v; the person needs only what happens now.
    exc = state.outcome.exception() if state.outcome else None
    log.info("retrying after: %s", exc)
    seconds = round(max(1.0, state.upcoming_sleep or 0.0))
    log.warning(
        "%s",
        _("The site is not answering right now; trying again in {seconds} s.").format(seconds=seconds),
        extra={"plain": True},
    )


def navigation_policy(
    sleep: Callable[[float], Any] = time.sleep,
    attempts: int = MAX_ATTEMPTS,
    max_seconds: float = MAX_SECONDS,
    initial_wait: float = 2.0,
) -> Retrying:
    """Retry ``TransientError`` up to ``attempts`` times within ``max_seconds``; re-raise the last one."""
    return Retrying(
        stop=stop_after_attempt(attempts) | _OverBudget(max_seconds),
        wait=_wait(wait_exponential_jitter(multiplier=initial_wait, max=30, jitter=2)),
        # A browser that went away does not come back by waiting: not retried.
        retry=retry_if_exception_type(TransientError) & retry_if_not_exception_type(BrowserStopped),
        before_sleep=_say_retrying,
        sleep=sleep,
        reraise=True,
    )


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
