"""The command line: parse, call the library, print, and map errors to exit codes in one place.

Human messages go to stderr, ``--json`` documents to stdout. Exit codes: see ``ExitStatus`` and
the README. Playwright is never imported here, so ``--help`` stays fast.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import click

from optout_bot import __version__
from optout_bot.errors import OptoutBotError, UsageError
from optout_bot.i18n import N_, _
from optout_bot.model.outcomes import ExitStatus, exit_status_for

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
TERMS_NOTE = _(
    "Automating your own account may conflict with the site's terms of use: "
    "run it rarely, on your own machine, at your own risk."
)


# Click's own words in help pages, which it does not translate for us (the rows' texts are ours).
CLICK_WORDS = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Arguments"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("[default: "),
)


class HelpFormatter(click.HelpFormatter):
    """Click's formatter, with its own headings and help-option texts in the user's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage:") + " " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_(heading))

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        # Click appends "[default: …]" to our (already translated) texts; only its own word is left.
        rows = [(term, _(text).replace("[default: ", _("[default: "))) for term, text in rows]
        super().write_dl(rows, col_max, col_spacing)


class Context(click.Context):
    """Every command's context: our help formatter, and ``--json`` errors as JSON documents."""

    formatter_class = HelpFormatter

    def invoke(self, callback: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Run a command; one asked for ``--json`` that stops on an error prints that error as JSON too,
        so a script reading stdout always gets a document (the human line still goes to stderr)."""
        try:
            return super().invoke(callback, *args, **kwargs)
        except OptoutBotError as exc:
            if self.params.get("as_json"):
                click.echo(error_json(exc))
            raise


def error_json(exc: OptoutBotError) -> str:
    """The JSON document of a command that stopped on ``exc``."""
    from optout_bot.app.render import dumps

    status = exit_status_for(exc)
    return dumps(
        {
            "error": exc.error_kind.value,
            "message": exc.message,
            "remedy": exc.remedy,
            "exit_status": int(status),
            "exit_name": status.name,
        }
    )


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


def _check_site_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    # Checked here, before any browser starts: a file: or javascript: address used to cost 10 s of retries.
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
        callback=_check_site_url,
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


@click.group(
    context_settings=CONTEXT, help=_("Turn off AI-training data settings, verified.") + "\n\n" + TERMS_NOTE
)
@click.version_option(__version__, prog_name="optout-bot")
@click.option("-v", "--verbose", count=True, help=_("More log output (-vv for debug)."))
def cli(verbose: int) -> None:
    """Root command group."""
    configure_logging(verbose)


class _PlainOnly(logging.Filter):
    """Without -v, only records written for people (``extra={"plain": True}``) are shown."""

    def filter(self, record: logging.LogRecord) -> bool:
        return bool(getattr(record, "plain", False))


def configure_logging(verbose: int, stream: Any = None) -> logging.Handler:
    """Log lines on stderr: by default only the plain-worded ones, as bare sentences (a library's
    "WARNING optout_bot.engine.retry: Retrying <unknown>…" means nothing to a person); -v shows every
    record with its level and source, -vv debug too."""
    handler = logging.StreamHandler(stream or sys.stderr)
    if verbose:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    else:
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler.addFilter(_PlainOnly())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.WARNING - 10 * min(verbose, 2))
    return handler


def _register() -> None:
    # Explicit registration (no import side effects): each module adds its commands here.
    from optout_bot.cli import admin as cli_admin
    from optout_bot.cli import capture as cli_capture
    from optout_bot.cli import overview as cli_overview
    from optout_bot.cli import platforms as cli_platforms
    from optout_bot.cli import run as cli_run
    from optout_bot.cli import schedule as cli_schedule
    from optout_bot.cli import setup as cli_setup

    cli_run.register(cli)
    cli_admin.register(cli)
    cli_schedule.register(cli)
    cli_capture.register(cli)
    cli_platforms.register(cli)
    cli_overview.register(cli)
    cli_setup.register(cli)
    _use_context(cli)


def _use_context(command: click.Command) -> None:
    # Every command makes its own context: give each ours, so every help page is translated.
    command.context_class = Context
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _use_context(sub)


def raw_main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the exit status instead of exiting."""
    _register()
    try:
        result = cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo(_("aborted"), err=True)
        return int(ExitStatus.CTRL_C)
    except click.ClickException as exc:
        hint = ""
        ctx = getattr(exc, "ctx", None)
        if ctx is not None:
            hint = _("; see '{command} --help'").format(command=ctx.command_path)
        message = exc.format_message().rstrip(".")  # "Missing argument 'X'.; see" read badly
        click.echo(_("error: {message}").format(message=message) + hint, err=True)
        return int(ExitStatus.USAGE)
    except OptoutBotError as exc:
        return report_error(exc)
    except KeyboardInterrupt:
        click.echo(_("interrupted"), err=True)
        return int(ExitStatus.CTRL_C)
    except Exception as exc:
        if os.environ.get("OPTOUT_BOT_DEBUG"):
            raise
        click.echo(
            _("internal error: {kind}; please report it (OPTOUT_BOT_DEBUG=1 shows details)").format(
                kind=type(exc).__name__
            ),
            err=True,
        )
        return int(ExitStatus.ERROR)
    return int(result) if isinstance(result, int) else 0


def report_error(exc: OptoutBotError) -> int:
    """Print one line of error and one of remedy; return the mapped exit code."""
    message = _("error: {message}").format(message=exc.message)
    if exc.remedy:
        message += f" ({exc.remedy})"
    click.echo(message, err=True)
    return int(exit_status_for(exc))


def main() -> None:
    """Console-script entry point."""
    sys.exit(raw_main())


__all__ = ["UsageError", "cli", "main", "raw_main"]
