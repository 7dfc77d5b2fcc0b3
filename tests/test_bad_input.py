"""Bad input (issue #5): each problem is one line of error with its remedy and its documented exit code,
and nothing is lost: the run history and the saved session are byte-for-byte what they were.

Problems found before a browser is needed run in-process through ``raw_main``; the ones that need a
real process (the keyring chosen by environment variable) or a real sign-in run the CLI for real.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.errors
import pytest
from cryptography.fernet import Fernet
from keyring.backend import KeyringBackend

from optout_bot.cli.main import raw_main
from optout_bot.model.outcomes import ExitStatus, Result
from optout_bot.store import history
from optout_bot.store.credentials import keyring_username, save_credentials, secret_get
from optout_bot.store.state import SessionStore
from optout_bot.testing import FakeSite, Scenario, serve
from tests.fake import EMAIL, PASSWORD
from tests.helpers import cli

KEY = "allowDataForGenerativeAI"


class LockedKeyring(KeyringBackend):
    """A keyring that exists but is locked (a desktop keyring before the user logged in)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("the collection is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("the collection is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("the collection is locked")


def one_line_error(stderr: str) -> str:
    """The error line; it must be the only line that says 'error:' and carry a remedy in brackets."""
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "state"
    monkeypatch.setenv("OPTOUT_BOT_STATE_DIR", str(folder))
    return folder


@pytest.fixture
def saved(state: Path) -> Iterator[dict[Path, bytes]]:
    """A history line and an encrypted session on disk; the test checks they are untouched after."""
    history.append(
        history.HistoryEntry(
            account="default",
            site="linkedin",
            flow="linkedin.data-for-ai-improvement",
            command="check",
            dry_run=False,
            before=False,
            after=None,
            action="none",
            result=Result.ALREADY_OFF,
            exit_status=0,
        )
    )
    SessionStore("linkedin", "default").save(
        {"cookies": [{"name": "li_at", "value": "x" * 40}], "origins": []}
    )
    files = {p: p.read_bytes() for p in state.rglob("*") if p.is_file() and p.name != "run.lock"}
    assert len(files) == 2
    yield files
    for path, data in files.items():
        assert path.read_bytes() == data, f"{path} changed"
    assert not list(state.rglob("*.corrupt-*"))
    assert not list(state.rglob(".*.tmp"))


def test_malformed_config_is_a_usage_error(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    saved: dict[Path, bytes],
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("timeout_s = 30\n[accounts.default\n", encoding="utf-8")
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(config))
    assert raw_main(["check"]) == ExitStatus.USAGE
    line = one_line_error(capsys.readouterr().err)
    assert line.startswith(f"error: {config}: not valid TOML")
    assert "(fix the config file" in line


def test_config_value_of_the_wrong_type_names_the_key(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    saved: dict[Path, bytes],
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('timeout_s = "soon"\n', encoding="utf-8")
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(config))
    assert raw_main(["disable"]) == ExitStatus.USAGE
    line = one_line_error(capsys.readouterr().err)
    assert line.startswith(f"error: {config}: timeout_s:")


def test_unknown_flow_name_from_a_real_process(saved: dict[Path, bytes]) -> None:
    result = cli("check", "--flow", "linkedin.no-such-setting")
    assert result.returncode == ExitStatus.USAGE, result.stderr
    line = one_line_error(result.stderr)
    assert "linkedin.no-such-setting" in line
    assert "optout-bot flows list" in line


def test_missing_keyring_is_a_setup_error(saved: dict[Path, bytes]) -> None:
    result = cli("check", env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert result.returncode == ExitStatus.SETUP, result.stderr
    line = one_line_error(result.stderr)
    assert "no usable keyring backend" in line
    assert "keyrings.cryptfile" in line  # the remedy


def test_locked_keyring_is_a_setup_error(
    capsys: pytest.CaptureFixture[str], saved: dict[Path, bytes]
) -> None:
    keyring.set_keyring(LockedKeyring())  # conftest puts the in-memory keyring back afterwards
    assert raw_main(["check"]) == ExitStatus.SETUP
    line = one_line_error(capsys.readouterr().err)
    assert "the keyring is locked" in line
    assert "unlock your keyring" in line


def test_no_browser_is_a_setup_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], saved: dict[Path, bytes]
) -> None:
    monkeypatch.setenv("OPTOUT_BOT_CHROMIUM_PATH", "/nonexistent/chromium")
    assert raw_main(["disable"]) == ExitStatus.SETUP
    line = one_line_error(capsys.readouterr().err)
    assert "/nonexistent/chromium" in line
    assert "OPTOUT_BOT_CHROMIUM_PATH" in line


