"""What every run found and did, as append-only JSON lines in ``<state_dir>/history.jsonl`` (0600).

One line per flow per run. Appends are a single ``os.write`` on a descriptor opened with
``O_APPEND`` under an exclusive ``flock``, so concurrent runs (two accounts, a scheduled check and a
manual ``disable``) never mix their lines; a torn last line is ended before the next record and a
short write is cut back (``append``). Reading is forgiving: a damaged line (a crash mid-write, a hand
edit) is skipped and counted, never allowed to hide the others, and ``damaged_lines`` hands it to
readers that must stay careful (a form's memory of a sending).

Entries carry states, outcomes and an evidence folder path, never a secret.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator

from optout_bot.errors import StateDirError
from optout_bot.i18n import _
from optout_bot.model.outcomes import Result
from optout_bot.store.paths import private_dir, state_dir

__all__ = [
    "HistoryEntry",
    "HistoryRead",
    "append",
    "damaged_lines",
    "history_file",
    "last",
    "read",
    "read_with_skipped",
    "remembered_sending",
]

log = logging.getLogger(__name__)

Action = Literal["none", "switched-off", "would-switch-off", "sent-form", "would-send-form"]


class HistoryEntry(BaseModel):
    """One flow in one run."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    time: AwareDatetime = Field(default_factory=lambda: datetime.now(UTC))
    """When the flow finished, timezone-aware, stored in UTC."""
    account: str
    """The optout-bot account name (not the e-mail address)."""
    site: str
    flow: str
    """The flow name, ``<site>.<setting>``."""
    command: str
    """The command that ran it: ``disable``, ``check``, ``status``, ..."""
    dry_run: bool
    before: bool | None
    """The switch state read first (True = ON); None when never read."""
    after: bool | None
    """The state read back after a reload; None when not re-read."""
    action: Action
    result: Result
    exit_status: int
    evidence: str | None = None
    """The folder holding screenshots and the run record, if any."""
    message: str = ""
    interrupted: bool = False
    """Ctrl-C stopped the flow; ``action`` still says what had reached the site by then."""
    sending: Literal["started", "withdrawn"] | None = None
    """Not a run's own record but one written around pressing a form's send button: ``started`` right
    before the press (the form counts as possibly sent until a later record says more), ``withdrawn``
    when the press did not happen after all."""

    @field_validator("time")
    @classmethod
    def _to_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)


class HistoryRead(NamedTuple):
    """Entries read, oldest first, and how many lines were skipped as unreadable."""

    entries: list[HistoryEntry]
    skipped: int


def history_file() -> Path:
    """``<state_dir>/history.jsonl``."""
    return state_dir() / "history.jsonl"


def append(entry: HistoryEntry) -> None:
    """Append ``entry`` as one whole line; the file is created 0600.

    A line can never merge with another: a last line left without its newline (a crash, a full
    disk) is ended first, and a write that falls short is cut back off, so the file only ever holds
    whole records plus, at worst, one damaged line that reading skips. Appends hold an exclusive
    ``flock`` (where the OS has one) so the repair and the cut-back never touch another run's line.
    """
    path = history_file()
    line = (entry.model_dump_json() + "\n").encode("utf-8")
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            _lock(fd)
            if os.fstat(fd).st_mode & 0o077:  # created by hand or an older version: make it private
                os.fchmod(fd, 0o600)
            _write_whole(fd, path, line)
        finally:
            os.close(fd)  # also drops the flock
    except OSError as exc:
        raise StateDirError(
            _("cannot append to {path}: {reason}").format(path=path, reason=exc.strerror)
        ) from None


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: appends there stay single writes without the repair lock
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def _last_byte(fd: int, size: int) -> bytes:
    os.lseek(fd, size - 1, os.SEEK_SET)  # reads need a position; O_APPEND still writes at the end
    return os.read(fd, 1)


