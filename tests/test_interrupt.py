"""Ctrl-C in the middle of a run (issue 14): what already reached the site is recorded, exit 130, quietly.

As found: Ctrl-C to the process group just after the click left the switch OFF on the site, printed
only "aborted" (or asyncio's "Future exception was never retrieved", once "internal error:
TargetClosedError", exit 1), and history never said that optout-bot had changed it. Reproduced here
with the real CLI in its own process group against the fake over local HTTP: SIGINT is sent once
the site has answered the save and is holding back the verifying reload (no timing guesses).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from optout_bot.store.lock import run_lock
from optout_bot.testing import Scenario, serve
from tests.fault_harness import ACCOUNT, FILE_KEYRING, _save_session
from tests.fault_kinds import Slow
from tests.fault_matrix import KEY, SETTING
from tests.fault_site import FaultySite

ROOT = Path(__file__).resolve().parent.parent


# A process started in the background by a shell without job control (`make test &`, nohup, some CI
# runners) inherits SIGINT as ignored, and Python then never installs its KeyboardInterrupt handler:
# the Ctrl-C below would be lost and the run would go on. A person's terminal always delivers it, so
# the child is started as from a terminal: SIGINT raises KeyboardInterrupt, then optout-bot runs.
AS_AT_A_TERMINAL = (
    "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.argv[0] = 'optout-bot'; runpy.run_module('optout_bot', run_name='__main__', alter_sys=True)"
)


def test_ctrl_c_after_the_click_records_the_change_and_exits_130_quietly(
    tmp_path: Path, monkeypatch: Any
) -> None:
    # The reload that would verify is held back 30 s: the run is surely waiting there when Ctrl-C comes.
    site = FaultySite(
        Scenario(settings={KEY: True}), [Slow(path=SETTING, method="GET", after=1, delay_ms=30_000)]
    )
    saved, verifying = threading.Event(), threading.Event()
    original = site.handle

    def handle(method: str, url: str, headers: Any, body: Any) -> Any:
        path = urlsplit(url).path
        if method == "GET" and path.startswith(SETTING) and saved.is_set():
            verifying.set()
        answer = original(method, url, headers, body)
        if site.manifest.is_save(method, path):
            saved.set()
        return answer

    state = tmp_path / "state"
    (tmp_path / "config.toml").write_text(f"[accounts.{ACCOUNT}]\n", encoding="utf-8")
    env = {
        **os.environ,
        "OPTOUT_BOT_STATE_DIR": str(state),
        "OPTOUT_BOT_CONFIG": str(tmp_path / "config.toml"),
        "PYTHON_KEYRING_BACKEND": FILE_KEYRING,
    }
    with serve(site) as url:
        _save_session(state, site, url)
        site.handle = handle  # type: ignore[method-assign]
        proc = subprocess.Popen(
            [sys.executable, "-c", AS_AT_A_TERMINAL, "disable", "--account", ACCOUNT, "--site-url", url],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches it
        )
        try:
            assert verifying.wait(90), "the run never reached the verifying reload"
            os.killpg(proc.pid, signal.SIGINT)  # the whole group: Python, Playwright's driver, Chromium
            _, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
    assert site.state(KEY) is False  # the change reached the site
    assert proc.returncode == 130, err
    assert "Future exception was never retrieved" not in err
    assert "Traceback" not in err
    assert "internal error" not in err
    assert "interrupted (Ctrl-C) after the change was sent to the site" in err
    lines = (state / "history.jsonl").read_bytes().splitlines()
    (entry,) = [json.loads(line) for line in lines]
    assert (entry["action"], entry["interrupted"], entry["exit_status"]) == ("switched-off", True, 130)
    assert (entry["before"], entry["after"]) == (True, None)  # never claimed as read back
    monkeypatch.setenv("OPTOUT_BOT_STATE_DIR", str(state))
    with run_lock(ACCOUNT):  # nothing left holding the account
        pass
