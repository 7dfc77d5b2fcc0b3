"""``schedule install|remove|status`` and ``notify``: the OS scheduler's entry and the alert targets.

The scheduler entry runs ``python -m optout_bot check --account A --quiet [--fix]`` (see
``schedule.build_spec``); everything here only writes, removes or describes that entry.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Any

import click

from optout_bot.cli.options import account_name, account_option, read_config
from optout_bot.cli.running import print_changes
from optout_bot.i18n import N_, _
from optout_bot.model.outcomes import ExitStatus

if TYPE_CHECKING:
    from optout_bot.store.history import HistoryEntry

SCHEDULERS = ("systemd", "cron", "launchd", "schtasks")
NOTIFY_REMEDY = N_("check the URLs in the config file; 'optout-bot config path' shows where it is")


def _scheme(url: str) -> str:
    """The URL's scheme alone: the rest of an apprise URL is usually a token."""
    scheme, sep, _ = url.partition("://")
    return scheme.lower() if sep and scheme.isascii() and scheme.replace("+", "").isalnum() else "?"


@click.group(
    "schedule",
    help=_(
        "Re-check on a timer with the OS's own scheduler (systemd, cron, launchd, Task Scheduler).\n\nNothing stays running: the scheduler starts 'optout-bot check' at the chosen time, which exits\n0 when the settings are OFF and 3 when one is ON again (drift), and alerts you (see 'notify')."
    ),
)
def schedule_group() -> None:
    """Re-check on a timer with the OS's own scheduler (systemd, cron, launchd, Task Scheduler).

    Nothing stays running: the scheduler starts 'optout-bot check' at the chosen time, which exits
    0 when the settings are OFF and 3 when one is ON again (drift), and alerts you (see 'notify').
    """


@schedule_group.command(
    "install",
    help=_(
        "Install (or replace) the scheduled check of one account.\n\nPrints each file written and command run, then the exact command line the entry runs. Exit 0\nwhen installed, 2 for a bad --every, 10 when the entry is written but a scheduler command failed\n(the line above says what to run by hand)."
    ),
)
@account_option
@click.option(
    "--every",
    default="weekly",
    show_default=True,
    metavar="daily|weekly|CRON",
    help=_(
        "How often: 'daily', 'weekly' (a random day and daytime minute) or five cron fields "
        "naming one minute and one hour, e.g. '17 9 * * 1'."
    ),
)
@click.option(
    "--fix", is_flag=True, help=_("The scheduled check also switches OFF what it finds ON (verified).")
)
@click.option("--dry-run", is_flag=True, help=_("Print what would be written and run; change nothing."))
@click.option(
    "--scheduler",
    "kind",
    type=click.Choice(SCHEDULERS),
    default=None,
    help=_("Which scheduler (default: launchd on macOS, schtasks on Windows, systemd if usable, else cron)."),
)
def schedule_install(account: str | None, every: str, fix: bool, dry_run: bool, kind: str | None) -> int:
    """Install (or replace) the scheduled check of one account.

    Prints each file written and command run, then the exact command line the entry runs. Exit 0
    when installed, 2 for a bad --every, 10 when the entry is written but a scheduler command failed
    (the line above says what to run by hand).
    """
    from optout_bot.app import scheduling

    config = read_config()
    return print_changes(scheduling.install(config, account_name(config, account), every, fix, kind, dry_run))


@schedule_group.command(
    "remove",
    help=_(
        "Remove exactly what 'schedule install' recorded for the account (nothing else).\n\nExit 0 when removed (or nothing was installed), 10 when a scheduler command failed."
    ),
)
@account_option
@click.option("--dry-run", is_flag=True, help=_("Print what would be removed; change nothing."))
def schedule_remove(account: str | None, dry_run: bool) -> int:
    """Remove exactly what 'schedule install' recorded for the account (nothing else).

    Exit 0 when removed (or nothing was installed), 10 when a scheduler command failed.
    """
    from optout_bot.app import scheduling

    name = account_name(read_config(), account)
    changes = scheduling.remove(name, dry_run)
    if changes is None:
        click.echo(_("No schedule is recorded for account {name}; nothing to remove").format(name=name))
        return 0
    return print_changes(changes)


def missing_program(command: list[str]) -> str | None:
    """Why the entry cannot start any more (its Python or script was moved or deleted), else None."""
    from pathlib import Path

    program = Path(command[0])
    if program.exists():
        return None
    return _(
        "the program this schedule starts, {program}, no longer exists (the folder was moved or "
        "deleted, or optout-bot was reinstalled), so the scheduled checks fail; run 'optout-bot "
        "schedule install' again from where optout-bot is installed now"
    ).format(program=program)


def _active_word(active: bool | None, scheduler: str) -> str:
    if active is None:
        return f"unknown ({scheduler} could not be asked)"
    return "active" if active else "NOT active (run 'optout-bot schedule install' again)"


def _last_runs(account: str) -> list[HistoryEntry]:
    """The newest history entry of each flow of ``account``, oldest first."""
    from optout_bot.store import history

    newest: dict[str, HistoryEntry] = {}
    for entry in history.read(account=account):
        newest.pop(entry.flow, None)  # re-inserted last, so the order follows the newest entries
        newest[entry.flow] = entry
    return list(newest.values())


