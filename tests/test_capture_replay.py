"""Issue 8, "done when": capture the fake site (standing in for the real one), replay the capture.

Every command runs as a real subprocess, as a person would type it, against the fake LinkedIn over
local HTTP. The saved session and credentials sit in an explicitly chosen plain-text keyring file
in tmp_path (see tests/README.md), so the subprocess finds what the test saved.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import tomllib
from dataclasses import FrozenInstanceError, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from optout_bot.app import runner
from optout_bot.app.capture import CaptureRecorder, capture, template_manifest, to_toml
from optout_bot.app.request import RunDeps, RunRequest, RunResult
from optout_bot.cli.main import raw_main
from optout_bot.engine.job import RunReport
from optout_bot.engine.options import RunOptions
from optout_bot.engine.recorder import StepRecord
from optout_bot.model.outcomes import ExitStatus
from optout_bot.store.state import SessionStore
from optout_bot.testing import FakeRequest, FakeSite, Response, Scenario, serve
from optout_bot.testing.manifest import SiteManifest
from tests.helpers import cli

KEY = "allowDataForGenerativeAI"
FLOW = "linkedin.data-for-ai-improvement"
SETTING = "/mypreferences/d/settings/data-for-ai-improvement"
WALK = {"/feed/", "/mypreferences/d/categories/account", "/mypreferences/d/categories/privacy", SETTING}


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_keyring: object) -> dict[str, str]:
    """State, config and a plain-text keyring file in tmp_path, shared with the subprocesses."""
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("OPTOUT_BOT_STATE_DIR", str(tmp_path / "state"))
    return dict(os.environ)


def sign_in(site: FakeSite, url: str) -> None:
    """A saved session of the fake's account, as 'optout-bot login' would have left it."""
    SessionStore("linkedin", "default").save({"cookies": site.session_cookies(url=url), "origins": []})


def settings_posts(site: FakeSite) -> list[str]:
    """Every request that could change something (saves are PUTs, beacons POSTs)."""
    return [r.path for r in site.requests if r.method not in ("GET", "HEAD")]


