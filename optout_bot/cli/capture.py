"""``capture`` and ``replay``: turn a breakage into a fixture and reproduce it anywhere (issue #8)."""

from __future__ import annotations

import shlex
from dataclasses import fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from optout_bot.cli.run import Common, _run, common_options, person_deps
from optout_bot.errors import OptoutBotError, UsageError
from optout_bot.i18n import _
from optout_bot.model.outcomes import met_changed_page

if TYPE_CHECKING:
    from optout_bot.app.request import RunRequest, RunResult

REPLAY_ACCOUNT = "replay"
REPLAYABLE = ("disable", "check", "status")


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


def _known_values(site: str, account: str, extra: tuple[str, ...]) -> set[str]:
    """Values to scrub on every page: ``--redact`` texts and the account's stored e-mail address."""
    from optout_bot.store.credentials import stored_email

    known = {v for v in extra if v.strip()}
    try:
        email = stored_email(site, account)
    except OptoutBotError:
        email = None  # no keyring: the e-mail pattern still removes every address
    if email:
        known.add(email)
    return known


@click.command(
    "capture", help=_("Save the flow's pages, scrubbed, as a fixture folder; read-only, it clicks no switch.")
)
@common_options
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help=_("Folder to write (default: ./<site>-capture-<time>). An earlier capture there is replaced."),
)
@click.option(
    "--redact",
    multiple=True,
    metavar="TEXT",
    help=_("Also remove TEXT (your name, say) wherever it appears."),
)
def capture_command(out: Path | None, redact: tuple[str, ...], **kwargs: Any) -> int:
    """Save the flow's pages, scrubbed, as a fixture folder; read-only, it clicks no switch."""
    from optout_bot.app.capture import capture
    from optout_bot.app.render import dumps, outcome_line
    from optout_bot.cli.run import _request

    common = Common(**kwargs)
    request = _request("status", common, dry_run=False, fix=False, evidence=False)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = out or Path.cwd() / f"{request.site}-capture-{stamp}"
    if not common.quiet:
        click.echo(
            _("Capturing (read-only) the pages of {site} into {out} …").format(site=request.site, out=out),
            err=True,
        )
    known = _known_values(request.site, request.account, redact)
    summary, results = capture(request, out, known=known, deps=person_deps(common))
    from optout_bot.model.loader import load_catalog

    title = load_catalog().site(request.site).title
    for index, result in enumerate(results):
        for outcome in result.outcomes:
            how = "by the menus" if index == 0 else "by its URL"
            click.echo(f"{outcome_line(title, outcome)} ({how})", err=True)
    for failure in summary.info["failures"]:
        click.echo(
            _("  failed at step '{failed_step}' on {path}").format(
                failed_step=failure["failed_step"], path=failure["path"]
            ),
            err=True,
        )
    if common.as_json:
        click.echo(dumps({"folder": str(out), **summary.info}))
    if not summary.pages:
        click.echo(_("Nothing was captured: no page was reached."), err=True)
        return int(results[0].report.exit_status)
    click.echo(
        _(
            "Captured {pages} page(s) into {out} with personal data scrubbed; look through them before you share the folder."
        ).format(pages=len(summary.pages), out=out),
        err=True,
    )
    if not common.as_json:
        click.echo(
            _("Replay it: optout-bot replay {out} -- disable --dry-run").format(out=shlex.quote(str(out))),
            err=True,
        )
    return 0


def _replay_request(name: str, args: list[str], folder: Path) -> tuple[RunRequest, Common]:
    """Parse ``args`` exactly as command ``name`` would, then build its request."""
    from optout_bot.cli.main import cli
    from optout_bot.cli.run import _request

    command = cli.commands.get(name) if isinstance(cli, click.Group) else None
    if name not in REPLAYABLE or command is None:
        raise UsageError(
            _("replay runs {replayable}, not {name!r}").format(replayable=", ".join(REPLAYABLE), name=name)
        )
    with command.make_context(f"optout-bot replay {folder} -- {name}", args) as ctx:
        params = dict(ctx.params)
    dry_run, fix = bool(params.pop("dry_run", False)), bool(params.pop("fix", False))
    no_evidence = bool(params.pop("no_evidence", False))
    common = Common(**{f.name: params[f.name] for f in fields(Common) if f.name in params})
    evidence = {"disable": not no_evidence, "check": fix, "status": False}[name]
    return _request(name, common, dry_run=dry_run, fix=fix, evidence=evidence), common


@click.command(
    context_settings={"ignore_unknown_options": True},
    help=_(
        "Serve a capture as the site and run disable, check or status against it.\n\nExample: optout-bot replay linkedin-capture -- disable --dry-run. A throwaway account in\nmemory signs in; nothing is saved, recorded in the history, alerted or pinged."
    ),
)
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option(
    "--start",
    type=click.Choice(["on", "off"]),
    default="on",
    show_default=True,
    help=_("The switch's state on the replayed site before the run."),
)
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
def replay(folder: Path, start: str, command: tuple[str, ...]) -> int:
    """Serve a capture as the site and run disable, check or status against it.

    Example: optout-bot replay linkedin-capture -- disable --dry-run. A throwaway account in
    memory signs in; nothing is saved, recorded in the history, alerted or pinged.
    """
    from pydantic import SecretStr

    from optout_bot.app.capture import load_info, replay_site
    from optout_bot.cli.demo import MemoryStore
    from optout_bot.store.credentials import Credentials, CredentialSource
    from optout_bot.testing import serve

    if command[:1] == ("--",):
        command = command[1:]  # click keeps the separator when options precede it
    if not command:
        raise UsageError(
            _("name the command to replay after '--', e.g. 'optout-bot replay DIR -- disable --dry-run'")
        )
    info = load_info(folder)
    request, common = _replay_request(command[0], list(command[1:]), folder)
    site = replay_site(folder, start_on=start == "on")
    email, password = next(iter(site.scenario.accounts.items()))
    with serve(site) as url:
        replayed = replace(
            request,
            account=REPLAY_ACCOUNT,
            site=info["site"],
            flows=tuple(common.flows) or tuple(f["name"] for f in info["flows"]),
            options=replace(request.options, site_url=url, switch_timeout_ms=5_000),
            allow_password=True,
            record_history=False,
            fake_site=True,
        )
        # A throwaway account of the replayed site, in memory only: no keyring, no saved session.
        signed_in = {"cookies": site.session_cookies(email, url=url), "origins": []}
        store = MemoryStore()
        store.state = signed_in if info.get("signed_in") else None
        deps = replace(
            person_deps(common),
            credentials=Credentials(email, SecretStr(password), CredentialSource.PROMPT),
            store=store,
        )
        if not common.quiet:
            state = "its forms not sent yet" if site.manifest.forms else f"the switch starts {start.upper()}"
            click.echo(
                _("Replaying {folder} at {url} ({state}).").format(folder=folder, url=url, state=state),
                err=True,
            )
        status = _run(replayed, common, deps)
    if not common.quiet:
        click.echo(
            _(
                "The replayed site received {saves} save request(s) and {submissions} form submission(s)."
            ).format(saves=len(site.saves), submissions=len(site.submissions)),
            err=True,
        )
    return status


def register(group: click.Group) -> None:
    """Add ``capture`` and ``replay`` to ``group``."""
    group.add_command(capture_command)
    group.add_command(replay)
