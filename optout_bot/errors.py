"""Every exception optout-bot raises, documented here and nowhere else.

The core raises only these. Each carries a one-line ``message``, a ``remedy`` that tells the
person what to do next, and its ``ErrorKind``: outcomes, JSON documents and alerts carry the kind,
never the class, and ``outcomes.exit_status_of`` maps a kind to its exit code. Messages must never
contain a password, cookie or token: they end up in logs, reports and notifications.
"""

from __future__ import annotations

import enum
from typing import ClassVar

from optout_bot.i18n import N_, _


class ErrorKind(enum.StrEnum):
    """What stopped a flow or a command, as data that crosses layers.

    The values are stable (JSON documents, captures): each is spelled as the error class was named when
    outcomes carried class names, so documents written before and after read the same.
    """

    OTHER = "OptoutBotError"  # an error of no more precise kind (a bug when it reaches a person)
    USAGE = "UsageError"
    CONFIG = "ConfigError"
    FLOW_NOT_FOUND = "FlowNotFound"
    FLOW_INVALID = "FlowInvalid"
    SETUP = "SetupError"
    BROWSER_NOT_FOUND = "BrowserNotFound"
    KEYRING_UNAVAILABLE = "KeyringUnavailable"
    STATE_DIR = "StateDirError"
    RUN_LOCKED = "RunLocked"
    LOGIN_REQUIRED = "LoginRequired"
    NEEDS_HUMAN = "NeedsHuman"
    FOREIGN_HOST = "ForeignHost"
    REDIRECT_LOOP = "RedirectLoop"
    LOGIN_FAILED = "LoginFailed"
    SETTING_UNAVAILABLE = "SettingUnavailable"
    SITE_CHANGED = "SiteChanged"
    NOT_VERIFIED = "NotVerified"
    BLOCKED = "Blocked"
    TRANSIENT = "TransientError"
    RETRY_AFTER = "RetryAfter"  # a 429/503 that said how long to wait, still refused after the retries
    BROWSER_STOPPED = "BrowserStopped"
    INTERRUPTED = "KeyboardInterrupt"  # Ctrl-C


def kind_of(error: BaseException) -> ErrorKind:
    """The kind of any exception: ours say it themselves, Ctrl-C is ``INTERRUPTED``, the rest ``OTHER``."""
    if isinstance(error, OptoutBotError):
        return error.error_kind
    return ErrorKind.INTERRUPTED if isinstance(error, KeyboardInterrupt) else ErrorKind.OTHER


