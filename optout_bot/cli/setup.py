"""``setup``: a guided first run. Platforms, accounts in the config, sign-in, a dry run, the report,
turning off on confirmation, and one schedule for every account.

Every question has a flag, so the same steps run without a terminal. Running it again keeps the
config, the accounts, stored passwords and saved sessions: each step skips what is already done.
The steps run what the ordinary commands run (``disable`` through ``cli/running.py``, ``schedule
install`` through ``app/scheduling.py``), so setup prints and does exactly what those print and do.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from optout_bot.cli.options import Common, build_request, read_config
from optout_bot.cli.running import print_changes, run_request
from optout_bot.cli.setup_steps import EXAMPLE
from optout_bot.i18n import _

if TYPE_CHECKING:
    from optout_bot.model.flowspec import SiteSpec
    from optout_bot.store.config import Config

NEEDS_CHANGE = ("would-switch-off", "would-send-form")


def _disable(config: Config, name: str, dry_run: bool) -> int:
    """``optout-bot disable --account NAME [--dry-run]``, with the config already read."""
    common = Common(account=name)
    request = build_request("disable", common, config, dry_run=dry_run, fix=False, evidence=True)
    return run_request(request, common, config)


def _dry_run_then_turn_off(config: Config, spec: SiteSpec, name: str, yes: bool, interactive: bool) -> int:
    from optout_bot.store import history

    site = spec.title
    started = datetime.now(UTC)
    click.echo(
        "\n" + _("{site}: a dry run first. It reads the settings and changes nothing.").format(site=site),
        err=True,
    )
    status = _disable(config, name, dry_run=True)
    if status != 0:
        click.echo(
            _("{site}: the dry run stopped (exit {status}); the lines above say why.").format(
                site=site, status=status
            ),
            err=True,
        )
        return status
    seen = [e for e in history.read(account=name) if e.time >= started and e.dry_run]
    if not any(e.action in NEEDS_CHANGE for e in seen):
        click.echo(_("{site}: already off, nothing to change.").format(site=site), err=True)
        return 0
    question = _("Turn it off on {site} now?").format(site=site)
    if not yes and not (interactive and click.confirm(question, default=True, err=True)):
        command = f"optout-bot disable --account {name}"
        click.echo(
            _("{site}: left as it is; '{command}' turns it off.").format(site=site, command=command), err=True
        )
        return 0
    return _disable(config, name, dry_run=False)


def _schedule(names: list[str], every: str | None, kind: str | None, interactive: bool) -> int:
    from optout_bot.app import scheduling

    if every is None and interactive and names:
        every = click.prompt(
            _("Re-check every account on a schedule, so you hear when a setting comes back on?"),
            type=click.Choice(["weekly", "daily", "no"]),
            default="weekly",
            err=True,
        )
    if every in (None, "no", "none") or not names:
        click.echo(
            _("No schedule installed ('optout-bot schedule install --account NAME' adds one)."), err=True
        )
        return 0
    worst, config = 0, read_config()
    for name in names:
        worst = max(worst, print_changes(scheduling.install(config, name, every, False, kind, dry_run=False)))
    return worst


@click.command(
    "setup",
    help=_(
        "Guided first run: pick platforms, add their accounts to the config, sign in, dry run, turn "
        "off, schedule.\n\nAt a terminal every step asks; each question also has a flag, e.g. '{example}'. "
        "Run it again at any time: existing accounts, passwords and sessions are kept. Exit 0 when "
        "every account ended off (or was left as asked), else the most severe exit code of its steps."
    ).format(example=EXAMPLE),
)
@click.option(
    "--platform",
    "platforms",
    multiple=True,
    metavar="KEY",
    help=_("A platform to set up (repeatable): linkedin, x, chatgpt, facebook-instagram, whatsapp."),
)
@click.option(
    "--account-name",
    "names",
    multiple=True,
    metavar="PLATFORM=NAME",
    help=_("The account's name (default: the site's name, or the account the config has for that site)."),
)
@click.option(
    "--email",
    "emails",
    multiple=True,
    metavar="SITE=ADDRESS",
    help=_("The account's e-mail address, e.g. linkedin=me@example.com."),
)
@click.option(
    "--phone",
    "phones",
    multiple=True,
    metavar="SITE=NUMBER",
    help=_(
        "The account's phone number with its country code (WhatsApp's form), e.g. whatsapp=+4915112345678."
    ),
)
@click.option(
    "--site-url",
    "urls",
    multiple=True,
    metavar="SITE=URL",
    help=_("A local copy of a site (e.g. 'optout-bot serve'), kept in the account's entry."),
)
@click.option("--yes", is_flag=True, help=_("Turn off what the dry run finds on, without asking."))
@click.option(
    "--schedule",
    "every",
    type=click.Choice(["weekly", "daily", "no"]),
    default=None,
    help=_("One schedule for every account set up (asked at a terminal when omitted; none without one)."),
)
@click.option(
    "--scheduler",
    "kind",
    type=click.Choice(["systemd", "cron", "launchd", "schtasks"]),
    default=None,
    help=_("Which OS scheduler (default: detected)."),
)
def setup_command(platforms: tuple[str, ...], names: tuple[str, ...], emails: tuple[str, ...], phones: tuple[str, ...], urls: tuple[str, ...], yes: bool, every: str | None, kind: str | None) -> int:  # fmt: skip
    """Guided first run."""
    from optout_bot.cli import setup_steps as steps
    from optout_bot.cli.errors import report_error
    from optout_bot.errors import OptoutBotError
    from optout_bot.model.loader import load_catalog
    from optout_bot.model.platforms import load_platforms
    from optout_bot.store import config_edit
    from optout_bot.store.paths import config_file

    interactive = sys.stdin.isatty() and sys.stderr.isatty()
    chosen = steps.choose([p for p in load_platforms() if p.can == "automated"], platforms, interactive)
    account_names = steps.pairs(names, "--account-name")
    given = {
        "email": steps.pairs(emails, "--email"),
        "phone": steps.pairs(phones, "--phone"),
        "site_url": steps.pairs(urls, "--site-url"),
    }
    catalog = load_catalog()
    worst, ready = 0, []
    for platform in chosen:
        for site in platform.sites:
            spec = catalog.site(site)
            name, existed = steps.account_for(site, platform, account_names)
            if existed:
                line = _("{site}: account '{name}' is in the config already; kept as it is.")
            else:
                comment = _("{site}, added by optout-bot setup").format(site=spec.title)
                config_edit.add_account(
                    config_file(), name, steps.new_entry(spec, given, interactive), comment=comment
                )
                line = _("{site}: added the account '{name}' to {path}.")
            click.echo("\n" + line.format(site=spec.title, name=name, path=config_file()), err=True)
            try:
                config = read_config()  # once the account is in the file; read once for its steps
                if not steps.sign_in(config, spec, name, given["email"].get(site), interactive):
                    worst = max(worst, 4)  # NEEDS_HUMAN: a person must sign in first
                    continue
                status = _dry_run_then_turn_off(config, spec, name, yes, interactive)
            except OptoutBotError as exc:  # one account's problem does not stop the others
                status = report_error(exc)
            worst = max(worst, status)
            if status == 0:
                ready.append(name)
    click.echo("", err=True)
    worst = max(worst, _schedule(ready, every, kind, interactive))
    click.echo(
        "\n" + _("Done. 'optout-bot overview' shows every account and platform at a glance."), err=True
    )
    return worst


def register(group: click.Group) -> None:
    """Add ``setup`` to ``group``."""
    group.add_command(setup_command)
