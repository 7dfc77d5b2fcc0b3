"""Issue 15, item 6: every defect a new user met, each pinned by a test that fails without its fix."""

from __future__ import annotations

import io
import json
import logging
import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from optout_bot.app.notify import alert_for
from optout_bot.app.render import outcome_json, outcome_line, with_account
from optout_bot.app.runner import RunRequest, RunResult
from optout_bot.cli.main import configure_logging, raw_main
from optout_bot.cli.progress import ProgressRecorder
from optout_bot.cli.running import failure_hints
from optout_bot.engine.job import RunReport
from optout_bot.engine.recorder import NullRecorder
from optout_bot.engine.retry import navigation_policy
from optout_bot.errors import ErrorKind, TransientError
from optout_bot.model.outcomes import ExitStatus, FlowOutcome, Result
from tests.ptyrun import PtyRun
from tests.test_cli import cli


class Terminal(io.StringIO):
    """A stream that says it is a terminal, so the live status line is drawn."""

    def isatty(self) -> bool:
        return True


def test_the_live_status_stops_while_a_person_is_asked_for_a_code() -> None:
    progress = ProgressRecorder(NullRecorder(), stream=Terminal())
    assert progress.live
    seen: list[bool] = []

    def ask(message: str) -> str:
        seen.append(progress.live)
        return "424242"

    assert progress.asking(ask)("Code") == "424242"
    assert seen == [False], "the spinner must not be redrawn over the prompt"
    assert progress.live, "and it carries on afterwards"
    progress.close()


def test_demo_email_pin_asks_at_a_terminal_and_goes_on(tmp_path: Path) -> None:
    run = PtyRun("demo", "--challenge", "email-pin", env={"OPTOUT_BOT_STATE_DIR": str(tmp_path)})
    run.expect("type 424242")
    run.expect("code")
    run.send("424242")
    status = run.wait()
    assert status == 0, run.output[-2000:]
    assert "ON → OFF (verified after reload)" in run.output


def test_hints_keep_the_account_they_were_printed_for() -> None:
    drift = FlowOutcome("x.grok-training", "Grok", Result.DRIFT, before=True, exit_status=ExitStatus.DRIFT)
    line = outcome_line("X", drift, "check", "twitter")
    assert "'optout-bot check --account twitter --fix'" in line
    assert "'optout-bot disable --account twitter'" in line
    remedy = with_account("run 'optout-bot login --interactive' to sign in yourself", "twitter")
    assert remedy == "run 'optout-bot login --account twitter --interactive' to sign in yourself"
    assert (
        with_account("run 'optout-bot capture --account twitter --flow f'", "twitter").count("--account") == 1
    )
    assert (
        with_account("(optout-bot config path shows where)", "twitter")
        == "(optout-bot config path shows where)"
    )


def test_a_remedy_printed_by_a_run_names_the_account(tmp_path: Path) -> None:
    """X signed out: the remedy to copy must sign in the same account, not the default one."""
    from optout_bot.testing import FakeSite, Scenario, serve

    env = _login_env(tmp_path, "x")
    with serve(FakeSite(Scenario(site="x"))) as url:
        result = cli("status", "--account", "acct", "--site-url", url, env=env)
    assert result.returncode == ExitStatus.NEEDS_HUMAN, result.stderr
    assert "optout-bot login --account acct --interactive" in result.stderr
    assert "'optout-bot login --interactive'" not in result.stderr


def test_alerts_from_a_run_started_by_hand_do_not_claim_a_schedule() -> None:
    drift = FlowOutcome("f", "Grok", Result.DRIFT, before=True, exit_status=ExitStatus.DRIFT)
    failed = FlowOutcome(
        "f",
        "Grok",
        Result.FAILED,
        error=ErrorKind.SITE_CHANGED,
        message="gone",
        exit_status=ExitStatus.SITE_CHANGED,
    )
    for outcome in (drift, failed):
        by_hand = alert_for(outcome, "a", "X", scheduled=False)
        assert by_hand is not None
        assert "scheduled check" not in by_hand.body.lower()
        assert "by hand" in by_hand.body
        scheduled = alert_for(outcome, "a", "X", scheduled=True)
        assert scheduled is not None
        assert "The scheduled check" in scheduled.body


