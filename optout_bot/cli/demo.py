"""``demo`` and ``serve``: the bundled fake sites (LinkedIn by default), with no account and no network."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

import click

from optout_bot.cli.options import Common, ask_pin, is_interactive, output_options, read_config
from optout_bot.cli.running import run_request
from optout_bot.i18n import PAGE_LANGUAGES, _
from optout_bot.i18n import language as i18n_language

# The folders of fixtures/ (a test keeps this list equal to the flow catalog's sites); listed here
# so that --help needs no file access.
SITES = ["linkedin", "x", "chatgpt", "meta", "instagram", "whatsapp"]
# A fictional number (555-01xx is reserved for fiction) for the demo of WhatsApp's form.
DEMO_PHONE = "+15550100199"


def scenario_options(func: Any) -> Any:
    """Which fake site and how it starts: switch state, UI language, page variant, sign-in barriers."""
    for option in reversed(
        [
            click.option(
                "--site",
                type=click.Choice(SITES),
                default="linkedin",
                show_default=True,
                help=_("Which fake site (meta, instagram and whatsapp show the objection forms)."),
            ),
            click.option(
                "--start",
                type=click.Choice(["on", "off"]),
                default="on",
                show_default=True,
                help=_("The switches' state on the fake site before the run."),
            ),
            click.option(
                "--language",
                type=click.Choice(PAGE_LANGUAGES),
                default=None,
                help=_("The fake site's UI language (default: French when you speak French, else English)."),
            ),
            click.option(
                "--variant",
                default=None,
                metavar="NAME",
                help=_("A page variant from fixtures/ (slow, two-switches, absent-redirect, …)."),
            ),
            click.option(
                "--login-layout",
                type=click.Choice(["classic", "formless"]),
                default="classic",
                show_default=True,
                help=_("Which sign-in page layout the fake shows."),
            ),
            click.option(
                "--challenge",
                default=None,
                metavar="KIND",
                help=_(
                    "A security check after the password (email-pin, sms-pin, app-approval, captcha, restricted)."
                ),
            ),
        ]
    ):
        func = option(func)
    return func


def make_site(
    site: str,
    start: str,
    language: str | None,
    variant: str | None,
    login_layout: str,
    challenge: str | None,
) -> Any:
    """The fake site for the demo and serve; its pages in ``language``, else in the user's language."""
    from optout_bot.errors import UsageError
    from optout_bot.testing import FakeSite, FixtureError, Scenario

    scenario = Scenario(
        site=site,
        default_state=start == "on",
        # The fake's pages follow the user's language unless asked otherwise (English where the fake has
        # no pages in it): a French user sees a French LinkedIn, as on the real site.
        language=language or i18n_language(),  # type: ignore[arg-type]
        variant=variant,
        login_layout=login_layout,  # type: ignore[arg-type]
        challenge=challenge,
    )
    try:
        return FakeSite(scenario)
    except FixtureError as exc:  # the fixtures are bundled: a --variant or --challenge they lack
        raise UsageError(
            _("the fake site cannot start: {problem}").format(problem=exc),
            _("use one of the names it lists, or leave the option out"),
        ) from None


@click.command(
    help=_("Run 'disable' against a bundled fake site (LinkedIn unless --site): no account, no network.")
)
@output_options
@scenario_options
@click.option("--dry-run", is_flag=True, help=_("Walk every step with screenshots; change nothing."))
@click.option("--over-http", is_flag=True, help=_("Serve the fake over real local HTTP instead of routing."))
@click.option("--headed", is_flag=True, help=_("Show the browser window."))
@click.option(
    "--trace", is_flag=True, help=_("Record a Playwright trace (after sign-in only) into the run folder.")
)
@click.option(
    "--profile",
    type=click.Choice(["ai", "strict"]),
    default="ai",
    show_default=True,
    help=_("'strict' switches off every LinkedIn data setting the fake knows, in one browser."),
)
def demo(
    as_json: bool,
    quiet: bool,
    dry_run: bool,
    over_http: bool,
    headed: bool,
    trace: bool,
    profile: str,
    **scenario: Any,
) -> int:
    """``optout-bot demo``."""
    from optout_bot.app.fake_runs import on_fake_site
    from optout_bot.app.handlogin import need_display
    from optout_bot.app.request import RunDeps, RunRequest
    from optout_bot.engine.context import Contact
    from optout_bot.engine.options import RunOptions
    from optout_bot.model.loader import load_catalog
    from optout_bot.testing import attach_routes, serve

    if headed:
        need_display(_("'optout-bot demo' without --headed works here: the same run, no window"))
    site = make_site(**scenario)
    spec = load_catalog().site(site.scenario.site)
    email = next(iter(site.scenario.accounts))
    # As in a real run, a person at a terminal is asked for an e-mailed or texted code (the README says so).
    ask = ask_pin if is_interactive() and not quiet and not as_json else None
    if not quiet:
        if site.manifest.forms:
            start = _("the objection form is not sent yet")
        elif scenario["start"] == "on":
            start = _("the switches start ON")
        else:
            start = _("the switches start OFF")
        click.echo(
            _("Demo: a fake {site} on this machine (no account, no network); {start}.").format(
                site=spec.title, start=start
            ),
            err=True,
        )
        if scenario["challenge"] in ("email-pin", "sms-pin") and ask is not None:
            click.echo(
                _("When the fake site asks for its code, type {code}.").format(code=site.scenario.pin),
                err=True,
            )
    common = Common(as_json=as_json, quiet=quiet, headed=headed, trace=trace)
    config = read_config()
    with ExitStack() as stack:
        site_url = stack.enter_context(serve(site)) if over_http else None
        request = RunRequest(
            command="disable",
            site=spec.name,
            profile=profile,
            options=RunOptions(dry_run=dry_run),
            evidence=True,
            contact=Contact(email=email, phone=DEMO_PHONE),
            headless=not headed,
            trace=trace,
        )
        deps = RunDeps(
            ask_pin=ask,
            prepare_context=None if over_http else (lambda context: attach_routes(context, site)),
        )
        # Sites signed in to by hand only: the demo starts where 'login --interactive' leaves off.
        signed_in = spec.has_accounts and not spec.password_sign_in
        request, deps = on_fake_site(request, deps, site, "demo", site_url, signed_in)
        status = run_request(request, common, config, deps)
    if not quiet:
        click.echo(
            _("The fake site received {saves} save request(s) and {sent} form submission(s).").format(
                saves=len(site.saves), sent=len(site.submissions)
            ),
            err=True,
        )
    return status


@click.command(
    help=_(
        "Serve a fake site (LinkedIn unless --site) on http://127.0.0.1:PORT until Ctrl-C (use with --site-url)."
    )
)
@scenario_options
@click.option("--port", default=8800, show_default=True, help=_("Port on 127.0.0.1 (0: any free port)."))
def serve_command(port: int, **scenario: Any) -> int:
    """``optout-bot serve``."""
    import threading

    from optout_bot.testing import serve

    site = make_site(**scenario)
    email, password = next(iter(site.scenario.accounts.items()))
    with serve(site, port=port) as url:
        click.echo(
            _("Fake {site} at {url} (sign in as {email} / {password}); Ctrl-C stops it.").format(
                site=site.scenario.site, url=url, email=email, password=password
            ),
            err=True,
        )
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            return 0
    return 0


def register(group: click.Group) -> None:
    """Add ``demo`` and ``serve`` to ``group``."""
    group.add_command(demo)
    group.add_command(serve_command, name="serve")
