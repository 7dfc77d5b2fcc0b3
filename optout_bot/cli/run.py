"""Commands that open the site: login, logout, disable, check, status, demo."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from optout_bot.cli.main import account_option, flow_options, output_options, site_options
from optout_bot.errors import OptoutBotError
from optout_bot.i18n import _

if TYPE_CHECKING:
    from optout_bot.app.request import RunDeps, RunRequest, RunResult
    from optout_bot.store.config import Config


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def _ask_pin(message: str) -> str | None:
    value: str = click.prompt(message, default="", show_default=False, err=True)
    return value.strip() or None


def _config() -> Config:
    from optout_bot.store.config import load_config

    return load_config()


def _account(config: Config, account: str | None) -> str:
    from optout_bot.store.paths import check_account

    return check_account(account or config.default_account)


def print_result(result: RunResult, as_json: bool, site_title: str) -> int:
    """Human lines on stderr (always), the JSON document on stdout (with --json)."""
    from optout_bot.app.render import dumps, outcome_json, outcome_line, with_account

    account = result.request.account
    for outcome in result.outcomes:
        click.echo(outcome_line(site_title, outcome, result.request.command, account), err=True)
        if outcome.remedy:
            click.echo(f"  → {with_account(outcome.remedy, account)}", err=True)
        for path in outcome.evidence:
            click.echo(_("  evidence: {path}").format(path=path), err=True)
    from optout_bot.cli.capture import failure_hints

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


@dataclass
class Common:
    """The options every site-opening command shares."""

    account: str | None
    as_json: bool
    quiet: bool
    site_url: str | None
    chromium_path: str | None
    headed: bool
    profile: str | None
    flows: tuple[str, ...]
    trace: bool = False


def _request(
    command: str, common: Common, *, dry_run: bool, fix: bool, evidence: bool, resend: bool = False
) -> RunRequest:
    # Imported here, not at the top: the engine pulls in pydantic and tenacity, which --help never needs.
    from optout_bot.app.request import RunRequest
    from optout_bot.engine.context import Contact
    from optout_bot.engine.options import RunOptions

    config = _config()
    account = _account(config, common.account)
    settings = config.account(account)
    interactive = _interactive()
    options = RunOptions(
        dry_run=dry_run,
        fix=fix,
        site_url=common.site_url or settings.site_url or config.site_url,
        timeout_ms=config.timeout_s * 1000,
        ignore_memory=resend,
    )
    if options.site_url:
        _warn([_other_address(settings.site, options.site_url)])
    return RunRequest(
        command=command,  # type: ignore[arg-type]
        account=account,
        site=settings.site,
        profile=common.profile or settings.profile,
        flows=tuple(common.flows),
        options=options,
        evidence=evidence,
        # A person at a terminal may be asked for a PIN and may use the stored password; a scheduled
        # run types the password only when the config allows it (docs/evidence/tooling.md §10).
        allow_password=interactive or settings.allow_password_login,
        chromium_path=common.chromium_path or config.chromium_path,
        headless=not common.headed and config.headless,
        trace=common.trace,
        contact=Contact(email=settings.email, phone=settings.phone),
        scheduled=not interactive,
    )


def _other_address(site_name: str, url: str) -> str:
    """Said before the run: a stored password may be typed on the address given instead of the site's."""
    from optout_bot.model.loader import load_catalog

    site = load_catalog().site(site_name)
    words = {"url": url, "site": site.title, "address": site.base_url}
    if not site.has_accounts:
        return _("this run opens {url} instead of {site}'s own address ({address})").format(**words)
    if url.lower().startswith("http://"):
        return _(
            "this run opens {url} instead of {site}'s own address ({address}); if it must sign in there, "
            "it types your stored {site} password into that page, unencrypted (http)"
        ).format(**words)
    return _(
        "this run opens {url} instead of {site}'s own address ({address}); if it must sign in there, "
        "it types your stored {site} password into that page"
    ).format(**words)


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


def person_deps(common: Common) -> RunDeps:
    """What a run started from the command line is done with: the product's own, and a person at the
    terminal to type a code the site sends (none when quiet or scheduled)."""
    from optout_bot.app.request import RunDeps

    return RunDeps(ask_pin=_ask_pin if _interactive() and not common.quiet else None)


