"""What an action (a switch to turn off, a form to send) receives: exactly what it needs, nothing more.

The actions (switches.py, forms.py) never see the runner, the account's job or its credentials: they get
an ``ActionContext`` built for one flow. That keeps the dependencies one way (flow.py → actions →
context.py) and says in one place what an action may touch. What the app layer injects lives here too:
the memory of forms already sent (``FormMemory``), where a sending is written down as it happens
(``SendingLog``) and the account's contact details (``Contact``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from optout_bot.model.outcomes import Result

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request

    from optout_bot.engine.navigator import Navigator
    from optout_bot.engine.obstacles import Obstacles
    from optout_bot.engine.options import RunOptions
    from optout_bot.engine.recorder import Recorder
    from optout_bot.model.flowspec import SiteSpec


@dataclass(frozen=True)
class Contact:
    """The account's own details a form may ask for (from the config; never a secret)."""

    email: str | None = None
    phone: str | None = None


FormMemory = Callable[[str], Result | None]
"""What is remembered of sending a form flow (by name) for this account: SENT, ALREADY_SENT,
UNCONFIRMED or None. The app layer reads it from the history file, where it also records every sending
the run reports (``FlowOutcome.submitted``); the engine only asks "was this sent?"."""


class SendingLog(Protocol):
    """Where a form's sending is written down as it happens (the app layer: the history file).

    ``starting`` runs right before the send button is pressed, so a run that dies before its own record
    (killed, a power cut, a disk that fills up at the end) still leaves the form remembered as possibly
    sent, and no later run sends it again blindly; when it cannot write, it raises and nothing is sent.
    ``withdrawn`` runs when the press did not happen after all (the button could not be clicked).
    """

    def starting(self, flow: str) -> None: ...

    def withdrawn(self, flow: str) -> None: ...


class NoSendingLog:
    """For runs that keep no history: the demo, a replay, tests of the engine alone."""

    def starting(self, flow: str) -> None:
        return None

    def withdrawn(self, flow: str) -> None:
        return None


@dataclass
class Attempt:
    """What the flow in progress has done so far; the runner reads it when the flow fails or is cut short."""

    before: bool | None = None
    """The state the switch read first (a failure reports it)."""
    acting: bool = False
    """Set just before the flow clicks its switch or presses its send button."""
    sent: bool = False
    """A request that can change something left the browser while ``acting``."""

    def saw_request(self, request: Request) -> None:
        """The page's request listener: a non-GET request while acting is a change sent to the site."""
        if self.acting and request.method not in ("GET", "HEAD", "OPTIONS"):
            self.sent = True


@dataclass(frozen=True)
class ActionContext:
    """Everything an action may use, for one flow of one account."""

    page: Page
    site: SiteSpec
    options: RunOptions
    recorder: Recorder
    obstacles: Obstacles
    """Banners and dialogs in the way: closed by their declared or recognised refusal, never accepted."""
    navigator: Navigator
    """The way to the flow's page: open, walk, load again, clear a barrier, explain a missing control."""
    attempt: Attempt
    account: str
    contact: Contact
    """The account's e-mail (the sign-in address when none is configured) and phone."""
    remembered: FormMemory
    sendings: SendingLog
