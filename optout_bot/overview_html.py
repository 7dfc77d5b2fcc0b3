"""``overview --html``: one local page with every account, every platform and the pictures kept.

Self-contained: inline style, no script, no font or image from the network; screenshots are linked
by paths relative to the page, so it opens from the disk with nothing else running.
"""

from __future__ import annotations

import html
import os
from datetime import datetime
from pathlib import Path

from optout_bot.overview import Row, summary
from optout_bot.paths import write_private

STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1d1d1f}
h1{font-size:1.5em} .meta{color:#555} table{border-collapse:collapse;width:100%}
th,td{padding:.45em .7em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
.good{color:#05610f;font-weight:600} .bad{color:#a00;font-weight:600} .todo{color:#8a5200;font-weight:600}
.info{color:#555} figure{display:inline-block;margin:.3em .6em .3em 0} figure img{max-width:320px;
border:1px solid #bbb} figcaption{font-size:.85em;color:#555} code{background:#f3f3f3;padding:0 .2em}
"""

ICONS = {"good": "✔", "bad": "✘", "todo": "•", "info": "·"}


def _src(picture: Path, page: Path) -> str:
    # Relative to the page, so the page and the run folders can move together (a backup, a USB stick).
    relative = os.path.relpath(picture, page.parent)
    return "/".join(html.escape(part, quote=True) for part in Path(relative).parts)


def _when(value: datetime | None) -> str:
    if value is None:
        return "never"
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def _figures(row: Row, page: Path) -> str:
    if not row.pictures:
        return ""
    captions = ["Before", "After"] if len(row.pictures) == 2 else ["Picture"] * len(row.pictures)
    esc = html.escape
    return "".join(
        f"<figure><img src='{_src(p, page)}' alt='{esc(caption)}: {esc(row.setting)} ({esc(row.account or '')})'>"
        f"<figcaption>{esc(caption)}</figcaption></figure>"
        for caption, p in zip(captions, row.pictures, strict=False)
    )


def render(rows: list[Row], page: Path, generated: datetime, language: str = "en") -> str:
    """The page's HTML; ``page`` is where it will be written (image paths are relative to it)."""
    esc = html.escape
    counts = summary(rows)
    body = []
    for row in rows:
        folder = (
            f"<br><a href='{_src(row.folder / 'index.html', page)}'>run report</a>"
            if row.folder is not None and (row.folder / "index.html").is_file()
            else ""
        )
        todo = f"<br><code>{esc(row.next_step)}</code>" if row.next_step else ""
        body.append(
            f"<tr><td>{esc(row.platform)}</td><td>{esc(row.account or '—')}</td><td>{esc(row.setting)}</td>"
            f"<td class='{esc(row.tone)}'>{ICONS.get(row.tone, '')} {esc(row.state)}{todo}</td>"
            f"<td>{esc(_when(row.checked))}</td><td>{esc(row.how)}{folder}</td>"
            f"<td>{_figures(row, page)}</td></tr>"
        )
    return (
        f"<!doctype html><html lang='{esc(language)}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>optout-bot overview</title><style>{STYLE}</style></head><body>"
        "<h1>Your accounts and platforms</h1>"
        f"<p class='meta'>Made {esc(generated.astimezone().strftime('%Y-%m-%d %H:%M'))} from this "
        f"computer's history. {counts['good']} off or sent, {counts['bad']} on or unknown, "
        f"{counts['todo']} to do.</p>"
        "<table><caption class='meta'>Last known state of each setting</caption><thead><tr>"
        "<th scope='col'>Platform</th><th scope='col'>Account</th><th scope='col'>Setting</th>"
        "<th scope='col'>State</th><th scope='col'>Checked</th><th scope='col'>How</th>"
        "<th scope='col'>Evidence</th></tr></thead><tbody>" + "".join(body) + "</tbody></table></body></html>"
    )


def write(rows: list[Row], page: Path, generated: datetime, language: str = "en") -> Path:
    """Write the page (0600: it names accounts) and return its path."""
    write_private(page, render(rows, page, generated, language).encode("utf-8"))
    return page