@pytest.mark.parametrize("command", [["check"], ["disable", "--dry-run"], ["history"]])
def test_unwritable_state_directory_is_a_setup_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    # A path below a regular file can be created by nobody, root included (chmod would not stop root).
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder\n", encoding="utf-8")
    monkeypatch.setenv("OPTOUT_BOT_STATE_DIR", str(blocker / "state"))
    assert raw_main(command) == ExitStatus.SETUP
    line = one_line_error(capsys.readouterr().err)
    assert str(blocker) in line
    assert "OPTOUT_BOT_STATE_DIR" in line
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


# --- a saved session that cannot be opened: moved aside, never deleted; the run signs in again -------------


def _other_key_token() -> bytes:
    return Fernet(Fernet.generate_key()).encrypt(b'{"cookies": [], "origins": []}')


@pytest.mark.parametrize("damage", ["garbage", "other-key", "key-missing"])
@pytest.mark.usefixtures("file_keyring")
def test_unreadable_session_is_set_aside_and_the_run_signs_in_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, state: Path, damage: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[accounts.default]\nallow_password_login = true\n", encoding="utf-8")
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(config))
    save_credentials("linkedin", "default", EMAIL, PASSWORD)
    store = SessionStore("linkedin", "default")
    store.save({"cookies": [], "origins": []})
    if damage == "garbage":
        store.path.write_bytes(b"\x00not a fernet token\xff")
    elif damage == "other-key":
        store.path.write_bytes(_other_key_token())
    else:
        keyring.get_keyring().delete_password(
            "optout-bot", keyring_username("state-key", "linkedin", "default")
        )
    damaged = store.path.read_bytes()
    history.append(
        history.HistoryEntry(
            account="default",
            site="linkedin",
            flow="linkedin.data-for-ai-improvement",
            command="disable",
            dry_run=False,
            before=True,
            after=False,
            action="switched-off",
            result=Result.CHANGED,
            exit_status=0,
        )
    )
    earlier = history.history_file().read_bytes()

    # A real process: the browser it launches must not share this process with pytest-playwright's.
    site = FakeSite(Scenario(settings={KEY: False}))
    with serve(site) as url:
        result = cli("check", "--site-url", url, "--quiet")
    assert result.returncode == ExitStatus.OK, result.stderr
    assert "Traceback" not in result.stderr
    (warning,) = [line for line in result.stderr.splitlines() if "could not be opened" in line]
    assert "moved it to" in warning
    assert "sign in again" in warning
    (aside,) = state.rglob("linkedin.session.corrupt-*")
    assert aside.read_bytes() == damaged  # kept as it was, for a person to look at
    assert site.login_attempts == 1  # signed in again, once
    fresh = SessionStore("linkedin", "default").load()
    assert fresh is not None
    assert any(c["name"] == "li_at" for c in fresh["cookies"])
    assert secret_get(keyring_username("state-key", "linkedin", "default")) is not None
    assert history.history_file().read_bytes().startswith(earlier)  # appended to, never rewritten
    entries = history.read()
    assert [e.command for e in entries] == ["disable", "check"]
    assert entries[-1].result is Result.ALREADY_OFF


class BrokenKeyring(KeyringBackend):
    """A backend whose storage is damaged: it raises something that is not a KeyringError."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise ValueError("bad padding near 'hunter2'")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise ValueError("bad padding")

    def delete_password(self, service: str, username: str) -> None:
        raise ValueError("bad padding")


@pytest.mark.parametrize("command", [["check"], ["status"], ["logout"]])
def test_a_backend_failing_any_way_is_a_setup_error(
    capsys: pytest.CaptureFixture[str], saved: dict[Path, bytes], command: list[str]
) -> None:
    """Issue 14 D7: a keyring failure that is not a KeyringError was 'internal error', exit 1."""
    keyring.set_keyring(BrokenKeyring())
    assert raw_main(command) == ExitStatus.SETUP
    line = one_line_error(capsys.readouterr().err)
    assert "keyring's storage could not be read (ValueError)" in line
    assert "hunter2" not in line  # the backend's own words are not repeated
    assert "move aside the keyring file" in line


@pytest.mark.usefixtures("file_keyring")
def test_a_corrupt_keyring_file_is_a_setup_error(tmp_path: Path, state: Path) -> None:
    """Issue 14 D7 as found: keyrings.alt's file holding bytes that are not UTF-8."""
    save_credentials("linkedin", "default", EMAIL, PASSWORD)
    (keyring_file,) = tmp_path.rglob("keyring_pass.cfg")
    keyring_file.write_bytes(b"\xff\xfe[optout-bot]\x80\x81 = \xc3\x28\n")
    result = cli("check")
    assert result.returncode == ExitStatus.SETUP, result.stderr
    line = one_line_error(result.stderr)
    assert "UnicodeDecodeError" in line
    assert "internal error" not in result.stderr
