"""Two runs at once (issue #5): the second run for one account exits BUSY (11) cleanly, and the
history and session files are never corrupted (appends are single writes, sessions atomic renames).

Real processes, a real file keyring (keyrings.alt's plain-text backend, chosen explicitly and kept
in tmp_path) and the fake LinkedIn over local HTTP. The first run is held inside the fake until the
second has finished, so the overlap is certain rather than a matter of timing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from optout_bot.model.outcomes import ExitStatus, Result
from optout_bot.store import history
from optout_bot.store.credentials import save_credentials
from optout_bot.store.paths import private_dir
from optout_bot.store.state import SessionStore
from optout_bot.testing import FakeSite, Response, Scenario, serve
from tests.fake import EMAIL, PASSWORD

KEY = "allowDataForGenerativeAI"
ROOT = Path(__file__).resolve().parent.parent
BACKEND = "keyrings.alt.file.PlaintextKeyring"
WAIT_S = 90


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_keyring: object) -> dict[str, str]:
    """State dir, config and a file keyring under tmp_path, shared by this process and the CLI runs."""
    config = tmp_path / "config.toml"
    config.write_text(
        "".join(f"[accounts.{name}]\nallow_password_login = true\n" for name in ("default", "second")),
        encoding="utf-8",
    )
    monkeypatch.setenv("OPTOUT_BOT_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(config))
    for account in ("default", "second"):
        save_credentials("linkedin", account, EMAIL, PASSWORD)
        # Each session's key made now, with an empty session (the runs still sign in): keyrings.alt's
        # plain-text file is rewritten whole by every writer, so two first runs adding their keys at
        # the same moment could lose one (seen under pytest-xdist load). The OS keyrings the tool
        # uses for people take concurrent writers; what this file tests is our files and lock.
        SessionStore("linkedin", account).save({"cookies": [], "origins": []})
    # As after a first run. Two first runs at once can still race on creating it: see
    # test_creating_the_state_directory_tolerates_a_concurrent_creator below.
    private_dir(tmp_path / "state" / "accounts")
    return dict(os.environ)


def start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """Start optout-bot in its own process."""
    return subprocess.Popen(
        [sys.executable, "-m", "optout_bot", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


class Gate:
    """Holds page loads before they reach the fake until opened; counts how many are waiting.

    It wraps ``site.handle`` rather than being a fault hook: hooks run under the site's lock, and a
    held request there would hold every other process's requests too.
    """

    def __init__(self, site: FakeSite) -> None:
        self.open = threading.Event()
        self._waiting = 0
        self._changed = threading.Condition()
        handle = site.handle

        def gated(method: str, url: str, headers: dict[str, str], body: bytes | None) -> Response:
            if method == "GET" and not self.open.is_set():
                with self._changed:
                    self._waiting += 1
                    self._changed.notify_all()
                self.open.wait(WAIT_S)
            return handle(method, url, headers, body)

        site.handle = gated  # type: ignore[method-assign]

    def held(self, count: int) -> bool:
        """Wait until ``count`` page loads are held at the gate."""
        with self._changed:
            return self._changed.wait_for(lambda: self._waiting >= count, timeout=WAIT_S)


def files_are_sound(state: Path, accounts: list[str]) -> list[history.HistoryEntry]:
    entries, skipped = history.read_with_skipped()
    assert skipped == 0, "a history line was damaged"
    for account in accounts:
        saved = SessionStore("linkedin", account).load()
        assert saved is not None, f"the session of {account} does not open"
        assert any(c["name"] == "li_at" for c in saved["cookies"])
    assert not list(state.rglob("*.corrupt-*")), "a session file was set aside as unreadable"
    assert not list(state.rglob(".*.tmp")), "a temporary file was left behind"
    return entries


def test_second_run_for_the_same_account_exits_busy(env: dict[str, str], tmp_path: Path) -> None:
    site = FakeSite(Scenario(settings={KEY: False}))
    gate = Gate(site)
    with serve(site) as url:
        first = start(env, "check", "--site-url", url, "--json")
        try:
            assert gate.held(1), "the first run never reached the site"
            # The first run holds the account's lock and sits inside the fake: now the second one.
            second = subprocess.run(
                [sys.executable, "-m", "optout_bot", "check", "--site-url", url],
                capture_output=True,
                text=True,
                timeout=WAIT_S,
                cwd=ROOT,
                env=env,
                check=False,
            )
        finally:
            gate.open.set()
        out, err = first.communicate(timeout=WAIT_S)
    assert second.returncode == ExitStatus.BUSY, second.stderr
    warning, error = second.stderr.strip().splitlines()
    # --site-url points at the fake over http: said plainly before anything else (issue 14, R2).
    assert warning.startswith("warning: this run opens http://127.0.0.1:")
    assert error == (
        "error: another optout-bot run for account 'default' is in progress (wait for the "
        "other run to finish; scheduled runs simply try again next time)"
    )
    assert first.returncode == ExitStatus.OK, err
    assert '"exit_status": 0' in out
    assert site.login_attempts == 1  # only the first run signed in
    entries = files_are_sound(tmp_path / "state", ["default"])
    assert [(e.account, e.command, e.result) for e in entries] == [("default", "check", Result.ALREADY_OFF)]


def test_runs_for_two_accounts_at_once_both_complete(env: dict[str, str], tmp_path: Path) -> None:
    site = FakeSite(Scenario(settings={KEY: True}))
    gate = Gate(site)
    with serve(site) as url:
        runs: list[subprocess.Popen[str]] = []
        try:
            runs = [
                start(env, "check", "--site-url", url, "--account", name) for name in ("default", "second")
            ]
            assert gate.held(2), "both runs should be inside the site at the same time"
        finally:
            gate.open.set()
        errs = [run.communicate(timeout=WAIT_S)[1] for run in runs]
    for run, err in zip(runs, errs, strict=True):
        assert run.returncode == ExitStatus.DRIFT, err
    entries = files_are_sound(tmp_path / "state", ["default", "second"])
    assert sorted((e.account, e.result) for e in entries) == [
        ("default", Result.DRIFT),
        ("second", Result.DRIFT),
    ]
    assert site.saves == []  # a check never changes anything


def test_creating_the_state_directory_tolerates_a_concurrent_creator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "state" / "accounts"
    real_exists = Path.exists

    def another_process_wins(self: Path) -> bool:
        found = real_exists(self)
        if self == target and not found:
            self.mkdir(mode=0o700)  # created between our check and our mkdir
        return found

    monkeypatch.setattr(Path, "exists", another_process_wins)
    assert private_dir(target) == target
