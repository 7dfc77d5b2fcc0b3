"""``optout-bot setup`` at a pseudo-terminal: from nothing to verified, scheduled LinkedIn, X and ChatGPT
accounts on the bundled fake sites (issue 15's "done when"), then run again without a terminal.

The three fakes are served over real local HTTP; the keyring is a plain file chosen explicitly; the
sign-in window and the OS scheduler are the stand-ins of tests/setup_person.py.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pexpect
import pytest

from optout_bot.testing import FakeSite, Scenario, serve
from tests.helpers import cli

ROOT = Path(__file__).resolve().parent.parent
PERSON = ROOT / "tests" / "setup_person.py"
EMAIL = "setup-person@example.com"
PASSWORD = "Setup-Pa55-w0rd-k3Q"  # unique: finding it in an output or a file means a leak
SITES = ("linkedin", "x", "chatgpt")
STEP_TIMEOUT = 90  # seconds a single step may take at the terminal (a browser run is a few seconds)


@pytest.fixture
def fakes() -> Iterator[dict[str, tuple[FakeSite, str]]]:
    with ExitStack() as stack:
        served = {}
        for site in SITES:
            fake = FakeSite(Scenario(site=site, accounts={EMAIL: PASSWORD}, default_state=True))
            served[site] = (fake, stack.enter_context(serve(fake)))
        yield served


@pytest.fixture
def env(tmp_path: Path, isolated_home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "HOME": str(isolated_home),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "OPTOUT_BOT_CONFIG": str(tmp_path / "config" / "config.toml"),
        "OPTOUT_BOT_STATE_DIR": str(tmp_path / "state"),
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "SETUP_TEST_PERSON": f"{EMAIL} {PASSWORD}",
        "SETUP_TEST_SCHEDULER_LOG": str(tmp_path / "scheduler.log"),
        "OPTOUT_BOT_TIMEOUT_S": "20",
        "COLUMNS": "120",
        "LANG": "C.UTF-8",
    }


def _url_flags(fakes: dict[str, tuple[FakeSite, str]]) -> list[str]:
    return [arg for site, (_, url) in fakes.items() for arg in ("--site-url", f"{site}={url}")]


def _history(tmp_path: Path) -> list[dict[str, object]]:
    lines = (tmp_path / "state" / "history.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_setup_takes_a_new_user_from_nothing_to_verified_scheduled_accounts(
    fakes: dict[str, tuple[FakeSite, str]], env: dict[str, str], tmp_path: Path, isolated_home: Path
) -> None:
    config = Path(env["OPTOUT_BOT_CONFIG"])
    assert not config.exists()
    child = pexpect.spawn(
        sys.executable,
        [str(PERSON), "setup", *_url_flags(fakes)],
        env=env,
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=STEP_TIMEOUT,
        dimensions=(40, 120),
    )
    transcript: list[str] = []
    child.logfile_read = _Collect(transcript)
    child.expect("Which ones\\?")
    child.sendline("linkedin x chatgpt")
    # LinkedIn takes a stored password: asked here, never echoed.
    child.expect("E-mail: ")
    child.sendline(EMAIL)
    child.expect("Password: ")
    child.sendline(PASSWORD)
    child.expect("Stored the password")
    child.expect("Turn it off on LinkedIn now\\? \\[Y/n\\]")
    child.sendline("y")
    # X and ChatGPT are signed in to by hand, in the window.
    child.expect("X is signed in to by hand")
    child.expect("Signed in; the session for account 'x' is saved")
    child.expect("Turn it off on X now\\? \\[Y/n\\]")
    child.sendline("y")
    child.expect("Signed in; the session for account 'chatgpt' is saved")
    child.expect("Turn it off on ChatGPT now\\? \\[Y/n\\]")
    child.sendline("")  # the default is yes
    child.expect("Re-check every account on a schedule")
    child.sendline("weekly")
    child.expect("Done\\.")
    child.expect(pexpect.EOF)
    child.close()
    output = "".join(transcript)
    assert child.exitstatus == 0, output[-3000:]

    # Verified: every setting the fakes hold was saved OFF, never ON, and reads OFF now.
    for site, (fake, _) in fakes.items():
        assert fake.saves, site
        assert all(save.enabled is False and save.accepted for save in fake.saves), site
        assert all(fake.state(save.key) is False for save in fake.saves if save.key), site
    assert fakes["linkedin"][0].login_attempts == 1  # the stored password, typed once
    changed = [e for e in _history(tmp_path) if e["action"] == "switched-off"]
    assert sorted({str(e["account"]) for e in changed}) == ["chatgpt", "linkedin", "x"]
    assert all(e["after"] is False and e["result"] == "changed" for e in changed)
    # The config: three accounts, each with a comment; a dry run before each change.
    text = config.read_text(encoding="utf-8")
    for name in SITES:
        assert f"[accounts.{name}]" in text
    assert "added by optout-bot setup" in text
    assert oct(config.stat().st_mode & 0o777) == "0o600"
    dry = [e for e in _history(tmp_path) if e["dry_run"]]
    assert sorted({str(e["account"]) for e in dry}) == ["chatgpt", "linkedin", "x"]
    # Scheduled: one entry per account, each running that account's check.
    units = Path(os.environ.get("XDG_CONFIG_HOME") or isolated_home / ".config") / "systemd" / "user"
    for name in SITES:
        service = (units / f"optout-bot-{name}.service").read_text(encoding="utf-8")
        assert f"check --account {name} --quiet" in service
    assert "Re-check every account" in output
    _no_password_leaked(tmp_path, output)


def test_setup_again_keeps_everything_and_needs_no_terminal(
    fakes: dict[str, tuple[FakeSite, str]], env: dict[str, str], tmp_path: Path
) -> None:
    config = Path(env["OPTOUT_BOT_CONFIG"])
    config.parent.mkdir(parents=True)
    mine = (
        '# my own notes\ntimeout_s = 20  # slow line\n\n[accounts.work]  # the work profile\nsite = "x"\n'
        f'site_url = "{fakes["x"][1]}"\n'
    )
    config.write_text(mine, encoding="utf-8")
    # Sign in to X beforehand, as a person did with 'login --interactive' (the stand-in window).
    first = pexpect.run(
        f"{sys.executable} {PERSON} login --account work --interactive --site-url {fakes['x'][1]}",
        env=env, cwd=str(tmp_path), timeout=STEP_TIMEOUT, withexitstatus=True, encoding="utf-8",
    )  # fmt: skip
    assert first[1] == 0, first[0]
    args = [
        "setup",
        "--platform",
        "x",
        "--platform",
        "chatgpt",
        "--yes",
        "--schedule",
        "no",
        *_url_flags(fakes),
    ]
    done = subprocess.run(
        [sys.executable, str(PERSON), *args], env=env, cwd=tmp_path, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    # X: the existing 'work' account and its session are kept and it is turned off (--yes).
    assert "account 'work' is in the config already; kept as it is" in done.stderr
    assert "already signed in" in done.stderr, done.stderr
    assert fakes["x"][0].saves
    assert all(s.enabled is False for s in fakes["x"][0].saves)
    # ChatGPT: added, but signing in by hand needs a person: it says what to run, nothing is changed.
    assert "run 'optout-bot login --interactive --account chatgpt', then setup again" in done.stderr
    assert fakes["chatgpt"][0].saves == []
    assert done.returncode == 4, done.stderr
    text = config.read_text(encoding="utf-8")
    assert text.startswith(mine)  # nothing lost, comments and order kept
    assert "[accounts.chatgpt]" in text
    saves = len(fakes["x"][0].saves)
    again = subprocess.run(
        [sys.executable, str(PERSON), *args], env=env, cwd=tmp_path, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert config.read_text(encoding="utf-8") == text
    assert "X: already off, nothing to change" in again.stderr, again.stderr
    assert len(fakes["x"][0].saves) == saves  # the second run changed nothing


def test_setup_without_a_terminal_or_platforms_says_how(env: dict[str, str], tmp_path: Path) -> None:
    done = cli("setup", env=env, cwd=tmp_path, timeout=60)
    assert done.returncode == 2
    assert "--platform" in done.stderr
    assert "Traceback" not in done.stderr
    assert not Path(env["OPTOUT_BOT_CONFIG"]).exists()


class _Collect:
    """pexpect's logfile: keeps everything the terminal showed."""

    def __init__(self, into: list[str]) -> None:
        self.into = into

    def write(self, text: str) -> None:
        self.into.append(text)

    def flush(self) -> None:
        """Nothing buffered."""


