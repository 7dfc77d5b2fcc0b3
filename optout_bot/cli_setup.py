"""``setup``: a guided first run. Platforms, accounts in the config, sign-in, a dry run, the report,
turning off on confirmation, and one schedule for every account.

Every question has a flag, so the same steps run without a terminal. Running it again keeps the
config, the accounts, stored passwords and saved sessions: each step skips what is already done.
The steps reuse the ordinary commands (``login``, ``disable``, ``schedule install``) through click,
so setup prints and does exactly what those print and do.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from optout_bot.flowspec import SiteSpec
    from optout_bot.platforms import Platform

NEEDS_CHANGE = ("would-switch-off", "would-send-form")


def _pairs(values: tuple[str, ...], what: str) -> dict[str, str]:
    from optout_bot.errors import UsageError

    pairs: dict[str, str] = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key or not rest:
            raise UsageError(f"{what} {value!r} is not PLATFORM=VALUE", remedy=f"e.g. {what} linkedin=...")
        pairs[key.strip().lower()] = rest.strip()
    return pairs


def _choose(platforms: list[Platform], asked: tuple[str, ...], interactive: bool) -> list[Platform]:
    from optout_bot.errors import UsageError
    from optout_bot.platforms import find_platform

    if not asked:
        if not interactive:
            raise UsageError(
                "setup needs a terminal to ask which platforms, or --platform",
                remedy="e.g. 'optout-bot setup --platform linkedin --platform x --yes --schedule weekly'",
            )
        click.echo("optout-bot can turn off AI training for you on:", err=True)
        for number, platform in enumerate(platforms, start=1):
            click.echo(f"  {number}. {platform.name}", err=True)
        answer = click.prompt("Which ones? Numbers or names, separated by spaces", err=True)
        asked = tuple(answer.replace(",", " ").split())
    chosen: list[Platform] = []
    for word in asked:
        by_number = word.isdigit() and 0 < int(word) <= len(platforms)
        platform = platforms[int(word) - 1] if by_number else find_platform(platforms, word)
        if platform.can != "automated":
            raise UsageError(
                f"optout-bot cannot act on {platform.name} for you",
                remedy=f"'optout-bot guide {platform.key}' shows the way by hand",
            )
        if platform not in chosen:
            chosen.append(platform)
    return chosen


def _account_for(site: str, platform: Platform, names: dict[str, str]) -> tuple[str, bool]:
    """The account name for ``site`` and whether the config has it already (kept as it is)."""
    from optout_bot import config_edit
    from optout_bot.paths import check_account, config_file

    existing = config_edit.accounts(config_file())
    wanted = names.get(platform.key) or names.get(site)
    if wanted:
        return check_account(wanted), wanted in existing
    same_site = [name for name, values in existing.items() if values.get("site", "linkedin") == site]
    if same_site:
        return same_site[0], True
    return check_account(site), site in existing


def _entry(
    spec: SiteSpec, name: str, emails: dict[str, str], urls: dict[str, str], interactive: bool
) -> dict[str, Any]:
    values: dict[str, Any] = {"site": spec.name}
    email = emails.get(spec.name)
    if email is None and spec.name == "whatsapp" and interactive:
        email = click.prompt("E-mail address for WhatsApp's answer", err=True).strip()
        values["phone"] = click.prompt("WhatsApp phone number, with the country code", err=True).strip()
    if email:
        values["email"] = email
    if spec.name in urls:
        values["site_url"] = urls[spec.name]
    return values


def _sign_in(ctx: click.Context, spec: SiteSpec, name: str, email: str | None, interactive: bool) -> bool:
    """Signed in (a saved session or a stored password) by the end; False when it must wait."""
    from optout_bot.cli_login import login
    from optout_bot.credentials import load_credentials
    from optout_bot.state import SessionStore

    if not spec.has_accounts:
        click.echo(f"{spec.title} needs no sign-in.", err=True)
        return True
    if SessionStore(spec.name, name).load() is not None:
        click.echo(f"{spec.title}: already signed in (the saved session is kept).", err=True)
        return True
    if spec.password_sign_in and load_credentials(spec.name, name) is not None:
        click.echo(f"{spec.title}: the stored password is kept.", err=True)
        return True
    if not interactive:
        how = "login" if spec.password_sign_in else "login --interactive"
        click.echo(
            f"{spec.title}: not signed in; run 'optout-bot {how} --account {name}', then setup again.",
            err=True,
        )
        return False
    if spec.password_sign_in:
        click.echo(f"{spec.title}: your e-mail and password go into this computer's keyring.", err=True)
        ctx.invoke(login, account=name, email=email)
    else:
        click.echo(f"{spec.title} is signed in to by hand (optout-bot never types its password).", err=True)
        ctx.invoke(login, account=name, interactive=True)
    return True


def _dry_run_then_turn_off(
    ctx: click.Context, spec: SiteSpec, name: str, yes: bool, interactive: bool
) -> int:
    from optout_bot import history
    from optout_bot.cli_run import disable

    started = datetime.now(UTC)
    click.echo(f"\n{spec.title}: a dry run first. It reads the settings and changes nothing.", err=True)
    status = int(ctx.invoke(disable, account=name, dry_run=True))
    if status != 0:
        click.echo(f"{spec.title}: the dry run stopped (exit {status}); the lines above say why.", err=True)
        return status
    seen = [e for e in history.read(account=name) if e.time >= started and e.dry_run]
    if not any(e.action in NEEDS_CHANGE for e in seen):
        click.echo(f"{spec.title}: already off, nothing to change.", err=True)
        return 0
    if not yes and not (
        interactive and click.confirm(f"Turn it off on {spec.title} now?", default=True, err=True)
    ):
        click.echo(
            f"{spec.title}: left as it is; 'optout-bot disable --account {name}' turns it off.", err=True
        )
        return 0
    return int(ctx.invoke(disable, account=name))


def _schedule(
    ctx: click.Context, names: list[str], every: str | None, kind: str | None, interactive: bool
) -> int:
    from optout_bot.cli_schedule import schedule_install

    if every is None:
        every = (
            click.prompt(
                "Re-check every account on a schedule, so you hear when a setting comes back on?",
                type=click.Choice(["weekly", "daily", "no"]),
                default="weekly",
                err=True,
            )
            if interactive
            else "no"
        )
    if every in ("no", "none") or not names:
        click.echo("No schedule installed ('optout-bot schedule install --account NAME' adds one).", err=True)
        return 0
    worst = 0
    for name in names:
        worst = max(worst, int(ctx.invoke(schedule_install, account=name, every=every, kind=kind)))
    return worst


@click.command("setup")
@click.option(
    "--platform",
    "platforms",
    multiple=True,
    metavar="KEY",
    help="A platform to set up (repeatable): linkedin, x, chatgpt, facebook-instagram, whatsapp.",
)
@click.option(
    "--account-name",
    "names",
    multiple=True,
    metavar="PLATFORM=NAME",
    help="The account's name (default: the site's name, or the account the config has for it).",
)
@click.option(
    "--email",
    "emails",
    multiple=True,
    metavar="SITE=ADDRESS",
    help="The account's e-mail address, e.g. linkedin=me@example.com.",
)
@click.option(
    "--site-url",
    "urls",
    multiple=True,
    metavar="SITE=URL",
    help="A local copy of a site (e.g. 'optout-bot serve'), kept in the account's entry.",
)
@click.option("--yes", is_flag=True, help="Turn off what the dry run finds on, without asking.")
@click.option(
    "--schedule",
    "every",
    metavar="weekly|daily|no",
    help="One schedule for every account set up (asked when omitted at a terminal; 'no' without one).",
)
@click.option(
    "--scheduler",
    "kind",
    type=click.Choice(["systemd", "cron", "launchd", "schtasks"]),
    default=None,
    help="Which OS scheduler (default: detected).",
)
@click.pass_context
def setup_command(ctx: click.Context, platforms: tuple[str, ...], names: tuple[str, ...], emails: tuple[str, ...], urls: tuple[str, ...], yes: bool, every: str | None, kind: str | None) -> int:  # fmt: skip
    """Guided first run: pick platforms, add their accounts to the config, sign in, dry run, turn off, schedule.

    At a terminal every step asks; each question also has a flag, e.g.
    'optout-bot setup --platform linkedin --platform x --email linkedin=me@example.com --yes --schedule weekly'.
    Run it again at any time: existing accounts, passwords and sessions are kept. Exit 0 when every
    account ended off (or was left as asked), else the most severe exit code of its steps.
    """
    from optout_bot.loader import load_catalog
    from optout_bot.paths import config_file
    from optout_bot.platforms import load_platforms

    interactive = sys.stdin.isatty() and sys.stderr.isatty()
    automated = [p for p in load_platforms() if p.can == "automated"]
    chosen = _choose(automated, platforms, interactive)
    account_names, emails_by_site, urls_by_site = (
        _pairs(names, "--account-name"),
        _pairs(emails, "--email"),
        _pairs(urls, "--site-url"),
    )
    catalog = load_catalog()
    worst, ready = 0, []
    for platform in chosen:
        for site in platform.sites:
            spec = catalog.site(site)
            name, existed = _account_for(site, platform, account_names)
            if existed:
                click.echo(
                    f"\n{spec.title}: account '{name}' is in the config already; kept as it is.", err=True
                )
            else:
                values = _entry(spec, name, emails_by_site, urls_by_site, interactive)
                from optout_bot import config_edit

                config_edit.add_account(
                    config_file(), name, values, comment=f"{spec.title}, added by optout-bot setup"
                )
                click.echo(f"\n{spec.title}: added the account '{name}' to {config_file()}.", err=True)
            if not _sign_in(ctx, spec, name, emails_by_site.get(site), interactive):
                worst = max(worst, 4)
                continue
            status = _dry_run_then_turn_off(ctx, spec, name, yes, interactive)
            worst = max(worst, status)
            if status == 0:
                ready.append(name)
    click.echo("", err=True)
    worst = max(worst, _schedule(ctx, ready, every, kind, interactive))
    click.echo("\nDone. 'optout-bot overview' shows every account and platform at a glance.", err=True)
    return worst


def register(group: click.Group) -> None:
    """Add ``setup`` to ``group``."""
    group.add_command(setup_command)