def test_a_capture_of_the_fake_round_trips_through_replay(env: dict[str, str], tmp_path: Path) -> None:
    site = FakeSite(Scenario(settings={KEY: True}))
    out = tmp_path / "capture"
    with serve(site) as url:
        sign_in(site, url)
        done = cli("capture", "--site-url", url, "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Data for Generative AI Improvement: is ON" in done.stderr
    assert f"optout-bot replay {out} -- disable --dry-run" in done.stderr
    # Read-only: nothing was posted, the switch is as it was.
    assert settings_posts(site) == []
    assert site.state(KEY) is True

    manifest = SiteManifest.model_validate(tomllib.loads((out / "site.toml").read_text("utf-8")))
    assert set(manifest.pages) == WALK
    assert all((out / f).is_file() for f in manifest.pages.values())
    info = json.loads((out / "capture.json").read_text("utf-8"))
    assert info["language"] == "en"
    assert info["tool_version"]
    assert info["captured_at"].startswith("20")
    assert info["flows"] == [{"name": FLOW, "switch": KEY}]
    assert info["signed_in"] is True
    assert info["failures"] == []
    assert [s["name"] for s in info["steps"]] == [
        "signed-in",
        "settings",
        "data-privacy",
        "setting",
        "switch-read",
    ]
    for page in (out / "pages").glob("*.html"):
        text = page.read_text("utf-8")
        assert "<script" not in text
        assert "Alex Example" not in text, "the fake member's name is scrubbed like a real one"
        assert "/in/alex-example" not in text
        assert "127.0.0.1" not in text, "links are paths, whatever URL the capture used"

    replayed = cli("replay", str(out), "--", "disable", cwd=tmp_path)
    assert replayed.returncode == ExitStatus.OK, replayed.stderr
    assert "ON → OFF (verified after reload)" in replayed.stderr
    assert "received 1 save request(s)" in replayed.stderr

    off = cli("replay", str(out), "--start", "off", "--", "check", "--quiet", cwd=tmp_path)
    assert off.returncode == ExitStatus.OK, off.stderr
    assert ": is OFF" in off.stderr  # check only reads: "already OFF, nothing changed" would mislead


def test_a_changed_page_is_captured_and_replayed_with_the_commands_the_failure_prints(
    env: dict[str, str], tmp_path: Path
) -> None:
    site = FakeSite(Scenario(variant="changed", settings={KEY: True}))
    with serve(site) as url:
        sign_in(site, url)
        failed = cli("disable", "--site-url", url, cwd=tmp_path)
        assert failed.returncode == ExitStatus.SITE_CHANGED, failed.stderr
        hints = [
            line.split(": ", 1)[1]
            for line in failed.stderr.splitlines()
            if "→ capture the page" in line or "→ then reproduce" in line
        ]
        assert len(hints) == 2, failed.stderr
        capture_args, replay_args = (shlex.split(h)[1:] for h in hints)
        assert capture_args[:5] == ["capture", "--account", "default", "--flow", FLOW]
        captured = cli(*capture_args, cwd=tmp_path)
    assert captured.returncode == 0, captured.stderr
    assert "failed at step 'switch-read' on " + SETTING in captured.stderr
    assert settings_posts(site) == []
    folder = tmp_path / capture_args[capture_args.index("--out") + 1]
    info = json.loads((folder / "capture.json").read_text("utf-8"))
    (failure,) = info["failures"]
    assert failure["failed_step"] == "switch-read"
    assert failure["path"] == SETTING
    assert info["outcomes"][0]["error"] == "SiteChanged"

    assert replay_args == ["replay", "linkedin-capture", "--", "disable", "--dry-run"]
    replayed = cli(*replay_args, cwd=tmp_path)
    assert replayed.returncode == ExitStatus.SITE_CHANGED, replayed.stderr
    assert "was not found on " + SETTING in replayed.stderr
    assert "received 0 save request(s)" in replayed.stderr
    assert "→ capture the page" not in replayed.stderr, "a replay has nothing to capture"


def test_a_walk_broken_in_the_menus_opens_the_setting_by_its_url_and_replays(
    env: dict[str, str], tmp_path: Path
) -> None:
    site = FakeSite(Scenario(settings={KEY: True}))

    def without_settings_link(request: FakeRequest, response: Response) -> Response:
        if request.path == "/feed/":  # a redesigned Me menu: no "Settings & Privacy" item any more
            response.body = re.sub(
                rb'<ul class="global-nav__secondary-items">.*?</ul>', b"", response.body, flags=re.S
            )
        return response

    site.response_hooks.append(without_settings_link)
    out = tmp_path / "nav-changed"
    with serve(site) as url:
        sign_in(site, url)
        done = cli("capture", "--site-url", url, "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert settings_posts(site) == []
    info = json.loads((out / "capture.json").read_text("utf-8"))
    # The walk does not break any more: it opens the setting's address and says so (issue 12).
    assert [(o["result"], o["walk"]) for o in info["outcomes"]] == [("on", True)]
    assert {"/feed/", SETTING} <= {s["path"] for s in info["steps"]}
    assert "direct-address" in [s["name"] for s in info["steps"]]
    # Replay of the capture (its Me menu holds no link) works the same way: a dry run walks like a
    # person, so it meets the missing link and opens the setting's address. (A replayed 'disable' opens
    # that address without walking, as in the round trip above.)
    replayed = cli("replay", str(out), "--", "disable", "--dry-run", cwd=tmp_path)
    assert replayed.returncode == 0, replayed.stderr
    assert "opened the setting's address directly" in replayed.stderr
    assert "Dry run: would turn OFF" in replayed.stderr


def test_a_signed_out_capture_keeps_the_sign_in_page_and_it_still_signs_in(
    env: dict[str, str], tmp_path: Path
) -> None:
    site = FakeSite(Scenario())
    out = tmp_path / "signed-out"
    with serve(site) as url:  # no saved session and no terminal: the run may not type a password
        done = cli("capture", "--site-url", url, "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert site.login_attempts == 0
    info = json.loads((out / "capture.json").read_text("utf-8"))
    assert info["signed_in"] is False
    assert info["failures"][0]["failed_step"] == "signed-in"
    assert [s["path"] for s in info["steps"]] == []
    login = (out / "pages" / "login.html").read_text("utf-8")
    assert 'name="session_key"' in login
    assert 'name="session_password"' in login
    assert "ajax:0000000000000000000" not in login, "hidden token values are dropped"
    # The replay signs in through the captured page (a broken form would end in exit 4 or 5), then
    # finds the setting page missing from the capture: the switch is "not found".
    replayed = cli("replay", str(out), "--", "status", cwd=tmp_path)
    assert replayed.returncode == ExitStatus.SITE_CHANGED, replayed.stderr
    assert "was not found" in replayed.stderr


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["replay", "{tmp}", "--", "disable"], "is not a capture"),
        (["replay", "{capture}", "--", "flows", "list"], "replay runs disable, check, status, not 'flows'"),
        (["replay", "{capture}"], "name the command to replay"),
        (["replay", "{capture}", "--", "disable", "--bogus"], "No such option"),
        (["capture", "--out", "{tmp}"], "holds no earlier capture"),
    ],
)
def test_usage_errors_stop_before_any_browser_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], text: str
) -> None:
    capture = tmp_path / "cap"
    capture.mkdir()
    (capture / "capture.json").write_text(json.dumps({"format": 1, "site": "linkedin", "flows": []}))
    (tmp_path / "something.txt").write_text("not a capture")
    argv = [a.format(tmp=tmp_path, capture=capture) for a in args]
    assert raw_main(argv) == ExitStatus.USAGE
    assert text in capsys.readouterr().err


