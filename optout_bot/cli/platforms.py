"""``platforms`` and ``guide``: what optout-bot can do on each platform, and the way by hand.

Both only read ``platforms.toml`` and the flow files; they never open a browser. Their output is
the answer itself, so it goes to stdout (``--json`` too).
"""

from __future__ import annotations

from typing import Any

import click

from optout_bot.i18n import _


@click.command(
    "platforms", help=_("Every platform that trains AI on its users, and what optout-bot can do for each.")
)
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON on stdout."))
def platforms_command(as_json: bool) -> int:
    """Every platform that trains AI on its users, and what optout-bot can do for each."""
    from optout_bot.app.render import dumps
    from optout_bot.model.loader import load_catalog
    from optout_bot.model.platforms import (
        BASIS_WORDS,
        CAPABILITY_WORDS,
        flows_for,
        load_platforms,
        platform_json,
    )

    platforms = load_platforms()
    catalog = load_catalog()
    if as_json:
        click.echo(dumps({"platforms": [platform_json(p, catalog) for p in platforms]}))
        return 0
    click.echo(f"{'PLATFORM':<22} {'KEY':<20} {'OPTOUT-BOT':<13} {'SELECTORS':<14} {'MECHANISM':<28} FLOWS")
    for platform in platforms:
        flows = flows_for(platform, catalog)
        if flows:
            profiles = sorted({p for f in flows for p in f.profiles})
            shown = f"{len(flows)} ({', '.join(profiles)})"
        else:
            shown = "-"
        basis = _(BASIS_WORDS[platform.selectors]) if platform.selectors else "-"
        mechanism = _(platform.mechanism)
        mechanism = mechanism if len(mechanism) <= 28 else mechanism[:27] + "…"
        click.echo(
            f"{platform.name:<22} {platform.key:<20} {_(CAPABILITY_WORDS[platform.can]):<13} {basis:<14} "
            f"{mechanism:<28} {shown}"
        )
    click.echo(
        _(
            "\nSELECTORS: what optout-bot's flows rest on — a captured real page, the selectors public code"
            " uses on\nthe real page, or inference only (then run with --dry-run first)."
        )
    )
    click.echo(
        _("\n'optout-bot guide <key>' prints the way by hand; 'optout-bot flows list' names every flow.")
    )
    return 0


@click.command(
    "guide", help=_("How to refuse AI training on PLATFORM by hand (and with optout-bot, where it can).")
)
@click.argument("platform", required=False)
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON on stdout."))
def guide_command(platform: str | None, as_json: bool) -> int:
    """How to refuse AI training on PLATFORM by hand (and with optout-bot, where it can)."""
    from optout_bot.app.render import dumps
    from optout_bot.errors import UsageError
    from optout_bot.model.loader import load_catalog
    from optout_bot.model.platforms import find_platform, flows_for, guide_text, load_platforms, platform_json

    platforms = load_platforms()
    if platform is None:
        raise UsageError(
            _("which platform? usage: optout-bot guide PLATFORM"),
            remedy=_("PLATFORM is one of: {keys}").format(keys=", ".join(p.key for p in platforms)),
        )
    chosen = find_platform(platforms, platform)
    catalog = load_catalog()
    if as_json:
        click.echo(dumps(platform_json(chosen, catalog)))
    else:
        click.echo(guide_text(chosen, flows_for(chosen, catalog), catalog.sites))
    return 0


def register(group: click.Group) -> None:
    """Add this module's commands to ``group``."""
    commands: list[Any] = [platforms_command, guide_command]
    for command in commands:
        group.add_command(command)
