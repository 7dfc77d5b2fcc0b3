"""Writers for the OS's own scheduler (systemd, launchd, cron, Task Scheduler); nothing resident.

``build_spec`` decides what runs and when; ``render_*`` produce each native artifact without side
effects; ``get_scheduler()`` installs, removes and inspects entries, recording them in
``<state_dir>/schedule.json`` so that ``remove`` removes exactly what ``install`` wrote.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from optout_bot.errors import UsageError
from optout_bot.schedule.backends import CronScheduler, LaunchdScheduler, SchtasksScheduler, SystemdScheduler
from optout_bot.schedule.install import BaseScheduler, Runner, Scheduler, default_runner
from optout_bot.schedule.plan import build_spec
from optout_bot.schedule.render import (
    render_cron_line,
    render_launchd,
    render_schtasks_xml,
    render_systemd,
    schtasks_create_argv,
)
from optout_bot.schedule.spec import ScheduleSpec
from optout_bot.schedule.store import installed_spec

__all__ = [
    "KINDS",
    "Runner",
    "ScheduleSpec",
    "Scheduler",
    "build_spec",
    "detect_scheduler",
    "get_scheduler",
    "installed_spec",
    "render_cron_line",
    "render_launchd",
    "render_schtasks_xml",
    "render_systemd",
    "schtasks_create_argv",
]

KINDS: dict[str, type[BaseScheduler]] = {
    "systemd": SystemdScheduler,
    "launchd": LaunchdScheduler,
    "cron": CronScheduler,
    "schtasks": SchtasksScheduler,
}


def detect_scheduler(runner: Runner | None = None, platform: str | None = None) -> str:
    """``launchd`` on macOS, ``schtasks`` on Windows, ``systemd`` where ``systemctl --user`` works, else ``cron``."""
    platform = sys.platform if platform is None else platform
    if platform == "darwin":
        return "launchd"
    if platform == "win32":
        return "schtasks"
    if runner is None and shutil.which("systemctl") is None:
        return "cron"
    try:
        # Asks the user's own manager: fails in containers and sessions without one.
        usable = (runner or default_runner)(["systemctl", "--user", "show-environment"]).returncode == 0
    except OSError:
        usable = False
    return "systemd" if usable else "cron"


def get_scheduler(
    kind: str | None = None, root: Path | None = None, runner: Runner | None = None
) -> Scheduler:
    """The scheduler ``kind`` (detected when ``None``); ``root`` stands in for the home folder in tests."""
    runner = runner or default_runner
    kind = kind or detect_scheduler(runner)
    if kind not in KINDS:
        raise UsageError(f"unknown scheduler {kind!r}", remedy=f"use one of: {', '.join(KINDS)}")
    home = root if root is not None else Path.home()

    def factory(other: str) -> Scheduler:
        return KINDS[other](home, runner, factory)

    return factory(kind)
