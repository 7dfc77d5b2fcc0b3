"""Run history: strict entries, private append-only file, safe under concurrent appends, forgiving reads."""

from __future__ import annotations

import logging
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from optout_bot.errors import StateDirError
from optout_bot.model.outcomes import Result
from optout_bot.store import history
from optout_bot.store.history import HistoryEntry, append, last, read, read_with_skipped

ROOT = Path(__file__).resolve().parent.parent


def _entry(**changes: Any) -> HistoryEntry:
    fields: dict[str, Any] = {
        "time": datetime(2026, 11, 5, 9, 30, tzinfo=UTC),
        "account": "work",
        "site": "linkedin",
        "flow": "linkedin.data-for-ai-improvement",
        "command": "disable",
        "dry_run": False,
        "before": True,
        "after": False,
        "action": "switched-off",
        "result": Result.CHANGED,
        "exit_status": 0,
        "evidence": None,
        "message": "turned OFF 'Data for Generative AI Improvement'",
    }
    fields.update(changes)
    return HistoryEntry(**fields)


def test_round_trip_and_private_file() -> None:
    assert read() == []
    entry = _entry()
    append(entry)
    assert read() == [entry]
    path = history.history_file()
    assert path.name == "history.jsonl"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8").count("\n") == 1


def test_a_message_with_newlines_stays_one_line() -> None:
    append(_entry(message="line one\nline two\r\n"))
    assert history.history_file().read_bytes().count(b"\n") == 1
    assert read()[0].message == "line one\nline two\r\n"


def test_an_existing_world_readable_file_is_made_private() -> None:
    path = history.history_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o644)
    path.chmod(0o644)
    append(_entry())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_time_is_stored_in_utc_and_naive_times_are_refused() -> None:
    paris = timezone(timedelta(hours=1))
    entry = _entry(time=datetime(2026, 11, 5, 10, 30, tzinfo=paris))
    assert entry.time == datetime(2026, 11, 5, 9, 30, tzinfo=UTC)
    assert entry.time.utcoffset() == timedelta(0)
    with pytest.raises(ValidationError, match="timezone"):
        _entry(time=datetime(2026, 11, 5, 9, 30))  # noqa: DTZ001 - the naive time is the point
    fields = _entry().model_dump()
    del fields["time"]
    assert HistoryEntry(**fields).time.tzinfo is not None


def test_entries_are_strict() -> None:
    with pytest.raises(ValidationError, match="extra"):
        _entry(password="x")
    with pytest.raises(ValidationError, match="action"):
        _entry(action="toggled")
    with pytest.raises(ValidationError, match="result"):
        _entry(result="maybe")
    assert _entry(result="would-change").result is Result.WOULD_CHANGE


def test_read_filters_by_account_and_limits_to_the_newest() -> None:
    for n in range(5):
        append(_entry(account="work", message=f"w{n}"))
        append(_entry(account="home", message=f"h{n}"))
    assert [e.message for e in read(account="work")] == ["w0", "w1", "w2", "w3", "w4"]
    assert [e.message for e in read(limit=3, account="home")] == ["h2", "h3", "h4"]
    assert [e.message for e in read(limit=2)] == ["w4", "h4"]
    assert read(limit=0) == []


def test_last_is_the_newest_for_that_account_and_flow() -> None:
    assert last("work", "linkedin.data-for-ai-improvement") is None
    append(_entry(message="first"))
    append(_entry(message="second", command="check", result=Result.ALREADY_OFF, action="none"))
    append(_entry(account="home", message="other account"))
    append(_entry(flow="linkedin.other", message="other flow"))
    found = last("work", "linkedin.data-for-ai-improvement")
    assert found is not None
    assert found.message == "second"
    assert found.command == "check"


def test_damaged_lines_are_skipped_and_counted(caplog: pytest.LogCaptureFixture) -> None:
    append(_entry(message="before"))
    with history.history_file().open("ab") as handle:
        handle.write(b"this is not json\n")
        handle.write(b'{"account": "work", "site": "linkedin"}\n')  # JSON, not an entry
        handle.write(b"\xff\xfe\n")
        handle.write(_entry().model_dump_json().encode()[:40] + b"\n")  # cut short by a full disk
    append(_entry(message="after"))
    with caplog.at_level(logging.WARNING, logger="optout_bot.store.history"):
        assert [e.message for e in read()] == ["before", "after"]
    assert "Skipped 4 unreadable line(s)" in caplog.text
    assert read_with_skipped().skipped == 4
    found = last("work", "linkedin.data-for-ai-improvement")
    assert found is not None
    assert found.message == "after"