class OptoutBotError(Exception):
    """Root of all optout-bot errors."""

    error_kind: ClassVar[ErrorKind] = ErrorKind.OTHER
    remedy: str = ""

    def __init__(self, message: str, remedy: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        # Class remedies are marked N_() at import and translated here, when the error is raised; a
        # remedy given to the constructor is translated by its caller, where it is built.
        self.remedy = _(type(self).remedy) if remedy is None else remedy

    def __str__(self) -> str:
        return self.message


# --- Bad input and set-up: nothing was attempted on the account --------------------------------


class UsageError(OptoutBotError):
    """The command line or an argument is wrong."""

    error_kind = ErrorKind.USAGE


class ConfigError(UsageError):
    """The config file is malformed or holds an unknown key (``file: key: message``)."""

    error_kind = ErrorKind.CONFIG
    remedy = N_("fix the config file (optout-bot config path shows where it is)")


class FlowNotFound(UsageError):
    """No flow file has the requested name."""

    error_kind = ErrorKind.FLOW_NOT_FOUND
    remedy = N_("run 'optout-bot flows list' to see the flow names")


class FlowInvalid(UsageError):
    """A flow or site file does not validate (``file: field: message``)."""

    error_kind = ErrorKind.FLOW_INVALID
    remedy = N_("fix the flow file, then run 'optout-bot flows validate'")


class SetupError(OptoutBotError):
    """The machine lacks something the tool needs (browser, keyring, writable state directory)."""

    error_kind = ErrorKind.SETUP


class BrowserNotFound(SetupError):
    """No usable Chromium or Chrome was found."""

    error_kind = ErrorKind.BROWSER_NOT_FOUND
    remedy = N_(
        "install one: 'playwright install chromium', or 'apt-get install chromium', "
        "or set OPTOUT_BOT_CHROMIUM_PATH to a Chrome/Chromium executable"
    )


class KeyringUnavailable(SetupError):
    """No usable OS keyring backend, or it is locked."""

    error_kind = ErrorKind.KEYRING_UNAVAILABLE
    remedy = N_(
        "unlock or start your desktop keyring; on a headless Linux server run inside "
        "'dbus-run-session' with gnome-keyring unlocked, or opt in to keyrings.cryptfile "
        "(PYTHON_KEYRING_BACKEND=keyrings.cryptfile.cryptfile.CryptFileKeyring)"
    )


class StateDirError(SetupError):
    """The state directory cannot be created or written."""

    error_kind = ErrorKind.STATE_DIR
    remedy = N_("make the directory writable, or point OPTOUT_BOT_STATE_DIR at one that is")


class RunLocked(OptoutBotError):
    """Another run for the same account is in progress."""

    error_kind = ErrorKind.RUN_LOCKED
    remedy = N_("wait for the other run to finish; scheduled runs simply try again next time")


# --- Outcomes on the account: the run reached the site --------------------------------------------


class LoginRequired(OptoutBotError):
    """No valid session and no way to sign in without a person (no password, or non-interactive)."""

    error_kind = ErrorKind.LOGIN_REQUIRED
    remedy = N_("run 'optout-bot login' (or 'optout-bot login --interactive') on a machine with a display")


class NeedsHuman(OptoutBotError):
    """The site asked for a human: checkpoint, PIN, app approval, CAPTCHA, restricted account."""

    error_kind = ErrorKind.NEEDS_HUMAN
    remedy = N_("run 'optout-bot login --interactive' and complete the check yourself")

    def __init__(self, message: str, kind: str, remedy: str | None = None) -> None:
        super().__init__(message, remedy)
        self.kind = kind


class ForeignHost(NeedsHuman):
    """The site sent the browser to a host that is not its own: nothing is typed there, the run stops."""

    error_kind = ErrorKind.FOREIGN_HOST
    remedy = N_(
        "open the site yourself and check its address; if it really moved, tell the optout-bot maintainers"
    )

    def __init__(self, message: str, remedy: str | None = None) -> None:
        super().__init__(message, kind="foreign-host", remedy=remedy)


class RedirectLoop(NeedsHuman):
    """The site redirects in a circle (a stale session); never retried as a passing failure."""

    error_kind = ErrorKind.REDIRECT_LOOP
    remedy = N_("run 'optout-bot login --interactive' to make a new session")

    def __init__(self, message: str, remedy: str | None = None) -> None:
        super().__init__(message, kind="redirect-loop", remedy=remedy)


class LoginFailed(OptoutBotError):
    """The site rejected the stored credentials. Never retried: retries lock accounts."""

    error_kind = ErrorKind.LOGIN_FAILED
    remedy = N_("check the password, then run 'optout-bot login' again")


class SettingUnavailable(OptoutBotError):
    """The page loaded but this account is not offered the setting (region, age, account type)."""

    error_kind = ErrorKind.SETTING_UNAVAILABLE
    remedy = N_("nothing to do: the setting does not exist for this account")


class SiteChanged(OptoutBotError):
    """The page loaded but the switch cannot be found or its state cannot be read back."""

    error_kind = ErrorKind.SITE_CHANGED
    remedy = N_("the site's markup changed; run 'optout-bot capture' and report it with the capture")


class NotVerified(SiteChanged):
    """The switch was clicked but still reads ON after a reload."""

    error_kind = ErrorKind.NOT_VERIFIED
    remedy = N_(
        "the change did not stick; try again later, or switch it off by hand and run 'optout-bot status'"
    )


class Blocked(OptoutBotError):
    """The site refused the request (LinkedIn's HTTP 999, or 429 with a long Retry-After). Not retried."""

    error_kind = ErrorKind.BLOCKED
    remedy = N_("the site is rate-limiting this machine; wait a day before the next run")


class TransientError(OptoutBotError):
    """A timeout, 5xx or 429 that outlived the bounded retries."""

    error_kind = ErrorKind.TRANSIENT
    remedy = N_("try again later; a scheduled run will retry on its own")


class BrowserStopped(TransientError):
    """The browser (or Playwright's driver) went away in the middle of a run: crashed, killed, or
    stopped by the run's deadline. Nothing after that point was done or verified."""

    error_kind = ErrorKind.BROWSER_STOPPED
    remedy = N_("run it again; a scheduled run will retry on its own")
