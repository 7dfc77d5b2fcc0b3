"""What a run found and did, and the exit codes that scheduled runs and monitoring rely on."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from optout_bot.errors import ErrorKind, kind_of


class ExitStatus(enum.IntEnum):
    """Process exit codes. Part of the public interface: change only with a major version."""

    OK = 0  # every setting is OFF (changed, already off, or would change in a dry run)
    ERROR = 1  # unexpected internal error (a bug: please report it)
    USAGE = 2  # bad command line, config or flow file
    DRIFT = 3  # check found a setting ON (and --fix was not given)
    NEEDS_HUMAN = 4  # checkpoint, CAPTCHA, PIN, app approval, restricted account, or no usable login
    LOGIN_FAILED = 5  # the site rejected the stored password (never retried)
    UNAVAILABLE = 6  # the account is not offered the setting
    SITE_CHANGED = 7  # the switch could not be found or read back; nothing reported as done
    TRANSIENT = 8  # timeouts, 5xx or 429 after bounded retries
    BLOCKED = 9  # the site refused us (HTTP 999): wait, do not retry soon
    SETUP = 10  # no browser, no keyring, unwritable state directory
    BUSY = 11  # another run for the same account holds the lock
    CTRL_C = 130


class Result(enum.StrEnum):
    """The one outcome of one flow in one run."""

    ALREADY_OFF = "already-off"
    CHANGED = "changed"  # was ON, now OFF, verified after a reload
    WOULD_CHANGE = "would-change"  # dry run: ON, would have been switched OFF
    DRIFT = "drift"  # read-only check found it ON
    ON = "on"  # status (informational) read it ON
    FAILED = "failed"
    # Objection forms (Meta): nothing to read back, so the confirmation page is the proof.
    SENT = "sent"  # submitted once; verified only when the site's confirmation was seen
    ALREADY_SENT = "already-sent"  # sent before (the site says so, or history remembers it)
    WOULD_SEND = "would-send"  # dry run: the form was filled, never submitted
    NOT_SENT = "not-sent"  # status/check: the objection has not been sent yet
    UNCONFIRMED = "sent-unconfirmed"  # submitted once, no confirmation seen: never sent again by itself


@dataclass(frozen=True)
class FlowOutcome:
    """The result of one flow: states read, what was done, and the error when it failed."""

    flow: str
    title: str
    result: Result
    before: bool | None = None  # True = ON, None = never read
    after: bool | None = None  # read after a reload; None when not re-read
    verified: bool = False  # True only when ``after`` comes from a read after a reload
    error: ErrorKind | None = None  # what stopped the flow, e.g. ``ErrorKind.NEEDS_HUMAN``
    message: str = ""
    remedy: str = ""
    evidence: list[str] = field(default_factory=list)
    exit_status: ExitStatus = ExitStatus.OK
    submitted: bool = False  # a form was submitted in this run (confirmed or not)
    switched: bool = False  # a switch's change reached the site without being read back (interrupted)
    interrupted: bool = False  # Ctrl-C stopped this flow


def state_word(value: bool | None) -> str:
    """ON/OFF/unknown, the way JSON documents and the history spell a switch state (never translated)."""
    if value is None:
        return "unknown"
    return "ON" if value else "OFF"


def state_text(value: bool | None) -> str:
    """A switch state as a person reads it, in their language (``state_word`` stays for documents)."""
    from optout_bot.i18n import _

    if value is None:
        return _("unknown")
    return _("ON") if value else _("OFF")


# When flows in one run end differently, the process exits with the most severe code.
SEVERITY: tuple[ExitStatus, ...] = (
    ExitStatus.OK,
    ExitStatus.DRIFT,
    ExitStatus.UNAVAILABLE,
    ExitStatus.TRANSIENT,
    ExitStatus.BLOCKED,
    ExitStatus.SITE_CHANGED,
    ExitStatus.LOGIN_FAILED,
    ExitStatus.NEEDS_HUMAN,
    ExitStatus.BUSY,
    ExitStatus.SETUP,
    ExitStatus.USAGE,
    ExitStatus.ERROR,
    ExitStatus.CTRL_C,
)


def worst(statuses: list[ExitStatus]) -> ExitStatus:
    """The most severe of several exit statuses (OK for none)."""
    return max(statuses, key=SEVERITY.index, default=ExitStatus.OK)


# The one mapping from what went wrong to the exit code (per flow and for the CLI).
EXIT_STATUSES: dict[ErrorKind, ExitStatus] = {
    ErrorKind.OTHER: ExitStatus.ERROR,
    ErrorKind.USAGE: ExitStatus.USAGE,
    ErrorKind.CONFIG: ExitStatus.USAGE,
    ErrorKind.FLOW_NOT_FOUND: ExitStatus.USAGE,
    ErrorKind.FLOW_INVALID: ExitStatus.USAGE,
    ErrorKind.SETUP: ExitStatus.SETUP,
    ErrorKind.BROWSER_NOT_FOUND: ExitStatus.SETUP,
    ErrorKind.KEYRING_UNAVAILABLE: ExitStatus.SETUP,
    ErrorKind.STATE_DIR: ExitStatus.SETUP,
    ErrorKind.RUN_LOCKED: ExitStatus.BUSY,
    ErrorKind.LOGIN_REQUIRED: ExitStatus.NEEDS_HUMAN,
    ErrorKind.NEEDS_HUMAN: ExitStatus.NEEDS_HUMAN,
    ErrorKind.FOREIGN_HOST: ExitStatus.NEEDS_HUMAN,
    ErrorKind.REDIRECT_LOOP: ExitStatus.NEEDS_HUMAN,
    ErrorKind.LOGIN_FAILED: ExitStatus.LOGIN_FAILED,
    ErrorKind.SETTING_UNAVAILABLE: ExitStatus.UNAVAILABLE,
    ErrorKind.SITE_CHANGED: ExitStatus.SITE_CHANGED,
    ErrorKind.NOT_VERIFIED: ExitStatus.SITE_CHANGED,
    ErrorKind.BLOCKED: ExitStatus.BLOCKED,
    ErrorKind.TRANSIENT: ExitStatus.TRANSIENT,
    ErrorKind.RETRY_AFTER: ExitStatus.TRANSIENT,
    ErrorKind.BROWSER_STOPPED: ExitStatus.TRANSIENT,
    ErrorKind.INTERRUPTED: ExitStatus.CTRL_C,
}


def exit_status_for(error: BaseException) -> ExitStatus:
    """The exit code of any exception, through its kind."""
    return EXIT_STATUSES[kind_of(error)]


def met_changed_page(outcome: FlowOutcome) -> bool:
    """The flow failed on a page that no longer matches its flow file (the switch not found, or a change
    that did not stick): a capture of that page is what the maintainers need (issue #8)."""
    return outcome.error is not None and EXIT_STATUSES[outcome.error] is ExitStatus.SITE_CHANGED
