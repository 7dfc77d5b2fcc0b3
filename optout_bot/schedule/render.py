"""The native artifact for each OS scheduler, rendered from one ``ScheduleSpec``; no side effects."""

from __future__ import annotations

import plistlib
import re
import shlex
import subprocess
import xml.etree.ElementTree as ET
from itertools import product
from pathlib import Path

from optout_bot.errors import UsageError
from optout_bot.schedule.spec import Calendar, ScheduleSpec

_SYSTEMD_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_TASK_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TASK_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
TASK_NS = "http://schemas.microsoft.com/windows/2004/02/mit/task"


def _ranges(values: tuple[int, ...], sep: str, fmt: str = "{}") -> str:
    """``(1, 2, 3, 5)`` -> ``1-3,5`` (``sep`` joins a run of three or more)."""
    runs: list[list[int]] = []
    for value in values:
        if runs and value == runs[-1][-1] + 1:
            runs[-1].append(value)
        else:
            runs.append([value])
    parts = [
        f"{fmt.format(r[0])}{sep}{fmt.format(r[-1])}" if len(r) >= 3 else ",".join(fmt.format(v) for v in r)
        for r in runs
    ]
    return ",".join(parts)


# --- systemd -------------------------------------------------------------------------------------


def unit_stem(account: str) -> str:
    """``optout-bot-<account>``; ``@`` is escaped as systemd-escape does (it marks template units)."""
    return "optout-bot-" + account.replace("@", "\\x40")


def systemd_quote(arg: str, executable: bool = False) -> str:
    """One word of an ``Exec*=`` line, quoted when needed, so that nothing in it expands.

    ``%`` specifiers expand everywhere, ``$VAR`` only in arguments: systemd never substitutes
    variables in the program path, so a ``$`` there stays single (systemd 252, ``systemd-analyze verify``).
    """
    if any(ch in arg for ch in "\n\r\0"):
        raise UsageError(f"cannot put {arg!r} on a systemd command line (it has a line break)")
    if not re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", arg):
        arg = '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'
    arg = arg.replace("%", "%%")
    return arg if executable else arg.replace("$", "$$")


def _exec_line(argv: list[str]) -> str:
    return " ".join([systemd_quote(argv[0], executable=True), *(systemd_quote(a) for a in argv[1:])])


def on_calendar(calendar: Calendar) -> str:
    """The ``OnCalendar=`` value: ``Mon *-*-* 09:17:00``."""
    weekdays = _ranges(calendar.weekdays, "..", "{}") if calendar.weekdays else ""
    if weekdays:
        weekdays = re.sub(r"\d", lambda m: _SYSTEMD_DAYS[int(m.group())], weekdays) + " "
    months = _ranges(calendar.months, "..", "{:02d}") if calendar.months else "*"
    days = _ranges(calendar.days, "..", "{:02d}") if calendar.days else "*"
    return f"{weekdays}*-{months}-{days} {calendar.hour:02d}:{calendar.minute:02d}:00"


def render_systemd(spec: ScheduleSpec) -> dict[str, str]:
    """``{"<stem>.service": …, "<stem>.timer": …}`` for ``~/.config/systemd/user/``."""
    stem = unit_stem(spec.account)
    what = "check and fix" if spec.fix else "check"
    service = f"""\
[Unit]
Description=optout-bot: {what} AI-training settings of account {spec.account}

[Service]
Type=oneshot
ExecStart={_exec_line(spec.command)}
# A browser that hangs must not hold the next run hostage.
TimeoutStartSec=30min
Nice=10
"""
    timer = f"""\
[Unit]
Description=optout-bot: {spec.describe()} for account {spec.account}

[Timer]
OnCalendar={on_calendar(spec.calendar)}
# Catch up on a run missed while the machine was off or asleep.
Persistent=true
# Not the same minute every time: spreads runs and looks less like a bot.
RandomizedDelaySec={spec.jitter_minutes}min

[Install]
WantedBy=timers.target
"""
    return {f"{stem}.service": service, f"{stem}.timer": timer}


# --- cron ----------------------------------------------------------------------------------------


