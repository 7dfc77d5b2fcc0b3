"""What the commands share: their options, the ``Common`` values, the account, the run request.

Command modules import this module (and ``cli/running.py``), never each other: only ``cli/main.py``
imports the commands, to register them. Heavy modules are imported inside functions, so that
``--help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import click

from optout_bot.i18n import _

if TYPE_CHECKING:
    from optout_bot.app.request import RunDeps, RunRequest
    from optout_bot.store.config import Config

F = TypeVar("F", bound=Callable[..., Any])


def account_option(func: F) -> F:
    """``--account``: one name per set of credentials and saved session."""
    return click.option(
        "--account",
        default=None,
        metavar="NAME",
        help=_("Which stored account to use (default: the config's default_account, else 'default')."),
    )(func)


def output_options(func: F) -> F:
    """``--json`` and ``--quiet``."""
    func = click.option("--json", "as_json", is_flag=True, help=_("Print a JSON document on stdout."))(func)
    return click.option("--quiet", "-q", is_flag=True, help=_("No progress lines, only the result."))(func)


def check_site_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--site-url``'s check, before any browser starts: a file: or javascript: address used to cost
    10 s of retries."""
    from optout_bot.model.urls import HTTP_URL_RULE, is_http_url

    if value is not None and not is_http_url(value):
        raise click.BadParameter(f"{HTTP_URL_RULE} (e.g. the address 'optout-bot serve' prints)")
    return value


def site_options(func: F) -> F:
    """Options that say which site and browser to use."""
    func = click.option(
        "--site-url",
        envvar="OPTOUT_BOT_SITE_URL",
        metavar="URL",
        help=_("Use this base URL instead of the site's (a local copy, e.g. 'optout-bot serve')."),
        callback=check_site_url,
    )(func)
    func = click.option(
        "--chromium-path",
        envvar="OPTOUT_BOT_CHROMIUM_PATH",
        metavar="PATH",
        help=_("Chrome/Chromium to launch."),
    )(func)
    return click.option("--headed", is_flag=True, help=_("Show the browser window."))(func)


def flow_options(func: F) -> F:
    """``--profile`` and ``--flow``."""
    func = click.option(
        "--profile", default=None, help=_("Set of settings: 'ai' (default) or 'strict' (every known switch).")
    )(func)
    return click.option(
        "--flow", "flows", multiple=True, metavar="NAME", help=_("Only this flow (repeatable).")
    )(func)


def common_options(func: F) -> F:
    """All options of the site-opening commands (the fields of ``Common``)."""
    func = click.option(
        "--trace",
        is_flag=True,
        help=_(
            "Record a Playwright trace (after sign-in only) into the run folder. It holds your session cookie "
            "(and, for objection forms, the phone number and e-mail address typed into them)."
        ),
    )(func)
    return account_option(output_options(site_options(flow_options(func))))


@dataclass(frozen=True)
class Common:
    """The options every site-opening command shares."""

    account: str | None = None
    as_json: bool = False
    quiet: bool = False
    site_url: str | None = None
    chromium_path: str | None = None
    headed: bool = False
    profile: str | None = None
    flows: tuple[str, ...] = ()
    trace: bool = False


def is_interactive() -> bool:
    """A person at a terminal: stdin and stderr both are terminals (a scheduler gives neither)."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def ask_pin(message: str) -> str | None:
    """Ask the person for the code the site sent (an empty answer is no code)."""
    value: str = click.prompt(message, default="", show_default=False, err=True)
    return value.strip() or None


def person_deps(common: Common) -> RunDeps:
    """What a run started from the command line is done with: the product's own, and a person at the
    terminal to type a code the site sends (none when quiet or scheduled)."""
    from optout_bot.app.request import RunDeps

    return RunDeps(ask_pin=ask_pin if is_interactive() and not common.quiet else None)


def read_config() -> Config:
    """The config file, read once per command and passed down."""
    from optout_bot.store.config import load_config

    return load_config()


def account_name(config: Config, account: str | None) -> str:
    """``--account``, else the config's default account; checked as a name."""
    from optout_bot.store.paths import check_account

    return check_account(account or config.default_account)


def warn(problems: list[str]) -> None:
    """One ``warning:`` line on stderr per problem."""
    for problem in problems:
        click.echo(_("warning: {problem}").format(problem=problem), err=True)


def build_request(
    command: str,
    common: Common,
    config: Config,
    *,
    dry_run: bool,
    fix: bool,
    evidence: bool,
    resend: bool = False,
) -> RunRequest:
    """The run ``command`` of the account ``common`` names, as the config and the options say."""
    # Imported here, not at the top: the engine pulls in pydantic and tenacity, which --help never needs.
    from optout_bot.app.request import RunRequest
    from optout_bot.engine.context import Contact
    from optout_bot.engine.options import RunOptions

    account = account_name(config, common.account)
    settings = config.account(account)
    interactive = is_interactive()
    options = RunOptions(
        dry_run=dry_run,
        fix=fix,
        site_url=common.site_url or settings.site_url or config.site_url,
        timeout_ms=config.timeout_s * 1000,
        ignore_memory=resend,
    )
    if options.site_url:
        warn([_other_address(settings.site, options.site_url)])
    return RunRequest(
        command=command,  # type: ignore[arg-type]
        account=account,
        site=settings.site,
        profile=common.profile or settings.profile,
        flows=tuple(common.flows),
        options=options,
        evidence=evidence,
        # A person at a terminal may be asked for a PIN and may use the stored password; a scheduled
        # run types the password only when the config allows it (docs/evidence/tooling.md §10).
        allow_password=interactive or settings.allow_password_login,
        chromium_path=common.chromium_path or config.chromium_path,
        headless=not common.headed and config.headless,
        trace=common.trace,
        contact=Contact(email=settings.email, phone=settings.phone),
        scheduled=not interactive,
    )


def _other_address(site_name: str, url: str) -> str:
    """Said before the run: a stored password may be typed on the address given instead of the site's."""
    from optout_bot.model.loader import load_catalog

    site = load_catalog().site(site_name)
    words = {"url": url, "site": site.title, "address": site.base_url}
    if not site.has_accounts:
        return _("this run opens {url} instead of {site}'s own address ({address})").format(**words)
    if url.lower().startswith("http://"):
        return _(
            "this run opens {url} instead of {site}'s own address ({address}); if it must sign in there, "
            "it types your stored {site} password into that page, unencrypted (http)"
        ).format(**words)
    return _(
        "this run opens {url} instead of {site}'s own address ({address}); if it must sign in there, "
        "it types your stored {site} password into that page"
    ).format(**words)
