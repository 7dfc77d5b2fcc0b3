"""What the measured processes run against: a private environment, a saved session, the checked fake."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from measure import Sample, run_process

if TYPE_CHECKING:
    from optout_bot.testing import FakeSite

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT = "default"
FLOW = "linkedin.data-for-ai-improvement"
"""The one setting every row measures (and the one the README's first section is about)."""
# A plain-text file keyring inside the temporary directory, chosen explicitly (credentials.py
# accepts keyrings.alt only then); keyrings.alt is a test/bench dependency, never a runtime one.
KEYRING = "keyrings.alt.file.PlaintextKeyring"
# Settings of the caller that still apply: which browser, and which flow and fixture folders.
PASSED_ON = ("OPTOUT_BOT_CHROMIUM_PATH", "OPTOUT_BOT_FLOWS_DIR", "OPTOUT_BOT_FIXTURES_DIR")


class BenchError(Exception):
    """A measured run did the wrong thing; no number is reported for it."""


def bench_env(tmp: Path) -> dict[str, str]:
    """The environment of every measured process: private state, config and keyring in ``tmp``.

    HOME and the cache directory stay as they are, so the tool finds the same browser as always.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPTOUT_BOT_") or k in PASSED_ON}
    env.update(
        OPTOUT_BOT_STATE_DIR=str(tmp / "state"),
        OPTOUT_BOT_CONFIG=str(tmp / "config.toml"),  # missing: the defaults
        XDG_CONFIG_HOME=str(tmp / "config"),
        XDG_DATA_HOME=str(tmp / "data"),  # where the plain-text keyring keeps its file
        XDG_STATE_HOME=str(tmp / "xdg-state"),
        PYTHON_KEYRING_BACKEND=KEYRING,
    )
    return env


def prepare_session(site: FakeSite, url: str, tmp: Path) -> Path:
    """Save one signed-in session: encrypted for the tool, a plain JSON file (0600) for the baseline.

    Must run with ``bench_env`` in ``os.environ``: the key goes into the same keyring the tool reads.
    """
    from optout_bot.store.state import SessionStore

    host = urlsplit(url).hostname or "127.0.0.1"
    cookies = [
        {
            "name": c["name"],
            "value": c["value"],
            "domain": host,
            "path": "/",
            "expires": -1,
            "httpOnly": c.get("httpOnly", False),
            "secure": c.get("secure", False),
            "sameSite": c.get("sameSite", "Lax"),
        }
        for c in site.session_cookies(url=url)
    ]
    state = {"cookies": cookies, "origins": []}
    SessionStore("linkedin", ACCOUNT).save(state)
    plain = tmp / "baseline-storage-state.json"
    fd = os.open(plain, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(state, handle)
    return plain


def tool_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m optout_bot``."""
    script = Path(sys.executable).parent / "optout-bot"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "optout_bot"]


def help_commands() -> list[list[str]]:
    """Every command path of the CLI: [], ["disable"], ["flows", "list"], …"""
    import click

    from optout_bot.cli.main import cli, register_commands

    register_commands()  # the CLI adds its commands on first use; here we only want their list
    found: list[list[str]] = [[]]

    def walk(group: click.Group, prefix: list[str]) -> None:
        for name in sorted(group.commands):
            found.append([*prefix, name])
            command = group.commands[name]
            if isinstance(command, click.Group):
                walk(command, [*prefix, name])

    walk(cli, [])
    return found


class Checked:
    """Runs one measured process against the fake and checks what it did there."""

    def __init__(self, site: FakeSite, env: dict[str, str]) -> None:
        self.site, self.env = site, env
        self.learned: set[str] = set()
        """Switch keys seen in saves: a flow file need not name its switch's key."""

    def run(
        self,
        what: str,
        argv: list[str],
        keys: set[str],
        start_on: bool,
        code: int,
        saves: int | None = None,
        env: dict[str, str] | None = None,
    ) -> Sample:
        """Put the switches ON or OFF, run ``argv``, and insist that it did exactly the right thing.

        Exit ``code``; ``saves`` switch-off saves and no other save (default: one per key when
        starting ON, none when starting OFF); every key in ``keys`` among them; all of them OFF after.
        """
        keys = {k for k in keys if k}
        for key in keys | self.learned:
            self.site.set_state(key, start_on)
        before = len(self.site.saves)
        sample = run_process(argv, env or self.env, cwd=ROOT)
        made = self.site.saves[before:]
        off = [s.key for s in made if s.accepted and s.enabled is False and s.key]
        wanted = (len(keys) if start_on else 0) if saves is None else saves
        still_on = sorted(k for k in keys | set(off) if self.site.state(k))
        problems = []
        if sample.exit_code != code:
            problems.append(f"exit {sample.exit_code}, wanted {code}")
        if len(made) != wanted or len(off) != wanted:
            problems.append(f"{len(made)} save(s) of which {len(off)} switched off, wanted {wanted}")
        if start_on and not keys <= set(off):
            problems.append(f"never switched off: {sorted(keys - set(off))}")
        if still_on:
            problems.append(f"still ON: {still_on}")
        if problems:
            tail = "\n".join(sample.stderr.strip().splitlines()[-5:])
            raise BenchError(f"{what}: {'; '.join(problems)}\n{tail}")
        self.learned |= set(off)
        return sample
