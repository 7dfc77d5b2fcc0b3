"""Faults the fake site cannot make, made by the test itself (issue 14): the fault matrix's ``harness`` rows.

- ``browser-killed`` / ``browser-killed-on-save``: Chromium is SIGKILLed from a route handler the moment
  the setting's page (or the save) is requested, on a browser launched for the cell alone;
- ``driver-killed``: the real CLI runs in its own process against the fake over local HTTP, and
  Playwright's driver of that process is SIGKILLed as the setting's page is requested;
- ``disk-full``: every evidence file write fails with ENOSPC;
- ``torn-history``, ``logout-during-run``, ``interrupt-after-click``: the run goes through
  ``runner.execute`` (lock, history) on the shared browser; history starts with a torn line, or
  ``optout-bot logout`` is started mid-run in its own process, or Ctrl-C lands right after the click.

Each returns what the matrix needs to check its invariants: the report, the store the run saved to,
and the folders whose files must hold no secret. Deterministic: every fault fires at a chosen request
or step, never after a delay.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

from optout_bot.app import runner
from optout_bot.app.runner import RunDeps, RunRequest
from optout_bot.engine import recorder
from optout_bot.engine.browser import BrowserChoice, BrowserSession, find_browser
from optout_bot.engine.job import RunReport
from optout_bot.engine.options import RunOptions
from optout_bot.engine.recorder import ScreenshotRecorder
from optout_bot.errors import ErrorKind, StateDirError
from optout_bot.model.outcomes import ExitStatus, FlowOutcome, Result
from optout_bot.store import history
from optout_bot.store.state import SessionStore
from optout_bot.testing import FakeSite, serve
from tests.fake import Creds, MemoryStore
from tests.fault_matrix import SAVE_API, SETTING
from tests.fault_site import FaultySite, attach

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT = "matrix"
FLOW = "linkedin.data-for-ai-improvement"
FILE_KEYRING = "keyrings.alt.file.PlaintextKeyring"


@dataclass
class HarnessRun:
    """What one harness cell produced."""

    report: RunReport
    store_state: dict[str, Any] | None = None
    written: list[Path] = field(default_factory=list)
    """Folders whose every file is searched for secrets."""
    history: list[history.HistoryEntry] = field(default_factory=list)


Run = Callable[..., RunReport]


def run_harness(
    harness: str,
    *,
    playwright: Any,
    session: BrowserSession,
    site: FaultySite,
    options: RunOptions,
    store: MemoryStore,
    recorder_obj: ScreenshotRecorder,
    run_engine: Callable[[BrowserSession, Callable[[Any], None] | None], RunReport],
    retry_sleep: Callable[[float], Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    command: str,
) -> HarnessRun:
    """Run one cell with the fault ``harness``."""
    if harness in ("browser-killed", "browser-killed-on-save"):
        path = SETTING if harness == "browser-killed" else SAVE_API
        with _own_browser(playwright) as (own, kill):
            return HarnessRun(run_engine(own, _kill_on(site, path, kill)))
    if harness == "disk-full":

        def full(path: Path, data: bytes) -> None:
            raise StateDirError(f"cannot write {path}: No space left on device")

        monkeypatch.setattr(recorder, "write_private", full)
        return HarnessRun(run_engine(session, lambda context: attach(context, site)))
    if harness == "driver-killed":
        return _driver_killed(site, options, tmp_path, command)
    return _through_runner(
        harness, session, site, options, store, recorder_obj, retry_sleep, monkeypatch, tmp_path, command
    )


# --- a browser of the cell's own, killed by SIGKILL from a route handler --------------------------------


@contextmanager
def _own_browser(playwright: Any) -> Iterator[tuple[BrowserSession, Callable[[], None]]]:
    choice = find_browser(local_copy=True)
    browser = playwright.chromium.launch(executable_path=str(choice.path), handle_sigint=False)
    try:
        cdp = browser.new_browser_cdp_session()
        info = cdp.send("SystemInfo.getProcessInfo")
        (pid,) = [p["id"] for p in info["processInfo"] if p["type"] == "browser"]
        cdp.detach()

        def kill() -> None:
            os.kill(pid, signal.SIGKILL)

        yield BrowserSession(playwright, browser, BrowserChoice(choice.path, "test")), kill
    finally:
        with suppress(Exception):  # it was killed
            browser.close()


def _kill_on(site: FaultySite, path: str, kill: Callable[[], None]) -> Callable[[Any], None]:
    def prepare(context: Any) -> None:
        attach(context, site)

        def killer(route: Any) -> None:
            kill()  # the request never gets an answer: the browser is gone

        context.route(f"**{path}", killer)  # registered last: runs before the fake site's routes

    return prepare


# --- the real CLI in its own process; its Playwright driver killed -----------------------------------------


def _driver_killed(site: FakeSite, options: RunOptions, tmp_path: Path, command: str) -> HarnessRun:
    state = tmp_path / "cli-state"
    env = {
        **os.environ,
        "OPTOUT_BOT_STATE_DIR": str(state),
        "OPTOUT_BOT_CONFIG": str(tmp_path / "config.toml"),
        "PYTHON_KEYRING_BACKEND": FILE_KEYRING,
        "OPTOUT_BOT_TIMEOUT_S": str(options.timeout_ms / 1000),
    }
    (tmp_path / "config.toml").write_text(f"[accounts.{ACCOUNT}]\n", encoding="utf-8")
    child: list[subprocess.Popen[str]] = []
    original = site.handle

    def handle(method: str, url: str, headers: Any, body: Any) -> Any:
        if urlsplit(url).path.startswith(SETTING) and child:
            _kill_driver_of(child[0].pid)
        return original(method, url, headers, body)

    with serve(site) as url:
        _save_session(state, site, url)
        site.handle = handle  # type: ignore[method-assign]
        args = command.split() + ["--account", ACCOUNT, "--site-url", url, "--json", "--quiet"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "optout_bot", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        child.append(proc)
        out, err = proc.communicate(timeout=120)
    document = json.loads(out)
    assert proc.returncode == document["exit_status"], err
    assert "Traceback" not in err
    assert "internal error" not in err
    outcomes = [_outcome(o) for o in document.get("outcomes", [])]
    report = RunReport(ACCOUNT, "linkedin", outcomes)
    with _file_keyring():
        store_state = SessionStore("linkedin", ACCOUNT).load() if state.exists() else None
    return HarnessRun(report, store_state, [state], _history_in(state))


def _save_session(state: Path, site: FakeSite, url: str) -> None:
    previous = os.environ.get("OPTOUT_BOT_STATE_DIR")
    os.environ["OPTOUT_BOT_STATE_DIR"] = str(state)
    try:
        with _file_keyring():
            SessionStore("linkedin", ACCOUNT).save({"cookies": site.session_cookies(url=url), "origins": []})
    finally:
        if previous is None:
            os.environ.pop("OPTOUT_BOT_STATE_DIR", None)
        else:
            os.environ["OPTOUT_BOT_STATE_DIR"] = previous


@contextmanager
def _file_keyring() -> Iterator[None]:
    previous, chosen = keyring.get_keyring(), os.environ.get("PYTHON_KEYRING_BACKEND")
    os.environ["PYTHON_KEYRING_BACKEND"] = FILE_KEYRING  # named explicitly, as the child process does
    keyring.set_keyring(PlaintextKeyring())  # its file lives under $XDG_DATA_HOME (tmp_path)
    try:
        yield
    finally:
        keyring.set_keyring(previous)
        if chosen is None:
            os.environ.pop("PYTHON_KEYRING_BACKEND", None)
        else:
            os.environ["PYTHON_KEYRING_BACKEND"] = chosen


def _kill_driver_of(pid: int) -> None:
    """SIGKILL the Playwright driver among ``pid``'s children (Linux /proc; the matrix runs there)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid and b"run-driver" in cmdline:
            os.kill(int(entry.name), signal.SIGKILL)


