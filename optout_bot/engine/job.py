"""What the engine is asked to do for one account, and what it reports back (flow.run_account)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from optout_bot.engine.context import Contact, FormMemory, NoSendingLog, SendingLog
from optout_bot.engine.signin import SignInPolicy
from optout_bot.model.flowspec import FlowSpec, SiteSpec
from optout_bot.model.outcomes import ExitStatus, FlowOutcome, worst


class SessionStoreLike(Protocol):
    """What the engine needs of ``state.SessionStore``."""

    def load(self) -> dict[str, Any] | None: ...

    def save(self, storage_state: dict[str, Any]) -> None: ...


@dataclass
class AccountJob:
    """One account on one site and the flows to run for it."""

    account: str
    site: SiteSpec
    flows: list[FlowSpec]
    signin: SignInPolicy
    remembered: FormMemory
    """Form flows: what is remembered of sending a flow for this account (the app layer reads the
    history file, ``history.remembered_sending``); a form remembered as sent is never sent again."""
    store: SessionStoreLike | None = None
    """The saved session; None for a site without sign-in (nothing is kept)."""
    contact: Contact = field(default_factory=Contact)
    """The account's own e-mail and phone, for forms that ask for them."""
    sendings: SendingLog = field(default_factory=NoSendingLog)
    """Form flows: where a sending is written down before the send button is pressed (the history)."""


@dataclass
class RunReport:
    """Everything one account's run found and did."""

    account: str
    site: str
    outcomes: list[FlowOutcome] = field(default_factory=list)
    browser_version: str = ""
    interrupted: bool = False
    """Ctrl-C stopped the run; the flows after the one in progress were not run."""

    @property
    def exit_status(self) -> ExitStatus:
        """The most severe status of all flows."""
        return worst([o.exit_status for o in self.outcomes])