# Appends COUNT entries tagged with its name, as fast as it can, after every writer is ready.
WRITER = """
import sys
from datetime import UTC, datetime
from optout_bot.store.history import HistoryEntry, append
name, count = sys.argv[1], int(sys.argv[2])
entries = [
    HistoryEntry(time=datetime.now(UTC), account=name, site="linkedin", flow="linkedin.x", command="check",
                 dry_run=False, before=False, after=None, action="none", result="already-off", exit_status=0,
                 message=f"{n} " + name * 2000)
    for n in range(count)
]
print("ready", flush=True)
sys.stdin.readline()
for entry in entries:
    append(entry)
"""


def test_concurrent_appends_from_two_processes_never_interleave() -> None:
    count = 200
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name, str(count)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("alpha", "bravo")
    ]
    try:
        for proc in writers:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "ready"
        for proc in writers:  # start both at once: lines of ~10 kB each give interleaving every chance
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.close()
        for proc in writers:
            assert proc.wait(timeout=120) == 0
    finally:
        for proc in writers:
            if proc.poll() is None:
                proc.kill()
            if proc.stdout is not None:
                proc.stdout.close()

    entries, skipped = read_with_skipped()
    assert skipped == 0
    assert len(entries) == 2 * count
    for name in ("alpha", "bravo"):
        mine = [e for e in entries if e.account == name]
        assert [int(e.message.split(" ")[0]) for e in mine] == list(range(count))
        assert all(e.message.endswith(name * 2000) for e in mine)
    accounts = [e.account for e in entries]
    switches = sum(1 for a, b in zip(accounts, accounts[1:], strict=False) if a != b)
    print(f"account switches in file order: {switches}")  # >1 shows the writers really overlapped


def test_a_torn_last_line_never_swallows_the_next_record() -> None:
    """Issue 14 D4: a line left without its newline (a crash, a full disk) is ended before appending."""
    path = history.history_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_entry().model_dump_json().encode()[:50])
    entry = _entry(message="the next record")
    append(entry)
    assert read_with_skipped() == ([entry], 1)
    assert path.read_bytes().count(b"\n") == 2


def test_a_short_write_is_cut_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk writes part of a line: the part is taken back and the append fails loudly."""
    append(_entry())
    path = history.history_file()
    before = path.read_bytes()
    real_write = history.os.write

    def short(fd: int, data: bytes) -> int:
        return real_write(fd, data[:30])

    # Only this patch is taken back after the failed append: monkeypatch.undo() would also undo conftest's
    # isolated state directory, and the next append would land in the real one of whoever runs the tests.
    with monkeypatch.context() as patch:
        patch.setattr(history.os, "write", short)
        with pytest.raises(StateDirError, match="disk is full"):
            append(_entry(message="lost"))
    assert path.read_bytes() == before
    append(_entry(message="after"))
    assert history.history_file() == path
    assert [e.message for e in read()][-1] == "after"
    assert read_with_skipped().skipped == 0


def test_a_failed_write_is_cut_back(monkeypatch: pytest.MonkeyPatch) -> None:
    append(_entry())
    path = history.history_file()
    before = path.read_bytes()

    def enospc(fd: int, data: bytes) -> int:
        import errno

        with open(fd, "ab", closefd=False) as handle:  # part of it reached the disk, then ENOSPC
            handle.write(data[:20])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(history.os, "write", enospc)
    with pytest.raises(StateDirError, match="No space left"):
        append(_entry())
    assert path.read_bytes() == before


def test_lines_written_before_outcomes_carried_error_kinds_still_load() -> None:
    # A line exactly as earlier versions wrote it: the history never stored the error itself, so the
    # move from class names to ErrorKind changes nothing on disk.
    line = (
        '{"time":"2026-11-05T09:30:00Z","account":"work","site":"linkedin",'
        '"flow":"linkedin.data-for-ai-improvement","command":"check","dry_run":false,"before":true,'
        '"after":null,"action":"none","result":"failed","exit_status":7,"evidence":null,'
        '"message":"the switch was clicked but still reads ON","interrupted":false}\n'
    )
    path = history.history_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(line, encoding="utf-8")
    path.chmod(0o600)
    (entry,) = read()
    assert entry.result is Result.FAILED
    assert entry.exit_status == 7
    assert "error" not in entry.model_dump()
    append(_entry())
    assert [e.result for e in read()] == [Result.FAILED, Result.CHANGED]
