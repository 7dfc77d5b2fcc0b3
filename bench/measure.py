"""Timing and memory of whole processes, summary statistics, and a line describing the machine.

Standard library only (psutil is not a dependency): wall time is taken around the process from
``Popen`` to its reaping; CPU time and the largest single process's peak RSS come from
``os.wait4`` (the child's ``rusage`` covers the descendants it waited for: the Playwright driver,
Chromium). Chromium leaves some of its helper processes to be reaped by whoever adopts orphans, so
on Linux this process makes itself their "child subreaper" and reaps them too: without that, a
third of a run's CPU went uncounted. The whole tree's memory is sampled from ``/proc``.
"""

from __future__ import annotations

import ctypes
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PROC = Path("/proc")
PR_SET_CHILD_SUBREAPER = 36
# How often the tree is sampled. The sampler runs in its own thread and never delays the measured
# process: the main thread reaps the child the moment it exits (os.wait4 blocks on the event).
SAMPLE_EVERY_S = 0.05


@dataclass
class Sample:
    """One whole process: wall time, exit code, memory and what it printed."""

    seconds: float
    exit_code: int
    cpu_seconds: float
    """User + system CPU time of the process and all its descendants (``wait4``, orphans included)."""
    max_rss_kib: int
    """Peak RSS of the largest single process in the tree (``ru_maxrss``)."""
    tree_pss_kib: int | None
    """Peak sum of PSS over the whole process tree (shared pages counted once), sampled; None off Linux."""
    elsewhere_cores: float | None = None
    """CPU used by everything else on the machine meanwhile, in cores (from /proc/stat); None off Linux."""
    stdout: str = ""
    stderr: str = ""


@dataclass
class Series:
    """Repeated samples of the same command."""

    samples: list[Sample] = field(default_factory=list)

    @property
    def times(self) -> list[float]:
        """Wall times in seconds."""
        return [s.seconds for s in self.samples]

    @property
    def median(self) -> float:
        """Median wall time."""
        return statistics.median(self.times)

    @property
    def cpu_median(self) -> float:
        """Median CPU time (user + system, whole tree) in seconds."""
        return statistics.median(s.cpu_seconds for s in self.samples)

    def spread(self) -> str:
        """``median (min–max)`` in seconds."""
        return f"{self.median:.2f} s ({min(self.times):.2f}–{max(self.times):.2f})"

    @property
    def elsewhere_cores(self) -> float:
        """CPU used by other work on the machine during these runs, in cores (0 when unknown).

        Totals over all runs, not a median of per-run ratios: /proc/stat counts in 10 ms ticks, too
        coarse for one 0.1 s run. Under two seconds in all, it is not judged at all (0).
        """
        known = [s for s in self.samples if s.elsewhere_cores is not None]
        seconds = sum(s.seconds for s in known)
        if seconds < 2.0:
            return 0.0
        return sum((s.elsewhere_cores or 0.0) * s.seconds for s in known) / seconds

    @property
    def peak_rss_mib(self) -> float:
        """The largest ``ru_maxrss`` over all samples, MiB."""
        return max(s.max_rss_kib for s in self.samples) / 1024

    @property
    def peak_tree_mib(self) -> float | None:
        """The largest sampled tree PSS over all samples, MiB (None when not measurable)."""
        values = [s.tree_pss_kib for s in self.samples if s.tree_pss_kib is not None]
        return max(values) / 1024 if values else None


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, from /proc/<pid>/stat."""
    tree: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # the process ended while we looked
        # The command name may contain spaces and parentheses: the fields start after the last ')'.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_pss_kib(root: int) -> int | None:
    """Sum of ``Pss`` over ``root`` and all its descendants, or None where /proc has no smaps_rollup."""
    if not (PROC / "self" / "smaps_rollup").exists():
        return None
    tree = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(tree.get(pid, []))
        try:
            for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except (OSError, ValueError):
            continue
    return total


def _sample_tree(pid: int, stop: threading.Event, peak: list[int | None]) -> None:
    while True:
        value = tree_pss_kib(pid)
        if value is None:
            return
        peak[0] = max(peak[0] or 0, value)
        if stop.wait(SAMPLE_EVERY_S):
            return


def _machine_busy_s() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (all cores, steal included)."""
    try:
        fields = [int(f) for f in (PROC / "stat").read_text().splitlines()[0].split()[1:9]]
    except (OSError, ValueError, IndexError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    """CPU seconds of this process (the fake site's server threads run here)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _adopt_orphans() -> bool:
    """Become the reaper of our descendants' orphans (Linux); False where that is not possible."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


ADOPTS_ORPHANS = sys.platform == "linux" and _adopt_orphans()


def _reap_orphans() -> tuple[float, int]:
    """Wait for every adopted orphan of the run just ended: their CPU seconds and peak RSS (KiB).

    Runs are measured one at a time, so any child left now belongs to that run. They have always
    exited with the browser; a blocking wait keeps "every process of the run" honest.
    """
    cpu, rss = 0.0, 0
    while ADOPTS_ORPHANS:
        try:
            _, _, usage = os.wait4(-1, 0)
        except ChildProcessError:
            break
        cpu += usage.ru_utime + usage.ru_stime
        rss = max(rss, int(usage.ru_maxrss))
    return cpu, rss


def run_process(argv: Sequence[str], env: dict[str, str], cwd: Path | None = None) -> Sample:
    """Run ``argv`` to completion; time it from start to exit and record its memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        busy_before, own_before = _machine_busy_s(), _own_cpu_s()
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        stop = threading.Event()
        peak: list[int | None] = [None]
        sampler = threading.Thread(target=_sample_tree, args=(proc.pid, stop, peak), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        stop.set()
        sampler.join()
        orphans_cpu, orphans_rss = _reap_orphans()
        busy_after, own = _machine_busy_s(), _own_cpu_s() - own_before
        cpu = usage.ru_utime + usage.ru_stime + orphans_cpu
        elsewhere = None
        if busy_before is not None and busy_after is not None:
            # Whatever the machine did beyond the measured tree and this process: other people's work.
            elsewhere = max(0.0, busy_after - busy_before - cpu - own) / seconds
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait
        out.seek(0)
        err.seek(0)
        return Sample(
            seconds=seconds,
            exit_code=proc.returncode,
            cpu_seconds=cpu,
            max_rss_kib=max(
                int(usage.ru_maxrss), orphans_rss
            ),  # KiB on Linux (bytes on macOS; not a target platform here)
            tree_pss_kib=peak[0],
            elsewhere_cores=elsewhere,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def _cpu_model() -> str:
    try:
        for line in (PROC / "cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return None


def machine_line(chromium: str) -> str:
    """CPU, cores, RAM, OS, Python, Playwright and Chromium versions on one line."""
    try:
        playwright = version("playwright")
    except PackageNotFoundError:
        playwright = "?"
    ram = _ram_gib()
    parts = [
        _cpu_model(),
        f"{os.cpu_count()} cores",
        f"{ram:.0f} GiB RAM" if ram else "RAM unknown",
        f"{platform.system()} {platform.release()}",
        f"Python {platform.python_version()}",
        f"Playwright {playwright}",
        f"Chromium {chromium}",
    ]
    return ", ".join(parts)
