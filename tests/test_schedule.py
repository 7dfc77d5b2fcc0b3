"""Schedules: the spec, each scheduler's native artifact, and install/remove/status with a fake runner."""

from __future__ import annotations

import os
import plistlib
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from crontab import CronTab

from optout_bot.errors import UsageError
from optout_bot.schedule import (
    ScheduleSpec,
    build_spec,
    detect_scheduler,
    get_scheduler,
    render_cron_line,
    render_launchd,
    render_schtasks_xml,
    render_systemd,
    schtasks_create_argv,
)
from optout_bot.schedule.render import on_calendar, systemd_quote

NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}


def spec(account: str = "work", every: str = "weekly", fix: bool = False, **kw: object) -> ScheduleSpec:
    """Monday 09:17 unless told otherwise (weekday 0 = Monday)."""
    command = [sys.executable, "-m", "optout_bot", "check", "--account", account, "--quiet"]
    values: dict[str, object] = {"minute": 17, "hour": 9, "weekday": 0, "command": command + ["--fix"] * fix}
    values.update(kw)
    return ScheduleSpec(account=account, every=every, fix=fix, **values)  # type: ignore[arg-type]


def seeded(n: int) -> random.Random:
    return random.Random(n)  # noqa: S311 - reproducible picks, not secrets


# --- the spec ------------------------------------------------------------------------------------


def test_build_spec_defaults_to_weekly_check_at_a_random_daytime() -> None:
    built = build_spec("work", rng=seeded(7))
    assert built.every == "weekly"
    assert 9 <= built.hour <= 20
    assert 0 <= built.minute <= 59
    assert 0 <= built.weekday <= 6
    assert built.command == [sys.executable, "-m", "optout_bot", "check", "--account", "work", "--quiet"]
    assert Path(built.command[0]).is_absolute()
    assert build_spec("work", fix=True, rng=seeded(7)).command[-1] == "--fix"
    # Different installs land on different times (the point of choosing at random).
    times = {(s.weekday, s.hour, s.minute) for s in (build_spec("w", rng=seeded(n)) for n in range(20))}
    assert len(times) > 10


@pytest.mark.parametrize(
    ("every", "minute", "hour"),
    [("17 9 * * 1", 17, 9), ("0 7 * * mon-fri", 0, 7), ("30 6 1 * *", 30, 6), ("5 4 * * 7", 5, 4)],
)
def test_cron_expressions_bring_their_own_time(every: str, minute: int, hour: int) -> None:
    built = build_spec("work", f"  {every} ", rng=seeded(1))
    assert (built.every, built.minute, built.hour) == (every, minute, hour)


@pytest.mark.parametrize(
    ("every", "message"),
    [
        ("* * * * *", "more than once a day"),
        ("*/15 9 * * *", "more than once a day"),
        ("17 9-17 * * *", "more than once a day"),
        ("17 9 * *", "five cron fields"),
        ("@daily", "five cron fields"),
        ("hourly", "five cron fields"),
        ("17 25 * * *", "out of range 0-23"),
        ("17 9 32 * *", "out of range 1-31"),
        ("17 9 * * funday", "out of range 0-7"),
        ("17 9 5-1 * *", "is not valid"),
        ("17 9 1 * 1", "not both"),
        ("17 9 31 2 *", "never fires"),
    ],
)
def test_bad_schedules_are_usage_errors_with_a_remedy(every: str, message: str) -> None:
    with pytest.raises(UsageError, match=message) as info:
        build_spec("work", every)
    assert info.value.remedy


@pytest.mark.parametrize("account", ["a b", "../x", "a;rm -rf ~", "", "x" * 65, "a\nb", "$(id)"])
def test_odd_account_names_are_rejected(account: str) -> None:
    with pytest.raises(UsageError, match="invalid account name"):
        build_spec(account)


def test_a_spec_must_agree_with_its_cron_time_and_run_an_absolute_path() -> None:
    with pytest.raises(UsageError, match="differs"):
        spec(every="0 7 * * *")
    with pytest.raises(UsageError, match="absolute"):
        spec(command=["python", "-m", "optout_bot"])


