"""``schedule install|remove|status``, ``notify [--test]``, health-check pings and non-interactive runs.

Every scheduler command goes to a fake (``scheduling.RUNNER``): no test touches the real crontab,
systemd, launchd or Task Scheduler.
"""

from __future__ import annotations

import json
import shlex
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from crontab import CronTab
from pydantic import SecretStr

from optout_bot.app import hooks, runner, scheduling
from optout_bot.cli import options
from optout_bot.cli.main import raw_main
from optout_bot.engine.job import RunReport
from optout_bot.engine.options import RunOptions
from optout_bot.errors import RunLocked, StateDirError
from optout_bot.model.outcomes import ExitStatus, FlowOutcome, Result
from optout_bot.schedule import build_spec
from optout_bot.store import history
from optout_bot.store.config import Config, NotifyConfig
from tests.test_scheduled_check import Receiver, serve_receiver

TOKEN = "tok3n-9a8b7c"
FLOW = "linkedin.data-for-ai-improvement"


class FakeRunner:
    """Stands in for systemctl, launchctl, crontab and schtasks; keeps a crontab in memory."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.crontab = "MAILTO=me\n5 4 * * * /usr/bin/backup  # someone else's job\n"
        self.missing: set[str] = set()

    def __call__(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        self.calls.append(list(argv))
        if argv[0] in self.missing:
            raise FileNotFoundError(argv[0])
        out = ""
        if argv == ["crontab", "-l"]:
            out = self.crontab
        elif argv[0] == "crontab":
            self.crontab = Path(argv[1]).read_bytes().decode()  # as crontab(1) reads it: no newline changes
        elif argv[:3] == ["systemctl", "--user", "is-active"]:
            out = "active\n"
        return subprocess.CompletedProcess(argv, 0, out, "")


@pytest.fixture(autouse=True)
def fake_runner(monkeypatch: pytest.MonkeyPatch) -> FakeRunner:
    fake = FakeRunner()
    monkeypatch.setattr(scheduling, "RUNNER", fake)
    return fake


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(path))
    monkeypatch.setenv("OPTOUT_BOT_STATE_DIR", str(tmp_path / "state"))
    return path


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serve_receiver() as got:
        yield got


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = raw_main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def unit_dir(home: Path) -> Path:
    return home / "config" / "systemd" / "user"  # conftest's XDG_CONFIG_HOME


def records() -> dict[str, Any]:
    from optout_bot.schedule.store import load_records

    return load_records()


# --- schedule install ------------------------------------------------------------------------------


def test_install_prints_each_file_and_the_exact_command_line(
    capsys: pytest.CaptureFixture[str], config_file: Path, isolated_home: Path, fake_runner: FakeRunner
) -> None:
    status, out, _ = cli(capsys, "schedule", "install", "--scheduler", "systemd", "--every", "daily")
    assert status == 0
    service = unit_dir(isolated_home) / "optout-bot-default.service"
    timer = unit_dir(isolated_home) / "optout-bot-default.timer"
    assert f"Wrote {service}" in out
    assert f"Wrote {timer}" in out
    command = [sys.executable, "-m", "optout_bot", "check", "--account", "default", "--quiet"]
    assert f"Runs: {shlex.join(command)}" in out.splitlines()
    assert f"ExecStart={shlex.join(command)}" in service.read_text()
    assert ["systemctl", "--user", "enable", "--now", "optout-bot-default.timer"] in fake_runner.calls
    assert records()["default"]["command"] == command


def test_install_dry_run_shows_the_files_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], config_file: Path, isolated_home: Path, fake_runner: FakeRunner
) -> None:
    status, out, _ = cli(capsys, "schedule", "install", "--scheduler", "systemd", "--dry-run", "--fix")
    assert status == 0
    assert "Would write" in out
    assert "Would run: systemctl --user enable --now optout-bot-default.timer" in out
    command = shlex.join(build_spec("default", fix=True).command)
    assert f"Would run: {command}" in out.splitlines()
    assert command.endswith(" --account default --quiet --fix")
    assert not unit_dir(isolated_home).exists()
    assert records() == {}
    assert fake_runner.calls == []


def test_install_with_a_cron_expression_and_fix_keeps_other_crontab_lines(
    capsys: pytest.CaptureFixture[str], config_file: Path, fake_runner: FakeRunner
) -> None:
    status, out, _ = cli(
        capsys,
        "schedule",
        "install",
        "--scheduler",
        "cron",
        "--every",
        "17 9 * * 1",
        "--fix",
        "--account",
        "work",
    )
    assert status == 0
    tab = CronTab(tab=fake_runner.crontab)
    [job] = tab.find_comment("optout-bot:work")
    assert str(job.slices) == "17 9 * * 1"
    assert job.command.endswith("check --account work --quiet --fix")
    assert "/usr/bin/backup" in fake_runner.crontab
    assert "check and fix (account work)" in out


@pytest.mark.parametrize("every", ["hourly", "* * * * *", "0 9 * *", "61 9 * * *", "0 9 32 * *"])
def test_a_bad_every_is_a_one_line_usage_error(
    capsys: pytest.CaptureFixture[str],
    config_file: Path,
    isolated_home: Path,
    every: str,
    fake_runner: FakeRunner,
) -> None:
    status, out, err = cli(capsys, "schedule", "install", "--scheduler", "systemd", "--every", every)
    assert status == ExitStatus.USAGE
    assert out == ""
    [line] = err.splitlines()
    assert line.startswith("error: ")
    assert "'daily', 'weekly'" in line  # the remedy says what is accepted
    assert records() == {}
    assert fake_runner.calls == []


def test_install_uses_the_configs_default_account(
    capsys: pytest.CaptureFixture[str], config_file: Path, fake_runner: FakeRunner
) -> None:
    config_file.write_text('default_account = "work"\n', encoding="utf-8")
    assert cli(capsys, "schedule", "install", "--scheduler", "cron")[0] == 0
    assert list(records()) == ["work"]


def test_install_notes_missing_alerts_and_password_policy(
    capsys: pytest.CaptureFixture[str], config_file: Path
) -> None:
    _, out, _ = cli(capsys, "schedule", "install", "--scheduler", "cron")
    assert "no notification URLs are configured" in out
    assert "never type the stored password" in out
    config_file.write_text(
        f'[notify]\nurls = ["json://127.0.0.1:1/{TOKEN}"]\n[accounts.default]\nallow_password_login = true\n',
        encoding="utf-8",
    )
    _, out, _ = cli(capsys, "schedule", "install", "--scheduler", "cron")
    assert "no notification URLs" not in out
    assert "never type the stored password" not in out
    assert TOKEN not in out


def test_dry_run_announces_the_time_the_real_install_then_picks(
    capsys: pytest.CaptureFixture[str], config_file: Path
) -> None:
    _, dry, _ = cli(capsys, "schedule", "install", "--scheduler", "cron", "--dry-run")
    _, real, _ = cli(capsys, "schedule", "install", "--scheduler", "cron")
    announced = [line for line in dry.splitlines() if line.startswith("Would schedule")]
    done = [line for line in real.splitlines() if line.startswith("Scheduled")]
    assert len(announced) == 1
    assert len(done) == 1
    assert announced[0].removeprefix("Would schedule") == done[0].removeprefix("Scheduled")


def test_install_says_when_the_account_has_never_signed_in(
    capsys: pytest.CaptureFixture[str], config_file: Path
) -> None:
    from optout_bot.store.state import SessionStore

    _, out, _ = cli(capsys, "schedule", "install", "--scheduler", "cron")
    assert "no saved session yet" in out
    assert "login --interactive --account default" in out
    store = SessionStore("linkedin", "default")
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b"sealed")
    _, out, _ = cli(capsys, "schedule", "install", "--scheduler", "cron")
    assert "no saved session yet" not in out
    # A site without sign-in (WhatsApp's form) has nothing to sign in to.
    config_file.write_text('[accounts.wa]\nsite = "whatsapp"\nphone = "+49 151 12345678"\n', encoding="utf-8")
    _, out, _ = cli(capsys, "schedule", "install", "--scheduler", "cron", "--account", "wa")
    assert "no saved session yet" not in out


@pytest.mark.skipif(sys.platform != "linux", reason="detection picks launchd/schtasks elsewhere")
def test_install_detects_systemd_when_the_user_manager_answers(
    capsys: pytest.CaptureFixture[str], config_file: Path, fake_runner: FakeRunner
) -> None:
    assert cli(capsys, "schedule", "install")[0] == 0
    assert fake_runner.calls[0] == ["systemctl", "--user", "show-environment"]
    assert records()["default"]["scheduler"] == "systemd"


def test_a_failed_scheduler_command_exits_setup_and_says_what_to_run(
    capsys: pytest.CaptureFixture[str], config_file: Path, isolated_home: Path, fake_runner: FakeRunner
) -> None:
    fake_runner.missing.add("systemctl")
    status, out, _ = cli(capsys, "schedule", "install", "--scheduler", "systemd")
    assert status == ExitStatus.SETUP
    assert "run it yourself: systemctl --user daemon-reload && systemctl --user enable --now" in out
    assert (unit_dir(isolated_home) / "optout-bot-default.timer").exists()  # written and recorded
    assert "default" in records()


# --- schedule remove ---------------------------------------------------------------------------------


def test_remove_deletes_exactly_what_was_installed(
    capsys: pytest.CaptureFixture[str], config_file: Path, isolated_home: Path, fake_runner: FakeRunner
) -> None:
    assert cli(capsys, "schedule", "install", "--scheduler", "systemd")[0] == 0
    neighbour = unit_dir(isolated_home) / "other.timer"
    neighbour.write_text("[Timer]\n", encoding="utf-8")
    status, out, _ = cli(capsys, "schedule", "remove")
    assert status == 0
    assert sorted(p.name for p in unit_dir(isolated_home).iterdir()) == ["other.timer"]
    assert ["systemctl", "--user", "disable", "--now", "optout-bot-default.timer"] in fake_runner.calls
    assert "Removed the systemd schedule of account default" in out
    assert records() == {}
    status, out, _ = cli(capsys, "schedule", "remove")
    assert status == 0
    assert out.strip() == "No schedule is recorded for account default; nothing to remove"


def test_remove_uses_the_recorded_scheduler_and_keeps_other_crontab_lines(
    capsys: pytest.CaptureFixture[str], config_file: Path, fake_runner: FakeRunner
) -> None:
    cli(capsys, "schedule", "install", "--scheduler", "cron", "--account", "work")
    cli(capsys, "schedule", "install", "--scheduler", "cron", "--account", "home")
    assert cli(capsys, "schedule", "remove", "--account", "work")[0] == 0
    comments = [job.comment for job in CronTab(tab=fake_runner.crontab)]
    assert comments == ["someone else's job", "optout-bot:home"]
    assert not any(call[0] == "systemctl" for call in fake_runner.calls)  # never re-detected


def test_remove_dry_run_changes_nothing(
    capsys: pytest.CaptureFixture[str], config_file: Path, isolated_home: Path
) -> None:
    cli(capsys, "schedule", "install", "--scheduler", "systemd")
    status, out, _ = cli(capsys, "schedule", "remove", "--dry-run")
    assert status == 0
    assert "Would delete" in out
    assert (unit_dir(isolated_home) / "optout-bot-default.timer").exists()
    assert "default" in records()


# --- schedule status ---------------------------------------------------------------------------------


def _entry(
    result: Result, before: bool, after: bool | None, status: ExitStatus, **kw: Any
) -> history.HistoryEntry:
    return history.HistoryEntry(
        account=kw.pop("account", "default"),
        site="linkedin",
        flow=FLOW,
        command=kw.pop("command", "check"),
        dry_run=False,
        before=before,
        after=after,
        action="switched-off" if result is Result.CHANGED else "none",
        result=result,
        exit_status=int(status),
        time=kw.pop("time", datetime.now(UTC)),
    )


def test_status_without_a_schedule(capsys: pytest.CaptureFixture[str], config_file: Path) -> None:
    status, out, _ = cli(capsys, "schedule", "status")
    assert status == 0
    assert out.splitlines() == [
        "No schedule is installed for account default ('optout-bot schedule install' adds one)",
        "Last run: none recorded in the history yet",
    ]


def test_status_shows_files_next_run_and_the_last_outcome(
    capsys: pytest.CaptureFixture[str], config_file: Path, isolated_home: Path
) -> None:
    cli(capsys, "schedule", "install", "--scheduler", "systemd", "--every", "17 9 * * *", "--fix")
    history.append(_entry(Result.DRIFT, True, None, ExitStatus.DRIFT, time=datetime(2025, 1, 1, tzinfo=UTC)))
    history.append(_entry(Result.CHANGED, True, False, ExitStatus.OK))
    history.append(_entry(Result.DRIFT, True, None, ExitStatus.DRIFT, account="other"))
    status, out, _ = cli(capsys, "schedule", "status")
    assert status == 0
    lines = out.splitlines()
    assert "Installed for account default with systemd as optout-bot-default.timer" in lines
    assert "Scheduler: active" in lines
    assert "Schedule: at 09:17 on cron days '* * *', check and fix" in lines
    assert f"  {unit_dir(isolated_home) / 'optout-bot-default.service'}" in lines
    [next_run] = [line for line in lines if line.startswith("Next run: ")]
    assert next_run.split()[3] == "09:17"
    [last] = [line for line in lines if line.startswith("Last run: ")]
    assert last.endswith(f"check: {FLOW} ON→OFF (changed, exit 0)")


def test_status_json_and_missing_files(
    capsys: pytest.CaptureFixture[str], config_file: Path, isolated_home: Path
) -> None:
    cli(capsys, "schedule", "install", "--scheduler", "systemd")
    history.append(_entry(Result.DRIFT, True, None, ExitStatus.DRIFT))
    (unit_dir(isolated_home) / "optout-bot-default.timer").unlink()
    status, out, _ = cli(capsys, "schedule", "status", "--json")
    assert status == 0
    doc = json.loads(out)
    assert doc["installed"] is True
    assert doc["files_present"] is False
    assert doc["command"][-3:] == ["--account", "default", "--quiet"]
    assert [(e["result"], e["exit_status"]) for e in doc["last_runs"]] == [("drift", 3)]
    _, out, _ = cli(capsys, "schedule", "status")
    assert "Files (some are MISSING: install again):" in out.splitlines()


# --- notify ------------------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _notify_config(path: Path, *urls: str) -> None:
    path.write_text("[notify]\nurls = [" + ", ".join(json.dumps(u) for u in urls) + "]\n", encoding="utf-8")


def test_notify_test_reaches_every_destination(
    capsys: pytest.CaptureFixture[str], config_file: Path, receiver: Receiver
) -> None:
    _notify_config(config_file, f"{receiver.alert_url}/{TOKEN}", f"{receiver.alert_url}/second")
    status, out, err = cli(capsys, "notify", "--test")
    assert status == 0
    assert err.strip() == "Sent a test alert to 2 destination(s)."
    got = receiver.take()
    assert sorted(r.path for r in got) == sorted([f"/alerts/{TOKEN}", "/alerts/second"])
    assert {(r.json()["title"], r.json()["type"]) for r in got} == {("optout-bot test alert", "info")}


def test_notify_test_prints_one_line_per_problem_and_exits_setup(
    capsys: pytest.CaptureFixture[str], config_file: Path, receiver: Receiver
) -> None:
    _notify_config(
        config_file,
        f"{receiver.alert_url}/ok",
        f"json://127.0.0.1:{_closed_port()}/{TOKEN}",
        f"notascheme://{TOKEN}",
    )
    status, out, err = cli(capsys, "notify", "--test")
    assert status == ExitStatus.SETUP
    lines = err.splitlines()
    assert [line.split(":")[0] for line in lines] == ["problem", "problem", "error"]
    assert lines[0].startswith("problem: notification #2 (json)")
    assert lines[1].startswith("problem: notification #3 (notascheme)")
    assert "check the URLs in the config file" in lines[2]
    assert TOKEN not in out + err
    assert [r.path for r in receiver.take()] == ["/alerts/ok"]  # the good one still got it


def test_notify_test_without_destinations_exits_setup(
    capsys: pytest.CaptureFixture[str], config_file: Path
) -> None:
    status, _, err = cli(capsys, "notify", "--test")
    assert status == ExitStatus.SETUP
    assert "problem: no notification URLs are configured (notify.urls)" in err


def test_notify_lists_destinations_without_their_secrets(
    capsys: pytest.CaptureFixture[str], config_file: Path
) -> None:
    config_file.write_text(
        f'[notify]\nurls = ["ntfy://{TOKEN}@ntfy.sh/t", "json://h/{TOKEN}"]\non = ["drift"]\n'
        f'healthcheck_url = "https://hc-ping.com/{TOKEN}"\n',
        encoding="utf-8",
    )
    status, out, _ = cli(capsys, "notify")
    assert status == 0
    assert out.splitlines() == [
        "notification #1 (ntfy)",
        "notification #2 (json)",
        "Alerts sent for: drift",
        "Health-check pings (notify.healthcheck_url): configured",
    ]


def test_notify_help_documents_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = cli(capsys, "notify", "--help")
    assert status == 0
    text = " ".join(out.split())
    assert "exit 0 when every destination accepted the test alert" in text
    assert "exit 10 (check the URLs in the config file)" in text


# --- health-check pings around a run -----------------------------------------------------------------


def _result(command: str, *outcomes: FlowOutcome) -> runner.RunResult:
    request = runner.RunRequest(command=command, options=RunOptions())  # type: ignore[arg-type]
    now = datetime.now(UTC)
    return runner.RunResult(request, RunReport("default", "linkedin", list(outcomes)), None, now, now)


def _outcome(result: Result, status: ExitStatus) -> FlowOutcome:
    return FlowOutcome(
        flow=FLOW, title="Data for Generative AI Improvement", result=result, exit_status=status
    )


def _ping_config(receiver: Receiver) -> Config:
    return Config(notify=NotifyConfig(healthcheck_url=SecretStr(receiver.healthcheck_url)))


@pytest.mark.parametrize(
    ("result", "status", "event"),
    [
        (Result.ALREADY_OFF, ExitStatus.OK, ""),
        (Result.CHANGED, ExitStatus.OK, ""),
        (Result.FAILED, ExitStatus.UNAVAILABLE, ""),  # no such setting for the account: nothing to fix
        (Result.DRIFT, ExitStatus.DRIFT, "/fail"),
        (Result.FAILED, ExitStatus.NEEDS_HUMAN, "/fail"),
        (Result.FAILED, ExitStatus.SITE_CHANGED, "/fail"),
    ],
)
def test_check_pings_start_then_success_or_fail(
    receiver: Receiver, result: Result, status: ExitStatus, event: str
) -> None:
    config = _ping_config(receiver)
    run = _result("check", _outcome(result, status))
    assert hooks.before_run(run.request, config) == []
    assert hooks.after_run(run, config) == []
    hc = receiver.healthcheck_url.split(str(receiver.port), 1)[1]
    assert [r.path for r in receiver.take()] == [f"{hc}/start", f"{hc}{event}"]


def test_only_check_pings(receiver: Receiver) -> None:
    config = _ping_config(receiver)
    for command in ("disable", "status"):
        run = _result(command, _outcome(Result.CHANGED, ExitStatus.OK))
        assert hooks.before_run(run.request, config) == []
        assert hooks.after_run(run, config) == []
        assert hooks.run_failed(run.request, config, StateDirError("x")) == []
    assert receiver.take() == []


def test_a_run_that_stops_early_pings_fail_unless_another_run_holds_the_lock(receiver: Receiver) -> None:
    config = _ping_config(receiver)
    request = _result("check").request
    assert hooks.run_failed(request, config, RunLocked("busy")) == []
    assert receiver.take() == []
    assert hooks.run_failed(request, config, StateDirError("cannot write")) == []
    assert [r.path.rsplit("/", 1)[1] for r in receiver.take()] == ["fail"]


def test_an_unreachable_ping_is_a_line_not_an_error() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/{TOKEN}"
    config = Config(notify=NotifyConfig(healthcheck_url=SecretStr(url)))
    run = _result("check", _outcome(Result.ALREADY_OFF, ExitStatus.OK))
    [start] = hooks.before_run(run.request, config)
    [success] = hooks.after_run(run, config)
    assert start.startswith("health-check ping (start) failed")
    assert success.startswith("health-check ping (success) failed")
    assert TOKEN not in start + success


# --- non-interactive runs never prompt -------------------------------------------------------------


@pytest.mark.parametrize("allow", [False, True])
def test_a_run_without_a_terminal_gets_no_pin_prompt_and_follows_the_password_setting(
    monkeypatch: pytest.MonkeyPatch, config_file: Path, allow: bool
) -> None:
    config_file.write_text(
        f"[accounts.default]\nallow_password_login = {'true' if allow else 'false'}\n", encoding="utf-8"
    )
    monkeypatch.setattr(options, "is_interactive", lambda: False)
    # Not --quiet, so only the missing terminal can be what keeps the prompt away.
    request = options.build_request(
        "check", options.Common(), options.read_config(), dry_run=False, fix=False, evidence=False
    )
    assert options.person_deps(options.Common()).ask_pin is None
    assert request.allow_password is allow


def test_a_person_at_a_terminal_may_be_asked_for_a_pin(
    monkeypatch: pytest.MonkeyPatch, config_file: Path
) -> None:
    monkeypatch.setattr(options, "is_interactive", lambda: True)
    request = options.build_request(
        "check", options.Common(), options.read_config(), dry_run=False, fix=False, evidence=False
    )
    assert options.person_deps(options.Common()).ask_pin is not None
    assert request.allow_password is True


def test_interactive_means_both_stdin_and_stderr_are_terminals(monkeypatch: pytest.MonkeyPatch) -> None:
    class Stream:
        def __init__(self, tty: bool) -> None:
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

    for stdin, stderr, expected in ((False, True, False), (True, False, False), (True, True, True)):
        monkeypatch.setattr(sys, "stdin", Stream(stdin))
        monkeypatch.setattr(sys, "stderr", Stream(stderr))
        assert options.is_interactive() is expected


def test_the_scheduled_command_is_what_check_parses(capsys: pytest.CaptureFixture[str]) -> None:
    spec = build_spec("work", fix=True)
    assert spec.command[1:3] == ["-m", "optout_bot"]
    status, out, _ = cli(capsys, *spec.command[3:], "--help")
    assert status == 0
    assert "Usage:" in out


# --- issue 14: cron edited as text, honest removal, names and records checked ---------------------------

# What python-crontab re-rendered (D2): an unparseable '-' job, a '%' meant for cron, an indented comment,
# CRLF and trailing spaces, and no newline at the end.
USER_CRONTAB = (
    "SHELL=/bin/bash\n"
    "-*/5 * * * * /usr/local/bin/quiet-job\n"
    "0 1 * * * df -h | awk '$5+0 > 90 {print}' | mail -s 'disk 90\\%' me\n"
    "0 3 * * * /usr/bin/mail -s report me%disk at 90%\n"
    "   # an indented comment   \n"
    "\n"
    "@reboot /usr/bin/start-thing\r\n"
    "5 4 * * * /usr/bin/backup  # someone else's job"
)


def test_cron_install_and_remove_leave_every_other_byte_alone(
    capsys: pytest.CaptureFixture[str], config_file: Path, fake_runner: FakeRunner
) -> None:
    fake_runner.crontab = USER_CRONTAB
    assert cli(capsys, "schedule", "install", "--scheduler", "cron", "--account", "work")[0] == 0
    installed = fake_runner.crontab
    assert installed.startswith(USER_CRONTAB + "\n")  # only the missing final newline was added
    (ours,) = [line for line in installed.splitlines() if line.endswith("# optout-bot:work")]
    assert installed == USER_CRONTAB + "\n" + ours + "\n"
    assert cli(capsys, "schedule", "install", "--scheduler", "cron", "--account", "work", "--fix")[0] == 0
    assert fake_runner.crontab.count("# optout-bot:work") == 1
    assert fake_runner.crontab.startswith(USER_CRONTAB + "\n")
    status, out, _ = cli(capsys, "schedule", "remove", "--account", "work")
    assert status == 0
    assert fake_runner.crontab == USER_CRONTAB + "\n"
    assert "Removed the cron schedule of account work" in out


def test_cron_percent_is_escaped_once(
    capsys: pytest.CaptureFixture[str],
    config_file: Path,
    fake_runner: FakeRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """D3: a '%' in the command (here in the interpreter's path) reaches cron as '\\%', never '\\\\%'."""
    monkeypatch.setattr(sys, "executable", "/opt/100%/bin/python")
    assert cli(capsys, "schedule", "install", "--scheduler", "cron", "--account", "work")[0] == 0
    (ours,) = [line for line in fake_runner.crontab.splitlines() if "optout-bot:work" in line]
    assert "/opt/100\\%/bin/python" in ours
    assert "\\\\%" not in ours
    job = next(iter(CronTab(tab=ours + "\n")))
    assert shlex.split(str(job.command).replace("\\%", "%"))[0] == "/opt/100%/bin/python"


def test_remove_says_so_when_the_tagged_line_was_already_gone(
    capsys: pytest.CaptureFixture[str], config_file: Path, fake_runner: FakeRunner
) -> None:
    assert cli(capsys, "schedule", "install", "--scheduler", "cron", "--account", "work")[0] == 0
    by_hand = "".join(x for x in fake_runner.crontab.splitlines(True) if "optout-bot:work" not in x)
    fake_runner.crontab = by_hand
    status, out, _ = cli(capsys, "schedule", "remove", "--account", "work")
    assert status == 0
    assert "Removed" not in out
    assert "no line tagged '# optout-bot:work'" in out
    assert "Forgot the cron schedule of account work" in out
    assert fake_runner.crontab == by_hand
    assert records() == {}


@pytest.mark.parametrize("name", ["ok\n", "ok\r\n", "a\nb"])
def test_an_account_name_with_a_line_break_is_refused(
    capsys: pytest.CaptureFixture[str], config_file: Path, fake_runner: FakeRunner, name: str
) -> None:
    """D1: it would split the crontab line in two."""
    status, out, err = cli(capsys, "schedule", "install", "--scheduler", "cron", "--account", name)
    assert status == 2
    assert "invalid account name" in err
    assert fake_runner.calls == []


def _write_records(tmp_path: Path, schedules: dict[str, Any]) -> None:
    path = tmp_path / "state" / "schedule.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "schedules": schedules}), encoding="utf-8")


@pytest.mark.parametrize(
    "entry",
    [
        {"account": "work", "scheduler": "cron"},
        {"account": "work", "scheduler": "cron", "name": "optout-bot:work", "files": []},
        {"account": "work", "scheduler": "cron", "name": "x", "files": "not-a-list"},
        {"account": "work", "scheduler": 3, "name": "x", "files": []},
        "not a table",
    ],
    ids=["no-name-no-files", "no-spec", "files-not-a-list", "scheduler-not-text", "not-a-table"],
)
@pytest.mark.parametrize("command", ["remove", "status", "install"])
def test_a_damaged_schedule_record_is_one_line_and_exit_10(
    capsys: pytest.CaptureFixture[str],
    config_file: Path,
    tmp_path: Path,
    fake_runner: FakeRunner,
    entry: Any,
    command: str,
) -> None:
    """D8: an entry missing keys was a KeyError (exit 1)."""
    _write_records(tmp_path, {"work": entry})
    args = ["schedule", command, "--account", "work"] + (
        ["--scheduler", "cron"] if command == "install" else []
    )
    status, out, err = cli(capsys, *args)
    assert status == 10, err
    (line,) = err.strip().splitlines()
    assert "schedule.json" in line
    assert "'work'" in line
    assert "move the file aside" in line
    assert "Traceback" not in err
    assert "internal error" not in err
    assert fake_runner.calls == []
