"""Issue 4, "done when": the exact command line a generated scheduler entry runs, against the fake site.

The fake LinkedIn is served over real local HTTP, alerts go through apprise's ``json://`` to a local
receiver, credentials sit in an explicitly chosen plain-text keyring file, and every run is a real
subprocess with stdin that is not a terminal, as under cron, systemd or launchd.
"""

from __future__ import annotations

import base64
import json
import os
import plistlib
import queue
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import keyring
import pytest

from optout_bot.app import scheduling
from optout_bot.cli.main import raw_main
from optout_bot.schedule import build_spec
from optout_bot.store.credentials import save_credentials
from optout_bot.store.lock import run_lock
from optout_bot.testing import FakeSite, Scenario, serve

EMAIL = "scheduled@example.com"
# Unique, so that finding it anywhere means a leak and not a coincidence.
PASSWORD = "Sched-Pa55word-q7Zx9"
KEY = "allowDataForGenerativeAI"
RUN_TIMEOUT = 120  # seconds per subprocess: a hang fails the test instead of stalling the suite
HC_PATH = "/hc/3f1d2c9a-check"


# --- a local HTTP receiver for apprise's json:// and health-check pings ---------------------------


@dataclass(frozen=True)
class Received:
    """One request the receiver got."""

    method: str
    path: str
    body: bytes

    def json(self) -> dict[str, Any]:
        """The body as JSON (apprise's json:// payload)."""
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass
class Receiver:
    """Records every request. Delivery is synchronous in the sender, so once a subprocess has exited,
    everything it sent is already here: ``take`` never needs to wait."""

    port: int
    inbox: queue.Queue[Received] = field(default_factory=queue.Queue)

    @property
    def alert_url(self) -> str:
        """The apprise URL that posts JSON to this receiver."""
        return f"json://127.0.0.1:{self.port}/alerts"

    @property
    def healthcheck_url(self) -> str:
        """A healthchecks-style base URL on this receiver."""
        return f"http://127.0.0.1:{self.port}{HC_PATH}"

    def take(self) -> list[Received]:
        """Everything received since the last call."""
        got: list[Received] = []
        while True:
            try:
                got.append(self.inbox.get_nowait())
            except queue.Empty:
                return got


@contextmanager
def serve_receiver() -> Iterator[Receiver]:
    """A receiver on 127.0.0.1 with a free port, for the ``with`` block."""
    box: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            box[0].inbox.put(Received(self.command, self.path, body))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"OK")

        do_GET = do_POST = _record  # noqa: N815 - http.server's naming

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.append(Receiver(port=server.server_address[1]))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield box[0]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def alerts(got: list[Received]) -> list[dict[str, Any]]:
    """The apprise payloads among ``got``."""
    return [r.json() for r in got if r.path.startswith("/alerts")]


def pings(got: list[Received]) -> list[str]:
    """The health-check events among ``got``: start, success or fail."""
    events = {f"{HC_PATH}/start": "start", HC_PATH: "success", f"{HC_PATH}/fail": "fail"}
    return [events.get(r.path, r.path) for r in got if r.path.startswith("/hc/")]


# --- the world a scheduled run lives in ----------------------------------------------------------


class FakeLaunchctl:
    """Stands in for launchctl: the test installs a real entry file without touching the OS."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        self.calls.append(list(argv))
        return subprocess.CompletedProcess(argv, 0, "", "")


@dataclass
class World:
    """The fake site, the receiver, the config and keyring files, and how to run a command."""

    tmp: Path
    site: FakeSite
    receiver: Receiver
    env: dict[str, str]
    keyring_file: Path
    outputs: list[str] = field(default_factory=list)

    def run(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        """``argv`` as its own process, stdin not a terminal, bounded by ``RUN_TIMEOUT``."""
        done = subprocess.run(
            argv,
            env=self.env,
            cwd=self.tmp,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            check=False,
        )
        self.outputs += [done.stdout, done.stderr]
        return done

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``optout-bot <args>`` with this interpreter."""
        return self.run([*build_spec("default").command[:3], *args])

    def scheduled_argv(self, fix: bool = False) -> list[str]:
        """Install a schedule with the CLI (launchd, whose entry file holds a plain argv list) and
        return the argv from the generated file."""
        args = ["schedule", "install", "--scheduler", "launchd", "--every", "daily"]
        assert raw_main([*args, "--fix"] if fix else args) == 0
        plist = Path.home() / "Library" / "LaunchAgents" / "org.optout-bot.default.plist"
        argv: list[str] = plistlib.loads(plist.read_bytes())["ProgramArguments"]
        return argv