def _outcome(data: dict[str, Any]) -> FlowOutcome:
    words = {"ON": True, "OFF": False, "unknown": None}
    return FlowOutcome(
        flow=data["flow"],
        title=data["title"],
        result=Result(data["result"]),
        before=words[data["before"]],
        after=words[data["after"]],
        verified=data["verified_after_reload"],
        error=ErrorKind(data["error"]) if data["error"] else None,
        message=data["message"],
        remedy=data["remedy"],
        evidence=data["evidence"],
        exit_status=ExitStatus(data["exit_status"]),
    )


def _history_in(state: Path) -> list[history.HistoryEntry]:
    path = state / "history.jsonl"
    if not path.exists():
        return []
    return [history.HistoryEntry.model_validate_json(line) for line in path.read_bytes().splitlines() if line]


# --- through runner.execute: lock, history, logout, Ctrl-C -------------------------------------------------


class FileStore(MemoryStore):
    """Saves where ``SessionStore`` keeps the account's session (unencrypted: a test stand-in), so that
    ``logout`` in another process deletes what the run saved."""

    def save(self, storage_state: dict[str, Any]) -> None:
        super().save(storage_state)
        path = SessionStore("linkedin", ACCOUNT).path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(storage_state), encoding="utf-8")


class LogoutWaits(ScreenshotRecorder):
    """Once ``logout`` was started (as the setting's page was requested), the run's next step holds
    until that process says it waits for the run's lock: the run is then still on the page, and the
    wait for a new Python process to start is out of every page-load timeout."""

    def __init__(self, base: ScreenshotRecorder, started: list[subprocess.Popen[str]]) -> None:
        super().__init__(base.folder, base.mask_css, keep_steps=base.keep_steps)
        self.started = started
        self.said: list[str] = []
        """The first line ``logout`` wrote, read at the first step after it started."""

    def step(self, name: str, page: Any, title: str, note: str = "", **more: Any) -> None:
        super().step(name, page, title, note, **more)
        if self.started and not self.said:
            stderr = self.started[0].stderr
            assert stderr is not None
            self.said.append(stderr.readline())


