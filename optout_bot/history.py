"""What every run found and did, as append-only JSON lines in ``<state_dir>/history.jsonl`` (0600).

One line per flow per run. Appends are a single ``os.write`` on a descriptor opened with
``O_APPEND``: the kernel positions each write at the end of the file and a regular-file write is
not interleaved with another, so concurrent runs (two accounts, a scheduled check and a manual
``disable``) never mix their lines and need no lock. Reading is forgiving: a damaged line (a
disk-full truncation, a hand edit) is skipped and counted, never allowed to hide the others.

Entries carry states, outcomes and an evidence folder path, never a secret.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator

from optout_bot.errors import StateDirError
from optout_bot.outcomes import Result
from optout_bot.paths import private_dir, state_dir

__all__ = ["HistoryEntry", "HistoryRead", "append", "history_file", "last", "read", "read_with_skipped"]

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
    """Append ``entry`` as one line: one ``os.write`` with ``O_APPEND``; the file is created 0600."""
    path = history_file()
    line = (entry.model_dump_json() + "\n").encode("utf-8")
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            if os.fstat(fd).st_mode & 0o077:  # created by hand or an older version: make it private
                os.fchmod(fd, 0o600)
            written = os.write(fd, line)
        finally:
            os.close(fd)
    except OSError as exc:
        raise StateDirError(f"cannot append to {path}: {exc.strerror}") from None
    if written != len(line):  # only on a full disk; reading skips the partial line
        raise StateDirError(f"cannot append to {path}: short write ({written} of {len(line)} bytes)")


def read_with_skipped(limit: int | None = None, account: str | None = None) -> HistoryRead:
    """Like :func:`read`, and also say how many damaged lines were skipped."""
    try:
        data = history_file().read_bytes()
    except FileNotFoundError:
        return HistoryRead([], 0)
    except OSError as exc:
        raise StateDirError(f"cannot read {history_file()}: {exc.strerror}") from None
    entries: list[HistoryEntry] = []
    skipped = 0
    for raw in data.splitlines():
        if not raw.strip():
            continue
        try:
            entry = HistoryEntry.model_validate_json(raw)
        except ValidationError:  # also raised for invalid JSON and invalid UTF-8
            skipped += 1
            continue
        if account is None or entry.account == account:
            entries.append(entry)
    if limit is not None:
        entries = entries[-limit:] if limit > 0 else []
    return HistoryRead(entries, skipped)


def read(limit: int | None = None, account: str | None = None) -> list[HistoryEntry]:
    """History entries, newest last: the last ``limit`` of them, of one ``account`` if given.

    Unreadable lines are skipped, counted and logged as a warning, never fatal.
    """
    entries, skipped = read_with_skipped(limit, account)
    if skipped:
        log.warning("skipped %d unreadable line(s) in %s", skipped, history_file())
    return entries


def last(account: str, flow: str) -> HistoryEntry | None:
    """The most recent entry for ``flow`` on ``account``, or None."""
    for entry in reversed(read(account=account)):
        if entry.flow == flow:
            return entry
    return None
