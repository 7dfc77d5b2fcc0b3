"""``overview``: every account and every platform at a glance, in the terminal or as one local page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from optout_bot.i18n import _, ngettext

if TYPE_CHECKING:
    from optout_bot.app.overview import Row

STYLES = {"good": "green", "bad": "bold red", "todo": "yellow", "info": "dim"}


def collect() -> list[Row]:
    """The overview's rows from the config, the platform list, the flow titles and the history."""
    from optout_bot.app import overview
    from optout_bot.model.loader import load_catalog
    from optout_bot.model.platforms import load_platforms
    from optout_bot.store import history
    from optout_bot.store.config import load_config

    catalog = load_catalog()
    titles = {name: _(flow.title) for name, flow in catalog.flows.items()}
    return overview.build(load_config(), load_platforms(), history.read(), titles)


def _table(rows: list[Row]) -> Any:
    from rich.table import Table
    from rich.text import Text

    from optout_bot.app.overview_html import columns, when

    table = Table(title=_("Your accounts and platforms"), expand=False)
    for column in columns():
        table.add_column(column, overflow="fold")
    for row in rows:
        evidence = str(row.folder) if row.folder else ""
        if row.pictures:
            count = len(row.pictures)
            evidence += "\n" + ngettext("{count} picture", "{count} pictures", count).format(count=count)
        table.add_row(
            row.platform,
            row.account or "—",
            row.setting,
            Text(row.state, style=STYLES.get(row.tone, "")),
            when(row.checked),
            row.how,
            evidence,
        )
    return table


def _print(rows: list[Row]) -> None:
    from rich.console import Console

    Console(soft_wrap=False).print(_table(rows))
    for row in rows:
        if row.next_step and row.account:
            click.echo(f"{row.platform} ({row.account}): {row.next_step}")
    others = sorted({r.next_step.split()[-1] for r in rows if r.next_step and not r.account})
    if others:
        click.echo(
            _(
                "Not set up here: {keys}. 'optout-bot setup --platform KEY' adds an account where "
                "optout-bot can act; 'optout-bot guide KEY' shows the way by hand."
            ).format(keys=", ".join(others))
        )


def _json(rows: list[Row]) -> str:
    from dataclasses import asdict

    from optout_bot.app.render import dumps

    items = [
        {
            **asdict(row),
            "checked": row.checked.isoformat() if row.checked else None,
            "folder": str(row.folder) if row.folder else None,
            "pictures": [str(p) for p in row.pictures],
        }
        for row in rows
    ]
    return dumps({"rows": items})


def _open(page: Path) -> bool:
    import webbrowser

    try:
        return webbrowser.open(page.resolve().as_uri())
    except webbrowser.Error:
        return False


@click.command(
    "overview",
    help=_(
        "Every account and every platform: the last known state, when and how it was read, the "
        "evidence.\n\nRead from the config, the platform list and the history; opens no site. Exit 0 "
        "always: it reports ('optout-bot check' is the command whose exit code says ON or OFF)."
    ),
)
@click.option(
    "--html",
    "html_path",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[FILE]",
    help=_(
        "Also write one local HTML page with the before/after pictures (default: overview.html in the state folder)."
    ),
)
@click.option("--open", "open_page", is_flag=True, help=_("With --html: open the page in the web browser."))
@click.option("--json", "as_json", is_flag=True, help=_("Print a JSON document on stdout."))
def overview_command(html_path: str | None, open_page: bool, as_json: bool) -> int:
    """Every account and every platform at a glance."""
    from datetime import UTC, datetime

    rows = collect()
    if as_json:
        click.echo(_json(rows))
    else:
        _print(rows)
    if html_path is None:
        if open_page:
            click.echo(_("note: --open works with --html"), err=True)
        return 0
    from optout_bot.app import overview_html
    from optout_bot.store.paths import state_dir

    page = (Path(html_path) if html_path else state_dir() / "overview.html").absolute()
    overview_html.write(rows, page, datetime.now(UTC))
    click.echo(_("Overview page: {path}").format(path=page), err=True)
    if open_page and not _open(page):
        click.echo(_("No web browser could be opened here; open the file above yourself."), err=True)
    return 0


def register(group: click.Group) -> None:
    """Add ``overview`` to ``group``."""
    group.add_command(overview_command)
