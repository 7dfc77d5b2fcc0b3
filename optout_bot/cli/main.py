"""The command line: the group, its registration, and every error mapped to an exit code.

Only this module imports the command modules (to register them); commands share ``cli/options.py``
and ``cli/running.py`` and never import each other. Errors become a line and an exit code through
``cli/errors.py``. Human messages go to stderr, ``--json`` documents to stdout. Exit codes: see
``ExitStatus`` and the README. Playwright is never imported here, so ``--help`` stays fast.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import click

from optout_bot import __version__
from optout_bot.cli.errors import error_json, report_error
from optout_bot.errors import OptoutBotError, UsageError
from optout_bot.i18n import N_, _
from optout_bot.model.outcomes import ExitStatus

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


def register_commands() -> None:
    """Add every command to ``cli``: explicit registration (no import side effects), and the only
    place that imports the command modules."""
    from optout_bot.cli import admin, capture, demo, login, overview, platforms, run, schedule, setup

    for module in (run, login, demo, admin, schedule, capture, platforms, overview, setup):
        module.register(cli)
    _use_context(cli)


def _use_context(command: click.Command) -> None:
    # Every command makes its own context: give each ours, so every help page is translated.
    command.context_class = Context
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _use_context(sub)


def raw_main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the exit status instead of exiting."""
    register_commands()
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


def main() -> None:
    """Console-script entry point."""
    sys.exit(raw_main())


__all__ = ["UsageError", "cli", "main", "raw_main"]
