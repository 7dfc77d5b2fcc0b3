"""Which program a scheduled check starts: the most stable one there is, said to the person.

A schedule outlives the terminal that installed it: the program it names must still exist weeks
later. pipx's and uv's ``~/.local/bin/optout-bot`` survives upgrades; a clone's ``.venv`` does not
survive the clone being moved or deleted, so it is used only when there is nothing better, with a
warning.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from optout_bot.errors import SetupError
from optout_bot.i18n import _


def source_checkout() -> Path | None:
    """The source folder optout-bot runs from (an editable install in a clone), else ``None``."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "flows").is_dir() else None


@dataclass(frozen=True)
class EntryPoint:
    """What a scheduled entry starts, and why that one (said to the person installing it)."""

    argv: list[str]
    """``[script]`` or ``[python, "-m", "optout_bot"]``, absolute."""
    how: str
    """One sentence naming it, with a warning when it lives in a folder that may move."""


def find_program(name: str) -> str | None:
    """``name`` on PATH (tests replace this, so a developer's own installed copy changes nothing)."""
    return shutil.which(name)


def entry_point(
    which: Callable[[str], str | None] | None = None,
    executable: str | None = None,
    checkout: Path | None | Literal["detect"] = "detect",
) -> EntryPoint:
    """The most stable way to start optout-bot from a scheduler.

    An ``optout-bot`` command on PATH that is not inside a source checkout (pipx's and uv's
    ``~/.local/bin/optout-bot``, a system install) survives upgrades and moved clones, so it comes
    first. Otherwise this very interpreter runs ``-m optout_bot`` (not resolved out of its venv).
    """
    here = source_checkout() if checkout == "detect" else checkout
    script = (which or find_program)("optout-bot")
    if script and (here is None or not Path(script).resolve().is_relative_to(here)):
        path = str(Path(script).absolute())
        return EntryPoint([path], _("the installed command {path}").format(path=path))
    python = executable if executable is not None else sys.executable
    if not python:
        raise SetupError(
            "cannot tell which Python is running optout-bot",
            remedy="run 'optout-bot schedule install' from the Python environment optout-bot is installed in",
        )
    python = str(Path(python).absolute())
    if here is None:
        return EntryPoint(
            [python, "-m", "optout_bot"],
            _("the Python that runs optout-bot now, {python}").format(python=python),
        )
    return EntryPoint(
        [python, "-m", "optout_bot"],
        _(
            "{python}, inside the source folder {folder}: if that folder is moved or deleted the "
            "schedule stops working; install optout-bot as an application (README, 'Install') and run "
            "'optout-bot schedule install' again"
        ).format(python=python, folder=here),
    )