class InterruptAfterClick(ScreenshotRecorder):
    """Ctrl-C the moment the click's save was answered (the step that follows the click)."""

    def step(self, name: str, page: Any, title: str, note: str = "", **more: Any) -> None:
        super().step(name, page, title, note, **more)
        if name == "switched-off":
            raise KeyboardInterrupt


def _through_runner(
    harness: str,
    session: BrowserSession,
    site: FaultySite,
    options: RunOptions,
    store: MemoryStore,
    recorder_obj: ScreenshotRecorder,
    retry_sleep: Callable[[float], Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    command: str,
) -> HarnessRun:
    @contextmanager
    def launch(
        configured: str | None = None, headless: bool = True, local_copy: bool = False
    ) -> Iterator[BrowserSession]:
        yield session

    monkeypatch.setenv("OPTOUT_BOT_STATE_DIR", str(tmp_path / "state"))
    if harness == "torn-history":
        path = history.history_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b'{"time":"2026-11-30T09:00:00Z","account":"matrix","site":"linkedin","flo')
    rec = recorder_obj
    if harness == "interrupt-after-click":
        rec = InterruptAfterClick(
            recorder_obj.folder, recorder_obj.mask_css, keep_steps=recorder_obj.keep_steps
        )
    logout: list[subprocess.Popen[str]] = []
    if harness == "logout-during-run":
        store = FileStore(store.state)
        rec = LogoutWaits(recorder_obj, logout)

    def prepare(context: Any) -> None:
        attach(context, site)
        if harness == "logout-during-run":

            def start_logout(route: Any) -> None:
                if not logout:
                    logout.append(_start_logout(tmp_path))
                route.fallback()

            context.route(f"**{SETTING}", start_logout)

    request = RunRequest(
        command={"apply": "disable", "check": "check"}[options.mode],  # type: ignore[arg-type]
        account=ACCOUNT,
        flows=(FLOW,),
        options=options,
    )
    deps = RunDeps(
        credentials=Creds(),
        store=store,
        prepare_context=prepare,
        recorder_factory=lambda folder, mask: rec,
        launch=launch,
        stop_driver=lambda playwright: None,  # the shared driver stays
        retry_sleep=retry_sleep,
        runs_root=tmp_path / "runs",
    )
    result = runner.execute(request, deps)
    if logout:
        assert isinstance(rec, LogoutWaits)
        (line,) = rec.said
        assert line.startswith(f"Waiting for the optout-bot run of account '{ACCOUNT}'"), line
        _, err = logout[0].communicate(timeout=60)
        assert logout[0].returncode == 0, err
        assert "Deleted the stored credentials and session" in err
        assert not SessionStore("linkedin", ACCOUNT).path.exists()  # nothing saved after "Deleted"
    with runner.run_lock(ACCOUNT):  # no lock left held
        pass
    return HarnessRun(result.report, store.state, [tmp_path / "state"], history.read(account=ACCOUNT))


def _start_logout(tmp_path: Path) -> subprocess.Popen[str]:
    """``optout-bot logout`` in its own process, started and left to run (``LogoutWaits`` waits for it
    to reach the run's lock at the run's next step)."""
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": FILE_KEYRING,
        "OPTOUT_BOT_CONFIG": str(tmp_path / "none.toml"),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "optout_bot", "logout", "--account", ACCOUNT],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
