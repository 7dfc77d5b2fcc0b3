"""Commands that never open a site: flows, history, config."""

from __future__ import annotations

from typing import Any

import click

from optout_bot.i18n import _


@click.group(help=_("The flow files: one per setting."))
def flows() -> None:
    """The flow files: one per setting."""


@flows.command("list", help=_("Every flow found, with its site, profiles and URL."))
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON on stdout."))
def flows_list(as_json: bool) -> int:
    """Every flow found, with its site, profiles and URL."""
    from optout_bot.app.render import dumps
    from optout_bot.model.loader import load_catalog

    catalog = load_catalog()
    rows = [
        {
            "name": f.name,
            "title": f.title,
            "profiles": f.profiles,
            "url": catalog.sites[f.site].base_url + f.path,
            "file": str(catalog.files[f.name]),
        }
        for f in sorted(catalog.flows.values(), key=lambda f: f.name)
    ]
    if as_json:
        click.echo(dumps({"flows": rows}))
        return 0
    for row in rows:
        click.echo(f"{row['name']:<45} {','.join(row['profiles']):<10} {row['url']}")
    return 0


@flows.command(
    "validate", help=_("Parse and check every flow file; report the first problem by file and field.")
)
def flows_validate() -> int:
    """Parse and check every flow file; report the first problem by file and field."""
    from optout_bot.model.loader import load_catalog

    catalog = load_catalog()
    click.echo(
        _("{flows} flow(s) on {sites} site(s): all valid").format(
            flows=len(catalog.flows), sites=len(catalog.sites)
        ),
        err=True,
    )
    return 0


@click.command("history", help=_("What every check and change found and did."))
@click.option(
    "--account", default=None, metavar="NAME", help=_("Only this account (default: every account).")
)
@click.option("--limit", default=20, show_default=True, help=_("How many entries, newest last."))
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON on stdout."))
def history_command(account: str | None, limit: int, as_json: bool) -> int:
    """What every check and change found and did."""
    from optout_bot.app.render import dumps
    from optout_bot.model.outcomes import state_word
    from optout_bot.store import history

    read = history.read_with_skipped(limit=limit, account=account)
    if as_json:
        click.echo(
            dumps({"entries": [e.model_dump(mode="json") for e in read.entries], "skipped": read.skipped})
        )
        return 0
    if not read.entries:
        click.echo(_("No history yet."), err=True)
    for e in read.entries:
        when = e.time.astimezone().strftime("%Y-%m-%d %H:%M")
        change = (
            f"{state_word(e.before)}→{state_word(e.after)}" if e.after is not None else state_word(e.before)
        )
        dry = " (dry run)" if e.dry_run else ""
        click.echo(f"{when}  {e.account:<10} {e.command:<8} {e.flow:<40} {change:<10} {e.result}{dry}")
    if read.skipped:
        click.echo(
            _("warning: {skipped} damaged line(s) in the history file were skipped").format(
                skipped=read.skipped
            ),
            err=True,
        )
    return 0


@click.group("config", help=_("The config file."))
def config_group() -> None:
    """The config file."""


@config_group.command("path", help=_("Print where the config file is (or would be)."))
def config_path() -> int:
    """Print where the config file is (or would be)."""
    from optout_bot.store.paths import config_file

    click.echo(str(config_file()))
    return 0


@config_group.command("show", help=_("Print the effective config, secrets masked."))
def config_show() -> int:
    """Print the effective config, secrets masked."""
    from optout_bot.store.config import load_config, render_config

    click.echo(render_config(load_config()))
    return 0


def register(group: click.Group) -> None:
    """Add this module's commands to ``group``."""
    commands: list[Any] = [flows, history_command, config_group]
    for command in commands:
        group.add_command(command)
