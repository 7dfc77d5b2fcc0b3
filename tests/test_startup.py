"""Start-up stays cheap: no ``--help`` imports Playwright, apprise or rich, nor the engine (issue 6).

Each check runs in a fresh interpreter, because this test process has long imported them all.
bench/run.py measures the wall time; these tests pin the cause of a slow start-up instead.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TypedDict

import click

from optout_bot.cli.main import cli, register_commands

HEAVY = ("playwright", "apprise", "rich")
# The engine brings pydantic and tenacity (about half of a bare --help's time when it was imported).
ENGINE = ("optout_bot.engine.flow", "tenacity")
ROOT = Path(__file__).resolve().parent.parent

# Runs every command's --help in one interpreter and reports, per command, the heavy modules that
# were first imported by it (so a failure names the command that pulled them in).
PROBE = """
import json, sys
preload, heavy, commands = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
if preload:
    __import__(preload)
from optout_bot.cli.main import raw_main
seen, report = set(), []
for command in commands:
    code = raw_main([*command, "--help"])
    loaded = {m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy)} - seen
    seen |= loaded
    report.append({"command": command, "exit": code, "heavy": sorted(loaded)})
print(json.dumps(report))
"""


class ProbeRow(TypedDict):
    """One command's line in the probe's report."""

    command: list[str]
    exit: int
    heavy: list[str]


def command_paths() -> list[list[str]]:
    """Every command path of the CLI, the root first: [], ["check"], ["flows", "list"], …"""
    register_commands()
    found: list[list[str]] = [[]]

    def walk(group: click.Group, prefix: list[str]) -> None:
        for name in sorted(group.commands):
            found.append([*prefix, name])
            command = group.commands[name]
            if isinstance(command, click.Group):
                walk(command, [*prefix, name])

    walk(cli, [])
    return found


def probe(commands: list[list[str]], heavy: tuple[str, ...] = HEAVY, preload: str = "") -> list[ProbeRow]:
    """Run PROBE in a fresh interpreter; its per-command report of newly imported ``heavy`` modules."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, preload, json.dumps(heavy), json.dumps(commands)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report: list[ProbeRow] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def test_command_list_covers_every_site_opening_and_admin_command() -> None:
    names = {" ".join(path) for path in command_paths()}
    assert {"", "disable", "check", "status", "login", "logout", "demo", "serve"} <= names
    assert {"flows list", "flows validate", "config show", "history"} <= names


def offenders(report: list[ProbeRow]) -> dict[str, list[str]]:
    """Command -> the guarded modules its --help imported first."""
    return {" ".join(r["command"]) or "(root)": r["heavy"] for r in report if r["heavy"]}


def test_no_help_imports_playwright_apprise_or_rich() -> None:
    commands = command_paths()
    report = probe(commands, HEAVY + ENGINE)
    assert [r["command"] for r in report] == commands
    assert all(r["exit"] == 0 for r in report), report
    assert offenders(report) == {}


def test_probe_reports_a_heavy_module_when_one_is_imported() -> None:
    # The probe itself must be able to fail: a preloaded rich shows up against the first command.
    report = probe([[]], preload="rich")
    assert "rich" in report[0]["heavy"]
    assert "optout_bot.engine.flow" in probe([[]], ENGINE, preload="optout_bot.engine.flow")[0]["heavy"]


def test_console_entry_point_help_imports_nothing_heavy() -> None:
    # The real entry point, as a person runs it, with Python's own import log as the witness.
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "optout_bot", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    imported = [
        line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")
    ]
    assert "optout_bot.cli.main" in imported
    guarded = HEAVY + ENGINE
    assert sorted(m for m in imported if any(m == g or m.startswith(g + ".") for g in guarded)) == []