def _write_whole(fd: int, path: Path, line: bytes) -> None:
    start = os.lseek(fd, 0, os.SEEK_END)
    if start and _last_byte(fd, start) != b"\n":
        line = b"\n" + line  # end a torn last line, so this record stays a line of its own
    try:
        written = os.write(fd, line)
    except OSError:
        os.ftruncate(fd, start)  # a part may have reached the disk: take it back
        raise
    if written != len(line):  # a full disk: take the part back rather than leave a torn line
        os.ftruncate(fd, start)
        raise StateDirError(
            _("cannot append to {path}: the disk is full ({written} of {total} bytes written)").format(
                path=path, written=written, total=len(line)
            )
        )


def _lines() -> list[tuple[bytes, HistoryEntry | None]]:
    """Every non-blank line with its entry, or None for a damaged one."""
    try:
        data = history_file().read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise StateDirError(
            _("cannot read {path}: {reason}").format(path=history_file(), reason=exc.strerror)
        ) from None
    lines: list[tuple[bytes, HistoryEntry | None]] = []
    for raw in data.splitlines():
        if not raw.strip():
            continue
        try:
            lines.append((raw, HistoryEntry.model_validate_json(raw)))
        except ValidationError:  # also raised for invalid JSON and invalid UTF-8
            lines.append((raw, None))
    return lines


def read_with_skipped(limit: int | None = None, account: str | None = None) -> HistoryRead:
    """Like :func:`read`, and also say how many damaged lines were skipped."""
    lines = _lines()
    entries = [e for _, e in lines if e is not None and (account is None or e.account == account)]
    skipped = sum(1 for _, e in lines if e is None)
    if limit is not None:
        entries = entries[-limit:] if limit > 0 else []
    return HistoryRead(entries, skipped)


def damaged_lines() -> list[bytes]:
    """The raw bytes of every line that could not be read as an entry, oldest first."""
    return [raw for raw, entry in _lines() if entry is None]


def read(limit: int | None = None, account: str | None = None) -> list[HistoryEntry]:
    """History entries, newest last: the last ``limit`` of them, of one ``account`` if given.

    Unreadable lines are skipped, counted and logged as a warning, never fatal.
    """
    entries, skipped = read_with_skipped(limit, account)
    if skipped:
        log.warning(
            "%s",
            _("Skipped {count} unreadable line(s) in {path}.").format(count=skipped, path=history_file()),
            extra={"plain": True},
        )
    return entries


def last(account: str, flow: str) -> HistoryEntry | None:
    """The most recent entry for ``flow`` on ``account``, or None."""
    for entry in reversed(read(account=account)):
        if entry.flow == flow:
            return entry
    return None


def remembered_sending(account: str, flow: str) -> Result | None:
    """What history remembers of sending the form ``flow`` for ``account``: SENT, ALREADY_SENT,
    UNCONFIRMED or None (the engine's ``FormMemory``, given to it by the app layer).

    The newest entry that says anything about sending wins, and entries that say nothing (a failed
    run, a dry run, a status) never make a sent form look unsent: memory only grows. A sending that was
    started counts as unconfirmed unless a newer record withdraws it (the press never happened).
    """
    withdrawn = 0
    for entry in reversed(read(account=account)):
        if entry.flow != flow or entry.dry_run:
            continue
        if entry.sending == "withdrawn":
            withdrawn += 1
            continue
        if entry.sending == "started" and withdrawn:
            withdrawn -= 1
            continue
        if entry.action == "sent-form":
            return Result.SENT if entry.result is Result.SENT else Result.UNCONFIRMED
        if entry.result in (Result.ALREADY_SENT, Result.UNCONFIRMED):
            return entry.result
    # A damaged line (a crash or a full disk mid-write) may be the record of a sending: one that names
    # this account and flow and may say "sent" counts as sent without a confirmation, never as unsent.
    if any(_may_record_sending(raw, account, flow) for raw in damaged_lines()):
        return Result.UNCONFIRMED
    return None


def _may_record_sending(raw: bytes, account: str, flow: str) -> bool:
    """True when a damaged line names ``account`` and ``flow`` and does not rule out a sending (it says
    ``sent-form``, or was cut off before it said what it did)."""
    text = raw.decode("utf-8", "replace")
    names = f'"account":{json.dumps(account)}' in text and f'"flow":{json.dumps(flow)}' in text
    if not names or '"dry_run":true' in text or '"command":"status"' in text:
        return False
    return '"action":"sent-form"' in text or '"action":' not in text