def _run(request: RunRequest, common: Common, deps: RunDeps | None = None) -> int:
    from dataclasses import replace

    from optout_bot.app import hooks
    from optout_bot.app.runner import execute
    from optout_bot.cli.progress import ProgressRecorder
    from optout_bot.engine.recorder import ScreenshotRecorder

    holder: list[ProgressRecorder] = []

    def recorder(folder: Any, mask: list[str]) -> ProgressRecorder:
        inner = ScreenshotRecorder.for_run(
            folder, mask, evidence=request.evidence, dry_run=request.options.dry_run
        )
        holder.append(ProgressRecorder(inner, quiet=common.quiet or common.as_json))
        return holder[0]

    deps = replace(deps or person_deps(common), recorder_factory=recorder)
    if request.trace:
        _warn([f"--trace: the trace is written to the run folder; {trace_holds(request)}"])
    ask = deps.ask_pin
    if ask is not None:
        # The live status line would be redrawn over the prompt and hide the digits being typed.
        def ask_pin(message: str) -> str | None:
            with ExitStack() as paused:
                for progress in holder:
                    paused.enter_context(progress.paused())
                return ask(message)

        deps = replace(deps, ask_pin=ask_pin)
    _warn(hooks.before_run(request, _config()))
    try:
        result = execute(request, deps)
    except OptoutBotError as exc:
        from optout_bot.app.render import with_account

        _warn(hooks.run_failed(request, _config(), exc))
        exc.remedy = with_account(exc.remedy, request.account)  # the hint must act on this account
        raise
    finally:
        for progress in holder:
            progress.close()
    _after_run(result, common)
    return print_result(result, common.as_json, result.site_title)


def _after_run(result: RunResult, common: Common) -> None:
    """Write the HTML report and send alerts, when those parts are installed."""
    from optout_bot.app import hooks

    _warn(hooks.after_run(result, _config()))


def _warn(problems: list[str]) -> None:
    for problem in problems:
        click.echo(_("warning: {problem}").format(problem=problem), err=True)


def common_options(func: Any) -> Any:
    """All options of the site-opening commands."""
    func = click.option(
        "--trace",
        is_flag=True,
        help=_(
            "Record a Playwright trace (after sign-in only) into the run folder. It holds your session cookie "
            "(and, for objection forms, the phone number and e-mail address typed into them)."
        ),
    )(func)
    return account_option(output_options(site_options(flow_options(func))))


@click.command(help=_("Turn the settings OFF, then reload and read them again to prove it."))
@common_options
@click.option(
    "--dry-run", is_flag=True, help=_("Do everything up to the click that would change it, then stop.")
)
@click.option(
    "--no-evidence", is_flag=True, help=_("Keep no before/after screenshots (failures are still kept).")
)
@click.option(
    "--resend",
    is_flag=True,
    help=_(
        "Objection forms: send again although an earlier run sent it (never when the site says received)."
    ),
)
def disable(dry_run: bool, no_evidence: bool, resend: bool, **kwargs: Any) -> int:
    """``optout-bot disable`` (its help is the translated text above)."""
    common = Common(**kwargs)
    request = _request("disable", common, dry_run=dry_run, fix=False, evidence=not no_evidence, resend=resend)
    return _run(request, common)


@click.command(help=_("Read-only re-check: exit 0 when OFF, 3 when ON (drift). For schedulers."))
@common_options
@click.option("--fix", is_flag=True, help=_("Turn a drifted setting OFF again (verified like 'disable')."))
@click.option("--dry-run", is_flag=True, help=_("With --fix: stop before the click."))
def check(fix: bool, dry_run: bool, **kwargs: Any) -> int:
    """``optout-bot check``."""
    common = Common(**kwargs)
    return _run(_request("check", common, dry_run=dry_run, fix=fix, evidence=fix), common)


@click.command(help=_("Read and print the current state; changes nothing."))
@common_options
def status(**kwargs: Any) -> int:
    """``optout-bot status``."""
    common = Common(**kwargs)
    return _run(_request("status", common, dry_run=False, fix=False, evidence=False), common)


def register(group: click.Group) -> None:
    """Add this module's commands to ``group``."""
    from optout_bot.cli import demo as cli_demo
    from optout_bot.cli import login as cli_login

    for command in (disable, check, status):
        group.add_command(command)
    cli_login.register(group)
    cli_demo.register(group)
