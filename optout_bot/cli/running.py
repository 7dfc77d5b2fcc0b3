"""Run a request with a progress line and print what it found; print what a schedule change did.

Shared by the commands (``setup`` too), which, like ``cli/options.py``, import this module and never
each other.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from optout_bot.cli.options import Common, person_deps, warn
from optout_bot.i18n import _
from optout_bot.model.outcomes import ExitStatus, met_changed_page

if TYPE_CHECKING:
    from optout_bot.app.request import RunDeps, RunRequest, RunResult
    from optout_bot.cli.progress import ProgressRecorder
    from optout_bot.schedule.install import Changes
    from optout_bot.store.config import Config


def run_request(request: RunRequest, common: Common, config: Config, deps: RunDeps | None = None) -> int:
    """Run ``request`` with ``deps`` (default: ``person_deps``) and a live progress line, then print
    its outcomes; the exit status."""
    from optout_bot.app.hooks import run_with_hooks
    from optout_bot.cli.progress import ProgressRecorder
    from optout_bot.engine.recorder import ScreenshotRecorder

    shown: list[ProgressRecorder] = []

    def recorder(folder: Path, mask: list[str]) -> ProgressRecorder:
        inner = ScreenshotRecorder.for_run(
            folder, mask, evidence=request.evidence, dry_run=request.options.dry_run
        )
        shown.append(ProgressRecorder(inner, quiet=common.quiet or common.as_json))
        return shown[0]

    deps = replace(deps or person_deps(common), recorder_factory=recorder)
    ask = deps.ask_pin
    if ask is not None:
        # The live status line would be redrawn over the prompt and hide the digits being typed.
        def ask_pin(message: str) -> str | None:
            with ExitStack() as paused:
                for progress in shown:
                    paused.enter_context(progress.paused())
                return ask(message)

        deps = replace(deps, ask_pin=ask_pin)

    @contextmanager
    def progress_shown() -> Iterator[None]:
        try:
            yield
        finally:
            for progress in shown:
                progress.close()

    if request.trace:
        warn([f"--trace: the trace is written to the run folder; {trace_holds(request)}"])
    result = run_with_hooks(request, deps, config, warn, during=progress_shown())
    return print_result(result, common.as_json)


def print_result(result: RunResult, as_json: bool) -> int:
    """Human lines on stderr (always), the JSON document on stdout (with --json); the exit status."""
    from optout_bot.app.render import dumps, outcome_json, outcome_line, with_account

    account = result.request.account
    for outcome in result.outcomes:
        click.echo(outcome_line(result.site_title, outcome, result.request.command, account), err=True)
        if outcome.remedy:
            click.echo(f"  → {with_account(outcome.remedy, account)}", err=True)
        for path in outcome.evidence:
            click.echo(_("  evidence: {path}").format(path=path), err=True)
    for line in failure_hints(result):  # a changed page: how to capture and replay it (issue #8)
        click.echo(line, err=True)
    trace = result.run_dir / "trace.zip" if result.run_dir else None
    if trace is not None and trace.exists():
        click.echo(
            _("Trace: {path} ({holds}: keep it private, never attach it)").format(
                path=trace, holds=trace_holds(result.request)
            ),
            err=True,
        )
    if result.run_dir is not None:
        report = result.run_dir / "index.html"
        click.echo(
            _("Run folder: {path}").format(path=report if report.exists() else result.run_dir), err=True
        )
    status = result.report.exit_status
    if as_json:
        click.echo(
            dumps(
                {
                    "account": result.request.account,
                    "site": result.request.site,
                    "command": result.request.command,
                    "dry_run": result.request.options.dry_run,
                    "exit_status": int(status),
                    "exit_name": status.name,
                    "run_folder": str(result.run_dir) if result.run_dir else None,
                    "browser": result.report.browser_version,
                    "outcomes": [_with_screenshots(outcome_json(o), result) for o in result.outcomes],
                }
            )
        )
    return int(status)


def _with_screenshots(document: dict[str, Any], result: RunResult) -> dict[str, Any]:
    """An outcome's "evidence": what a failure kept, then every screenshot kept for it."""
    from optout_bot.app.report import kept_screenshots

    shots = kept_screenshots(result.run_dir, document["flow"])
    document["evidence"] = [*document["evidence"], *(p for p in shots if p not in document["evidence"])]
    return document


def trace_holds(request: RunRequest) -> str:
    """What a trace of ``request`` keeps: the session cookie, and what objection forms were given."""
    from optout_bot.app.runner import chosen_flows

    flows = chosen_flows(request)[1]
    if any(flow.form is not None for flow in flows):
        # A trace keeps every value typed into a page: the form's contact fields too.
        return _(
            "it holds your session cookie, and the phone number and e-mail address typed into the objection form"
        )
    return _("it holds your session cookie")


def failure_hints(result: RunResult) -> list[str]:
    """For a run that met a changed page: the commands that capture it and replay the capture."""
    request = result.request
    if request.fake_site:
        return []  # demo and replay runs act on a fake site: nothing to capture
    flows = [o.flow for o in result.outcomes if met_changed_page(o)]
    if not flows:
        return []
    folder = f"{request.site}-capture"
    args = ["optout-bot", "capture", "--account", request.account]
    for flow in flows:
        args += ["--flow", flow]
    if request.options.site_url:
        args += ["--site-url", request.options.site_url]
    again = f"{request.command} --dry-run" if request.command == "disable" else request.command
    return [
        f"  → capture the page (read-only, personal data scrubbed): {shlex.join([*args, '--out', folder])}",
        f"  → then reproduce it on any machine: optout-bot replay {shlex.quote(folder)} -- {again}",
    ]


def print_changes(changes: Changes) -> int:
    """Print what a schedule install or remove did; SETUP when the person must finish by hand, else OK."""
    for line in changes:
        click.echo(line)
    return int(ExitStatus.SETUP if changes.unfinished else ExitStatus.OK)
