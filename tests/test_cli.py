"""The CLI contract: exit codes, one-line errors with remedies, JSON on stdout, no secrets anywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optout_bot import errors
from optout_bot.cli.main import raw_main
from optout_bot.model.loader import load_catalog
from optout_bot.model.outcomes import EXIT_STATUSES, ExitStatus, exit_status_for
from tests.helpers import cli

DEMO_PASSWORD = "demo-password-123"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.UsageError("x"), ExitStatus.USAGE),
        (errors.ConfigError("x"), ExitStatus.USAGE),
        (errors.FlowNotFound("x"), ExitStatus.USAGE),
        (errors.FlowInvalid("x"), ExitStatus.USAGE),
        (errors.BrowserNotFound("x"), ExitStatus.SETUP),
        (errors.KeyringUnavailable("x"), ExitStatus.SETUP),
        (errors.StateDirError("x"), ExitStatus.SETUP),
        (errors.RunLocked("x"), ExitStatus.BUSY),
        (errors.LoginRequired("x"), ExitStatus.NEEDS_HUMAN),
        (errors.NeedsHuman("x", kind="captcha"), ExitStatus.NEEDS_HUMAN),
        (errors.LoginFailed("x"), ExitStatus.LOGIN_FAILED),
        (errors.SettingUnavailable("x"), ExitStatus.UNAVAILABLE),
        (errors.SiteChanged("x"), ExitStatus.SITE_CHANGED),
        (errors.NotVerified("x"), ExitStatus.SITE_CHANGED),
        (errors.Blocked("x"), ExitStatus.BLOCKED),
        (errors.TransientError("x"), ExitStatus.TRANSIENT),
        (KeyboardInterrupt(), ExitStatus.CTRL_C),
        (RuntimeError("x"), ExitStatus.ERROR),
    ],
)
def test_every_error_maps_to_its_documented_exit_code(error: BaseException, status: ExitStatus) -> None:
    assert exit_status_for(error) is status


def test_every_error_class_is_mapped_and_has_a_remedy() -> None:
    classes = [
        c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.OptoutBotError)
    ]
    for cls in classes:
        if cls in (errors.OptoutBotError, errors.SetupError):
            continue
        instance = cls("x", kind="k") if cls is errors.NeedsHuman else cls("x")
        assert exit_status_for(instance) is not ExitStatus.ERROR, cls
        assert instance.remedy or cls is errors.UsageError, cls


def _error_classes() -> list[type[errors.OptoutBotError]]:
    found: list[type[errors.OptoutBotError]] = []
    todo = [errors.OptoutBotError]
    while todo:  # every subclass, wherever it is defined (engine.retry.RetryAfter too)
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return [c for c in found if c.__module__.startswith("optout_bot.")]


def test_every_error_class_names_its_own_kind_spelled_as_documents_always_had_it() -> None:
    from optout_bot.engine.retry import RetryAfter

    classes = _error_classes()
    assert RetryAfter in classes
    for cls in classes:
        assert "error_kind" in vars(cls), f"{cls.__name__} must say its own ErrorKind"
        assert cls.error_kind.value == cls.__name__, cls  # JSON "error" and captures read as before
    assert len({cls.error_kind for cls in classes}) == len(classes)


def test_every_error_kind_has_an_exit_status() -> None:
    assert set(EXIT_STATUSES) == set(errors.ErrorKind)
    assert errors.kind_of(errors.NotVerified("x")) is errors.ErrorKind.NOT_VERIFIED
    assert errors.kind_of(KeyboardInterrupt()) is errors.ErrorKind.INTERRUPTED
    assert errors.kind_of(RuntimeError("x")) is errors.ErrorKind.OTHER


def test_readme_documents_every_exit_code() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for status in ExitStatus:
        assert f"| {int(status)} | {status.name} |" in readme


def test_unknown_flow_is_a_one_line_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert raw_main(["disable", "--flow", "linkedin.nope"]) == ExitStatus.USAGE
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: no flow named 'linkedin.nope'")
    assert "optout-bot flows list" in err
    assert "\n" not in err


def test_unknown_option_is_a_usage_error_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert raw_main(["disable", "--frobnicate"]) == ExitStatus.USAGE
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "No such option" in err


def test_bad_account_name_is_rejected(capsys: pytest.CaptureFixture[str]) -> None:
    assert raw_main(["status", "--account", "../etc"]) == ExitStatus.USAGE
    assert "invalid account name" in capsys.readouterr().err


def test_malformed_config_names_file_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("timeout_s = 30\ncolour = 'red'\n", encoding="utf-8")
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(config))
    assert raw_main(["status"]) == ExitStatus.USAGE
    assert (
        capsys.readouterr().err.strip().startswith(f"error: {config}: colour: Extra inputs are not permitted")
    )


def test_missing_browser_is_a_setup_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OPTOUT_BOT_CHROMIUM_PATH", "/nonexistent/chrome")
    assert raw_main(["demo", "--quiet"]) == ExitStatus.SETUP
    err = capsys.readouterr().err
    assert "/nonexistent/chrome" in err
    assert "apt-get install chromium" in err


def test_flows_list_and_validate(capsys: pytest.CaptureFixture[str]) -> None:
    assert raw_main(["flows", "validate"]) == 0
    assert raw_main(["flows", "list", "--json"]) == 0
    names = [f["name"] for f in json.loads(capsys.readouterr().out)["flows"]]
    assert "linkedin.data-for-ai-improvement" in names


@pytest.mark.parametrize(
    ("site", "line"),
    [
        (
            "whatsapp",
            "WhatsApp · Objection to the use of your information for AI at Meta (WhatsApp): objection sent",
        ),
        ("x", "X · Data sharing with business partners: ON → OFF (verified after reload)"),
    ],
)
def test_demo_runs_a_switch_site_and_a_form_site(site: str, line: str) -> None:
    """The demo's other sites take the same paths: LinkedIn (test_evidence.py and the password test
    here), ChatGPT (test_cli_defects.py), Meta (the form dry run below), Instagram's form (the same
    signed-in form path as Meta's, sent in tests/flows/test_instagram.py); every site is offered
    (test_the_demo_offers_every_fake_site)."""
    result = cli("demo", "--site", site)
    assert result.returncode == 0, result.stderr
    assert line in result.stderr
    submissions = 1 if site == "whatsapp" else 0
    assert f"{submissions} form submission(s)" in result.stderr


def test_demo_dry_run_of_a_form_sends_nothing() -> None:
    result = cli("demo", "--site", "meta", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "form filled, would have sent it; nothing sent" in result.stderr
    assert "0 save request(s) and 0 form submission(s)" in result.stderr


def test_the_demo_offers_every_fake_site() -> None:
    from optout_bot.cli.demo import SITES
    from optout_bot.model.loader import load_catalog
    from optout_bot.model.resources import fixtures_dir

    assert set(SITES) == set(load_catalog().sites)
    assert set(SITES) == {p.name for p in fixtures_dir().iterdir() if (p / "site.toml").is_file()}


def test_demo_json_is_on_stdout_and_parses() -> None:
    result = cli("demo", "--json", "--start", "off")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["exit_status"] == 0
    (outcome,) = document["outcomes"]
    assert outcome["result"] == "already-off"
    assert outcome["verified_after_reload"] is True


def test_demo_over_real_http_takes_the_cookie_and_redirect_path() -> None:
    result = cli("demo", "--over-http", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "ON → OFF (verified after reload)" in result.stderr


def test_demo_of_a_setting_not_offered_exits_unavailable() -> None:
    """Exit 6 as the process's own status. The other outcomes' codes from a whole process: 4 for a
    CAPTCHA (the password test below), 7 for a changed page (test_capture_replay.py), 5 for a refused
    password (test_cli_defects.py), 11 for a busy account (test_scheduled_check.py)."""
    result = cli("demo", "--quiet", "--variant", "absent-redirect")
    assert result.returncode == ExitStatus.UNAVAILABLE, result.stderr
    assert "not offered" in result.stderr


def test_the_demo_turns_the_switch_off_stops_at_a_captcha_and_never_shows_the_password(
    tmp_path: Path,
) -> None:
    """Three demo runs, each checked for what it says and all for the password: a change, a dry run
    in JSON, and a CAPTCHA (exit 4)."""
    env = {"OPTOUT_BOT_STATE_DIR": str(tmp_path / "state")}
    changed = cli("demo", env=env)
    assert changed.returncode == 0, changed.stderr
    assert "LinkedIn · Data for Generative AI Improvement: ON → OFF (verified after reload)" in changed.stderr
    assert "received 1 save request(s)" in changed.stderr
    dry = cli("demo", "--dry-run", "--json", env=env)
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["outcomes"][0]["result"] == "would-change"
    captcha = cli("demo", "--challenge", "captcha", env=env)
    assert captcha.returncode == ExitStatus.NEEDS_HUMAN, captcha.stderr
    assert "CAPTCHA" in captcha.stderr
    for result in (changed, dry, captcha):
        assert DEMO_PASSWORD not in result.stdout + result.stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".png" for p in written), "the runs should have kept screenshots"
    for path in written:
        assert DEMO_PASSWORD.encode() not in path.read_bytes(), path


def test_demo_strict_profile_switches_every_linkedin_setting_off_in_one_run() -> None:
    result = cli("demo", "--profile", "strict", "--json", "--quiet")
    assert result.returncode == 0, result.stderr
    outcomes = json.loads(result.stdout)["outcomes"]
    strict = [f.name for f in load_catalog().profile("strict", "linkedin")]
    assert len(strict) == 13
    assert sorted(o["flow"] for o in outcomes) == sorted(strict)
    assert {o["result"] for o in outcomes} == {"changed"}
    assert all(o["verified_after_reload"] for o in outcomes)
