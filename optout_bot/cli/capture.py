"""``capture`` and ``replay``: turn a breakage into a fixture and reproduce it anywhere (issue #8)."""

from __future__ import annotations

import shlex
from dataclasses import fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from optout_bot.cli.options import Common, build_request, common_options, person_deps, read_config
from optout_bot.cli.running import run_request
from optout_bot.errors import OptoutBotError, UsageError
from optout_bot.i18n import _

if TYPE_CHECKING:
    from optout_bot.app.request import RunRequest
    from optout_bot.store.config import Config

REPLAY_ACCOUNT = "replay"
REPLAYABLE = ("disable", "check", "status")


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

    common = Common(**kwargs)
    request = build_request("status", common, read_config(), dry_run=False, fix=False, evidence=False)
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


def _replay_request(
    ctx: click.Context, name: str, args: list[str], folder: Path, config: Config
) -> tuple[RunRequest, Common]:
    """Parse ``args`` exactly as command ``name`` would, then build its request."""
    group = ctx.parent.command if ctx.parent is not None else None
    command = group.commands.get(name) if isinstance(group, click.Group) else None
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
    return build_request(name, common, config, dry_run=dry_run, fix=fix, evidence=evidence), common


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
@click.pass_context
def replay(ctx: click.Context, folder: Path, start: str, command: tuple[str, ...]) -> int:
    """Serve a capture as the site and run disable, check or status against it.

    Example: optout-bot replay linkedin-capture -- disable --dry-run. A throwaway account in
    memory signs in; nothing is saved, recorded in the history, alerted or pinged.
    """
    from optout_bot.app.capture import load_info, replay_site
    from optout_bot.app.fake_runs import on_fake_site
    from optout_bot.testing import serve

    if command[:1] == ("--",):
        command = command[1:]  # click keeps the separator when options precede it
    if not command:
        raise UsageError(
            _("name the command to replay after '--', e.g. 'optout-bot replay DIR -- disable --dry-run'")
        )
    info = load_info(folder)
    config = read_config()
    request, common = _replay_request(ctx, command[0], list(command[1:]), folder, config)
    site = replay_site(folder, start_on=start == "on")
    with serve(site) as url:
        flows = tuple(common.flows) or tuple(f["name"] for f in info["flows"])
        request = replace(request, site=info["site"], flows=flows)
        # A throwaway account of the replayed site, in memory only: no keyring, no saved session.
        signed_in = bool(info.get("signed_in"))
        request, deps = on_fake_site(request, person_deps(common), site, REPLAY_ACCOUNT, url, signed_in)
        if not common.quiet:
            state = "its forms not sent yet" if site.manifest.forms else f"the switch starts {start.upper()}"
            click.echo(
                _("Replaying {folder} at {url} ({state}).").format(folder=folder, url=url, state=state),
                err=True,
            )
        status = run_request(request, common, config, deps)
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
