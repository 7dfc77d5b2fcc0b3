"""What a Playwright error means for a run: the browser went away, or the page is not what we expect.

A browser (or Playwright's driver) that was killed, crashed or closed makes every later call fail with
Playwright's TargetClosedError (not public) or "connection closed": that is ``BrowserStopped`` (exit 8,
not retried), never "the site changed" (7) nor an internal error (1).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from optout_bot.errors import BrowserStopped, OptoutBotError, SiteChanged

log = logging.getLogger(__name__)

# Playwright's own words when the browser or its driver is gone (its TargetClosedError is not public).
_GONE = (
    "has been closed",
    "connection closed",
    "target closed",
    "browser closed",
    "browser has disconnected",
)
STOPPED = "the browser stopped in the middle of the run (it crashed or was closed)"


def browser_stopped(exc: BaseException) -> bool:
    """True when ``exc`` says the browser or Playwright's driver went away (crashed, killed, closed)."""
    text = str(exc).lower()
    return type(exc).__name__ == "TargetClosedError" or any(words in text for words in _GONE)


def close_quietly(close: Callable[[], object]) -> None:
    """Call ``close``; closing after a crash, a kill or a Ctrl-C must not replace the run's outcome."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        close()
    except PlaywrightError as exc:
        log.debug("closing: %s", playwright_failure(exc).message)


def playwright_failure(exc: Exception) -> OptoutBotError:
    """The error a Playwright error means: the browser went away (transient), else a changed page."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if browser_stopped(exc):
        return BrowserStopped(STOPPED)
    return SiteChanged(f"the browser reported: {first[:200]}")
