"""Commands that open the site to turn settings off or read them: disable, check, status."""

from __future__ import annotations

from typing import Any

import click

from optout_bot.cli.options import Common, build_request, common_options, read_config
from optout_bot.cli.running import run_request
from optout_bot.i18n import _


def _run(command: str, kwargs: dict[str, Any], *, dry_run: bool, fix: bool, evidence: bool, resend: bool = False) -> int:  # fmt: skip
    # The config is read once here and passed down: the request, the pings, the alerts all use it.
    common, config = Common(**kwargs), read_config()
    request = build_request(
        command, common, config, dry_run=dry_run, fix=fix, evidence=evidence, resend=resend
    )
    return run_request(request, common, config)


@click.command(help=_("Turn the settings OFF, then reload and read them again to prove it."))
@common_options
@click.option(
    "--dry-run", is_flag=True, help=_("Do everything up to the click that would change it, then stop.")
)
@click.option(
    "--no-evidence", is_flag=True, help=_("Keep no before/after screenshots (failures are still kept).")
)
@click.option(
    "--resend",
    is_flag=True,
    help=_(
        "Objection forms: send again although an earlier run sent it (never when the site says received)."
    ),
)
def disable(dry_run: bool, no_evidence: bool, resend: bool, **kwargs: Any) -> int:
    """``optout-bot disable`` (its help is the translated text above)."""
    return _run("disable", kwargs, dry_run=dry_run, fix=False, evidence=not no_evidence, resend=resend)


@click.command(help=_("Read-only re-check: exit 0 when OFF, 3 when ON (drift). For schedulers."))
@common_options
@click.option("--fix", is_flag=True, help=_("Turn a drifted setting OFF again (verified like 'disable')."))
@click.option("--dry-run", is_flag=True, help=_("With --fix: stop before the click."))
def check(fix: bool, dry_run: bool, **kwargs: Any) -> int:
    """``optout-bot check``."""
    return _run("check", kwargs, dry_run=dry_run, fix=fix, evidence=fix)


@click.command(help=_("Read and print the current state; changes nothing."))
@common_options
def status(**kwargs: Any) -> int:
    """``optout-bot status``."""
    return _run("status", kwargs, dry_run=False, fix=False, evidence=False)


def register(group: click.Group) -> None:
    """Add this module's commands to ``group``."""
    for command in (disable, check, status):
        group.add_command(command)
