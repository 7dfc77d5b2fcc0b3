"""The rows and columns of the fault matrix (tests/test_faults.py): faults, commands, expectations.

Kept apart from the test so the test reads as the invariants it checks, and so the generated
docs/reliability.md (``tests/reliability_doc.py``) can list the same faults without importing a test module.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from optout_bot.engine.options import RunOptions
from optout_bot.model.outcomes import ExitStatus, Result
from tests.fault_kinds import (
    Checkpoint,
    HttpError,
    NetworkFailure,
    Overlay,
    SaveFails,
    SaveNotPersisted,
    SessionExpires,
    Slow,
    SwitchVanishes,
)

KEY = "allowDataForGenerativeAI"
SETTING = "/mypreferences/d/settings/data-for-ai-improvement"
SAVE_API = "/mysettings-api/settingsApiSettings/*"
# A page load may take this long before the run calls it a hang. Measured with the headless shell on
# 2 cores, 4 pytest-xdist workers and a load average of 17: the slowest healthy load took 1.9 s (the
# logout cell's took 4.3 s while it started a process inside the load; it no longer does). A hang
# (hang-once, timeout-*) waits this out, so it is kept short with twice that margin.
TIMEOUT_MS = 4_000
HANG_MS = TIMEOUT_MS + 1_000
"""hang-once holds its answer this long: longer than the timeout, from before the request arrives."""
SLOW_MS = 400
"""slow delays every answer this much: a page with its scripts well within the timeout."""
CELL_SECONDS = 30.0

Expected = tuple[Result, ExitStatus]


@dataclass(frozen=True)
class Command:
    """One way to run the flow, as the CLI spells it."""

    label: str
    options: dict[str, Any]

    @property
    def may_change(self) -> bool:
        return RunOptions(**self.options).may_change


COMMANDS = [
    Command("disable", {"mode": "apply"}),
    Command("check", {"mode": "check"}),
    Command("check --fix", {"mode": "check", "fix": True}),
    Command("disable --dry-run", {"mode": "apply", "dry_run": True}),
]


def baseline(on: bool, command: Command) -> Expected:
    """What a fault-free run reports."""
    if not on:
        return Result.ALREADY_OFF, ExitStatus.OK
    if command.options.get("dry_run"):
        return Result.WOULD_CHANGE, ExitStatus.OK
    if command.may_change:
        return Result.CHANGED, ExitStatus.OK
    return Result.DRIFT, ExitStatus.DRIFT


def always(status: ExitStatus) -> Callable[[bool, Command], Expected]:
    """Every cell fails with ``status``."""
    return lambda on, command: (Result.FAILED, status)


def when_clicking(status: ExitStatus) -> Callable[[bool, Command], Expected]:
    """Cells that click (ON, allowed to change) fail with ``status``; the rest are as without faults."""
    return lambda on, command: (Result.FAILED, status) if on and command.may_change else baseline(on, command)


@dataclass(frozen=True)
class Condition:
    """One row of faults: what is injected and what each cell must then report."""

    name: str
    what: str
    scenario: dict[str, Any] = field(default_factory=dict)
    expect: Callable[[bool, Command], Expected] = baseline
    over_http: bool = False
    """Serve the fake over local HTTP instead of Playwright routes (a held answer must not block routing)."""
    harness: str = ""
    """A fault outside the site, made by the test (tests/fault_harness.py): a killed browser, ..."""


GET = "GET"
CONDITIONS = [
    Condition("none", "no fault (baseline)"),
    Condition(
        "5xx-once", "the first page load answers HTTP 500", {"faults": [HttpError(method=GET, times=1)]}
    ),
    Condition(
        "5xx-always",
        "every page load answers HTTP 503",
        {"faults": [HttpError(status=503, method=GET)]},
        always(ExitStatus.TRANSIENT),
    ),
    Condition(
        "5xx-setting-page",
        "the setting's page always answers HTTP 502",
        {"faults": [HttpError(status=502, path=SETTING)]},
        always(ExitStatus.TRANSIENT),
    ),
    Condition(
        "5xx-on-verify",
        "the reload that verifies answers HTTP 503",
        {"faults": [HttpError(status=503, path=SETTING, method=GET, after=1)]},
        when_clicking(ExitStatus.TRANSIENT),
    ),
    Condition(
        "timeout-once",
        "the first page load times out (net::ERR_TIMED_OUT)",
        {"faults": [NetworkFailure(method=GET, times=1)]},
    ),
    Condition(
        "timeout-setting-page",
        "every load of the setting's page times out",
        {"faults": [NetworkFailure(path=SETTING)]},
        always(ExitStatus.TRANSIENT),
    ),
    Condition(
        "hang-once",
        f"the setting's page answers after {HANG_MS // 1000} s (> the {TIMEOUT_MS // 1000} s timeout), once; real HTTP",
        {"faults": [Slow(path=SETTING, delay_ms=HANG_MS, times=1)]},
        # A page load is retried; a click on the way (dry runs walk) is not.
        lambda on, command: (
            (Result.FAILED, ExitStatus.TRANSIENT) if command.options.get("dry_run") else baseline(on, command)
        ),
        over_http=True,
    ),
    Condition("slow", f"every answer takes {SLOW_MS / 1000} s", {"faults": [Slow(delay_ms=SLOW_MS)]}),
    Condition(
        "429-retry-after",
        "the first page load answers 429 with Retry-After: 7",
        {"faults": [HttpError(status=429, retry_after="7", method=GET, times=1)]},
    ),
    Condition(
        "429-long-retry-after",
        "every page load answers 429 with Retry-After: 3600",
        {"faults": [HttpError(status=429, retry_after="3600", method=GET)]},
        always(ExitStatus.BLOCKED),
    ),
    Condition(
        "http-999",
        "every page load answers LinkedIn's HTTP 999",
        {"faults": [HttpError(status=999, method=GET)]},
        always(ExitStatus.BLOCKED),
    ),
    Condition(
        "save-fails",
        "the settings API answers HTTP 500",
        {"faults": [SaveFails()]},
        when_clicking(ExitStatus.TRANSIENT),
    ),
    Condition(
        "save-network-error",
        "the save request fails on the network",
        {"faults": [NetworkFailure(path=SAVE_API, error="failed")]},
        when_clicking(ExitStatus.TRANSIENT),
    ),
    Condition(
        "save-not-persisted",
        "the settings API answers success but keeps nothing",
        {"faults": [SaveNotPersisted()]},
        when_clicking(ExitStatus.SITE_CHANGED),
    ),
    Condition(
        "session-expires",
        "every session ends after the first page load (signs in again, once)",
        {"faults": [SessionExpires(method=GET, path="/[!_]*", after=1, times=1)]},
    ),
    Condition(
        "checkpoint",
        "after the first page load, every page redirects to an e-mail PIN check",
        {"faults": [Checkpoint(method=GET, after=1)]},
        lambda on, command: (
            (Result.FAILED, ExitStatus.NEEDS_HUMAN)
            if command.options.get("dry_run") or (on and command.may_change)
            else baseline(on, command)
        ),
    ),
    Condition(
        "switch-vanishes",
        "the switch is removed as the pointer reaches it",
        {"faults": [SwitchVanishes(path=SETTING)]},
        when_clicking(ExitStatus.SITE_CHANGED),
    ),
    Condition(
        "overlay",
        "a consent dialog that no button closes covers the setting's page (Reject is pressed, never Accept)",
        {"faults": [Overlay(path=SETTING)]},
        when_clicking(ExitStatus.NEEDS_HUMAN),
    ),
    Condition("language-de", "the site is in German", {"language": "de"}),
    Condition(
        "button-switch",
        "redesign: the switch is a button[role=switch][aria-checked]",
        {"variant": "button-switch"},
    ),
    # Issue 14: faults outside the site (tests/fault_harness.py).
    Condition(
        "browser-killed",
        "Chromium is killed (SIGKILL) as the setting's page is requested",
        expect=always(ExitStatus.TRANSIENT),
        harness="browser-killed",
    ),
    Condition(
        "browser-killed-on-save",
        "Chromium is killed (SIGKILL) as the save request leaves it, right after the click",
        expect=when_clicking(ExitStatus.TRANSIENT),
        harness="browser-killed-on-save",
    ),
    Condition(
        "driver-killed",
        "Playwright's driver is killed (SIGKILL) as the setting's page is requested; the CLI in its own process",
        expect=always(ExitStatus.TRANSIENT),
        harness="driver-killed",
    ),
    Condition(
        "disk-full",
        "the disk is full: every evidence file write fails (ENOSPC)",
        harness="disk-full",
    ),
    Condition(
        "torn-history",
        "history.jsonl ends in a torn line (a crash mid-write) when the run starts",
        harness="torn-history",
    ),
    Condition(
        "logout-during-run",
        "`optout-bot logout` is started while the run is on the setting's page",
        harness="logout-during-run",
    ),
    Condition(
        "interrupt-after-click",
        "Ctrl-C right after the click, once the site answered the save",
        expect=when_clicking(ExitStatus.CTRL_C),
        harness="interrupt-after-click",
    ),
]


# --- which cells `make test` runs -------------------------------------------------------------------------

FULL = (
    os.environ.get("OPTOUT_BOT_FULL_MATRIX") == "1" or os.environ.get("OPTOUT_BOT_WRITE_RELIABILITY") == "1"
)
"""Read at import (conftest's isolation removes OPTOUT_BOT_* variables while each test runs)."""

Cell = tuple[Condition, bool, Command]


def all_cells() -> Iterator[Cell]:
    """Every fault × start state × command: what `make faults` runs and docs/reliability.md lists."""
    for condition in CONDITIONS:
        for on in (True, False):
            for command in COMMANDS:
                yield condition, on, command


def distinct_path(condition: Condition, on: bool, command: Command) -> bool:
    """True for the cells `make test` runs: for every fault, each path a run can take through the engine
    and the runner once; the fault-free row keeps all eight cells, so each command is run as such.

    Kept: ON `disable` (the click, the save, the reload that verifies), ON `check` (read-only: reports
    drift), ON `disable --dry-run` (the walk a person takes, a screenshot per step, "would change"),
    OFF `disable` (reads OFF while allowed to change: must not click).
    Left to `make faults`, each the same code as a kept cell:
    - ON `check --fix`: the engine (switches.run_switch) and the runner treat it as `disable` once the
      read says ON; the only difference, the `check` gate, is taken by both. The flow contract
      runs `check --fix` on a flow of every site (tests/contract.py), the form contract on every form.
    - OFF `check`, OFF `check --fix`: the command is consulted only after the read; a read of OFF
      returns "already off" before that, on the same page loads as OFF `disable`, the cell with the
      most permission (the stricter guard of "never clicks a switch already OFF").
    - OFF `disable --dry-run`: the walk before the read is ON `disable --dry-run`'s, the read of OFF
      after it is OFF `disable`'s, and a dry run that starts OFF has nothing left to do after the read.
    """
    if condition.name == "none":
        return True
    if on:
        return command.label != "check --fix"
    return command.label == "disable"


def cells() -> list[Cell]:
    """The cells this run parametrizes: all of them under OPTOUT_BOT_FULL_MATRIX=1, else the distinct."""
    return [cell for cell in all_cells() if FULL or distinct_path(*cell)]


def cell_id(cell: Cell) -> str:
    condition, on, command = cell
    return f"{condition.name}-{'ON' if on else 'OFF'}-{command.label.replace(' ', '')}"