def cron_tag(account: str) -> str:
    """The comment that marks our crontab line."""
    return f"optout-bot:{account}"


def cron_schedule(calendar: Calendar) -> str:
    """The five time fields (cron counts weekdays from 0 = Sunday)."""
    dows = tuple(sorted((d + 1) % 7 for d in calendar.weekdays)) if calendar.weekdays else None
    fields = [calendar.days, calendar.months, dows]
    return " ".join(
        [str(calendar.minute), str(calendar.hour), *(_ranges(f, "-") if f else "*" for f in fields)]
    )


def cron_command(spec: ScheduleSpec) -> str:
    """The shell command; cron turns a bare ``%`` into a newline, so each is escaped (once)."""
    return shlex.join(spec.command).replace("%", "\\%")


def render_cron_line(spec: ScheduleSpec) -> str:
    """``17 9 * * 1 /abs/python -m optout_bot check --account A --quiet # optout-bot:A``.

    The tag is a shell comment at the end of the command: cron passes it to the shell, which ignores it.
    """
    return f"{cron_schedule(spec.calendar)} {cron_command(spec)} # {cron_tag(spec.account)}"


def _is_ours(line: str, tag: str) -> bool:
    return line.rstrip("\r\n").rstrip().endswith(f" # {tag}")


def cron_with_line(crontab: str, tag: str, line: str) -> str:
    """``crontab`` with our one tagged line put in place: every other byte is kept as it was.

    A line already tagged ``tag`` is replaced where it stands (extra copies are dropped); otherwise
    the line is added at the end (after ending an unterminated last line: cron needs the newline).
    """
    kept, replaced = [], False
    for existing in crontab.splitlines(keepends=True):
        if _is_ours(existing, tag):
            if not replaced:
                kept.append(line + "\n")
                replaced = True
            continue
        kept.append(existing)
    if not replaced:
        if kept and not kept[-1].endswith("\n"):
            kept[-1] += "\n"
        kept.append(line + "\n")
    return "".join(kept)


def cron_without_line(crontab: str, tag: str) -> tuple[str, bool]:
    """``crontab`` without the lines tagged ``tag`` (every other byte kept), and whether any was there."""
    lines = crontab.splitlines(keepends=True)
    kept = [line for line in lines if not _is_ours(line, tag)]
    return "".join(kept), len(kept) != len(lines)


def cron_has_line(crontab: str, tag: str) -> bool:
    """True when ``crontab`` holds a line tagged ``tag``."""
    return any(_is_ours(line, tag) for line in crontab.splitlines())


# --- launchd -------------------------------------------------------------------------------------


def launchd_label(account: str) -> str:
    """``org.optout-bot.<account>``, also the plist's file stem."""
    return f"org.optout-bot.{account}"


def start_calendar_interval(calendar: Calendar) -> list[dict[str, int]]:
    """One dict per firing pattern; a missing key is a wildcard (launchd ``Weekday`` 0 = Sunday)."""
    weekdays = [(d + 1) % 7 for d in calendar.weekdays] if calendar.weekdays else [None]
    entries = []
    for day, month, weekday in product(calendar.days or [None], calendar.months or [None], weekdays):
        entry = {"Minute": calendar.minute, "Hour": calendar.hour}
        entry.update(
            {k: v for k, v in (("Day", day), ("Month", month), ("Weekday", weekday)) if v is not None}
        )
        entries.append(entry)
    return entries


def render_launchd(spec: ScheduleSpec) -> bytes:
    """The LaunchAgent plist for ``~/Library/LaunchAgents/<label>.plist``."""
    intervals = start_calendar_interval(spec.calendar)
    plist = {
        "Label": launchd_label(spec.account),
        "ProgramArguments": list(spec.command),
        "StartCalendarInterval": intervals[0] if len(intervals) == 1 else intervals,
        "ProcessType": "Background",
        "RunAtLoad": False,
    }
    return plistlib.dumps(plist, sort_keys=False)


# --- Windows Task Scheduler ----------------------------------------------------------------------


