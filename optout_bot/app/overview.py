"""Every account and every platform at a glance: the last known state, when and how it was read, and
the evidence kept (``optout-bot overview``).

Built from three things already on disk: the config (accounts), ``platforms.toml`` (every platform,
the manual ones too) and the history (what each run found, with its run folder). Nothing here opens
a browser or a site; the CLI draws the rows as a terminal table or hands them to ``overview_html``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from optout_bot.i18n import _

if TYPE_CHECKING:
    from optout_bot.model.platforms import Platform
    from optout_bot.store.config import Config
    from optout_bot.store.history import HistoryEntry

Tone = str  # "good", "bad", "todo" or "info": how a state reads at a glance (colour, icon)


@dataclass(frozen=True)
class Row:
    """One setting of one account, or one platform with no account here."""

    platform: str
    """The platform's display name, e.g. "LinkedIn"."""
    account: str | None
    """The optout-bot account name; None for a platform without an account in the config."""
    setting: str
    """The setting's title, or what is to be done for a platform without an account."""
    state: str
    """The last known state in the user's words: "Off", "On", "Objection sent", "Not checked yet", …"""
    tone: Tone
    code: str
    """The same state for programs: a history result (``changed``, ``drift``, …), ``never-checked``,
    ``not-set-up``, or the platform's capability (``manual``, ``verify-only``, ``nothing``)."""
    checked: datetime | None = None
    """When it was last read (aware; shown in local time)."""
    how: str = ""
    """How it was read: the command, a dry run or not, verified after a reload or not."""
    folder: Path | None = None
    """The run folder holding the evidence."""
    pictures: list[Path] = field(default_factory=list)
    """Screenshots kept by that run for this setting: before first, after last."""
    next_step: str = ""
    """The command that moves it forward, when something is left to do."""


def _state(entry: HistoryEntry) -> tuple[str, Tone]:
    result = str(entry.result)
    if result in ("sent", "already-sent"):
        return _("Objection sent"), "good"
    if result == "sent-unconfirmed":
        return _("Sent, confirmation not seen"), "todo"
    if result == "would-send":
        return _("Not sent yet (a dry run filled the form)"), "todo"
    if result == "not-sent":
        return _("Not sent yet"), "todo"
    value = entry.after if entry.after is not None else entry.before
    if value is None:
        return (_("Unknown (the last run stopped)") if result == "failed" else _("Unknown")), "bad"
    if value:
        return (_("On (a dry run left it on)") if entry.dry_run else _("On")), "bad"
    return _("Off"), "good"


def _how(entry: HistoryEntry) -> str:
    command = entry.command
    if entry.dry_run:
        return _("{command}, dry run: read, nothing changed").format(command=command)
    if entry.action == "switched-off":
        return _("{command}: turned off, then read again after reloading the page").format(command=command)
    if entry.action == "sent-form":
        return _("{command}: form sent once").format(command=command)
    if entry.result == "failed":
        return _("{command}: stopped").format(command=command)
    if command in ("check", "status"):
        return _("{command}: read only").format(command=command)
    return _("{command}: read, nothing needed changing").format(command=command)


def pictures(folder: Path | None, flow: str) -> list[Path]:
    """The screenshots ``folder`` kept for ``flow`` (all of them when the run did one setting)."""
    if folder is None or not (folder / "steps.json").is_file():
        return []
    try:
        steps = json.loads((folder / "steps.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    shots = [str(s["screenshot"]) for s in steps if isinstance(s, dict) and s.get("screenshot")]
    slug = flow.split(".", 1)[-1]
    own = [s for s in shots if slug in s]
    chosen = own or shots
    paths = [folder / name for name in chosen if (folder / name).is_file()]
    return paths if len(paths) <= 2 else [paths[0], paths[-1]]


def _next_step(account: str, tone: Tone, entry: HistoryEntry | None) -> str:
    if entry is None:
        return f"optout-bot disable --account {account} --dry-run"
    if tone == "bad" and entry.result == "failed":
        return f"optout-bot status --account {account}"
    if tone == "bad":
        return f"optout-bot disable --account {account}"
    if tone == "todo":
        return f"optout-bot disable --account {account}"
    return ""


def _newest_by_flow(entries: list[HistoryEntry], account: str) -> dict[str, HistoryEntry]:
    newest: dict[str, HistoryEntry] = {}
    for entry in entries:
        if entry.account == account:
            newest.pop(entry.flow, None)  # re-inserted last: the order follows the newest entries
            newest[entry.flow] = entry
    return newest


def account_rows(
    name: str, site: str, platform: str, entries: list[HistoryEntry], flow_titles: dict[str, str]
) -> list[Row]:
    """One row per setting this account's history knows; one "not checked yet" row when none."""
    newest = _newest_by_flow(entries, name)
    if not newest:
        step = _next_step(name, "todo", None)
        return [Row(platform, name, "—", _("Not checked yet"), "todo", "never-checked", next_step=step)]
    rows = []
    for flow, entry in newest.items():
        state, tone = _state(entry)
        folder = Path(entry.evidence) if entry.evidence else None
        rows.append(
            Row(
                platform=platform,
                account=name,
                setting=flow_titles.get(flow, flow),
                state=state,
                tone=tone,
                code=str(entry.result),
                checked=entry.time,
                how=_how(entry),
                folder=folder if folder is not None and folder.is_dir() else None,
                pictures=pictures(folder, flow),
                next_step=_next_step(name, tone, entry),
            )
        )
    return rows


def _platform_row(platform: Platform) -> Row:
    if platform.can == "automated":
        return Row(
            platform.name,
            None,
            _("No account set up here"),
            _("Not set up"),
            "info",
            "not-set-up",
            next_step=f"optout-bot setup --platform {platform.key}",
        )
    words = {
        "manual": (_("By hand (optout-bot cannot do it)"), "todo"),
        "verify-only": (_("Off unless you turned it on: check by hand"), "info"),
        "nothing": (_("No opt-out is offered"), "info"),
    }
    state, tone = words[platform.can]
    step = f"optout-bot guide {platform.key}"
    return Row(platform.name, None, platform.mechanism, state, tone, platform.can, next_step=step)


def build(
    config: Config,
    platforms: list[Platform],
    entries: list[HistoryEntry],
    flow_titles: dict[str, str],
) -> list[Row]:
    """Every configured account's settings first (config order), then every other platform."""
    by_site = {site: p for p in platforms for site in p.sites}
    rows: list[Row] = []
    covered: set[str] = set()
    for name, account in config.accounts.items():
        platform = by_site.get(account.site)
        title = platform.name if platform is not None else account.site
        if platform is not None:
            covered.add(platform.key)
        rows += account_rows(name, account.site, title, entries, flow_titles)
    rows += [_platform_row(p) for p in platforms if p.key not in covered]
    return rows


def summary(rows: list[Row]) -> dict[str, int]:
    """How many rows read good, bad, to do and for information."""
    counts = {"good": 0, "bad": 0, "todo": 0, "info": 0}
    for row in rows:
        counts[row.tone] = counts.get(row.tone, 0) + 1
    return counts
