"""``overview``: every account and every platform at a glance, in the terminal or as one local page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from optout_bot.overview import Row

STYLES = {"good": "green", "bad": "bold red", "todo": "yellow", "info": "dim"}


def collect() -> list[Row]:
    """The overview's rows from the config, the platform list, the flow titles and the history."""
    from optout_bot import history, overview
    from optout_bot.config import load_config
    from optout_bot.loader import load_catalog
    from optout_bot.platforms import load_platforms

    catalog = load_catalog()
    titles = {name: flow.title for name, flow in catalog.flows.items()}
    return overview.build(load_config(), load_platforms(), history.read(), titles)


def _table(rows: list[Row]) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Your accounts and platforms", show_lines=False, expand=False)
    for column in ("Platform", "Account", "Setting", "State", "Checked", "How", "Evidence"):
        table.add_column(column, overflow="fold")
    for row in rows:
        checked = row.checked.astimezone().strftime("%Y-%m-%d %H:%M") if row.checked else "never"
        state = Text(row.state, style=STYLES.get(row.tone, ""))
        evidence = str(row.folder) if row.folder else ""
        if row.pictures:
            evidence += f"\n{len(row.pictures)} picture(s)"
        table.add_row(row.platform, row.account or "—", row.setting, state, checked, row.how, evidence)
    return table


def _open(page: Path) -> bool:
    import webbrowser

    try:
        return webbrowser.open(page.resolve().as_uri())
    except webbrowser.Error:
        return False


@click.command("overview")
@click.option(
    "--html",
    "html_path",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[FILE]",
    help="Write one local HTML page with before/after pictures (default FILE: overview.html in the state folder).",
)
@click.option("--open", "open_page", is_flag=True, help="With --html: open the page in the web browser.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON document on stdout.")
def overview_command(html_path: str | None, open_page: bool, as_json: bool) -> int:
    """Every account and every platform: the last known state, when and how it was read, the evidence.

    Read from the config, the platform list and the history; opens no site. Exit 0 always
    (it reports; 'optout-bot check' is the command whose exit code says ON or OFF).
    """
    from datetime import UTC, datetime

    rows = collect()
    if as_json:
        from dataclasses import asdict

        from optout_bot.render import dumps

        items = [
            {**asdict(r), "checked": r.checked.isoformat() if r.checked else None,
             "folder": str(r.folder) if r.folder else None, "pictures": [str(p) for p in r.pictures]}
            for r in rows
        ]  # fmt: skip
        click.echo(dumps({"rows": items}))
    else:
        from rich.console import Console

        console = Console(stderr=False, soft_wrap=False)
        console.print(_table(rows))
        steps = [(r, r.next_step) for r in rows if r.next_step and r.account]
        others = sorted({r.next_step.split()[-1] for r in rows if r.next_step and not r.account})
        for row, step in steps:
            click.echo(f"{row.platform} ({row.account}): {step}")
        if others:
            click.echo(
                "Not set up here: " + ", ".join(others) + ". 'optout-bot setup --platform KEY' adds an "
                "account where optout-bot can act; 'optout-bot guide KEY' shows the way by hand."
            )
    if html_path is None:
        if open_page:
            click.echo("note: --open works with --html", err=True)
        return 0
    from optout_bot import overview_html
    from optout_bot.paths import state_dir

    page = Path(html_path) if html_path else state_dir() / "overview.html"
    overview_html.write(rows, page.absolute(), datetime.now(UTC))
    click.echo(f"Overview page: {page.absolute()}", err=True)
    if open_page and not _open(page):
        click.echo("No web browser could be opened here; open the file above yourself.", err=True)
    return 0


def register(group: click.Group) -> None:
    """Add ``overview`` to ``group``."""
    group.add_command(overview_command)
