"""What a run is asked to do, what it is done with, and what came of it.

``RunRequest`` says what to run: frozen, so a variant (a capture's read-only pass, a replay's
throwaway account) is a ``dataclasses.replace`` of it and nobody's request changes under them.
``RunDeps`` holds what the run is done with: where credentials and the session come from, the
browser, a person to ask for a code, the recorder; the product leaves most of them to their
defaults, the demo, replay and tests plug in their own.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from optout_bot.app.watchdog import kill_driver
from optout_bot.engine.browser import BrowserSession, launch
from optout_bot.engine.context import Contact
from optout_bot.engine.job import RunReport, SessionStoreLike
from optout_bot.engine.options import RunOptions
from optout_bot.engine.password import Secret
from optout_bot.engine.recorder import Recorder
from optout_bot.model.outcomes import FlowOutcome
from optout_bot.store.lock import RUN_DEADLINE_S

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

Command = Literal["disable", "check", "status"]


class Launcher(Protocol):
    """Starts the browser and closes it on exit (``engine.browser.launch``)."""

    def __call__(
        self, configured: str | None = None, headless: bool = True, local_copy: bool = False
    ) -> AbstractContextManager[BrowserSession]: ...


@dataclass(frozen=True)
class RunRequest:
    """What to run for one account; the CLI, the demo and tests build it, nothing changes it."""

    command: Command
    account: str = "default"
    site: str = "linkedin"
    profile: str = "ai"
    flows: tuple[str, ...] = ()
    """Flow names; empty means every flow of ``profile`` on ``site``."""
    options: RunOptions = field(default_factory=RunOptions)
    evidence: bool = False
    """Keep numbered, masked screenshots of every step (failures are always kept)."""
    allow_password: bool = True
    chromium_path: str | None = None
    headless: bool = True
    record_history: bool = True
    scheduled: bool = False
    """Started with no person at a terminal (the OS scheduler): alerts call it "the scheduled check"."""
    fake_site: bool = False
    """The demo's or a replay's fake site: no alerts, no health-check pings, nothing to capture."""
    contact: Contact = field(default_factory=Contact)
    """The account's e-mail and phone from the config, for forms that ask for them."""
    trace: bool = False
    """Record a Playwright trace into the run folder (signed-in pages only; it holds the session cookie)."""
    deadline_s: float = RUN_DEADLINE_S
    """The watchdog stops the run after this long, so it can never hang holding the account's lock."""


@dataclass(frozen=True)
class RunDeps:
    """What a run is done with; every field has the product's behaviour as its default."""

    credentials: Secret | None = None
    """Given directly (the demo, a replay); otherwise read from the keyring."""
    store: SessionStoreLike | None = None
    """Given directly (the demo, a replay); otherwise the encrypted file of ``state.SessionStore``."""
    ask_pin: Callable[[str], str | None] | None = None
    """A person at the terminal who can type a code the site sent; None when nobody can."""
    recorder_factory: Callable[[Path, list[str]], Recorder] | None = None
    """Makes the run's recorder from its folder and the CSS to mask; default: screenshots as asked."""
    prepare_context: Callable[[BrowserContext], None] | None = None
    """Called on each new browser context (the demo attaches its fake site here)."""
    launch: Launcher = launch
    """Starts the browser (tests hand in one they share)."""
    stop_driver: Callable[[Any], None] = kill_driver
    """What the deadline does to Playwright's driver (tests that share one driver keep it)."""
    retry_sleep: Callable[[float], Any] | None = None
    """Tests count the waits between retries instead of sleeping them."""
    runs_root: Path | None = None
    """Where run folders go; default ``<state>/runs``."""


@dataclass(frozen=True)
class RunResult:
    """The report plus where its evidence went."""

    request: RunRequest
    report: RunReport
    run_dir: Path | None
    started: datetime
    finished: datetime
    site_title: str = ""
    """The site's display name, e.g. "LinkedIn" (read once with the flows)."""

    @property
    def outcomes(self) -> list[FlowOutcome]:
        """The per-flow outcomes."""
        return self.report.outcomes
