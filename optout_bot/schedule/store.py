"""``<state_dir>/schedule.json``: what each install wrote, so ``remove`` removes exactly that.

One entry per account: the scheduler kind, the spec, the files written and the scheduler's own name
for the entry (timer unit, launchd label, crontab tag or task name).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from optout_bot.errors import StateDirError, UsageError
from optout_bot.schedule.spec import ScheduleSpec
from optout_bot.store import paths

VERSION = 1
_SPEC_KEYS = ("account", "every", "fix", "minute", "hour", "weekday", "command")


def record_path() -> Path:
    """Where the install records live."""
    return paths.state_dir() / "schedule.json"


def _corrupt(path: Path, why: str) -> StateDirError:
    return StateDirError(
        f"{path}: {why}",
        remedy="move the file aside and remove the scheduler entries named optout-bot-* by hand",
    )


def load_records() -> dict[str, dict[str, Any]]:
    """Install records by account (empty when nothing was ever installed)."""
    path = record_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise StateDirError(f"cannot read {path}: {exc.strerror}") from None
    except ValueError:
        raise _corrupt(path, "not valid JSON") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise _corrupt(path, f"not a version {VERSION} schedule record")
    schedules = data.get("schedules")
    if not isinstance(schedules, dict):
        raise _corrupt(path, "has no 'schedules' table")
    for account, entry in schedules.items():
        _check_entry(path, account, entry)
    return schedules


_ENTRY_TYPES: dict[str, type | tuple[type, ...]] = {"scheduler": str, "name": str, "files": list}


def _check_entry(path: Path, account: object, entry: object) -> None:
    """One entry, checked before anything acts on it (``remove`` deletes the files it names)."""
    if not isinstance(entry, dict):
        raise _corrupt(path, f"the entry for {account!r} is not a table")
    for key, kind in _ENTRY_TYPES.items():
        if not isinstance(entry.get(key), kind):
            raise _corrupt(path, f"the entry for {account!r} has no valid {key!r}")
    if not all(isinstance(name, str) for name in entry["files"]) or entry.get("account") != account:
        raise _corrupt(path, f"the entry for {account!r} is damaged")
    spec_from_record(entry)


def save_records(records: dict[str, dict[str, Any]]) -> None:
    """Write all records atomically (0600: it names the Python and account in use)."""
    data = {"version": VERSION, "schedules": records}
    paths.write_private(record_path(), (json.dumps(data, indent=2, sort_keys=True) + "\n").encode())


def make_record(spec: ScheduleSpec, scheduler: str, name: str, files: list[Path]) -> dict[str, Any]:
    """One account's entry."""
    return {
        **asdict(spec),
        "scheduler": scheduler,
        "name": name,
        "files": [str(path) for path in files],
        "installed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def spec_from_record(entry: dict[str, Any]) -> ScheduleSpec:
    """The spec an entry was installed with."""
    try:
        return ScheduleSpec(**{key: entry[key] for key in _SPEC_KEYS})
    except KeyError as exc:
        raise _corrupt(record_path(), f"the entry for {entry.get('account')!r} has no {exc}") from None
    except (TypeError, ValueError, UsageError) as exc:
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _corrupt(record_path(), f"the entry for {entry.get('account')!r} is damaged ({why})") from None


def installed_spec(account: str) -> ScheduleSpec | None:
    """The spec recorded by the last install for ``account``, if any."""
    entry = load_records().get(account)
    return None if entry is None else spec_from_record(entry)
