"""Which program a scheduled check starts, and what 'schedule status' says when it is gone (issue 15)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from optout_bot.app import scheduling
from optout_bot.cli.main import raw_main
from optout_bot.schedule import build_spec
from optout_bot.schedule import entry as entry_module
from optout_bot.schedule.entry import EntryPoint, entry_point, source_checkout
from tests.test_cli_schedule import FakeRunner


def _script(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "optout-bot"
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_an_installed_command_outside_the_clone_comes_first(tmp_path: Path) -> None:
    # pipx and uv keep ~/.local/bin/optout-bot as a link into their own environment.
    real = _script(tmp_path / "pipx" / "venvs" / "optout-bot" / "bin")
    link = tmp_path / "bin" / "optout-bot"
    link.parent.mkdir()
    link.symlink_to(real)
    clone = tmp_path / "clone"
    clone.mkdir()
    entry = entry_point(which=lambda name: str(link), executable="/usr/bin/python3", checkout=clone)
    assert entry.argv == [str(link)]
    assert str(link) in entry.how


def test_the_clones_own_script_is_not_taken_for_an_installed_one(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    script = _script(clone / ".venv" / "bin")
    python = clone / ".venv" / "bin" / "python"
    entry = entry_point(which=lambda name: str(script), executable=str(python), checkout=clone)
    assert entry.argv == [str(python), "-m", "optout_bot"]
    assert "source folder" in entry.how
    assert "moved or deleted" in entry.how


def test_without_any_command_on_path_this_python_runs_it(tmp_path: Path) -> None:
    entry = entry_point(which=lambda name: None, executable="/opt/py/bin/python", checkout=None)
    assert entry.argv == ["/opt/py/bin/python", "-m", "optout_bot"]
    assert "source folder" not in entry.how


def test_this_repository_is_recognised_as_a_source_checkout() -> None:
    here = source_checkout()
    assert here is not None
    assert (here / "optout_bot" / "schedule" / "spec.py").is_file()


def test_the_scheduled_command_ends_with_the_check(tmp_path: Path) -> None:
    entry = EntryPoint([str(tmp_path / "optout-bot")], "test")
    made = build_spec("work", "daily", fix=True, entry=entry)
    assert made.command == [str(tmp_path / "optout-bot"), "check", "--account", "work", "--quiet", "--fix"]


def test_install_says_which_program_it_uses_and_status_warns_when_it_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("OPTOUT_BOT_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setattr(scheduling, "RUNNER", FakeRunner())
    script = _script(tmp_path / "apps" / "bin")
    monkeypatch.setattr(
        entry_module, "entry_point", lambda: EntryPoint([str(script)], f"the installed command {script}")
    )
    assert raw_main(["schedule", "install", "--scheduler", "cron", "--every", "daily"]) == 0
    out = capsys.readouterr().out
    assert f"It starts optout-bot with the installed command {script}." in out
    assert raw_main(["schedule", "status"]) == 0
    assert "no longer exists" not in capsys.readouterr().out
    script.unlink()  # the application was uninstalled, or the folder moved
    assert raw_main(["schedule", "status"]) == 0
    out = capsys.readouterr().out
    assert f"warning: the program this schedule starts, {script}, no longer exists" in out
    assert "schedule install' again" in out
    assert raw_main(["schedule", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["program_missing"] is True


def test_a_scheduled_entry_of_a_real_venv_python_starts(tmp_path: Path) -> None:
    # The -m form the clone falls back to must start as the scheduler runs it: a bare environment.
    argv = build_spec("work", entry=entry_point(which=lambda name: None)).command
    done = subprocess.run(
        [*argv[:3], "check", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": os.environ["HOME"]},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout
