"""The run report: ``index.html`` in the run folder, readable offline, no external assets."""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING

from optout_bot.outcomes import state_word
from optout_bot.paths import write_private

if TYPE_CHECKING:
    from optout_bot.runner import RunResult

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#1d1d1f}
h1{font-size:1.4em} .meta{color:#555} ol{padding-left:1.2em} li{margin:1.2em 0}
img{max-width:100%;border:1px solid #ccc} table{border-collapse:collapse} td,th{padding:.3em .8em;
border-bottom:1px solid #ddd;text-align:left} .failed{color:#a00} .ok{color:#060}
"""


def write_report(result: RunResult) -> None:
    """Render ``index.html`` from the run's ``steps.json`` and outcomes."""
    folder = result.run_dir
    if folder is None:
        return
    steps_file = folder / "steps.json"
    steps = json.loads(steps_file.read_text(encoding="utf-8")) if steps_file.exists() else []
    esc = html.escape
    request = result.request
    rows = "".join(
        f"<tr><td>{esc(o.title)}</td><td>{esc(state_word(o.before))}</td><td>{esc(state_word(o.after))}</td>"
        f"<td class='{'failed' if o.error else 'ok'}'>{esc(o.result.value)}</td><td>{esc(o.message)}</td></tr>"
        for o in result.outcomes
    )
    items = "".join(
        f"<li><strong>{s['number']:02d}. {esc(s['title'])}</strong><br><span class='meta'>{esc(s['url_path'])}"
        f" · {esc(s['time'])}</span>"
        + (f"<br><img alt='{esc(s['name'])}' src='{esc(s['screenshot'])}'>" if s.get("screenshot") else "")
        + "</li>"
        for s in steps
    )
    mode = "dry run (nothing changed)" if request.options.dry_run else request.command
    page = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>optout-bot run · {esc(request.account)}</title><style>{STYLE}</style></head><body>"
        f"<h1>optout-bot · {esc(request.site)} · {esc(mode)}</h1>"
        f"<p class='meta'>Account {esc(request.account)} · started {result.started.isoformat(timespec='seconds')}"
        f" · finished {result.finished.isoformat(timespec='seconds')} · exit {int(result.report.exit_status)}"
        f" ({esc(result.report.exit_status.name)})</p>"
        "<h2>Outcome</h2><table><tr><th>Setting</th><th>Before</th><th>After reload</th><th>Result</th>"
        f"<th>Message</th></tr>{rows}</table><h2>Steps</h2><ol>{items}</ol></body></html>"
    )
    write_private(folder / "index.html", page.encode("utf-8"))
