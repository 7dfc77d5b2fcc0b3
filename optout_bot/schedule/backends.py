"""The four schedulers: systemd user timers, launchd agents, cron, Windows Task Scheduler."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from optout_bot.schedule import render
from optout_bot.schedule.install import AlreadyGone, BaseScheduler, ByHand, Changes, encode_text, private_tmp
from optout_bot.schedule.spec import ScheduleSpec
from optout_bot.store import paths


class SystemdScheduler(BaseScheduler):
    """``~/.config/systemd/user/optout-bot-<account>.{service,timer}``, enabled with ``systemctl --user``."""

    name = "systemd"
    notes = (
        "Note: user timers run only while you are logged in; `loginctl enable-linger` keeps them running "
        "(without a desktop session the keyring may be locked, and the run then notifies you).",
    )

    @property
    def unit_dir(self) -> Path:
        """Where user units live: ``$XDG_CONFIG_HOME/systemd/user``, else ``~/.config/systemd/user``."""
        xdg = os.environ.get("XDG_CONFIG_HOME")
        config_home = Path(xdg) if xdg and self.home == Path.home() else self.home / ".config"
        return config_home / "systemd" / "user"

    def entry_name(self, account: str) -> str:
        return f"{render.unit_stem(account)}.timer"

    def artifacts(self, spec: ScheduleSpec) -> dict[Path, bytes]:
        return {self.unit_dir / name: text.encode() for name, text in render.render_systemd(spec).items()}

    def enable_commands(self, spec: ScheduleSpec, files: list[Path]) -> list[list[str]]:
        timer = self.entry_name(spec.account)
        return [["systemctl", "--user", "daemon-reload"], ["systemctl", "--user", "enable", "--now", timer]]

    def disable_commands(self, name: str) -> list[list[str]]:
        return [["systemctl", "--user", "disable", "--now", name]]

    def after_remove_commands(self) -> list[list[str]]:
        return [["systemctl", "--user", "daemon-reload"]]

    def active(self, name: str) -> bool | None:
        try:
            done = self.runner(["systemctl", "--user", "is-active", name])
        except OSError:
            return None
        return done.stdout.strip() == "active"


class LaunchdScheduler(BaseScheduler):
    """``~/Library/LaunchAgents/org.optout-bot.<account>.plist``, loaded with ``launchctl bootstrap``."""

    name = "launchd"

    def domain(self) -> str:
        """The per-user GUI domain, ``gui/<uid>``."""
        return f"gui/{os.getuid()}"

    def entry_name(self, account: str) -> str:
        return render.launchd_label(account)

    def artifacts(self, spec: ScheduleSpec) -> dict[Path, bytes]:
        path = self.home / "Library" / "LaunchAgents" / f"{render.launchd_label(spec.account)}.plist"
        return {path: render.render_launchd(spec)}

    def reset_commands(self, name: str) -> list[list[str]]:
        # bootstrap refuses a label that is already loaded, so a re-install unloads it first; the
        # bootout fails harmlessly on a first install.
        return [["launchctl", "bootout", f"{self.domain()}/{name}"]]

    def enable_commands(self, spec: ScheduleSpec, files: list[Path]) -> list[list[str]]:
        return [["launchctl", "bootstrap", self.domain(), str(files[0])]]

    def disable_commands(self, name: str) -> list[list[str]]:
        return [["launchctl", "bootout", f"{self.domain()}/{name}"]]

    def active(self, name: str) -> bool | None:
        try:
            return self.runner(["launchctl", "print", f"{self.domain()}/{name}"]).returncode == 0
        except OSError:
            return None


class CronScheduler(BaseScheduler):
    """One line in the user's crontab, tagged ``# optout-bot:<account>``."""

    name = "cron"
    notes = (
        "Note: cron does not catch up on runs missed while the machine is off, and cron jobs usually "
        "cannot open a desktop keyring; prefer systemd or launchd where available.",
    )

    def entry_name(self, account: str) -> str:
        return render.cron_tag(account)

    def read_crontab(self) -> tuple[str | None, str | None]:
        """``(text, None)``, or ``(None, problem)``; no crontab yet counts as empty."""
        try:
            done = self.runner(["crontab", "-l"])
        except FileNotFoundError:
            return None, "crontab is not installed"
        except OSError as exc:
            return None, f"crontab could not run ({type(exc).__name__})"
        if done.returncode == 0:
            return done.stdout, None
        if "no crontab" in (done.stderr or "").lower():
            return "", None
        return None, f"`crontab -l` failed with exit status {done.returncode}"

    def write_crontab(self, text: str) -> str | None:
        """Install ``text`` as the crontab via a private temp file; the problem, if any."""
        tmp = private_tmp("crontab.txt")
        paths.write_private(tmp, encode_text(text))
        try:
            return self.run(["crontab", str(tmp)])
        finally:
            tmp.unlink(missing_ok=True)

    def write_entry(self, spec: ScheduleSpec, dry_run: bool) -> Changes:
        line = render.render_cron_line(spec)
        if dry_run:
            return Changes(
                [f"Would add to your crontab: {line}", "Would run: crontab -l, then crontab <new crontab>"]
            )
        current, problem = self.read_crontab()
        if current is None:
            # Never write a crontab we could not read: that would erase the user's other jobs.
            return Changes(
                [
                    ByHand(
                        f"Could not read your crontab ({problem}); add this line yourself with `crontab -e`: {line}"
                    )
                ]
            )
        # As text: only our tagged line changes (a parser would re-render the user's other jobs).
        problem = self.write_crontab(render.cron_with_line(current, self.entry_name(spec.account), line))
        if problem:
            return Changes(
                [
                    ByHand(
                        f"Could not write your crontab ({problem}); add this line yourself with `crontab -e`: {line}"
                    )
                ]
            )
        return Changes([f"Added to your crontab: {line}"])

    def delete_entry(self, entry: dict[str, Any], dry_run: bool) -> Changes:
        tag = entry["name"]
        if dry_run:
            return Changes([f"Would delete the crontab line tagged '# {tag}'"])
        current, problem = self.read_crontab()
        if current is None:
            return Changes(
                [
                    ByHand(
                        f"Could not read your crontab ({problem}); delete the line ending '# {tag}' with `crontab -e`"
                    )
                ]
            )
        remaining, found = render.cron_without_line(current, tag)
        if not found:
            return Changes(
                [
                    AlreadyGone(
                        f"Already gone: your crontab has no line tagged '# {tag}' (removed by hand?); nothing to delete"
                    )
                ]
            )
        problem = self.write_crontab(remaining)
        if problem:
            return Changes(
                [
                    ByHand(
                        f"Could not write your crontab ({problem}); delete the line ending '# {tag}' with `crontab -e`"
                    )
                ]
            )
        return Changes([f"Deleted the crontab line tagged '# {tag}'"])

    def active(self, name: str) -> bool | None:
        current, _ = self.read_crontab()
        if current is None:
            return None
        return render.cron_has_line(current, name)


class SchtasksScheduler(BaseScheduler):
    """Task ``optout-bot\\<account>`` imported from XML (the only way to set ``StartWhenAvailable``)."""

    name = "schtasks"

    def entry_name(self, account: str) -> str:
        return render.task_name(account)

    def artifacts(self, spec: ScheduleSpec) -> dict[Path, bytes]:
        path = paths.state_dir() / "schedule" / f"optout-bot-{spec.account}.xml"
        # Task Scheduler reads its XML as UTF-16 (the declaration says so); Python writes the BOM.
        return {path: render.render_schtasks_xml(spec).encode("utf-16")}

    def enable_commands(self, spec: ScheduleSpec, files: list[Path]) -> list[list[str]]:
        return [render.schtasks_create_argv(spec, files[0])]

    def disable_commands(self, name: str) -> list[list[str]]:
        return [["schtasks", "/delete", "/tn", name, "/f"]]

    def active(self, name: str) -> bool | None:
        try:
            return self.runner(["schtasks", "/query", "/tn", name]).returncode == 0
        except OSError:
            return None
