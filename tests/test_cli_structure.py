"""The thin CLI's shape: commands never import each other, a run reads the config once, and the
scheduler's outcome is a type, not the first words of a line (issue 16)."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from optout_bot.app import runner
from optout_bot.app.request import RunDeps, RunRequest, RunResult
from optout_bot.cli.main import raw_main
from optout_bot.engine.job import RunReport
from optout_bot.errors import NeedsHuman
from optout_bot.model.outcomes import ExitStatus, FlowOutcome, Result
from optout_bot.schedule.install import AlreadyGone, ByHand, Changes
from optout_bot.store import config as config_module

CLI = Path(__file__).resolve().parent.parent / "optout_bot" / "cli"
# What every command may import from cli/: the shared modules. setup_steps is setup's own half.
SHARED = {
    "optout_bot.cli.options",
    "optout_bot.cli.running",
    "optout_bot.cli.errors",
    "optout_bot.cli.progress",
}
OWN_HELPERS = {"setup": {"optout_bot.cli.setup_steps"}}


def cli_imports(path: Path) -> set[str]:
    """The ``optout_bot.cli`` modules ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("optout_bot.cli"):
            if node.module == "optout_bot.cli":
                found |= {f"optout_bot.cli.{alias.name}" for alias in node.names}
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("optout_bot.cli.")}
    return found


def test_only_main_imports_the_command_modules() -> None:
    offenders = {}
    for path in sorted(CLI.glob("*.py")):
        if path.stem in ("main", "__init__"):
            continue
        extra = cli_imports(path) - SHARED - OWN_HELPERS.get(path.stem, set())
        if extra:
            offenders[path.stem] = sorted(extra)
    assert offenders == {}
    assert "optout_bot.cli.run" in cli_imports(CLI / "main.py")  # main registers them


def test_the_import_scan_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from optout_bot.cli import run as r\n    import optout_bot.cli.demo\n")
    assert cli_imports(module) == {"optout_bot.cli.run", "optout_bot.cli.demo"}


def test_shared_modules_import_no_command() -> None:
    for name in SHARED:
        assert cli_imports(CLI / f"{name.rsplit('.', 1)[1]}.py") <= SHARED


def test_no_cli_module_is_longer_than_300_lines() -> None:
    lengths = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in CLI.glob("*.py")}
    assert {name: n for name, n in lengths.items() if n > 300} == {}


# --- the config is read once per run --------------------------------------------------------------


@pytest.fixture
def config_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every call of ``load_config`` in this test, counted."""
    calls: list[int] = []
    real = config_module.load_config

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(config_module, "load_config", counting)
    return calls


def fake_execute(request: RunRequest, deps: RunDeps | None = None) -> RunResult:
    """A run without a browser: the setting read OFF."""
    outcome = FlowOutcome(
        request.flows[0], "Data for Generative AI Improvement", Result.ALREADY_OFF, before=False
    )
    report = RunReport(request.account, request.site, [outcome])
    now = datetime.now(UTC)
    return RunResult(request, report, None, now, now, "LinkedIn")


@pytest.mark.parametrize("command", [["check"], ["disable", "--dry-run"], ["status"]])
def test_a_run_reads_the_config_once(
    monkeypatch: pytest.MonkeyPatch, config_reads: list[int], command: list[str]
) -> None:
    monkeypatch.setattr(runner, "execute", fake_execute)
    flow = ["--flow", "linkedin.data-for-ai-improvement"]
    assert raw_main([*command, *flow, "--quiet"]) == ExitStatus.OK
    assert len(config_reads) == 1  # the request, the pings before and after, the alerts: one read


def test_a_failed_run_reads_the_config_once(monkeypatch: pytest.MonkeyPatch, config_reads: list[int]) -> None:
    def stops(request: RunRequest, deps: RunDeps | None = None) -> RunResult:
        raise NeedsHuman("a security check", kind="checkpoint", remedy="sign in by hand")

    monkeypatch.setattr(runner, "execute", stops)
    assert raw_main(["check", "--flow", "linkedin.data-for-ai-improvement"]) == ExitStatus.NEEDS_HUMAN
    assert len(config_reads) == 1


# --- the scheduler says what is unfinished by type -----------------------------------------------


def test_unfinished_comes_from_a_by_hand_line_not_its_words() -> None:
    assert not Changes(["Could not guess: a line that merely starts with these words", "Wrote x"]).unfinished
    assert Changes(["Wrote x", ByHand("crontab failed; add this line yourself")]).unfinished
    assert not Changes([AlreadyGone("Already gone: nothing to delete")]).unfinished
    both = Changes(["Wrote x"])
    both += Changes([ByHand("run it yourself")])  # lines joined keep their type
    assert both.unfinished