# --- systemd -------------------------------------------------------------------------------------


def test_systemd_units() -> None:
    units = render_systemd(spec())
    assert set(units) == {"optout-bot-work.service", "optout-bot-work.timer"}
    service, timer = units["optout-bot-work.service"], units["optout-bot-work.timer"]
    assert "Type=oneshot" in service.splitlines()
    exec_start = next(line for line in service.splitlines() if line.startswith("ExecStart="))
    assert exec_start == f"ExecStart={sys.executable} -m optout_bot check --account work --quiet"
    lines = timer.splitlines()
    for expected in ("OnCalendar=Mon *-*-* 09:17:00", "Persistent=true", "RandomizedDelaySec=60min"):
        assert expected in lines
    assert "WantedBy=timers.target" in lines
    assert "--fix" in render_systemd(spec(fix=True))["optout-bot-work.service"]


def test_systemd_escapes_at_signs_in_unit_names() -> None:
    # '@' would make systemd read the unit as a template instance.
    units = render_systemd(spec(account="me@example.org"))
    assert set(units) == {"optout-bot-me\\x40example.org.service", "optout-bot-me\\x40example.org.timer"}


@pytest.mark.parametrize(
    ("arg", "quoted"),
    [
        ("/usr/bin/python3", "/usr/bin/python3"),
        ("/opt/My Python/bin/python", '"/opt/My Python/bin/python"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("50%", "50%%"),
        ("$HOME", '"$$HOME"'),
        ("back\\slash", '"back\\\\slash"'),
    ],
)
def test_systemd_quoting(arg: str, quoted: str) -> None:
    assert systemd_quote(arg) == quoted


def test_systemd_refuses_line_breaks() -> None:
    with pytest.raises(UsageError):
        systemd_quote("a\nb")


@pytest.mark.parametrize(
    ("every", "normalized"),
    [
        ("weekly", "Mon *-*-* 09:17:00"),
        ("daily", "*-*-* 09:17:00"),
        ("17 9 * * mon-fri", "Mon..Fri *-*-* 09:17:00"),
        ("17 9 * * 0,6", "Sat,Sun *-*-* 09:17:00"),
        ("17 9 1-7,15 jan-mar *", "*-01..03-01..07,15 09:17:00"),
        ("17 9 */10 * *", "*-*-01,11,21,31 09:17:00"),
    ],
)
def test_on_calendar_values(every: str, normalized: str) -> None:
    value = on_calendar(spec(every=every).calendar)
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        assert value == normalized
        return
    done = subprocess.run([analyze, "calendar", value], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert f"Normalized form: {normalized}" in done.stdout


def _verify(folder: Path, units: dict[str, str]) -> subprocess.CompletedProcess[str]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for name, text in units.items():
        (folder / name).write_text(text, encoding="utf-8")
        files.append(str(folder / name))
    # A short runtime folder: the user's own socket units put paths under it, and a socket path has at
    # most 107 bytes (a pytest-xdist worker's tmp_path is longer than that allows).
    with tempfile.TemporaryDirectory(prefix="ob-") as runtime:
        env = {"PATH": "/usr/bin:/bin", "XDG_RUNTIME_DIR": runtime, "HOME": str(folder)}
        return subprocess.run(
            ["systemd-analyze", "verify", "--user", *files],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )


needs_systemd_analyze = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed"
)


@needs_systemd_analyze
@pytest.mark.parametrize("account", ["work", "me@example.org"])
def test_systemd_analyze_verify_accepts_the_units(tmp_path: Path, account: str) -> None:
    done = _verify(tmp_path, render_systemd(spec(account=account, fix=True)))
    assert (done.returncode, done.stderr) == (0, "")


@needs_systemd_analyze
def test_systemd_analyze_verify_finds_the_python_behind_an_odd_path(tmp_path: Path) -> None:
    odd = tmp_path / "my venv 100%" / "bin"
    odd.mkdir(parents=True)
    (odd / "py$thon").symlink_to(sys.executable)
    units = render_systemd(spec(command=[str(odd / "py$thon"), "-m", "optout_bot", "check", "$HOME", "50%"]))
    done = _verify(tmp_path / "ok", units)
    assert (done.returncode, done.stderr) == (0, "")
    # The check is real: once the program is gone, verification fails.
    (odd / "py$thon").unlink()
    done = _verify(tmp_path / "gone", units)
    assert done.returncode != 0
    assert "is not executable" in done.stderr


# --- cron ----------------------------------------------------------------------------------------


def _parse_cron(line: str) -> tuple[str, str, str]:
    job = next(iter(CronTab(tab=line + "\n")))
    return str(job.slices), str(job.command), str(job.comment)


def test_cron_line() -> None:
    line = render_cron_line(spec())
    slices, command, comment = _parse_cron(line)
    assert slices == "17 9 * * 1"
    assert comment == "optout-bot:work"
    assert shlex.split(command) == spec().command
    assert "--fix" not in line
    assert shlex.split(_parse_cron(render_cron_line(spec(fix=True)))[1])[-1] == "--fix"


@pytest.mark.parametrize(
    ("every", "weekday", "slices"),
    [
        ("weekly", 6, "17 9 * * 0"),
        ("daily", 3, "17 9 * * *"),
        ("17 9 1-7,15 jan-mar *", 0, "17 9 1-7,15 1-3 *"),
    ],
)
def test_cron_schedule_fields(every: str, weekday: int, slices: str) -> None:
    assert _parse_cron(render_cron_line(spec(every=every, weekday=weekday)))[0] == slices


def test_cron_command_quotes_paths_and_escapes_percent() -> None:
    odd = spec(command=["/opt/my venv/100%/python", "-m", "optout_bot", "check", "--account", "work"])
    line = render_cron_line(odd)
    assert "/100\\%/" in line  # cron would turn a bare % into a newline: escaped once (issue 14 D3)
    assert "\\\\%" not in line
    assert shlex.split(_parse_cron(line)[1]) == odd.command  # the parser takes the escape off again


# --- launchd -------------------------------------------------------------------------------------


def test_launchd_plist() -> None:
    plist = plistlib.loads(render_launchd(spec(fix=True)))
    assert plist["Label"] == "org.optout-bot.work"
    assert plist["ProgramArguments"] == spec(fix=True).command
    assert plist["ProgramArguments"][0] == sys.executable
    assert plist["StartCalendarInterval"] == {"Minute": 17, "Hour": 9, "Weekday": 1}
    assert "--fix" not in plistlib.loads(render_launchd(spec()))["ProgramArguments"]


@pytest.mark.parametrize(
    ("every", "weekday", "interval"),
    [
        ("weekly", 6, {"Minute": 17, "Hour": 9, "Weekday": 0}),  # Sunday is 0 for launchd
        ("daily", 2, {"Minute": 17, "Hour": 9}),
        ("17 9 1,15 * *", 0, [{"Minute": 17, "Hour": 9, "Day": 1}, {"Minute": 17, "Hour": 9, "Day": 15}]),
    ],
)
def test_launchd_calendar(every: str, weekday: int, interval: object) -> None:
    plist = plistlib.loads(render_launchd(spec(every=every, weekday=weekday)))
    assert plist["StartCalendarInterval"] == interval


def test_launchd_expands_day_and_month_lists() -> None:
    intervals = plistlib.loads(render_launchd(spec(every="17 9 1-7 jan,jul *")))["StartCalendarInterval"]
    assert len(intervals) == 14
    assert {(i["Day"], i["Month"]) for i in intervals} == {(d, m) for d in range(1, 8) for m in (1, 7)}


# --- Windows Task Scheduler ----------------------------------------------------------------------


def _task(xml: str) -> ET.Element:
    assert xml.startswith('<?xml version="1.0" encoding="UTF-16"?>')
    return ET.fromstring(xml.encode("utf-16"))  # noqa: S314 - XML we generated ourselves


def test_schtasks_xml() -> None:
    task = _task(render_schtasks_xml(spec(fix=True)))
    assert task.findtext("t:Settings/t:StartWhenAvailable", namespaces=NS) == "true"
    trigger = task.find("t:Triggers/t:CalendarTrigger", NS)
    assert trigger is not None
    assert trigger.findtext("t:StartBoundary", namespaces=NS) == "2024-01-01T09:17:00"
    days = trigger.find("t:ScheduleByWeek/t:DaysOfWeek", NS)
    assert days is not None
    assert [d.tag.split("}")[1] for d in days] == ["Monday"]
    assert task.findtext("t:Actions/t:Exec/t:Command", namespaces=NS) == sys.executable
    args = task.findtext("t:Actions/t:Exec/t:Arguments", namespaces=NS)
    assert args == "-m optout_bot check --account work --quiet --fix"
    assert "--fix" not in render_schtasks_xml(spec())


def test_schtasks_daily_and_monthly_triggers() -> None:
    daily = _task(render_schtasks_xml(spec(every="daily")))
    assert daily.findtext("t:Triggers/t:CalendarTrigger/t:ScheduleByDay/t:DaysInterval", namespaces=NS) == "1"
    monthly = _task(render_schtasks_xml(spec(every="17 9 1,15 jan *")))
    by = monthly.find("t:Triggers/t:CalendarTrigger/t:ScheduleByMonth", NS)
    assert by is not None
    assert [d.text for d in by.findall("t:DaysOfMonth/t:Day", NS)] == ["1", "15"]
    assert [m.tag.split("}")[1] for m in by.findall("t:Months/*", NS)] == ["January"]


def test_schtasks_quotes_arguments_and_builds_the_create_command(tmp_path: Path) -> None:
    odd = spec(account="me@example.org", command=["C:\\Program Files\\Python\\python.exe", "-m", "x", "a b"])
    task = _task(render_schtasks_xml(odd))
    assert task.findtext("t:Actions/t:Exec/t:Arguments", namespaces=NS) == '-m x "a b"'
    argv = schtasks_create_argv(odd, tmp_path / "t.xml")
    assert argv == [
        "schtasks",
        "/create",
        "/tn",
        "optout-bot\\me@example.org",
        "/xml",
        str(tmp_path / "t.xml"),
        "/f",
    ]


# --- install / remove / status with a fake runner ------------------------------------------------


class FakeRunner:
    """Stands in for systemctl, launchctl, crontab and schtasks; keeps the crontab in memory."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.crontab: str | None = None  # None = the user has no crontab yet
        self.missing: set[str] = set()
        self.failing: dict[tuple[str, ...], int] = {}  # argv prefix -> exit status

    def __call__(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        self.calls.append(list(argv))
        if argv[0] in self.missing:
            raise FileNotFoundError(argv[0])
        for prefix, status in self.failing.items():
            if tuple(argv[: len(prefix)]) == prefix:
                return subprocess.CompletedProcess(argv, status, "", f"{argv[0]}: simulated failure\n")
        out = ""
        if argv == ["crontab", "-l"]:
            if self.crontab is None:
                return subprocess.CompletedProcess(argv, 1, "", "no crontab for tester\n")
            out = self.crontab
        elif argv[0] == "crontab":
            self.crontab = Path(argv[1]).read_bytes().decode()  # as crontab(1) reads it: no newline changes
        elif argv[:3] == ["systemctl", "--user", "is-active"]:
            out = "active\n"
        return subprocess.CompletedProcess(argv, 0, out, "")

    def commands(self, program: str) -> list[list[str]]:
        return [call for call in self.calls if call[0] == program]


@pytest.fixture
def runner() -> FakeRunner:
    return FakeRunner()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "root"
    folder.mkdir()
    return folder


def _records() -> dict[str, Any]:
    from optout_bot.schedule.store import load_records

    return load_records()


def test_systemd_install_is_idempotent_and_remove_is_exact(root: Path, runner: FakeRunner) -> None:
    scheduler = get_scheduler("systemd", root=root, runner=runner)
    unit_dir = root / ".config" / "systemd" / "user"
    unit_dir.mkdir(parents=True)
    (unit_dir / "someone-else.timer").write_text("[Timer]\n", encoding="utf-8")

    lines = scheduler.install(spec())
    assert f"Wrote {unit_dir / 'optout-bot-work.timer'}" in lines
    assert runner.calls == [
        ["systemctl", "--user", "daemon-reload"],
        ["systemctl", "--user", "enable", "--now", "optout-bot-work.timer"],
    ]
    scheduler.install(spec())
    scheduler.install(spec(account="home"))
    assert sorted(p.name for p in unit_dir.iterdir()) == [
        "optout-bot-home.service", "optout-bot-home.timer",
        "optout-bot-work.service", "optout-bot-work.timer",
        "someone-else.timer",
    ]  # fmt: skip
    assert set(_records()) == {"work", "home"}
    assert _records()["work"]["files"] == [
        str(unit_dir / "optout-bot-work.service"),
        str(unit_dir / "optout-bot-work.timer"),
    ]

    runner.calls.clear()
    scheduler.remove("work")
    assert runner.calls == [
        ["systemctl", "--user", "disable", "--now", "optout-bot-work.timer"],
        ["systemctl", "--user", "daemon-reload"],
    ]
    assert sorted(p.name for p in unit_dir.iterdir()) == [
        "optout-bot-home.service", "optout-bot-home.timer", "someone-else.timer",
    ]  # fmt: skip
    assert set(_records()) == {"home"}
    assert scheduler.remove("work") == ["No schedule is recorded for account work; nothing to remove"]


def test_dry_run_prints_and_touches_nothing(root: Path, runner: FakeRunner) -> None:
    lines = get_scheduler("systemd", root=root, runner=runner).install(spec(fix=True), dry_run=True)
    assert f"Would write {root / '.config/systemd/user/optout-bot-work.timer'}:" in lines
    assert "    OnCalendar=Mon *-*-* 09:17:00" in lines
    assert "Would run: systemctl --user enable --now optout-bot-work.timer" in lines
    assert any("--fix" in line for line in lines if line.strip().startswith("ExecStart="))
    assert runner.calls == []
    assert not (root / ".config").exists()
    assert _records() == {}


def test_missing_systemctl_says_what_to_run_and_keeps_the_record(root: Path, runner: FakeRunner) -> None:
    runner.missing.add("systemctl")
    lines = get_scheduler("systemd", root=root, runner=runner).install(spec())
    problems = [line for line in lines if line.startswith("Could not")]
    assert problems == [
        "Could not run `systemctl --user daemon-reload` (systemctl is not installed); run it yourself: "
        "systemctl --user daemon-reload && systemctl --user enable --now optout-bot-work.timer"
    ]
    assert (root / ".config/systemd/user/optout-bot-work.timer").exists()
    assert "work" in _records()  # so that `remove` can still clean up


def test_failing_enable_is_one_line_not_a_crash(root: Path, runner: FakeRunner) -> None:
    runner.failing[("systemctl", "--user", "enable")] = 1
    lines = get_scheduler("systemd", root=root, runner=runner).install(spec())
    assert (
        "Could not run `systemctl --user enable --now optout-bot-work.timer` (exit status 1: systemctl: "
        "simulated failure); run it yourself: systemctl --user enable --now optout-bot-work.timer"
    ) in lines


def test_unit_dir_follows_xdg_config_home_without_a_root(isolated_home: Path, runner: FakeRunner) -> None:
    get_scheduler("systemd", runner=runner).install(spec())
    assert (isolated_home / "config" / "systemd" / "user" / "optout-bot-work.timer").exists()


def test_launchd_install_and_remove(root: Path, runner: FakeRunner) -> None:
    runner.failing[("launchctl", "bootout")] = 3  # not loaded yet: expected on a first install
    scheduler = get_scheduler("launchd", root=root, runner=runner)
    plist = root / "Library" / "LaunchAgents" / "org.optout-bot.work.plist"
    lines = scheduler.install(spec())
    assert not any(line.startswith("Could not") for line in lines)
    assert plistlib.loads(plist.read_bytes())["Label"] == "org.optout-bot.work"
    domain = f"gui/{os.getuid()}"
    assert runner.commands("launchctl") == [
        ["launchctl", "bootout", f"{domain}/org.optout-bot.work"],
        ["launchctl", "bootstrap", domain, str(plist)],
    ]
    scheduler.install(spec())
    assert list(plist.parent.iterdir()) == [plist]
    runner.calls.clear()
    scheduler.remove("work")
    assert runner.calls == [["launchctl", "bootout", f"{domain}/org.optout-bot.work"]]
    assert not plist.exists()


OTHER_JOBS = "MAILTO=me\n# backups\n0 5 * * * /usr/bin/backup\n"


def test_cron_install_keeps_other_jobs_and_stays_single(root: Path, runner: FakeRunner) -> None:
    runner.crontab = OTHER_JOBS
    scheduler = get_scheduler("cron", root=root, runner=runner)
    scheduler.install(spec())
    scheduler.install(spec(fix=True))
    tab = CronTab(tab=runner.crontab)
    ours = list(tab.find_comment("optout-bot:work"))
    assert len(ours) == 1
    assert str(ours[0].slices) == "17 9 * * 1"
    assert str(ours[0].command).endswith("--quiet --fix")
    assert runner.crontab.startswith(OTHER_JOBS)
    assert not list((root.parent / "home").rglob("crontab.txt"))  # the temp file is gone

    scheduler.remove("work")
    assert runner.crontab == OTHER_JOBS
    assert _records() == {}


def test_cron_with_no_crontab_yet(root: Path, runner: FakeRunner) -> None:
    get_scheduler("cron", root=root, runner=runner).install(spec())
    assert runner.crontab is not None
    assert len(list(CronTab(tab=runner.crontab).find_comment("optout-bot:work"))) == 1


def test_cron_never_writes_a_crontab_it_could_not_read(root: Path, runner: FakeRunner) -> None:
    runner.crontab = OTHER_JOBS
    runner.failing[("crontab", "-l")] = 2
    lines = get_scheduler("cron", root=root, runner=runner).install(spec())
    assert runner.commands("crontab") == [["crontab", "-l"]]
    assert runner.crontab == OTHER_JOBS
    assert any(line.startswith("Could not read your crontab") and "crontab -e" in line for line in lines)


def test_missing_crontab_gives_the_line_to_add(root: Path, runner: FakeRunner) -> None:
    runner.missing.add("crontab")
    lines = get_scheduler("cron", root=root, runner=runner).install(spec())
    expected = f"Could not read your crontab (crontab is not installed); add this line yourself with `crontab -e`: {render_cron_line(spec())}"
    assert expected in lines


def test_schtasks_install_and_remove(root: Path, runner: FakeRunner) -> None:
    scheduler = get_scheduler("schtasks", root=root, runner=runner)
    scheduler.install(spec())
    (create,) = runner.commands("schtasks")
    xml_path = Path(create[create.index("/xml") + 1])
    assert create == schtasks_create_argv(spec(), xml_path)
    assert (
        _task(xml_path.read_bytes().decode("utf-16")).findtext(
            "t:Settings/t:StartWhenAvailable", namespaces=NS
        )
        == "true"
    )
    runner.calls.clear()
    scheduler.remove("work")
    assert runner.calls == [["schtasks", "/delete", "/tn", "optout-bot\\work", "/f"]]
    assert not xml_path.exists()


def test_switching_scheduler_removes_the_old_entry(root: Path, runner: FakeRunner) -> None:
    get_scheduler("cron", root=root, runner=runner).install(spec())
    get_scheduler("systemd", root=root, runner=runner).install(spec())
    assert runner.crontab is not None
    assert list(CronTab(tab=runner.crontab).find_comment("optout-bot:work")) == []
    assert _records()["work"]["scheduler"] == "systemd"


def test_remove_uses_the_scheduler_that_installed(root: Path, runner: FakeRunner) -> None:
    get_scheduler("cron", root=root, runner=runner).install(spec())
    lines = get_scheduler("systemd", root=root, runner=runner).remove("work")
    assert "Removed the cron schedule of account work" in lines
    assert list(CronTab(tab=runner.crontab or "").find_comment("optout-bot:work")) == []


def test_status(root: Path, runner: FakeRunner) -> None:
    scheduler = get_scheduler("systemd", root=root, runner=runner)
    assert scheduler.status("work")["installed"] is False
    scheduler.install(spec())
    status = scheduler.status("work")
    assert status["installed"] is True
    assert status["files_present"] is True
    assert status["active"] is True
    assert status["schedule"] == "weekly on Monday at 09:17"
    upcoming = datetime.fromisoformat(status["next_run"])
    assert upcoming > datetime.now()
    assert (upcoming.weekday(), upcoming.hour, upcoming.minute) == (0, 9, 17)
    Path(status["files"][0]).unlink()
    assert scheduler.status("work")["files_present"] is False


def test_record_is_private(root: Path, runner: FakeRunner) -> None:
    from optout_bot.schedule.store import record_path

    get_scheduler("cron", root=root, runner=runner).install(spec())
    assert record_path().stat().st_mode & 0o777 == 0o600


def test_reinstall_keeps_the_time_chosen_at_first_install(root: Path, runner: FakeRunner) -> None:
    first = build_spec("work")
    get_scheduler("cron", root=root, runner=runner).install(first)
    again = build_spec("work", every="daily", fix=True)
    assert (again.minute, again.hour, again.weekday) == (first.minute, first.hour, first.weekday)
    assert again.every == "daily"
    assert again.fix


@pytest.mark.parametrize(
    ("platform", "status", "expected"),
    [("darwin", 0, "launchd"), ("win32", 0, "schtasks"), ("linux", 0, "systemd"), ("linux", 1, "cron")],
)
def test_detect_scheduler(runner: FakeRunner, platform: str, status: int, expected: str) -> None:
    if status:
        runner.failing[("systemctl",)] = status
    assert detect_scheduler(runner, platform) == expected


def test_detect_scheduler_without_systemctl(runner: FakeRunner) -> None:
    runner.missing.add("systemctl")
    assert detect_scheduler(runner, "linux") == "cron"


def test_unknown_scheduler_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown scheduler 'anacron'") as info:
        get_scheduler("anacron")
    assert "systemd" in info.value.remedy


def test_summary_line_says_whether_the_entry_is_active(root: Path, runner: FakeRunner) -> None:
    scheduler = get_scheduler("cron", root=root, runner=runner)
    assert (
        scheduler.install(spec())[-2]
        == "Scheduled with cron: weekly on Monday at 09:17, check only (account work)"
    )
    runner.missing.add("crontab")
    lines = scheduler.install(spec(fix=True))
    assert lines[-2] == (
        "Recorded, but not active until the command above is run: with cron: weekly on Monday at 09:17, "
        "check and fix (account work)"
    )
    assert (
        scheduler.remove("work")[-1]
        == "Forgot (finish by hand as said above) the cron schedule of account work"
    )


def test_the_real_runner_gives_a_crontab_back_byte_for_byte() -> None:
    """Text mode would turn CRLF into LF and fail on bytes that are not UTF-8 (issue 14 D2)."""
    from optout_bot.schedule.install import default_runner, encode_text

    done = default_runner(["printf", "a\\r\\nb\\377\\n"])
    assert encode_text(done.stdout) == b"a\r\nb\xff\n"
