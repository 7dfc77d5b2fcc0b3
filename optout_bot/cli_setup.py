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

from optout_bot.i18n import _

if TYPE_CHECKING:
    from optout_bot.flowspec import SiteSpec
    from optout_bot.platforms import Platform

NEEDS_CHANGE = ("would-switch-off", "would-send-form")
EXAMPLE = "optout-bot setup --platform linkedin --platform x --email linkedin=me@example.com --yes --schedule weekly"


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    from optout_bot.errors import UsageError

    pairs: dict[str, str] = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip() or not rest.strip():
            raise UsageError(
                _("{option} '{value}' is not NAME=VALUE").format(option=option, value=value),
                remedy=_("e.g. {option} linkedin=…").format(option=option),
            )
        pairs[key.strip().lower()] = rest.strip()
    return pairs


def _choose(platforms: list[Platform], asked: tuple[str, ...], interactive: bool) -> list[Platform]:
    from optout_bot.errors import UsageError
    from optout_bot.platforms import find_platform

    if not asked:
        if not interactive:
            raise UsageError(
                _("setup needs a terminal to ask which platforms, or --platform"),
                remedy=_("e.g. '{example}'").format(example=EXAMPLE),
            )
        click.echo(_("optout-bot can turn off AI training for you on:"), err=True)
        for number, platform in enumerate(platforms, start=1):
            click.echo(f"  {number}. {platform.name}", err=True)
        answer = click.prompt(_("Which ones? Numbers or names, separated by spaces"), err=True)
        asked = tuple(answer.replace(",", " ").split())
    chosen: list[Platform] = []
    for word in asked:
        by_number = word.isdigit() and 0 < int(word) <= len(platforms)
        platform = platforms[int(word) - 1] if by_number else find_platform(platforms, word)
        if platform.can != "automated":
            raise UsageError(
                _("optout-bot cannot act on {platform} for you").format(platform=platform.name),
                remedy=_("'optout-bot guide {key}' shows the way by hand").format(key=platform.key),
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


def _entry(spec: SiteSpec, given: dict[str, dict[str, str]], interactive: bool) -> dict[str, Any]:
    """The new account's keys: its site, and what its flows need (WhatsApp: a phone and an e-mail)."""
    values: dict[str, Any] = {"site": spec.name}
    email, phone = given["email"].get(spec.name), given["phone"].get(spec.name)
    if spec.name == "whatsapp" and interactive:
        phone = phone or click.prompt(_("WhatsApp phone number, with the country code"), err=True).strip()
        email = email or click.prompt(_("E-mail address where WhatsApp sends its answer"), err=True).strip()
    for key, value in (("email", email), ("phone", phone), ("site_url", given["site_url"].get(spec.name))):
        if value:
            values[key] = value
    return values


def _sign_in(ctx: click.Context, spec: SiteSpec, name: str, email: str | None, interactive: bool) -> bool:
    """Signed in (a saved session or a stored password) by the end; False when it must wait."""
    from optout_bot.cli_login import login
    from optout_bot.credentials import load_credentials
    from optout_bot.state import SessionStore

    site = spec.title
    if not spec.has_accounts:
        click.echo(_("{site} needs no sign-in.").format(site=site), err=True)
        return True
    if SessionStore(spec.name, name).load() is not None:
        click.echo(_("{site}: already signed in (the saved session is kept).").format(site=site), err=True)
        return True
    if spec.password_sign_in and load_credentials(spec.name, name) is not None:
        click.echo(_("{site}: the stored password is kept.").format(site=site), err=True)
        return True
    if not interactive:
        command = f"optout-bot {'login' if spec.password_sign_in else 'login --interactive'} --account {name}"
        click.echo(
            _("{site}: not signed in; run '{command}', then setup again.").format(site=site, command=command),
            err=True,
        )
        return False
    if spec.password_sign_in:
        click.echo(
            _("{site}: your e-mail and password go into this computer's keyring.").format(site=site), err=True
        )
        ctx.invoke(login, account=name, email=email)
    else:
        click.echo(
            _("{site} is signed in to by hand (optout-bot never types its password).").format(site=site),
            err=True,
        )
        ctx.invoke(login, account=name, interactive=True)
    return True


def _dry_run_then_turn_off(
    ctx: click.Context, spec: SiteSpec, name: str, yes: bool, interactive: bool
) -> int:
    from optout_bot import history
    from optout_bot.cli_run import disable

    site = spec.title
    started = datetime.now(UTC)
    click.echo(
        "\n" + _("{site}: a dry run first. It reads the settings and changes nothing.").format(site=site),
        err=True,
    )
    status = int(ctx.invoke(disable, account=name, dry_run=True))
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
    return int(ctx.invoke(disable, account=name))


def _schedule(
    ctx: click.Context, names: list[str], every: str | None, kind: str | None, interactive: bool
) -> int:
    from optout_bot.cli_schedule import schedule_install

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
    worst = 0
    for name in names:
        worst = max(worst, int(ctx.invoke(schedule_install, account=name, every=every, kind=kind)))
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
@click.pass_context
def setup_command(ctx: click.Context, platforms: tuple[str, ...], names: tuple[str, ...], emails: tuple[str, ...], phones: tuple[str, ...], urls: tuple[str, ...], yes: bool, every: str | None, kind: str | None) -> int:  # fmt: skip
    """Guided first run."""
    from optout_bot import config_edit
    from optout_bot.loader import load_catalog
    from optout_bot.paths import config_file
    from optout_bot.platforms import load_platforms

    interactive = sys.stdin.isatty() and sys.stderr.isatty()
    chosen = _choose([p for p in load_platforms() if p.can == "automated"], platforms, interactive)
    account_names = _pairs(names, "--account-name")
    given = {
        "email": _pairs(emails, "--email"),
        "phone": _pairs(phones, "--phone"),
        "site_url": _pairs(urls, "--site-url"),
    }
    catalog = load_catalog()
    worst, ready = 0, []
    for platform in chosen:
        for site in platform.sites:
            spec = catalog.site(site)
            name, existed = _account_for(site, platform, account_names)
            if existed:
                line = _("{site}: account '{name}' is in the config already; kept as it is.")
            else:
                comment = _("{site}, added by optout-bot setup").format(site=spec.title)
                config_edit.add_account(
                    config_file(), name, _entry(spec, given, interactive), comment=comment
                )
                line = _("{site}: added the account '{name}' to {path}.")
            click.echo("\n" + line.format(site=spec.title, name=name, path=config_file()), err=True)
            if not _sign_in(ctx, spec, name, given["email"].get(site), interactive):
                worst = max(worst, 4)  # NEEDS_HUMAN: a person must sign in first
                continue
            status = _dry_run_then_turn_off(ctx, spec, name, yes, interactive)
            worst = max(worst, status)
            if status == 0:
                ready.append(name)
    click.echo("", err=True)
    worst = max(worst, _schedule(ctx, ready, every, kind, interactive))
    click.echo(
        "\n" + _("Done. 'optout-bot overview' shows every account and platform at a glance."), err=True
    )
    return worst


def register(group: click.Group) -> None:
    """Add ``setup`` to ``group``."""
    group.add_command(setup_command)
