"""What the CLI says and refuses before a run opens anything (issue 14: D10, R1, R2, --json errors).

``runner.execute`` is replaced: these are checks made before a browser starts, so none is needed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from optout_bot.app import runner
from optout_bot.cli.main import raw_main
from optout_bot.errors import KeyringUnavailable, RunLocked, StateDirError
from optout_bot.model.outcomes import ExitStatus


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Any]:
    """Runs that reached ``execute`` (each stops there as busy: no browser is needed)."""
    config = tmp_path / "config.toml"
    config.write_text(
        '[accounts.default]\n[accounts.wa]\nsite = "whatsapp"\nphone = "+4915112345678"\n'
        'email = "me@example.org"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(config))
    monkeypatch.setenv("OPTOUT_BOT_STATE_DIR", str(tmp_path / "state"))
    calls: list[Any] = []

    def execute(request: Any, deps: Any = None) -> Any:
        calls.append(request)
        raise RunLocked("another optout-bot run for account 'default' is in progress")

    monkeypatch.setattr(runner, "execute", execute)
    return calls


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc", "ftp://example.org", "localhost:8000"])
@pytest.mark.parametrize("command", ["disable", "check", "status"])
def test_a_site_url_that_is_not_http_is_refused_at_once(
    capsys: pytest.CaptureFixture[str], started: list[Any], url: str, command: str
) -> None:
    """D10: it was retried for 10 s, then exit 8."""
    assert raw_main([command, "--site-url", url]) == ExitStatus.USAGE
    err = capsys.readouterr().err
    (line,) = err.strip().splitlines()
    assert "--site-url" in line
    assert "http:// or https://" in line
    assert started == []


def test_the_site_url_from_the_environment_is_checked_too(
    capsys: pytest.CaptureFixture[str], started: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPTOUT_BOT_SITE_URL", "file:///etc/passwd")
    assert raw_main(["check"]) == ExitStatus.USAGE
    assert started == []


def test_another_address_is_said_plainly_before_the_run(
    capsys: pytest.CaptureFixture[str], started: list[Any]
) -> None:
    """R2: the stored password would be typed on any http host, silently."""
    assert raw_main(["status", "--site-url", "http://192.0.2.7:8000"]) == ExitStatus.BUSY
    err = capsys.readouterr().err
    assert "this run opens http://192.0.2.7:8000 instead of LinkedIn's own address" in err
    assert "types your stored LinkedIn password into that page, unencrypted (http)" in err
    assert err.index("http://192.0.2.7:8000") < err.index("error:")  # said before the run


def test_no_note_without_another_address(capsys: pytest.CaptureFixture[str], started: list[Any]) -> None:
    assert raw_main(["status"]) == ExitStatus.BUSY
    assert "instead of" not in capsys.readouterr().err


def test_trace_of_a_form_run_warns_about_the_contact_details(
    capsys: pytest.CaptureFixture[str], started: list[Any]
) -> None:
    """R1: a form run's trace holds the phone number and e-mail address typed into the form."""
    assert raw_main(["disable", "--account", "wa", "--trace"]) == ExitStatus.BUSY
    err = capsys.readouterr().err
    assert "session cookie" in err
    assert "phone number and e-mail address typed into the objection form" in err
    assert raw_main(["disable", "--trace"]) == ExitStatus.BUSY  # LinkedIn: switches only
    err = capsys.readouterr().err
    assert "session cookie" in err
    assert "phone number" not in err


@pytest.mark.parametrize(
    "error",
    [KeyringUnavailable("no usable keyring backend"), StateDirError("cannot create /x"), RunLocked("busy")],
)
def test_json_gets_a_document_when_a_run_cannot_start(
    capsys: pytest.CaptureFixture[str], started: list[Any], monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    def execute(request: Any, deps: Any = None) -> Any:
        raise error

    monkeypatch.setattr(runner, "execute", execute)
    status = raw_main(["check", "--json"])
    out, err = capsys.readouterr()
    document = json.loads(out)
    assert document["exit_status"] == status
    assert document["error"] == type(error).__name__
    assert document["message"] == str(error)
    assert document["remedy"]
    assert "error:" in err  # the human line still goes to stderr


def test_json_gets_a_document_for_a_bad_config(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[accounts.default\n", encoding="utf-8")
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(config))
    assert raw_main(["status", "--json"]) == ExitStatus.USAGE
    assert json.loads(capsys.readouterr().out)["exit_name"] == "USAGE"