def _no_password_leaked(tmp_path: Path, output: str) -> None:
    assert PASSWORD not in output  # typed at a hidden prompt: never echoed
    forms = [PASSWORD.encode(), base64.b64encode(PASSWORD.encode())]
    keyring_files = [p for p in (tmp_path / "data").rglob("*") if p.is_file()]
    assert any(forms[1] in p.read_bytes() for p in keyring_files)  # the keyring holds it: a real search
    leaked = [
        p
        for p in tmp_path.rglob("*")
        if p.is_file() and p not in keyring_files and any(form in p.read_bytes() for form in forms)
    ]
    assert leaked == []


def test_setup_speaks_french_under_a_french_locale(env: dict[str, str], tmp_path: Path) -> None:
    done = cli("setup", "--help", env={**env, "LANG": "fr_FR.UTF-8"}, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Première utilisation guidée" in done.stdout
    assert "Désactiver ce que l'essai à blanc trouve activé" in done.stdout


def test_setup_of_a_form_site_sends_only_when_told(env: dict[str, str], tmp_path: Path) -> None:
    phone, contact = "+4915187654321", "wa-setup@example.org"
    site = FakeSite(Scenario(site="whatsapp"))
    with serve(site) as url:
        args = [
            "setup", "--platform", "whatsapp", "--phone", f"whatsapp={phone}",
            "--email", f"whatsapp={contact}", "--site-url", f"whatsapp={url}", "--schedule", "no",
        ]  # fmt: skip
        asked = cli(*args, env=env, cwd=tmp_path)
        assert asked.returncode == 0, asked.stderr
        assert (
            "WhatsApp: left as it is; 'optout-bot disable --account whatsapp' turns it off." in asked.stderr
        )
        told = cli(*args, "--yes", env=env, cwd=tmp_path)
        assert told.returncode == 0, told.stderr
        (submitted,) = site.submissions
        assert submitted.fields["phone_number"] == phone
    config = Path(env["OPTOUT_BOT_CONFIG"]).read_text(encoding="utf-8")
    assert f'phone = "{phone}"' in config
    sent = [(e["account"], e["sending"]) for e in _history(tmp_path) if e["action"] == "sent-form"]
    # One sending: its press written down before it happened (app/sendings.py), then the run's record.
    assert sent == [("whatsapp", "started"), ("whatsapp", None)]
