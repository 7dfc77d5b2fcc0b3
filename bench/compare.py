"""Interleaved repeated runs and how two series compare (shared by the benchmark's sections)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from measure import Sample, Series
from table import BUSY_CORES, Row

Pairs = list[tuple[str, Callable[[], Sample]]]


def log(message: str) -> None:
    """Progress on stderr; the table goes to stdout."""
    print(message, file=sys.stderr, flush=True)


def interleaved(runs: int, pairs: Pairs) -> dict[str, Series]:
    """One unrecorded warm-up each, then ``runs`` rounds; the order alternates every round."""
    for _, run in pairs:
        run()
    series = {name: Series() for name, _ in pairs}
    for round_ in range(runs):
        for name, run in pairs if round_ % 2 == 0 else pairs[::-1]:
            sample = run()
            series[name].samples.append(sample)
            log(f"  {name}: {sample.seconds:.2f} s wall, {sample.cpu_seconds:.2f} s CPU")
    return series


def cpu_text(tool: Series, base: Series) -> str:
    """``tool / baseline s (ratio)`` of the CPU-time medians."""
    return f"{tool.cpu_median:.2f} / {base.cpu_median:.2f} s ({tool.cpu_median / base.cpu_median:.2f}×)"


def ratio_text(tool: Series, base: Series) -> str:
    """The ratio of the medians (the one judged), then the ratio of the minimums (least disturbed)."""
    return f"{tool.median / base.median:.2f}× (mins {min(tool.times) / min(base.times):.2f}×)"


def ratio_row(measure: str, tool: Series, base: Series, target: float | None) -> Row:
    """A tool-versus-baseline row; a target is judged on the ratio of the wall-time medians."""
    ratio = tool.median / base.median
    met = None if target is None else ratio <= target
    return Row(
        measure,
        tool.spread(),
        base.spread(),
        ratio_text(tool, base),
        cpu_text(tool, base),
        f"≤ {target}×" if target else "–",
        met,
        busy(tool, base),
    )


def busy(*series: Series) -> bool:
    """True when other work disturbed any of ``series`` (on average above ``BUSY_CORES``)."""
    return any(s.elsewhere_cores > BUSY_CORES for s in series)
