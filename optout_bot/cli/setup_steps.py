"""The steps of ``setup`` that ask a person something: which platforms, which account, its sign-in.

Each answer can also come from a flag (``cli_setup``'s options), so every step runs without a terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from optout_bot.i18n import _

if TYPE_CHECKING:
    from optout_bot.model.flowspec import SiteSpec
    from optout_bot.model.platforms import Platform
    from optout_bot.store.config import Config

EXAMPLE = "optout-bot setup --platform linkedin --platform x --email linkedin=me@example.com --yes --schedule weekly"


def pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
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


def choose(platforms: list[Platform], asked: tuple[str, ...], interactive: bool) -> list[Platform]:
    from optout_bot.errors import UsageError
    from optout_bot.model.platforms import find_platform

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


def account_for(site: str, platform: Platform, names: dict[str, str]) -> tuple[str, bool]:
    """The account name for ``site`` and whether the config has it already (kept as it is)."""
    from optout_bot.store import config_edit
    from optout_bot.store.paths import check_account, config_file

    existing = config_edit.accounts(config_file())
    wanted = names.get(platform.key) or names.get(site)
    if wanted:
        has = existing.get(wanted, {}).get("site", "linkedin") if wanted in existing else site
        if has != site:
            from optout_bot.errors import UsageError

            raise UsageError(
                _("the account '{name}' in the config belongs to {other}, not {site}").format(
                    name=wanted, other=has, site=site
                ),
                remedy=_("choose another name with --account-name {key}=NAME").format(key=platform.key),
            )
        return check_account(wanted), wanted in existing
    same_site = [name for name, values in existing.items() if values.get("site", "linkedin") == site]
    if same_site:
        return same_site[0], True
    return check_account(site), site in existing


def new_entry(spec: SiteSpec, given: dict[str, dict[str, str]], interactive: bool) -> dict[str, Any]:
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


def sign_in(config: Config, spec: SiteSpec, name: str, email: str | None, interactive: bool) -> bool:
    """Signed in (a saved session or a stored password) by the end; False when a person must first."""
    from optout_bot.store.credentials import load_credentials
    from optout_bot.store.state import SessionStore

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
        _store_password(spec, name, email)
    else:
        _window(config, spec, name)
    return True


def _store_password(spec: SiteSpec, name: str, email: str | None) -> None:
    # Asked here rather than through 'login': the dry run that follows is the test of the password.
    from optout_bot.errors import UsageError
    from optout_bot.store.credentials import save_credentials

    click.echo(
        _("{site}: your e-mail and password go into this computer's keyring.").format(site=spec.title),
        err=True,
    )
    email = email or click.prompt(_("E-mail"), err=True).strip()
    if "@" not in email:
        raise UsageError(
            _("'{email}' is not an e-mail address").format(email=email),
            remedy=_("run 'optout-bot setup' again"),
        )
    save_credentials(spec.name, name, email, click.prompt(_("Password"), hide_input=True, err=True))
    click.echo(_("Stored the password for account '{name}' in the OS keyring.").format(name=name), err=True)


def _window(config: Config, spec: SiteSpec, name: str) -> None:
    from optout_bot.app.handlogin import open_sign_in_window
    from optout_bot.store.state import SessionStore

    click.echo(
        _("{site} is signed in to by hand (optout-bot never types its password): a browser window opens "
          "on its sign-in page; sign in there.").format(site=spec.title),
        err=True,
    )  # fmt: skip
    url = config.account(name).site_url or config.site_url
    open_sign_in_window(spec, SessionStore(spec.name, name), url, config.chromium_path, 600)
    click.echo(
        _("Signed in; the session for account '{name}' is saved (encrypted).").format(name=name), err=True
    )