def test_a_manual_run_is_not_marked_scheduled(monkeypatch: pytest.MonkeyPatch) -> None:
    from optout_bot.cli import options
    from optout_bot.store.config import Config

    common, config = options.Common(), Config()
    monkeypatch.setattr(options, "is_interactive", lambda: True)
    assert (
        options.build_request("status", common, config, dry_run=False, fix=False, evidence=False).scheduled
        is False
    )
    monkeypatch.setattr(options, "is_interactive", lambda: False)
    assert (
        options.build_request("status", common, config, dry_run=False, fix=False, evidence=False).scheduled
        is True
    )


@pytest.mark.parametrize("verbose", [0, 1])
def test_retries_are_said_in_plain_words_and_library_lines_never_leak(verbose: int) -> None:
    stream = io.StringIO()
    handler = configure_logging(verbose, stream)
    try:
        attempts: list[int] = []

        def flaky() -> str:
            attempts.append(1)
            if len(attempts) < 3:
                raise TransientError("the site answered HTTP 503 for /feed/")
            return "ok"

        assert navigation_policy(sleep=lambda _: None)(flaky) == "ok"
        logging.getLogger("optout_bot.engine.switches").warning("no save request was seen after the click")
    finally:
        logging.getLogger().removeHandler(handler)
    text = stream.getvalue()
    assert text.count("The site is not answering right now; trying again in") == 2
    if verbose:
        assert "WARNING optout_bot.engine.switches" in text
    else:
        assert "WARNING" not in text
        assert "optout_bot." not in text
        assert "<unknown>" not in text
        assert "Retrying" not in text
        assert "no save request" not in text