def test_the_manifest_writer_round_trips_the_bundled_manifest() -> None:
    template = template_manifest("linkedin")
    assert tomllib.loads(to_toml(template)) == template


def test_a_capture_runs_read_only_variants_and_leaves_the_callers_request_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The capture used to rewrite the request it was given (command, options, flows, recorder) in place."""
    flow = "linkedin.data-for-ai-improvement"
    request = RunRequest(command="disable", options=RunOptions(dry_run=True, fix=True), evidence=True)
    given = replace(request)
    seen: list[tuple[RunRequest, RunDeps]] = []

    def execute(asked: RunRequest, deps: RunDeps) -> RunResult:
        seen.append((asked, deps))
        assert deps.recorder_factory is not None
        recorder = deps.recorder_factory(tmp_path, [])
        assert isinstance(recorder, CaptureRecorder)
        if len(seen) == 1:  # signed in, but the walk never reached the setting's page
            recorder.steps.append(StepRecord(1, "signed-in", "Signed in", "/feed/"))
        now = datetime.now(UTC)
        return RunResult(asked, RunReport("default", "linkedin"), None, now, now)

    monkeypatch.setattr(runner, "execute", execute)
    person = RunDeps(ask_pin=lambda message: None)
    summary, results = capture(request, tmp_path / "cap", deps=person)
    assert request == given
    with pytest.raises(FrozenInstanceError):
        request.command = "status"  # type: ignore[misc]
    (walk, deps), (direct, _) = seen
    assert (walk.command, walk.options.mode, walk.options.walk) == ("status", "status", True)
    assert (walk.options.dry_run, walk.options.fix, walk.options.ignore_memory) == (False, False, True)
    assert (walk.record_history, walk.evidence) == (False, False)
    assert walk.flows == ()
    assert direct.flows == (flow,)
    assert direct.options.walk is False
    assert direct.command == "status"
    assert deps.ask_pin is person.ask_pin  # the caller's dependencies are kept, with the capture's recorder
    assert person.recorder_factory is None
    assert [r.request for r in results] == [walk, direct]
    assert summary.info["signed_in"] is True
