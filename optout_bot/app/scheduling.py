"""Install and remove an account's scheduled check: what ``schedule install|remove`` and ``setup`` do.

Returns the lines to show; ``Changes.unfinished`` says whether a scheduler command failed and the
person must finish by hand (the CLI makes that exit 10).
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from optout_bot.i18n import _

if TYPE_CHECKING:
    from optout_bot.schedule import Runner, Scheduler
    from optout_bot.schedule.install import Changes
    from optout_bot.store.config import Config

#: Runs scheduler commands (systemctl, crontab, launchctl, schtasks); ``None`` = really run them.
#: Tests put a fake here so that no test ever touches the real user's scheduler.
RUNNER: Runner | None = None


def scheduler(kind: str | None) -> Scheduler:
    """The OS scheduler ``kind`` (detected when ``None``), running its commands through ``RUNNER``."""
    from optout_bot.schedule import get_scheduler

    return get_scheduler(kind, runner=RUNNER)


def recorded_kind(account: str) -> str | None:
    """The scheduler that holds ``account``'s entry, from the install record (never detected)."""
    from optout_bot.schedule.store import load_records

    entry = load_records().get(account)
    return None if entry is None else str(entry["scheduler"])


def install(config: Config, account: str, every: str, fix: bool, kind: str | None, dry_run: bool) -> Changes:
    """Install (or replace) ``account``'s scheduled check; what was done, then what it runs and notes."""
    from optout_bot.schedule import build_spec
    from optout_bot.schedule.entry import entry_point

    entry = entry_point()
    spec = build_spec(account, every, fix, entry=entry)
    lines = scheduler(kind).install(spec, dry_run)
    said = _("Would run: {command}") if dry_run else _("Runs: {command}")
    lines.append(said.format(command=shlex.join(spec.command)))
    lines.append(_("It starts optout-bot with {how}.").format(how=entry.how))
    if not config.notify.urls:
        lines.append(
            _(
                "Note: no notification URLs are configured (notify.urls), so drift shows only in "
                "'optout-bot history'; add one, then try it with 'optout-bot notify --test'."
            )
        )
    lines += _missing_session(config.account(account).site, account)
    if not config.account(account).allow_password_login:
        lines.append(
            _(
                "Note: scheduled runs never type the stored password (allow_password_login = false); "
                "when the saved session expires they stop and alert you to run 'optout-bot login --interactive'."
            )
        )
    return lines


def _missing_session(site: str, account: str) -> list[str]:
    """A note when the account has never been signed in: its scheduled check could only stop and alert."""
    from optout_bot.model.loader import load_catalog
    from optout_bot.store.state import SessionStore

    if load_catalog().site(site).login is None or SessionStore(site, account).path.exists():
        return []  # a site without accounts (WhatsApp's form) needs no session
    return [
        _(
            "Note: account '{account}' has no saved session yet, so the scheduled check would stop and "
            "alert you. Sign in first: 'optout-bot login --interactive --account {account}'."
        ).format(account=account)
    ]


def remove(account: str, dry_run: bool) -> Changes | None:
    """Remove exactly what the install recorded for ``account``; ``None`` when nothing is recorded."""
    kind = recorded_kind(account)
    return None if kind is None else scheduler(kind).remove(account, dry_run)