def test_demo_headed_without_a_display_says_so(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["OPTOUT_BOT_STATE_DIR"] = str(tmp_path)
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "optout_bot", "demo", "--headed"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert result.returncode == ExitStatus.SETUP
    assert "there is no display here" in result.stderr
    assert "without --headed" in result.stderr
    assert "Traceback" not in result.stderr


def test_status_on_an_off_switch_says_is_off() -> None:
    off = FlowOutcome(
        "f", "Data for Generative AI Improvement", Result.ALREADY_OFF, before=False, after=False
    )
    assert outcome_line("LinkedIn", off, "status").endswith(": is OFF")
    assert "nothing changed" not in outcome_line("LinkedIn", off, "status")
    assert outcome_line("LinkedIn", off, "disable").endswith("already OFF, nothing changed")


def test_history_help_says_it_lists_every_account() -> None:
    # A process of its own: the help text is fixed when the command is defined, in the process's language.
    result = cli("history", "--help", env={"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "LANGUAGE": ""})
    assert result.returncode == 0, result.stderr
    assert "default: every account" in result.stdout
    assert "default_account" not in result.stdout


def test_guide_without_a_platform_prints_a_usage_line_with_the_list(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert raw_main(["guide"]) == ExitStatus.USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "usage: optout-bot guide PLATFORM" in err
    assert "linkedin" in err
    assert "chatgpt" in err
    assert ".;" not in err


@pytest.mark.parametrize(("platform", "profile"), [("meta", False), ("whatsapp", False), ("linkedin", True)])
def test_guides_suggest_profile_only_where_it_changes_something(
    capsys: pytest.CaptureFixture[str], platform: str, profile: bool
) -> None:
    assert raw_main(["guide", platform]) == 0
    assert ("--profile" in capsys.readouterr().out) is profile


def test_chatgpt_demo_says_signed_in_once_and_names_what_it_opened(tmp_path: Path) -> None:
    result = cli("demo", "--site", "chatgpt", env={"OPTOUT_BOT_STATE_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Signed in") == 1, result.stderr
    assert "Opened /" not in result.stderr
    assert "Opened Data controls" in result.stderr


def _login_env(tmp_path: Path, site: str) -> dict[str, str]:
    config = tmp_path / "config.toml"
    config.write_text(f'[accounts.acct]\nsite = "{site}"\n', encoding="utf-8")
    return {
        "OPTOUT_BOT_CONFIG": str(config),
        "OPTOUT_BOT_STATE_DIR": str(tmp_path / "state"),
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }


@pytest.mark.parametrize("site", ["x", "chatgpt"])
def test_login_refuses_a_password_a_site_never_uses(tmp_path: Path, site: str) -> None:
    env = _login_env(tmp_path, site)
    result = cli(
        "login", "--account", "acct", "--email", "a@example.com", "--password-stdin", env=env, stdin="pw\n"
    )
    assert result.returncode == ExitStatus.USAGE, result.stderr
    assert "never types a password" in result.stderr
    assert "optout-bot login --interactive --account acct" in result.stderr
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").rglob("*.cfg"))


@pytest.mark.parametrize(
    ("password", "status", "said"),
    [
        ("demo-password-123", 0, "the stored password works"),
        ("wrong-password-9", ExitStatus.LOGIN_FAILED, "refused this password"),
    ],
)
def test_login_checks_the_password_at_once_where_one_is_typed(
    tmp_path: Path, password: str, status: int, said: str
) -> None:
    from optout_bot.testing import FakeSite, Scenario, serve

    env = _login_env(tmp_path, "linkedin")
    site = FakeSite(Scenario())
    with serve(site) as url:
        result = cli(
            "login",
            "--account",
            "acct",
            "--email",
            "demo@example.com",
            "--password-stdin",
            "--check",
            "--site-url",
            url,
            env=env,
            stdin=password + "\n",
        )
    assert result.returncode == status, result.stderr
    assert said in result.stderr
    assert password not in result.stderr + result.stdout
    assert [r.path for r in site.requests if r.method == "POST" and "login" in r.path].__len__() <= 1


def test_login_without_check_says_when_it_is_checked(tmp_path: Path) -> None:
    env = _login_env(tmp_path, "linkedin")
    result = cli(
        "login", "--account", "acct", "--email", "a@example.com", "--password-stdin", env=env, stdin="pw\n"
    )
    assert result.returncode == 0, result.stderr
    assert "optout-bot status --account acct" in result.stderr


def test_login_at_a_terminal_offers_the_test_sign_in(tmp_path: Path) -> None:
    from optout_bot.testing import FakeSite, Scenario, serve

    site = FakeSite(Scenario())
    with serve(site) as url:
        run = PtyRun(
            "login",
            "--account",
            "acct",
            "--email",
            "demo@example.com",
            "--site-url",
            url,
            env=_login_env(tmp_path, "linkedin"),
        )
        run.expect("Password")
        run.send("demo-password-123")
        run.expect("now to check it?")
        run.send("y")
        status = run.wait()
    assert status == 0, run.output[-2000:]
    assert "the stored password works" in run.output
    assert "demo-password-123" not in run.output


def _failed_run(kind: ErrorKind, status: ExitStatus) -> RunResult:
    outcome = FlowOutcome(
        "linkedin.data-for-ai-improvement", "Grok", Result.FAILED, error=kind, exit_status=status
    )
    now = datetime.now(UTC)
    report = RunReport("work", "linkedin", [outcome])
    return RunResult(RunRequest(command="disable", account="work"), report, None, now, now)


def test_a_change_that_did_not_stick_gets_the_capture_hint_too() -> None:
    # NotVerified is a kind of "the site changed": its outcome once carried the class name
    # "NotVerified", which the hint compared with "SiteChanged" and so never offered a capture.
    for kind in (ErrorKind.SITE_CHANGED, ErrorKind.NOT_VERIFIED):
        hints = failure_hints(_failed_run(kind, ExitStatus.SITE_CHANGED))
        assert len(hints) == 2, kind
        assert "optout-bot capture --account work --flow linkedin.data-for-ai-improvement" in hints[0]
        assert "optout-bot replay linkedin-capture -- disable --dry-run" in hints[1]
    for kind, status in [
        (ErrorKind.NEEDS_HUMAN, ExitStatus.NEEDS_HUMAN),
        (ErrorKind.TRANSIENT, ExitStatus.TRANSIENT),
        (ErrorKind.SETTING_UNAVAILABLE, ExitStatus.UNAVAILABLE),
    ]:
        assert failure_hints(_failed_run(kind, status)) == [], kind


def test_documents_spell_an_error_kind_as_before() -> None:
    # JSON documents and captures keep the strings they had when outcomes carried class names.
    outcome = _failed_run(ErrorKind.NOT_VERIFIED, ExitStatus.SITE_CHANGED).outcomes[0]
    document = json.loads(json.dumps(outcome_json(outcome)))
    assert document["error"] == "NotVerified"
    assert ErrorKind(document["error"]) is ErrorKind.NOT_VERIFIED
    assert outcome_json(replace(outcome, error=None))["error"] is None
