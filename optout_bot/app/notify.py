"""Alerts through apprise, and healthchecks-style dead-man's-switch pings.

Neither ever raises and neither ever changes a run's exit code: a scheduled check that found drift must
still exit DRIFT when the alert could not be delivered. Problems come back as one-line strings for the
CLI to print. Notification and health-check URLs embed tokens, so no returned string contains one:
destinations are named by position and scheme only (``notification #2 (tgram)``).

``apprise`` is imported inside ``send`` only: it pulls in ``requests`` and its plugin registry, which
would slow every CLI start-up for a feature most runs do not use.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from optout_bot import __version__
from optout_bot.errors import ErrorKind
from optout_bot.i18n import _
from optout_bot.model.outcomes import ExitStatus, FlowOutcome, Result
from optout_bot.store.config import NotifyConfig

AlertKind = Literal["drift", "fixed", "needs-human", "failed", "test"]
PingEvent = Literal["start", "success", "fail"]

LOGIN_COMMAND = "optout-bot login --interactive"

# apprise's NotifyType values, by alert kind (strings, so this module needs no apprise at import).
_NOTIFY_TYPE: dict[str, str] = {
    "drift": "warning",
    "fixed": "success",
    "needs-human": "failure",
    "failed": "failure",
    "test": "info",
}


@dataclass(frozen=True)
class Alert:
    """One message to a person: what happened, on which account, what to do."""

    kind: AlertKind
    title: str
    body: str


def _scheme(url: str) -> str:
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", url)
    return match.group(1).lower() if match else "?"


@contextlib.contextmanager
def _apprise_log_contained() -> Iterator[None]:
    # Some apprise plugins name their host in warnings, and for Telegram the host *is* the bot token.
    # Nothing apprise logs reaches the application's handlers (or a log file) while we deliver; the
    # problems we return say what went wrong instead.
    logger = logging.getLogger("apprise")
    previous = logger.propagate
    logger.propagate = False
    try:
        yield
    finally:
        logger.propagate = previous


def send(alert: Alert, config: NotifyConfig) -> list[str]:
    """Deliver ``alert`` to every URL in ``config.urls``; return the problems (empty = all delivered).

    Kinds missing from ``config.on`` are dropped silently, except ``test``, which is always sent.
    """
    if alert.kind != "test" and alert.kind not in config.on:
        return []
    if not config.urls:
        return ["no notification URLs are configured (notify.urls)"] if alert.kind == "test" else []
    with warnings.catch_warnings():
        # apprise 2.2 imports the deprecated imghdr when it first loads its plugins: its business,
        # not the user's, so the warning is not passed on.
        warnings.simplefilter("ignore", DeprecationWarning)
        with _apprise_log_contained():
            return _deliver(alert, config)


def _deliver(alert: Alert, config: NotifyConfig) -> list[str]:
    try:
        import apprise
    except ImportError:
        return ["apprise is not installed, so no alert was sent (pip install apprise)"]
    problems: list[str] = []
    for index, secret in enumerate(config.urls, start=1):
        url = secret.get_secret_value()
        label = f"notification #{index} ({_scheme(url)})"
        try:
            destination = apprise.Apprise()
            if not destination.add(url):
                problems.append(f"{label}: not a URL apprise understands")
                continue
            delivered = destination.notify(
                title=alert.title, body=alert.body, notify_type=_NOTIFY_TYPE[alert.kind]
            )
        except Exception as exc:  # a plugin bug must not turn an alert into a crash
            problems.append(f"{label}: failed ({type(exc).__name__})")
            continue
        if not delivered:
            problems.append(f"{label}: the destination did not accept the alert")
    return problems


# --- health checks -------------------------------------------------------------------------------


def _ping_url(base: str, event: PingEvent) -> str:
    base = base.rstrip("/")
    return {"start": f"{base}/start", "success": base, "fail": f"{base}/fail"}[event]


def _scrub(text: str, url: str) -> str:
    """``text`` with every recognisable part of ``url`` (host, path pieces, user, query) blanked."""
    parts = urllib.parse.urlsplit(url)
    pieces = [url, parts.netloc, parts.hostname or "", parts.username or "", parts.password or ""]
    pieces += [parts.path, parts.query, *parts.path.split("/")]
    for piece in sorted(pieces, key=len, reverse=True):
        if len(piece) >= 3:
            text = text.replace(piece, "…")
    return text


def _request(url: str) -> urllib.request.Request:
    """A GET for ``url``; ``user:password@`` in it becomes a basic-auth header (urllib ignores it)."""
    headers = {"User-Agent": f"optout-bot/{__version__}"}
    parts = urllib.parse.urlsplit(url)
    if parts.username is not None:
        user = urllib.parse.unquote(parts.username)
        password = urllib.parse.unquote(parts.password or "")
        headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        host = parts.netloc.rpartition("@")[2]
        url = urllib.parse.urlunsplit(parts._replace(netloc=host))
    return urllib.request.Request(url, headers=headers)  # noqa: S310 - ping() allows http(s) only


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        return _reason(exc.reason)
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(exc, socket.gaierror):
        return "host name not found"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return type(exc).__name__


def ping(config: NotifyConfig, event: PingEvent, timeout: float = 5) -> str | None:
    """GET the health-check URL for ``event``; ``None`` when it worked (or none is configured).

    Otherwise one line saying what went wrong, without the URL (it is a secret).
    """
    if config.healthcheck_url is None:
        return None
    base = config.healthcheck_url.get_secret_value()
    what = f"health-check ping ({event})"
    if _scheme(base) not in ("http", "https"):
        return f"{what}: the URL must start with http:// or https://"
    url = _ping_url(base, event)
    request = _request(url)
    try:
        # S310: the scheme is checked above, so urlopen cannot be pointed at file:// or ftp://.
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            response.read(1024)
    except Exception as exc:  # a ping must never break the run it reports on
        return f"{what} failed: {_scrub(_reason(exc), url)}"
    return None


# --- outcomes to alerts --------------------------------------------------------------------------

# Failures a person must sort out at a sign-in prompt.
_HUMAN_ERRORS = {ErrorKind.NEEDS_HUMAN, ErrorKind.LOGIN_REQUIRED, ErrorKind.LOGIN_FAILED}
_HUMAN_STATUSES = {ExitStatus.NEEDS_HUMAN, ExitStatus.LOGIN_FAILED}
# Failures that are no news: the setting does not exist for the account, or another run holds the
# lock (that run reports for itself).
_QUIET_STATUSES = {ExitStatus.UNAVAILABLE, ExitStatus.BUSY}


def _with_account(account: str) -> str:
    return "" if account == "default" else _(" with `--account {account}`").format(account=account)


def alert_for(outcome: FlowOutcome, account: str, site: str, scheduled: bool = True) -> Alert | None:
    """The alert a run sends for ``outcome`` (``site``: its title, e.g. "LinkedIn"), or ``None``.

    ``scheduled``: started by the OS scheduler; a run a person started is not called "the scheduled check".
    """
    name = _(outcome.title)
    who = _("The scheduled check") if scheduled else _("A run started by hand")
    then = _("the next scheduled check then carries on by itself") if scheduled else _("then run it again")
    detail = f"\n\n{outcome.message}" if outcome.message else ""
    words = {"site": site, "name": name, "account": account}
    if outcome.result is Result.DRIFT:
        return Alert(
            "drift",
            _("{site} · {name} is ON again (account {account})").format(**words),
            _(
                "{who} found “{name}” switched ON for account {account}. "
                "Switch it OFF with `optout-bot disable --account {account}`, or re-install the schedule "
                "with --fix to let the check do it."
            ).format(who=who, **words),
        )
    if outcome.result is Result.CHANGED:
        proof = _("It read OFF after a reload.") if outcome.verified else _("It was not read back.")
        return Alert(
            "fixed",
            _("{site} · {name} was ON again and is now OFF (account {account})").format(**words),
            _("{who} found “{name}” ON for account {account} and switched it OFF.").format(who=who, **words)
            + " "
            + proof,
        )
    if outcome.result is Result.NOT_SENT and outcome.exit_status is ExitStatus.DRIFT:
        return Alert(
            "drift",
            _("{site} · {name} has not been sent (account {account})").format(**words),
            _(
                "{who} found the objection “{name}” not sent yet for account {account}. "
                "Send it with `optout-bot disable --account {account}`, or re-install the schedule with --fix "
                "to let the check send it."
            ).format(who=who, **words),
        )
    if outcome.result is Result.SENT:
        return Alert(
            "fixed",
            _("{site} · {name} was sent (account {account})").format(**words),
            _("The objection “{name}” was sent for account {account}; the site confirmed it.").format(
                **words
            ),
        )
    what_to_do = _("What to do: {remedy}").format(remedy=outcome.remedy)
    if outcome.result is Result.UNCONFIRMED:
        return Alert(
            "needs-human",
            _("{site} · {name}: sent, but not confirmed (account {account})").format(**words),
            _(
                "The objection “{name}” was sent for account {account} but the site never confirmed it; "
                "optout-bot will not send it again by itself."
            ).format(**words)
            + f"{detail}\n\n{what_to_do}",
        )
    if outcome.result is not Result.FAILED or outcome.exit_status in _QUIET_STATUSES:
        return None
    if outcome.error in _HUMAN_ERRORS or outcome.exit_status in _HUMAN_STATUSES:
        return Alert(
            "needs-human",
            _("{site} · sign-in needs you (account {account})").format(**words),
            _("{who} could not confirm “{name}” is OFF for account {account}.").format(who=who, **words)
            + f"{detail}\n\n"
            + _("On a machine with a display, run `{command}`{with_account}; {then}.").format(
                command=LOGIN_COMMAND, with_account=_with_account(account), then=then
            ),
        )
    remedy = f"\n\n{what_to_do}" if outcome.remedy else ""
    return Alert(
        "failed",
        _("{site} · could not check {name} (account {account})").format(**words),
        _("{who} failed for account {account} ({reason}).").format(
            who=who, account=account, reason=outcome.exit_status.name.lower().replace("_", " ")
        )
        + f"{detail}{remedy}",
    )
