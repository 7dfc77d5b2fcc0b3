"""Install, remove and inspect a schedule with the OS's own scheduler; nothing stays resident.

Every command goes through one injectable ``runner`` (tests pass a fake and never touch the real
scheduler). A missing or failing scheduler command never crashes an install: the files stay written,
the record is kept, and one line says which command to run by hand.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from optout_bot.schedule.spec import ScheduleSpec, next_run
from optout_bot.schedule.store import load_records, make_record, save_records, spec_from_record
from optout_bot.store import paths

Runner = Callable[[list[str]], "subprocess.CompletedProcess[str]"]


class ByHand(str):
    """A line saying what the person must still do by hand, because a scheduler command failed."""

    __slots__ = ()


class AlreadyGone(str):
    """A line saying the scheduler's entry was not there to remove (deleted by hand)."""

    __slots__ = ()


class Changes(list[str]):
    """The human lines of an install or a remove: what was (or would be) done, in order."""

    @property
    def unfinished(self) -> bool:
        """A scheduler command failed: one of the lines (a ``ByHand``) says what to run by hand."""
        return any(isinstance(line, ByHand) for line in self)


def default_runner(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` (never through a shell), capturing its output.

    Output is decoded by hand: text mode would turn the "\\r\\n" of a crontab into "\\n", and a crontab
    is given back byte for byte (undecodable bytes survive as surrogates; ``encode_text`` restores them).
    """
    done = subprocess.run(argv, capture_output=True, check=False, timeout=60)
    return subprocess.CompletedProcess(
        argv, done.returncode, decode_text(done.stdout), decode_text(done.stderr)
    )


def decode_text(data: bytes) -> str:
    """Bytes from a scheduler tool as text, reversibly."""
    return data.decode("utf-8", "surrogateescape")


def encode_text(text: str) -> bytes:
    """The inverse of ``decode_text``."""
    return text.encode("utf-8", "surrogateescape")


class Scheduler(Protocol):
    """One OS scheduler. ``install``/``remove`` return the human lines: what was (or would be) done."""

    name: str

    def install(self, spec: ScheduleSpec, dry_run: bool = False) -> Changes: ...

    def remove(self, account: str, dry_run: bool = False) -> Changes: ...

    def status(self, account: str) -> dict[str, Any]: ...


class BaseScheduler:
    """Shared install/remove/status; subclasses say which files and which commands."""

    name = "base"
    # Lines printed after an install, e.g. how to keep user timers running after logout.
    notes: tuple[str, ...] = ()

    def __init__(self, home: Path, runner: Runner, factory: Callable[[str], Scheduler] | None = None) -> None:
        self.home = home
        self.runner = runner
        self.factory = factory

    # --- what each scheduler provides ---------------------------------------------------------------

    def entry_name(self, account: str) -> str:
        """The scheduler's own name for the entry (unit, label, tag, task)."""
        raise NotImplementedError

    def artifacts(self, spec: ScheduleSpec) -> dict[Path, bytes]:
        """Files to write."""
        return {}

    def enable_commands(self, spec: ScheduleSpec, files: list[Path]) -> list[list[str]]:
        """Commands that make the scheduler pick the entry up."""
        return []

    def reset_commands(self, name: str) -> list[list[str]]:
        """Commands run before enabling, whose failure is expected (launchd's bootout of a new job)."""
        return []

    def disable_commands(self, name: str) -> list[list[str]]:
        """Commands that make the scheduler drop the entry (run before its files are deleted)."""
        return []

    def active(self, name: str) -> bool | None:
        """Whether the scheduler knows the entry; ``None`` when it cannot be asked."""
        return None

    # --- shared behaviour ---------------------------------------------------------------------------

    def run(self, argv: list[str]) -> str | None:
        """Run one command; ``None`` when it worked, else why not (one short phrase)."""
        try:
            done = self.runner(argv)
        except FileNotFoundError:
            return f"{argv[0]} is not installed"
        except (OSError, subprocess.SubprocessError) as exc:
            return f"{argv[0]} could not run ({type(exc).__name__})"
        if done.returncode != 0:
            why = (done.stderr or done.stdout or "").strip().splitlines()
            return f"exit status {done.returncode}" + (f": {why[0][:160]}" if why else "")
        return None

    def run_all(self, commands: list[list[str]], dry_run: bool, tolerate: bool = False) -> Changes:
        """Run ``commands`` in order; on the first failure, one line with what to run by hand."""
        lines = Changes()
        for index, argv in enumerate(commands):
            if dry_run:
                lines.append(f"Would run: {shlex.join(argv)}")
                continue
            problem = self.run(argv)
            if problem is None:
                lines.append(f"Ran: {shlex.join(argv)}")
            elif not tolerate:
                manual = " && ".join(shlex.join(a) for a in commands[index:])
                lines.append(
                    ByHand(f"Could not run `{shlex.join(argv)}` ({problem}); run it yourself: {manual}")
                )
                break
        return lines

    def install(self, spec: ScheduleSpec, dry_run: bool = False) -> Changes:
        """Write the entry, record it, enable it. Installing twice leaves one entry."""
        lines = Changes()
        records = load_records()
        files = self.artifacts(spec)
        previous = records.get(spec.account)
        if previous is not None and (
            previous["scheduler"] != self.name or set(previous["files"]) - {str(p) for p in files}
        ):
            # Installed elsewhere or under other names: take that down first, exactly as recorded.
            owner = self.factory(previous["scheduler"]) if self.factory else self
            lines += owner.remove(spec.account, dry_run)
            records = load_records()
        for path, data in files.items():
            if dry_run:
                lines.append(f"Would write {path}:")
                text = data.decode("utf-16" if path.suffix == ".xml" else "utf-8")  # schtasks wants UTF-16
                lines += ["    " + line for line in text.splitlines()]
            else:
                _write(path, data)
                lines.append(f"Wrote {path}")
        lines += self.write_entry(spec, dry_run)
        if not dry_run:
            records[spec.account] = make_record(spec, self.name, self.entry_name(spec.account), list(files))
            save_records(records)
        lines += self.run_all(self.reset_commands(self.entry_name(spec.account)), dry_run, tolerate=True)
        lines += self.run_all(self.enable_commands(spec, list(files)), dry_run)
        when = f"{spec.describe()}, " + ("check and fix" if spec.fix else "check only")
        lines.append(
            f"{_verb(lines, dry_run, 'Would schedule', 'Scheduled', _NOT_ACTIVE)} with {self.name}: {when} (account {spec.account})"
        )
        return Changes([*lines, *self.notes])

    def write_entry(self, spec: ScheduleSpec, dry_run: bool) -> Changes:
        """Entries that are not files (cron's crontab line)."""
        return Changes()

    def remove(self, account: str, dry_run: bool = False) -> Changes:
        """Disable and delete exactly what ``install`` recorded for ``account``."""
        records = load_records()
        entry = records.get(account)
        if entry is None:
            return Changes([f"No schedule is recorded for account {account}; nothing to remove"])
        if entry["scheduler"] != self.name and self.factory is not None:
            return self.factory(entry["scheduler"]).remove(account, dry_run)
        lines = self.run_all(self.disable_commands(entry["name"]), dry_run, tolerate=True)
        lines += self.delete_entry(entry, dry_run)
        for name in entry["files"]:
            path = Path(name)
            if dry_run:
                lines.append(f"Would delete {path}")
            elif path.exists():
                path.unlink()
                lines.append(f"Deleted {path}")
        lines += self.run_all(self.after_remove_commands(), dry_run, tolerate=True)
        if not dry_run:
            del records[account]
            save_records(records)
        verb = _verb(lines, dry_run, "Would remove", "Removed", "Forgot (finish by hand as said above)")
        if verb == "Removed" and any(isinstance(line, AlreadyGone) for line in lines):
            verb = "Forgot"  # honest: the entry was not there, so nothing was removed
        lines.append(f"{verb} the {entry['scheduler']} schedule of account {account}")
        return lines

    def delete_entry(self, entry: dict[str, Any], dry_run: bool) -> Changes:
        """Remove entries that are not files (cron's crontab line)."""
        return Changes()

    def after_remove_commands(self) -> list[list[str]]:
        """Commands run once the files are gone (systemd's daemon-reload)."""
        return []

    def status(self, account: str) -> dict[str, Any]:
        """What is recorded for ``account``, whether it is in place, and the next nominal run."""
        entry = load_records().get(account)
        if entry is None:
            return {"account": account, "installed": False, "scheduler": self.name, "files": []}
        if entry["scheduler"] != self.name and self.factory is not None:
            return self.factory(entry["scheduler"]).status(account)
        spec = spec_from_record(entry)
        upcoming = next_run(spec.calendar, datetime.now())
        return {
            "account": account,
            "installed": True,
            "scheduler": self.name,
            "name": entry["name"],
            "schedule": spec.describe(),
            "every": spec.every,
            "fix": spec.fix,
            "command": spec.command,
            "files": entry["files"],
            "files_present": all(Path(name).exists() for name in entry["files"]),
            "active": self.active(entry["name"]),
            "next_run": upcoming.isoformat(timespec="minutes") if upcoming else None,
            "installed_at": entry.get("installed_at"),
        }


_NOT_ACTIVE = "Recorded, but not active until the command above is run:"


def _verb(lines: Changes, dry_run: bool, would: str, done: str, partly: str) -> str:
    """The summary's verb: a dry run, a clean run, or one where a command must still be run by hand."""
    if dry_run:
        return would
    return partly if lines.unfinished else done


def _write(path: Path, data: bytes) -> None:
    # Not paths.write_private: these folders belong to the OS scheduler, so their modes are left as
    # they are; the files hold no secrets. Temp file + rename, so a scheduler never reads half a file.
    if path.is_relative_to(paths.state_dir()):
        paths.private_dir(path.parent)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.chmod(0o644)
    tmp.replace(path)


def private_tmp(name: str) -> Path:
    """A path in the private state directory for short-lived files (crontab text, task XML)."""
    return paths.private_dir(paths.state_dir() / "schedule") / name
