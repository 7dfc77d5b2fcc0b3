"""What a scheduled re-check runs and when: ``ScheduleSpec`` and the one calendar every writer renders.

``every`` is ``daily``, ``weekly`` or a 5-field cron expression. Whatever the form, a schedule runs
at most once a day (LinkedIn flags accounts that are checked often; see docs/evidence/tooling.md §10), so a cron
expression must name one minute and one hour; its day fields may be lists, ranges or steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import PurePosixPath, PureWindowsPath

from optout_bot.errors import UsageError
from optout_bot.schedule.entry import EntryPoint, entry_point
from optout_bot.store.paths import check_account

WORDS = ("daily", "weekly")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Daytime, when a laptop is likely on and its keyring unlocked; the exact time is random per install.
HOURS = range(9, 21)
CRON_REMEDY = (
    "use 'daily', 'weekly' or five cron fields 'MIN HOUR DOM MON DOW' with one minute and one hour, "
    "e.g. '17 9 * * 1' (Mondays at 09:17)"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DOWS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True)
class Calendar:
    """When a schedule fires: one time of day, on days matching every set (``None`` = any).

    ``weekdays`` count from 0 = Monday (Python's ``date.weekday()``); writers convert.
    """

    minute: int
    hour: int
    days: tuple[int, ...] | None = None
    months: tuple[int, ...] | None = None
    weekdays: tuple[int, ...] | None = None

    def matches(self, day: date) -> bool:
        """Whether the schedule fires on ``day``."""
        return (
            (self.days is None or day.day in self.days)
            and (self.months is None or day.month in self.months)
            and (self.weekdays is None or day.weekday() in self.weekdays)
        )


@dataclass(frozen=True, kw_only=True)
class ScheduleSpec:
    """One account's scheduled re-check: the calendar and the exact argv the entry runs."""

    account: str
    every: str = "weekly"
    """``daily``, ``weekly`` or a 5-field cron expression (normalised: single spaces)."""
    fix: bool = False
    """Whether the scheduled run passes ``--fix`` (switch OFF what it finds ON)."""
    minute: int
    hour: int
    weekday: int
    """0 = Monday … 6 = Sunday; used by ``weekly``. Chosen at random once, kept on re-install."""
    command: list[str] = field(hash=False)
    """Absolute argv: ``entry_point().argv`` then ``check --account A --quiet`` (and ``--fix``)."""

    def __post_init__(self) -> None:
        check_account(self.account)
        if not (0 <= self.minute <= 59 and 0 <= self.hour <= 23 and 0 <= self.weekday <= 6):
            raise UsageError(f"schedule time out of range: {self.hour}:{self.minute} on day {self.weekday}")
        if not self.command or not _absolute(self.command[0]):
            raise UsageError("a scheduled command must start with an absolute path")
        calendar = parse_every(self.every, self.minute, self.hour, self.weekday)
        if (calendar.minute, calendar.hour) != (self.minute, self.hour):
            raise UsageError(f"schedule time {self.hour}:{self.minute:02d} differs from {self.every!r}")

    @property
    def calendar(self) -> Calendar:
        """The parsed ``every``."""
        return parse_every(self.every, self.minute, self.hour, self.weekday)

    @property
    def jitter_minutes(self) -> int:
        """Random delay allowed where the scheduler supports it: wide for daily/weekly, small for cron."""
        return 60 if self.every in WORDS else 10

    def describe(self) -> str:
        """``weekly on Monday at 09:17`` and the like."""
        at = f"{self.hour:02d}:{self.minute:02d}"
        if self.every == "daily":
            return f"daily at {at}"
        if self.every == "weekly":
            return f"weekly on {WEEKDAY_NAMES[self.weekday]} at {at}"
        return f"at {at} on cron days '{self.every.split(' ', 2)[2]}'"


def _absolute(path: str) -> bool:
    # A spec may be rendered for another OS (tests render Task Scheduler XML on Linux).
    return PurePosixPath(path).is_absolute() or PureWindowsPath(path).is_absolute()


def _field(text: str, low: int, high: int, names: tuple[str, ...], what: str) -> set[int]:
    values: set[int] = set()
    for item in text.lower().split(","):
        match = re.fullmatch(r"(\*|[a-z0-9]+)(?:-([a-z0-9]+))?(?:/(\d+))?", item)
        if not match:
            raise UsageError(f"cron {what} field {text!r} is not valid", remedy=CRON_REMEDY)
        first, last, step = match.groups()

        def number(token: str) -> int:
            if token in names:
                return names.index(token) + low  # jan = 1, sun = 0
            if not token.isdigit() or not low <= int(token) <= high:
                raise UsageError(
                    f"cron {what} value {token!r} is out of range {low}-{high}", remedy=CRON_REMEDY
                )
            return int(token)

        if first == "*":
            if last is not None:
                raise UsageError(f"cron {what} field {text!r} is not valid", remedy=CRON_REMEDY)
            start, end = low, high
        else:
            start = number(first)
            end = number(last) if last is not None else (high if step else start)
        if end < start or (step is not None and int(step) < 1):
            raise UsageError(f"cron {what} field {text!r} is not valid", remedy=CRON_REMEDY)
        values.update(range(start, end + 1, int(step) if step else 1))
    return values


def _single(text: str, low: int, high: int, what: str) -> int:
    if not text.isdigit():
        raise UsageError(
            f"cron {what} field {text!r} would run more than once a day",
            remedy="scheduled checks run at most once a day (LinkedIn flags frequent automated visits); "
            + CRON_REMEDY,
        )
    value = int(text)
    if not low <= value <= high:
        raise UsageError(f"cron {what} value {value} is out of range {low}-{high}", remedy=CRON_REMEDY)
    return value


def _restricted(values: set[int], every: int) -> tuple[int, ...] | None:
    return None if len(values) >= every else tuple(sorted(values))


def parse_cron(expression: str) -> Calendar:
    """Five cron fields to a ``Calendar``; ``UsageError`` (with a remedy) for anything else."""
    fields = expression.split()
    if len(fields) != 5:
        raise UsageError(f"{expression!r} is not 'daily', 'weekly' or five cron fields", remedy=CRON_REMEDY)
    minute = _single(fields[0], 0, 59, "minute")
    hour = _single(fields[1], 0, 23, "hour")
    days = _restricted(_field(fields[2], 1, 31, (), "day-of-month"), 31)
    months = _restricted(_field(fields[3], 1, 12, _MONTHS, "month"), 12)
    cron_dows = _field(fields[4], 0, 7, _DOWS, "day-of-week")
    weekdays = _restricted({(d - 1) % 7 for d in cron_dows}, 7)  # cron 0/7 = Sunday -> 6
    if days is not None and weekdays is not None:
        # cron fires when EITHER day field matches; systemd and Task Scheduler need BOTH. Refuse
        # rather than install a schedule that means different things on different systems.
        raise UsageError(
            "a cron expression may restrict the day of the month or the day of the week, not both",
            remedy="put '*' in one of the two day fields",
        )
    calendar = Calendar(minute, hour, days, months, weekdays)
    if days is not None and not any(d <= _DAYS_IN_MONTH[m - 1] for d in days for m in months or range(1, 13)):
        raise UsageError(f"cron expression {expression!r} never fires", remedy=CRON_REMEDY)
    return calendar


def parse_every(every: str, minute: int, hour: int, weekday: int) -> Calendar:
    """The calendar for ``every`` (``daily``/``weekly`` use the given time, cron its own)."""
    if every == "daily":
        return Calendar(minute, hour)
    if every == "weekly":
        return Calendar(minute, hour, weekdays=(weekday,))
    return parse_cron(every)


def next_run(calendar: Calendar, after: datetime) -> datetime | None:
    """The first nominal firing strictly after ``after`` (naive local time), within four years."""
    at = time(calendar.hour, calendar.minute)
    day = after.date()
    for _day in range(4 * 366 + 1):
        if calendar.matches(day) and datetime.combine(day, at) > after:
            return datetime.combine(day, at)
        day += timedelta(days=1)
    return None


def scheduled_command(account: str, fix: bool, entry: EntryPoint | None = None) -> list[str]:
    """The argv a scheduled entry runs: ``entry_point()`` then ``check --account A --quiet``."""
    start = (entry or entry_point()).argv
    argv = [*start, "check", "--account", account, "--quiet"]
    return [*argv, "--fix"] if fix else argv
