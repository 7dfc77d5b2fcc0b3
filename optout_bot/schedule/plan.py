"""The spec an install writes: the schedule asked for, at a time of day drawn once per account.

Apart from ``spec`` (what a schedule is) because choosing the time reads the previous install's
record (``store``), and the record is made of specs: this module is the one that needs both.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from pathlib import Path

from optout_bot.schedule.entry import EntryPoint
from optout_bot.schedule.spec import HOURS, WORDS, ScheduleSpec, parse_cron, scheduled_command
from optout_bot.schedule.store import installed_spec
from optout_bot.store.paths import check_account


def build_spec(
    account: str,
    every: str = "weekly",
    fix: bool = False,
    rng: random.Random | None = None,
    entry: EntryPoint | None = None,
) -> ScheduleSpec:
    """Validate ``every`` and choose the time of day (and day of the week).

    The time is drawn once per machine, user and account: without ``rng``, a re-install keeps the
    minute, hour and weekday recorded by the previous install of ``account``, and a first install draws
    from ``_stable_draw`` — so ``install --dry-run`` announces the very time the real install then
    picks. Pass ``rng`` to draw afresh (tests pass a seeded one). Raises ``UsageError`` with a remedy
    for a bad account name or schedule.
    """
    check_account(account)
    normalised = " ".join(every.split())
    cron = None
    if normalised.lower() in WORDS:
        normalised = normalised.lower()
    else:
        cron = parse_cron(normalised)
    previous = None if rng is not None else installed_spec(account)
    if previous is not None:
        minute, hour, weekday = previous.minute, previous.hour, previous.weekday
    else:
        pick = rng or _stable_draw(account)
        minute, hour, weekday = pick.randrange(60), pick.choice(HOURS), pick.randrange(7)
    if cron is not None:  # the expression names its own time of day
        minute, hour = cron.minute, cron.hour
    return ScheduleSpec(
        account=account,
        every=normalised,
        fix=fix,
        minute=minute,
        hour=hour,
        weekday=weekday,
        command=scheduled_command(account, fix, entry),
    )


def _stable_draw(account: str) -> random.Random:
    """The same draw for the same account, user and machine; another machine or user draws another time.

    Not for secrecy: spreading users' runs over the week is all this randomness is for.
    """
    seed = hashlib.sha256(f"{uuid.getnode()}|{Path.home()}|{account}".encode()).hexdigest()
    return random.Random(seed)  # noqa: S311