def _last_line(entry: HistoryEntry) -> str:
    from optout_bot.model.outcomes import state_word

    when = entry.time.astimezone().strftime("%Y-%m-%d %H:%M")
    state = state_word(entry.before)
    if entry.after is not None:
        state += f"→{state_word(entry.after)}"
    dry = ", dry run" if entry.dry_run else ""
    return (
        f"Last run: {when}, {entry.command}{dry}: {entry.flow} {state} "
        f"({entry.result}, exit {entry.exit_status})"
    )


@schedule_group.command(
    "status",
    help=_("Whether a schedule is installed, its files, its next run, and the last outcome from history."),
)
@account_option
@click.option("--json", "as_json", is_flag=True, help=_("Print a JSON document on stdout."))
def schedule_status(account: str | None, as_json: bool) -> int:
    """Whether a schedule is installed, its files, its next run, and the last outcome from history."""
    from optout_bot.app import scheduling

    name = account_name(read_config(), account)
    kind = scheduling.recorded_kind(name)
    status: dict[str, Any] = (
        scheduling.scheduler(kind).status(name)
        if kind
        else {"account": name, "installed": False, "files": []}
    )
    last = _last_runs(name)
    if status["installed"]:
        status["program_missing"] = missing_program(status["command"]) is not None
    if as_json:
        from optout_bot.app.render import dumps

        click.echo(dumps({**status, "last_runs": [e.model_dump(mode="json") for e in last]}))
        return 0
    if not status["installed"]:
        click.echo(
            _("No schedule is installed for account {name} ('optout-bot schedule install' adds one)").format(
                name=name
            )
        )
    else:
        what = "check and fix" if status["fix"] else "check only"
        click.echo(
            _("Installed for account {name} with {scheduler} as {entry}").format(
                name=name, scheduler=status["scheduler"], entry=status["name"]
            )
        )
        click.echo(
            _("Scheduler: {scheduler}").format(scheduler=_active_word(status["active"], status["scheduler"]))
        )
        click.echo(_("Schedule: {schedule}, {what}").format(schedule=status["schedule"], what=what))
        click.echo(_("Runs: {command}").format(command=shlex.join(status["command"])))
        gone = missing_program(status["command"])
        if gone:
            click.echo(_("warning: {problem}").format(problem=gone))
        missing = "" if status["files_present"] else " (some are MISSING: install again)"
        click.echo(_("Files{missing}:").format(missing=missing))
        for path in status["files"]:
            click.echo(f"  {path}")
        if status["next_run"]:
            click.echo(
                _("Next run: {time} (nominal; the scheduler may delay it)").format(
                    time=status["next_run"].replace("T", " ")
                )
            )
    if not last:
        click.echo(_("Last run: none recorded in the history yet"))
    for entry in last:
        click.echo(_last_line(entry))
    return 0


@click.command(
    "notify",
    help=_(
        "Show where alerts go; with --test, send each destination a test alert.\n\nDestinations are the apprise URLs under notify.urls in the config file; they are named here by\nposition and scheme only, because the URLs hold tokens. With --test: exit 0 when every\ndestination accepted the test alert; otherwise one line per problem and exit 10 (check the URLs\nin the config file). The health-check URL is not pinged by --test: a test ping would look like a\nsuccessful scheduled run."
    ),
)
@click.option(
    "--test", "send_test", is_flag=True, help=_("Send a test alert to every configured destination.")
)
def notify_command(send_test: bool) -> int:
    """Show where alerts go; with --test, send each destination a test alert.

    Destinations are the apprise URLs under notify.urls in the config file; they are named here by
    position and scheme only, because the URLs hold tokens. With --test: exit 0 when every
    destination accepted the test alert; otherwise one line per problem and exit 10 (check the URLs
    in the config file). The health-check URL is not pinged by --test: a test ping would look like a
    successful scheduled run.
    """
    from optout_bot.app import notify

    config = read_config()
    urls = [secret.get_secret_value() for secret in config.notify.urls]
    if not send_test:
        if not urls:
            click.echo(_("No notification URLs are configured (notify.urls in the config file)."))
        for index, url in enumerate(urls, start=1):
            click.echo(_("notification #{index} ({scheme})").format(index=index, scheme=_scheme(url)))
        click.echo(_("Alerts sent for: {kinds}").format(kinds=", ".join(config.notify.on) or _("nothing")))
        ping = "configured" if config.notify.healthcheck_url else "not configured"
        click.echo(_("Health-check pings (notify.healthcheck_url): {ping}").format(ping=ping))
        return 0
    alert = notify.Alert(
        "test",
        "optout-bot test alert",
        "This is a test message from 'optout-bot notify --test'. Alerts about drift, fixes and "
        "sign-ins that need you will arrive here.",
    )
    problems = notify.send(alert, config.notify)
    for problem in problems:
        click.echo(_("problem: {problem}").format(problem=problem), err=True)
    if problems:
        click.echo(
            _("error: the test alert did not reach every destination ({remedy})").format(
                remedy=_(NOTIFY_REMEDY)
            ),
            err=True,
        )
        return int(ExitStatus.SETUP)
    click.echo(_("Sent a test alert to {count} destination(s).").format(count=len(urls)), err=True)
    return 0


def register(group: click.Group) -> None:
    """Add ``schedule`` and ``notify`` to ``group``."""
    group.add_command(schedule_group)
    group.add_command(notify_command)
