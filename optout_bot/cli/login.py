"""``login`` and ``logout``: credentials into and out of the OS keyring, sessions by hand."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import TYPE_CHECKING

import click

from optout_bot.cli.options import Common, account_option, build_request, read_config, site_options
from optout_bot.cli.running import run_request
from optout_bot.i18n import _

if TYPE_CHECKING:
    from optout_bot.store.config import Config


@click.command(help=_("Store the e-mail and password in the OS keyring, or sign in by hand (--interactive)."))
@account_option
@click.option("--email", metavar="ADDRESS", help=_("The sign-in e-mail (asked for when omitted)."))
@click.option("--password-stdin", is_flag=True, help=_("Read the password from the first line of stdin."))
@click.option(
    "--interactive", is_flag=True, help=_("Open a browser window and sign in yourself (SSO, passkey, 2FA).")
)
@click.option(
    "--timeout", default=600, show_default=True, help=_("Seconds to wait for an interactive sign-in.")
)
@click.option(
    "--check/--no-check",
    "check",
    default=None,
    help=_("Sign in once now to check the stored password (asked at a terminal; changes nothing)."),
)
@site_options
def login(
    account: str | None,
    email: str | None,
    password_stdin: bool,
    interactive: bool,
    timeout: int,
    check: bool | None,
    site_url: str | None,
    chromium_path: str | None,
    headed: bool,
) -> int:
    """Store the e-mail and password in the OS keyring, or sign in by hand (--interactive)."""
    from optout_bot.errors import UsageError
    from optout_bot.model.loader import load_catalog
    from optout_bot.store.paths import check_account

    name = check_account(account or "default")
    config = read_config()
    site = config.account(name).site
    spec = load_catalog().site(site)
    if not spec.has_accounts:
        raise UsageError(
            _(
                "{site} has no sign-in: its form is sent without an account, so there is nothing to store"
            ).format(site=spec.title),
            remedy=_(
                "set phone and email under [accounts.{name}] in the config, then run 'optout-bot disable --account {name} --dry-run'"
            ).format(name=name),
        )
    by_hand = f"optout-bot login --interactive --account {name}"
    if not interactive and not spec.password_sign_in:
        raise UsageError(
            _(
                "optout-bot never types a password on {site} (you sign in yourself there), so it stores none"
            ).format(site=spec.title),
            remedy=_(
                "run '{command}' to sign in once in a browser window; later runs reuse that session"
            ).format(command=by_hand),
        )
    if interactive:
        from optout_bot.app import handlogin
        from optout_bot.store.state import SessionStore

        click.echo(
            _("A browser window opens on {site}: sign in there; this waits up to {timeout} s.").format(
                site=spec.title, timeout=timeout
            ),
            err=True,
        )
        if spec.password_sign_in:
            remedy = _("run '{command}' in a desktop session, or store a password with '{store}'").format(
                command=by_hand, store=f"optout-bot login --account {name}"
            )
        else:
            remedy = _("run '{command}' in a desktop session").format(command=by_hand)
        if handlogin.WINDOW is None:  # a stand-in (tests, setup's) needs no display
            handlogin.need_display(remedy, _("The sign-in window"))
        account_url = site_url or config.account(name).site_url or config.site_url
        handlogin.open_sign_in_window(
            spec, SessionStore(site, name), account_url, chromium_path or config.chromium_path, timeout
        )
        click.echo(
            _("Signed in; the session for account '{name}' is saved (encrypted).").format(name=name), err=True
        )
        return 0
    from optout_bot.store.credentials import read_password_stdin, save_credentials

    if email is None:
        if not sys.stdin.isatty() and password_stdin:
            raise UsageError(_("--email is required with --password-stdin"))
        email = click.prompt(_("E-mail"), err=True).strip()
    if not email or "@" not in email and not email.lstrip("+").isdigit():
        raise UsageError(_("{email!r} is not an e-mail address or phone number").format(email=email))
    password = (
        read_password_stdin(sys.stdin)
        if password_stdin
        else click.prompt(_("Password"), hide_input=True, err=True)
    )
    save_credentials(site, name, email, password)
    click.echo(_("Stored the password for account '{name}' in the OS keyring.").format(name=name), err=True)
    if check is None and not (sys.stdin.isatty() and sys.stderr.isatty()):
        click.echo(
            _("It is checked at the first run ('{command}').").format(
                command=f"optout-bot status --account {name}"
            ),
            err=True,
        )
        return 0
    if check is None:
        check = click.confirm(
            _("Sign in to {site} now to check it? (reads the settings, changes nothing)").format(
                site=spec.title
            ),
            default=True,
            err=True,
        )
    if not check:
        return 0
    return _test_sign_in(config, name, spec.title, Common(name, site_url=site_url, chromium_path=chromium_path, headed=headed))  # fmt: skip


def _test_sign_in(config: Config, name: str, title: str, common: Common) -> int:
    """Sign in once with the stored password (a read-only ``status``), and say plainly whether it worked:
    a wrong password is found now, not at the next scheduled run."""
    from optout_bot.model.outcomes import ExitStatus

    request = build_request("status", common, config, dry_run=False, fix=False, evidence=False)
    request = replace(request, allow_password=True)  # the person asked for exactly this sign-in
    click.echo(_("Signing in to {site} with the stored password…").format(site=title), err=True)
    status = run_request(request, common, config)
    if status == ExitStatus.LOGIN_FAILED:
        click.echo(
            _("{site} refused this password. Run '{command}' again with the right one.").format(
                site=title, command=f"optout-bot login --account {name}"
            ),
            err=True,
        )
    elif status not in (ExitStatus.NEEDS_HUMAN, ExitStatus.TRANSIENT, ExitStatus.BLOCKED, ExitStatus.SETUP):
        click.echo(_("Signed in to {site}: the stored password works.").format(site=title), err=True)
    return status


@click.command(help=_("Delete the stored password and the saved session of an account."))
@account_option
def logout(account: str | None) -> int:
    """Delete the stored password and the saved session of an account."""
    from optout_bot.store.credentials import delete_credentials
    from optout_bot.store.lock import LOGOUT_WAIT_S, run_lock
    from optout_bot.store.paths import check_account
    from optout_bot.store.state import SessionStore

    name = check_account(account or "default")
    site = read_config().account(name).site
    # Under the account's lock: a run in progress saves its session when it ends, which would sign
    # the account back in right after "Deleted". Wait for it (a run ends by its own deadline).
    with run_lock(name, wait=LOGOUT_WAIT_S, waiting=_say_waiting):
        removed_password = delete_credentials(site, name)
        removed_session = SessionStore(site, name).delete()
    if removed_password or removed_session:
        click.echo(
            _("Deleted the stored credentials and session of account '{name}'.").format(name=name), err=True
        )
    else:
        click.echo(_("Nothing was stored for account '{name}'.").format(name=name), err=True)
    return 0


def _say_waiting(account: str) -> None:
    click.echo(
        _("Waiting for the optout-bot run of account '{account}' to finish…").format(account=account),
        err=True,
    )


def register(group: click.Group) -> None:
    """Add ``login`` and ``logout`` to ``group``."""
    group.add_command(login)
    group.add_command(logout)
