"""What many test files need and nothing in the product offers: optout-bot as its own process.

Fixtures live in ``tests/conftest.py``; plain functions a test calls live here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPTOUT_BOT = (sys.executable, "-m", "optout_bot")
"""The command a scheduler entry starts when no installed ``optout-bot`` is on PATH."""


def cli(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path = ROOT,
    stdin: str = "",
    timeout: float = 180,
) -> subprocess.CompletedProcess[str]:
    """``optout-bot ARGS`` in its own process, as a scheduler or a pipe starts it: standard input is
    ``stdin`` (never a terminal), the output is captured, and a non-zero exit is returned, not raised.

    ``env`` is laid over this process's environment, which conftest has already pointed at tmp_path.
    """
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [*OPTOUT_BOT, *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        check=False,
    )
