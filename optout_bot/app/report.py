"""The run report: ``index.html`` in the run folder, readable offline, no external assets.

Written for the person whose account it is: per setting, what happened in plain words, where the
setting lives (the way a person clicks to it), when (local time with its zone), and the close-up
pictures with the switch outlined. Codes (results, exit status, paths, UTC times) are kept in one
``<details>`` block for whoever needs them.
"""

from __future__ import annotations

import html
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optout_bot.i18n import N_, _, language
from optout_bot.model.outcomes import FlowOutcome, state_word
from optout_bot.store.paths import write_private

if TYPE_CHECKING:
    from optout_bot.app.runner import RunResult

STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#1d1d1f}
h1{font-size:1.5em;margin-bottom:.2em} h2{font-size:1.2em;margin-top:1.6em} .meta{color:#555}
section{border:1px solid #ddd;border-radius:8px;padding:.6em 1.2em;margin:1.2em 0}
.outcome{font-size:1.1em;font-weight:600} .ok{color:#0a6b2d} .failed{color:#a00}
figure{margin:1em 0} img{max-width:100%;border:1px solid #ccc} figcaption{color:#555;font-size:.9em}
.typed{background:#f4f4f6;padding:.4em .8em;border-radius:6px} details{margin-top:2em}
table{border-collapse:collapse;font-size:.9em} td,th{padding:.25em .7em;border-bottom:1px solid #ddd;
text-align:left;vertical-align:top} code{font-size:.9em}
"""

MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


def local_time(iso_or_dt: str | datetime) -> str:
    """``1 December 2026, 04:12:05 CET (UTC+01:00)``: the machine's local time, with its zone (month
    names from the catalog, not the C library's locale, so French reads French wherever it runs)."""
    moment = datetime.fromisoformat(iso_or_dt) if isinstance(iso_or_dt, str) else iso_or_dt
    local = moment.astimezone()
    offset = local.strftime("%z")
    zone = f"UTC{offset[:3]}:{offset[3:]}"
    name = local.tzname() or ""
    named = f"{name} ({zone})" if name and name != "UTC" and not name.startswith(("+", "-")) else zone
    month = _(MONTHS[local.month - 1])
    return _("{day} {month} {year}, {time} {zone}").format(
        day=local.day, month=month, year=local.year, time=f"{local:%H:%M:%S}", zone=named
    )


def read_steps(folder: Path) -> list[dict[str, Any]]:
    """The run's ``steps.json`` (empty when nothing was recorded)."""
    steps_file = folder / "steps.json"
    steps: list[dict[str, Any]] = (
        json.loads(steps_file.read_text(encoding="utf-8")) if steps_file.exists() else []
    )
    return steps


def kept_screenshots(folder: Path | None, flow: str) -> list[str]:
    """The paths of the screenshots kept for ``flow`` in the run folder ``folder``."""
    if folder is None:
        return []
    return [
        str(folder / s["screenshot"])
        for s in read_steps(folder)
        if s.get("screenshot") and s.get("flow") == flow
    ]


def _setting(result: RunResult, outcome: FlowOutcome, steps: list[dict[str, Any]], where: str) -> str:
    from optout_bot.app.render import plain_outcome

    esc = html.escape
    request = result.request
    mood = "ok" if outcome.error is None else "failed"
    said = plain_outcome(outcome, request.command, request.options.dry_run)
    name = esc(_(outcome.title))  # the setting's name in the user's language (flow files, catalog)
    parts = [
        f"<section aria-label='{name}'><h2>{name}</h2>",
        f"<p class='outcome {mood}'>{esc(said)}</p>",
    ]
    if outcome.remedy:
        todo = _("What to do: {remedy}").format(remedy=outcome.remedy)
        parts.append(f"<p>{esc(todo)}</p>")
    if where:
        way = _("Where it is: {way}").format(way=where)
        parts.append(f"<p class='meta'>{esc(way)}</p>")
    for step in steps:
        if step.get("note"):
            held = _("What the form holds: {values}").format(values=step["note"])
            parts.append(f"<p class='typed'>{esc(held)}</p>")
    for step in steps:
        if step.get("screenshot"):
            how = _(" (the switch is outlined)") if step.get("close_up") else ""
            parts.append(
                f"<figure><img alt='{esc(step['title'])}' src='{esc(step['screenshot'])}'>"
                f"<figcaption>{esc(step['title'])}{how} · {esc(local_time(step['time']))}</figcaption></figure>"
            )
    parts.append("</section>")
    return "".join(parts)


def _details(result: RunResult, steps: list[dict[str, Any]]) -> str:
    esc = html.escape
    request = result.request
    status = result.report.exit_status
    facts = [
        ("command", request.command + (" --dry-run" if request.options.dry_run else "")),
        ("account", request.account),
        ("site", request.site),
        ("exit status", f"{int(status)} ({status.name})"),
        ("started (UTC)", result.started.isoformat(timespec="seconds")),
        ("finished (UTC)", result.finished.isoformat(timespec="seconds")),
        ("run folder", str(result.run_dir or "")),
        ("browser", result.report.browser_version),
    ]
    rows = "".join(f"<tr><th>{esc(k)}</th><td><code>{esc(v)}</code></td></tr>" for k, v in facts)
    flows = "".join(
        f"<tr><td><code>{esc(o.flow)}</code></td><td>{esc(o.result.value)}</td><td>{esc(state_word(o.before))}"
        f"</td><td>{esc(state_word(o.after))}</td><td>{'yes' if o.verified else 'no'}</td>"
        f"<td>{esc(o.error.value if o.error else '')} {esc(o.message)}</td><td>{esc(' '.join(o.evidence))}</td></tr>"
        for o in result.outcomes
    )
    timeline = "".join(
        f"<tr><td>{s['number']:02d}</td><td><code>{esc(s['name'])}</code></td><td><code>{esc(s['url_path'])}"
        f"</code></td><td>{esc(s['time'])}</td><td>{esc(s.get('screenshot') or '')}</td></tr>"
        for s in steps
    )
    summary = _("Technical details (codes, paths, UTC times)")
    return (
        f"<details><summary>{esc(summary)}</summary>"
        f"<table>{rows}</table><h3>Settings</h3><table><tr><th>flow</th><th>result</th><th>before</th>"
        f"<th>after reload</th><th>verified</th><th>error</th><th>evidence</th></tr>{flows}</table>"
        "<h3>Steps</h3><table><tr><th>#</th><th>step</th><th>path</th><th>time (UTC)</th><th>file</th></tr>"
        f"{timeline}</table></details>"
    )


def _ways(result: RunResult) -> dict[str, str]:
    """Each flow's path in words, from the flow files (empty when they cannot be read)."""
    from optout_bot.app.render import path_in_words
    from optout_bot.errors import OptoutBotError
    from optout_bot.model.loader import load_catalog

    try:
        catalog = load_catalog()
        site = catalog.site(result.request.site)
        return {o.flow: path_in_words(site, catalog.flow(o.flow)) for o in result.outcomes}
    except OptoutBotError:
        return {}


def write_report(result: RunResult) -> None:
    """Render ``index.html`` from the run's ``steps.json`` and outcomes."""
    folder = result.run_dir
    if folder is None:
        return
    steps = read_steps(folder)
    esc = html.escape
    request = result.request
    title = result.site_title or request.site
    ways = _ways(result)
    if request.options.dry_run:
        kind = _("Dry run: nothing was changed")
    elif request.command == "disable":
        kind = _("Turning settings off")
    else:
        kind = _("Reading the settings (nothing is changed)")
    sections = "".join(
        _setting(result, o, [s for s in steps if s.get("flow") == o.flow], ways.get(o.flow, ""))
        for o in result.outcomes
    )
    timeline = "".join(
        f"<li>{esc(s['title'])} <span class='meta'>· {esc(local_time(s['time']).split(', ', 1)[-1])}</span></li>"
        for s in steps
    )
    account = _("Account “{account}”").format(account=request.account)
    by_step = _("Step by step")
    page = (
        f"<!doctype html><html lang='{language()}'><head><meta charset='utf-8'>"
        f"<title>optout-bot · {esc(title)} · {esc(request.account)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{esc(title)}: {esc(kind)}</h1>"
        f"<p class='meta'>{esc(account)}"
        f" · {esc(local_time(result.started))}</p>"
        f"{sections}<h2>{esc(by_step)}</h2><ol>{timeline}</ol>{_details(result, steps)}</body></html>"
    )
    write_private(folder / "index.html", page.encode("utf-8"))