MakeWorld = Callable[..., World]


@pytest.fixture
def make_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> Iterator[MakeWorld]:
    """Builds a World: ``allow_password`` goes to the config, ``scenario`` to the fake site."""
    with serve_receiver() as receiver, ExitStack() as stack:

        def build(allow_password: bool = True, **scenario: Any) -> World:
            site = FakeSite(Scenario(accounts={EMAIL: PASSWORD}, settings={KEY: False}, **scenario))
            site_url = stack.enter_context(serve(site))
            env_vars = {
                "HOME": str(isolated_home),
                "XDG_DATA_HOME": str(tmp_path / "data"),
                "OPTOUT_BOT_CONFIG": str(tmp_path / "config.toml"),
                "OPTOUT_BOT_STATE_DIR": str(tmp_path / "state"),
                "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
            }
            for name, value in env_vars.items():
                monkeypatch.setenv(name, value)
            config = f"""\
site_url = "{site_url}"
timeout_s = 20

[notify]
urls = ["{receiver.alert_url}"]
healthcheck_url = "{receiver.healthcheck_url}"

[accounts.default]
email = "{EMAIL}"
allow_password_login = {"true" if allow_password else "false"}
"""
            Path(env_vars["OPTOUT_BOT_CONFIG"]).write_text(config, encoding="utf-8")
            # The same file keyring the subprocesses will open (chosen explicitly, so it is accepted).
            from keyrings.alt.file import PlaintextKeyring

            backend = PlaintextKeyring()
            keyring.set_keyring(backend)  # conftest's memory_keyring restores the previous one
            save_credentials("linkedin", "default", EMAIL, PASSWORD)
            monkeypatch.setattr(scheduling, "RUNNER", FakeLaunchctl())
            return World(tmp_path, site, receiver, dict(os.environ), Path(backend.file_path))

        yield build


def history(world: World) -> list[dict[str, Any]]:
    """``optout-bot history --json`` as the user would run it."""
    done = world.cli("history", "--json")
    assert done.returncode == 0, done.stderr
    entries: list[dict[str, Any]] = json.loads(done.stdout)["entries"]
    return entries


def assert_no_password_anywhere(world: World) -> None:
    """Not in any output, alert or ping, nor in any file except the keyring file, raw or base64."""
    forms = [PASSWORD.encode(), base64.b64encode(PASSWORD.encode())]
    # The keyring file holds it (base64: keyrings.alt's format), so the scan looks for something real.
    assert forms[1] in world.keyring_file.read_bytes()
    for text in world.outputs:
        assert PASSWORD not in text
    leaked = [
        path
        for path in world.tmp.rglob("*")
        if path.is_file() and path != world.keyring_file and any(form in path.read_bytes() for form in forms)
    ]
    assert leaked == []


# --- the "done when" test ------------------------------------------------------------------------