def task_name(account: str) -> str:
    """``optout-bot\\<account>``: a task folder keeps our tasks together."""
    return f"optout-bot\\{account}"


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{TASK_NS}}}{tag}")
    if text is not None:
        element.text = text
    return element


def _schedule(trigger: ET.Element, calendar: Calendar) -> None:
    if calendar.days is not None or (calendar.months is not None and calendar.weekdays is None):
        by = _sub(trigger, "ScheduleByMonth")
        days = _sub(by, "DaysOfMonth")
        for day in calendar.days or range(1, 32):
            _sub(days, "Day", str(day))
    elif calendar.months is not None:
        by = _sub(trigger, "ScheduleByMonthDayOfWeek")
        weeks = _sub(by, "Weeks")
        for week in ("1", "2", "3", "4", "Last"):
            _sub(weeks, "Week", week)
    elif calendar.weekdays is not None:
        by = _sub(trigger, "ScheduleByWeek")
        _sub(by, "WeeksInterval", "1")
    else:
        _sub(_sub(trigger, "ScheduleByDay"), "DaysInterval", "1")
        return
    if calendar.weekdays is not None:
        week_days = _sub(by, "DaysOfWeek")
        for day in calendar.weekdays:
            _sub(week_days, _TASK_DAYS[day])
    if by.tag.endswith("ScheduleByMonth") or by.tag.endswith("ScheduleByMonthDayOfWeek"):
        months = _sub(by, "Months")
        for month in calendar.months or range(1, 13):
            _sub(months, _TASK_MONTHS[month - 1])


def render_schtasks_xml(spec: ScheduleSpec) -> str:
    """Task Scheduler XML: a calendar trigger, ``StartWhenAvailable`` (catch up), run as the user."""
    ET.register_namespace("", TASK_NS)
    task = ET.Element(f"{{{TASK_NS}}}Task", {"version": "1.2"})
    info = _sub(task, "RegistrationInfo")
    _sub(info, "Description", f"optout-bot: {spec.describe()} for account {spec.account}")
    _sub(info, "URI", "\\" + task_name(spec.account))
    trigger = _sub(_sub(task, "Triggers"), "CalendarTrigger")
    # Any past date works: only its time of day matters (local time, no zone = follows DST).
    _sub(trigger, "StartBoundary", f"2024-01-01T{spec.hour:02d}:{spec.minute:02d}:00")
    _sub(trigger, "Enabled", "true")
    _sub(trigger, "RandomDelay", f"PT{spec.jitter_minutes}M")
    _schedule(trigger, spec.calendar)
    principal = _sub(_sub(task, "Principals"), "Principal", None)
    principal.set("id", "Author")
    # Interactive token: runs only while the user is logged on, when their credential store is open.
    _sub(principal, "LogonType", "InteractiveToken")
    _sub(principal, "RunLevel", "LeastPrivilege")
    settings = _sub(task, "Settings")
    for tag, text in (
        ("MultipleInstancesPolicy", "IgnoreNew"),
        ("DisallowStartIfOnBatteries", "false"),
        ("StopIfGoingOnBatteries", "false"),
        ("StartWhenAvailable", "true"),
        ("RunOnlyIfNetworkAvailable", "true"),
        ("ExecutionTimeLimit", "PT30M"),
        ("Enabled", "true"),
    ):
        _sub(settings, tag, text)
    actions = _sub(task, "Actions")
    actions.set("Context", "Author")
    execute = _sub(actions, "Exec")
    _sub(execute, "Command", spec.command[0])
    _sub(execute, "Arguments", subprocess.list2cmdline(spec.command[1:]))
    ET.indent(task)
    return '<?xml version="1.0" encoding="UTF-16"?>\n' + ET.tostring(task, encoding="unicode") + "\n"


def schtasks_create_argv(spec: ScheduleSpec, xml_path: Path) -> list[str]:
    """``schtasks /create /tn optout-bot\\A /xml <file> /f`` (``/f`` replaces an existing task)."""
    return ["schtasks", "/create", "/tn", task_name(spec.account), "/xml", str(xml_path), "/f"]
