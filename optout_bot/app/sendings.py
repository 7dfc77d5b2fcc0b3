"""A form's sending written into the history as it happens (the engine's ``SendingLog``).

The run's own record of a form comes after the run; a run that dies between pressing send and that
record (killed, a power cut, a disk that fills up) would leave nothing, and a later run would send the
form again. So the press is written down first: ``starting`` appends a record that counts as "sent,
not confirmed" (``history.remembered_sending``) and raises ``StateDirError`` when it cannot, which stops
the run before the press. The run's own record then says what came of it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from optout_bot.errors import StateDirError
from optout_bot.i18n import _
from optout_bot.model.outcomes import ExitStatus, Result
from optout_bot.store import history

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HistorySendingLog:
    """Writes the records around a form's send button for one account's run."""

    account: str
    site: str
    command: str

    def starting(self, flow: str) -> None:
        """The send button is about to be pressed; raises ``StateDirError`` when that cannot be written."""
        self._append(
            flow,
            "started",
            "sent-form",
            Result.UNCONFIRMED,
            ExitStatus.NEEDS_HUMAN,
            _("the send button is being pressed; the run's own record follows"),
        )

    def withdrawn(self, flow: str) -> None:
        """The press did not happen. If even that cannot be written, the form stays counted as possibly
        sent: the safe side, so the run goes on to report why the button could not be pressed."""
        try:
            self._append(
                flow,
                "withdrawn",
                "none",
                Result.NOT_SENT,
                ExitStatus.SITE_CHANGED,
                _("the send button could not be pressed: nothing was sent"),
            )
        except StateDirError as exc:
            log.warning("%s: %s", flow, exc)

    def _append(
        self,
        flow: str,
        sending: Literal["started", "withdrawn"],
        action: history.Action,
        result: Result,
        exit_status: ExitStatus,
        message: str,
    ) -> None:
        history.append(
            history.HistoryEntry(
                account=self.account,
                site=self.site,
                flow=flow,
                command=self.command,
                dry_run=False,
                before=None,
                after=None,
                action=action,
                result=result,
                exit_status=int(exit_status),
                message=message,
                sending=sending,
            )
        )
