"""Every exception optout-bot raises, documented here and nowhere else.

The core raises only these. Each carries a one-line ``message`` and a ``remedy`` that tells the
person what to do next; the CLI prints both and maps the class to an exit code (see
``outcomes.ExitStatus`` and ``cli.exit_status_for``). Messages must never contain a password,
cookie or token: they end up in logs, reports and notifications.
"""

from __future__ import annotations

from optout_bot.i18n import N_, _


class OptoutBotError(Exception):
    """Root of all optout-bot errors."""

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


class ConfigError(UsageError):
    """The config file is malformed or holds an unknown key (``file: key: message``)."""

    remedy = N_("fix the config file (optout-bot config path shows where it is)")


class FlowNotFound(UsageError):
    """No flow file has the requested name."""

    remedy = N_("run 'optout-bot flows list' to see the flow names")


class FlowInvalid(UsageError):
    """A flow or site file does not validate (``file: field: message``)."""

    remedy = N_("fix the flow file, then run 'optout-bot flows validate'")


class SetupError(OptoutBotError):
    """The machine lacks something the tool needs (browser, keyring, writable state directory)."""


class BrowserNotFound(SetupError):
    """No usable Chromium or Chrome was found."""

    remedy = N_(
        "install one: 'playwright install chromium', or 'apt-get install chromium', "
        "or set OPTOUT_BOT_CHROMIUM_PATH to a Chrome/Chromium executable"
    )


class KeyringUnavailable(SetupError):
    """No usable OS keyring backend, or it is locked."""

    remedy = N_(
        "unlock or start your desktop keyring; on a headless Linux server run inside "
        "'dbus-run-session' with gnome-keyring unlocked, or opt in to keyrings.cryptfile "
        "(PYTHON_KEYRING_BACKEND=keyrings.cryptfile.cryptfile.CryptFileKeyring)"
    )


class StateDirError(SetupError):
    """The state directory cannot be created or written."""

    remedy = N_("make the directory writable, or point OPTOUT_BOT_STATE_DIR at one that is")


class RunLocked(OptoutBotError):
    """Another run for the same account is in progress."""

    remedy = N_("wait for the other run to finish; scheduled runs simply try again next time")


# --- Outcomes on the account: the run reached the site --------------------------------------------


class LoginRequired(OptoutBotError):
    """No valid session and no way to sign in without a person (no password, or non-interactive)."""

    remedy = N_("run 'optout-bot login' (or 'optout-bot login --interactive') on a machine with a display")


class NeedsHuman(OptoutBotError):
    """The site asked for a human: checkpoint, PIN, app approval, CAPTCHA, restricted account."""

    remedy = N_("run 'optout-bot login --interactive' and complete the check yourself")

    def __init__(self, message: str, kind: str, remedy: str | None = None) -> None:
        super().__init__(message, remedy)
        self.kind = kind


class ForeignHost(NeedsHuman):
    """The site sent the browser to a host that is not its own: nothing is typed there, the run stops."""

    remedy = N_(
        "open the site yourself and check its address; if it really moved, tell the optout-bot maintainers"
    )

    def __init__(self, message: str, remedy: str | None = None) -> None:
        super().__init__(message, kind="foreign-host", remedy=remedy)


class RedirectLoop(NeedsHuman):
    """The site redirects in a circle (a stale session); never retried as a passing failure."""

    remedy = N_("run 'optout-bot login --interactive' to make a new session")

    def __init__(self, message: str, remedy: str | None = None) -> None:
        super().__init__(message, kind="redirect-loop", remedy=remedy)


class LoginFailed(OptoutBotError):
    """The site rejected the stored credentials. Never retried: retries lock accounts."""

    remedy = N_("check the password, then run 'optout-bot login' again")


class SettingUnavailable(OptoutBotError):
    """The page loaded but this account is not offered the setting (region, age, account type)."""

    remedy = N_("nothing to do: the setting does not exist for this account")


class SiteChanged(OptoutBotError):
    """The page loaded but the switch cannot be found or its state cannot be read back."""

    remedy = N_("the site's markup changed; run 'optout-bot capture' and report it with the capture")


class NotVerified(SiteChanged):
    """The switch was clicked but still reads ON after a reload."""

    remedy = N_(
        "the change did not stick; try again later, or switch it off by hand and run 'optout-bot status'"
    )


class Blocked(OptoutBotError):
    """The site refused the request (LinkedIn's HTTP 999, or 429 with a long Retry-After). Not retried."""

    remedy = N_("the site is rate-limiting this machine; wait a day before the next run")


class TransientError(OptoutBotError):
    """A timeout, 5xx or 429 that outlived the bounded retries."""

    remedy = N_("try again later; a scheduled run will retry on its own")


class BrowserStopped(TransientError):
    """The browser (or Playwright's driver) went away in the middle of a run: crashed, killed, or
    stopped by the run's deadline. Nothing after that point was done or verified."""

    remedy = N_("run it again; a scheduled run will retry on its own")