def test_scheduled_entry_finds_drift_alerts_records_and_fixes(make_world: MakeWorld) -> None:
    world = make_world()
    argv = world.scheduled_argv()
    assert argv == build_spec("default").command
    assert argv[1:] == ["-m", "optout_bot", "check", "--account", "default", "--quiet"]

    # 1. The setting is OFF: exit 0, nothing to tell, and the stored password was used to sign in.
    first = world.run(argv)
    assert first.returncode == 0, first.stderr
    assert world.site.state(KEY) is False
    assert world.site.login_attempts == 1
    got = world.receiver.take()
    assert alerts(got) == []
    assert pings(got) == ["start", "success"]

    # 2. LinkedIn turns it back on: the check is read-only, exits 3 and alerts.
    world.site.set_state(KEY, True)
    second = world.run(argv)
    assert second.returncode == 3, second.stderr
    assert world.site.state(KEY) is True
    assert world.site.saves == []
    assert world.site.login_attempts == 1  # the saved session was reused: no second password entry
    got = world.receiver.take()
    [drift] = alerts(got)
    assert drift["type"] == "warning"
    assert "is ON again (account default)" in drift["title"]
    assert "optout-bot disable --account default" in drift["message"]
    assert pings(got) == ["start", "fail"]

    # 3. The --fix variant of the entry switches it OFF again, verified, and says so.
    fix_argv = world.scheduled_argv(fix=True)
    assert fix_argv == [*argv, "--fix"]
    third = world.run(fix_argv)
    assert third.returncode == 0, third.stderr
    assert world.site.state(KEY) is False
    assert [save.accepted for save in world.site.saves] == [True]
    got = world.receiver.take()
    [fixed] = alerts(got)
    assert fixed["type"] == "success"
    assert "was ON again and is now OFF" in fixed["title"]
    assert "It read OFF after a reload." in fixed["message"]
    assert pings(got) == ["start", "success"]
    # The history, read once after the three runs as the user would: each run's entry in order.
    entries = history(world)
    assert [e["result"] for e in entries] == ["already-off", "drift", "changed"]
    drifted, change = entries[1], entries[2]
    assert (drifted["command"], drifted["before"], drifted["action"], drifted["exit_status"]) == (
        "check",
        True,
        "none",
        3,
    )
    assert (change["result"], change["action"], change["before"], change["after"]) == (
        "changed",
        "switched-off",
        True,
        False,
    )
    assert change["evidence"]
    assert Path(change["evidence"]).is_dir()

    assert_no_password_anywhere(world)


# --- scheduled runs never prompt and never type a password they may not --------------------------


def test_without_a_session_and_no_password_permission_it_needs_a_human(make_world: MakeWorld) -> None:
    world = make_world(allow_password=False)
    done = world.run(world.scheduled_argv())
    assert done.returncode == 4, done.stderr
    assert world.site.login_attempts == 0  # the stored password was never typed
    got = world.receiver.take()
    [alert] = alerts(got)
    assert alert["type"] == "failure"
    assert "sign-in needs you (account default)" in alert["title"]
    assert "optout-bot login --interactive" in alert["message"]
    assert pings(got) == ["start", "fail"]
    assert history(world)[-1]["exit_status"] == 4
    assert_no_password_anywhere(world)


def test_a_verification_code_request_is_not_prompted_for(make_world: MakeWorld) -> None:
    world = make_world(challenge="email-pin")
    # stdin is a pipe kept open: a prompt would wait on it until the timeout and fail the test.
    with subprocess.Popen(
        world.scheduled_argv(),
        env=world.env,
        cwd=world.tmp,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            out, err = _wait_keeping_stdin(proc)
        finally:
            proc.kill()
    assert proc.returncode == 4, err
    assert world.site.login_attempts == 1
    assert world.site.pin_attempts == 0
    [alert] = alerts(world.receiver.take())
    assert "sign-in needs you" in alert["title"]
    world.outputs += [out, err]
    assert_no_password_anywhere(world)


def _wait_keeping_stdin(proc: subprocess.Popen[str]) -> tuple[str, str]:
    # communicate() would close stdin (EOF ends a prompt at once); wait with it open instead.
    assert proc.stdout is not None
    assert proc.stderr is not None
    outputs: dict[str, str] = {}

    def drain(name: str, stream: Any) -> None:
        outputs[name] = stream.read()

    readers = [
        threading.Thread(target=drain, args=("out", proc.stdout), daemon=True),
        threading.Thread(target=drain, args=("err", proc.stderr), daemon=True),
    ]
    for reader in readers:
        reader.start()
    proc.wait(timeout=RUN_TIMEOUT)
    for reader in readers:
        reader.join(timeout=10)
    return outputs.get("out", ""), outputs.get("err", "")


def test_a_second_concurrent_check_exits_busy(make_world: MakeWorld) -> None:
    world = make_world()
    argv = world.scheduled_argv()
    with run_lock("default"):
        done = world.run(argv)
    assert done.returncode == 11
    assert "another optout-bot run for account 'default' is in progress" in done.stderr
    assert "wait for the other run to finish" in done.stderr
    assert world.site.requests == []  # it never opened the site
    got = world.receiver.take()
    assert alerts(got) == []
    assert pings(got) == ["start"]  # no "fail": the run holding the lock reports for itself
