"""``overview --html``: one local page with every account, every platform and the pictures kept.

Self-contained: inline style, no script, no font or image from the network; screenshots are linked
by paths relative to the page, so it opens from the disk with nothing else running.
"""

from __future__ import annotations

import html
import os
from datetime import datetime
from pathlib import Path

from optout_bot.app.overview import Row, summary
from optout_bot.i18n import _, language
from optout_bot.store.paths import write_private

STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1d1d1f}
h1{font-size:1.5em} .meta{color:#555} table{border-collapse:collapse;width:100%}
th,td{padding:.45em .7em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
.good{color:#05610f;font-weight:600} .bad{color:#a00;font-weight:600} .todo{color:#8a5200;font-weight:600}
.info{color:#555} figure{display:inline-block;margin:.3em .6em .3em 0} figure img{max-width:320px;
border:1px solid #bbb} figcaption{font-size:.85em;color:#555} code{background:#f3f3f3;padding:0 .2em}
"""

ICONS = {"good": "✔", "bad": "✘", "todo": "•", "info": "·"}


def columns() -> list[str]:
    """The table's column names, in the user's language (the terminal table uses the same)."""
    return [_("Platform"), _("Account"), _("Setting"), _("State"), _("Checked"), _("How"), _("Evidence")]


def _src(picture: Path, page: Path) -> str:
    # Relative to the page, so the page and the run folders can move together (a backup, a USB stick).
    relative = os.path.relpath(picture, page.parent)
    return "/".join(html.escape(part, quote=True) for part in Path(relative).parts)


def when(value: datetime | None) -> str:
    """Local time, to the minute; "never" for a setting never read."""
    if value is None:
        return _("never")
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def _figures(row: Row, page: Path) -> str:
    if not row.pictures:
        return ""
    captions = [_("Before"), _("After")] if len(row.pictures) == 2 else [_("Picture")] * len(row.pictures)
    esc = html.escape
    alt = _("{caption}: {setting} ({account})")
    return "".join(
        f"<figure><img src='{_src(p, page)}' "
        f"alt='{esc(alt.format(caption=caption, setting=row.setting, account=row.account or ''))}'>"
        f"<figcaption>{esc(caption)}</figcaption></figure>"
        for caption, p in zip(captions, row.pictures, strict=False)
    )


def _row(row: Row, page: Path) -> str:
    esc = html.escape
    report = ""
    if row.folder is not None and (row.folder / "index.html").is_file():
        label = esc(_("run report"))
        report = f"<br><a href='{_src(row.folder / 'index.html', page)}'>{label}</a>"
    todo = f"<br><code>{esc(row.next_step)}</code>" if row.next_step else ""
    return (
        f"<tr><td>{esc(row.platform)}</td><td>{esc(row.account or '—')}</td><td>{esc(row.setting)}</td>"
        f"<td class='{esc(row.tone)}'>{ICONS.get(row.tone, '')} {esc(row.state)}{todo}</td>"
        f"<td>{esc(when(row.checked))}</td><td>{esc(row.how)}{report}</td>"
        f"<td>{_figures(row, page)}</td></tr>"
    )


def render(rows: list[Row], page: Path, generated: datetime) -> str:
    """The page's HTML in the user's language; image paths are relative to ``page``, where it goes."""
    esc = html.escape
    counts = summary(rows)
    made = _(
        "Made {when} from this computer's history: {good} off or sent, {bad} on or unknown, {todo} to do."
    )
    made = made.format(when=when(generated), good=counts["good"], bad=counts["bad"], todo=counts["todo"])
    headers = "".join(f"<th scope='col'>{esc(name)}</th>" for name in columns())
    # Translated outside the f-string: Babel's extractor does not look inside one (Python 3.11).
    title, heading = _("optout-bot overview"), _("Your accounts and platforms")
    caption = _("Last known state of each setting")
    return (
        f"<!doctype html><html lang='{esc(language())}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{esc(heading)}</h1><p class='meta'>{esc(made)}</p>"
        f"<table><caption class='meta'>{esc(caption)}</caption>"
        f"<thead><tr>{headers}</tr></thead><tbody>{''.join(_row(row, page) for row in rows)}</tbody>"
        "</table></body></html>"
    )


def write(rows: list[Row], page: Path, generated: datetime) -> Path:
    """Write the page (0600: it names accounts) and return its path."""
    write_private(page, render(rows, page, generated).encode("utf-8"))
    return page
