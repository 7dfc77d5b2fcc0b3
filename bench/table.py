"""The results as a Markdown table, and the README section that holds it (between markers)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"
HEADING = "## Performance"
BUSY_CORES = 0.2
INTRO = (
    "What optout-bot costs beyond the browser work it must do, measured against a minimal hand-written\n"
    "Playwright script (`bench/baseline.py`). Regenerate with `.venv/bin/python bench/run.py --write-readme`\n"
    "(`make bench` only prints the table): the text between the markers below is written by the script,\n"
    "never by hand. How it measures: bench/README.md."
)


@dataclass
class Row:
    """One line of the timing table."""

    measure: str
    tool: str
    baseline: str
    ratio: str
    cpu: str
    target: str
    met: bool | None
    busy: bool = False
    """Other work on the machine took more than ``BUSY_CORES`` on average while this row was measured."""


@dataclass
class MemoryRow:
    """One line of the memory table."""

    what: str
    largest_mib: float
    tree_mib: float | None


def _met(value: bool | None) -> str:
    return "–" if value is None else ("yes" if value else "**no**")


def render(header: list[str], rows: list[Row], memory: list[MemoryRow], notes: list[str]) -> str:
    """The generated Markdown: header lines, the timing table, the memory table, notes."""
    lines = [*header, ""]
    lines += [
        "| Measure | optout-bot: median (min–max) | baseline: median (min–max) | ratio | CPU time | target | met |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    lines += [
        f"| {r.measure}{' †' if r.busy else ''} | {r.tool} | {r.baseline} | {r.ratio} | {r.cpu} | {r.target} "
        f"| {_met(r.met)} |"
        for r in rows
    ]
    lines += [
        "",
        "| Peak memory | largest process (RSS) | whole process tree (PSS, sampled) |",
        "|---|---:|---:|",
    ]
    for m in memory:
        tree = f"{m.tree_mib:.0f} MiB" if m.tree_mib is not None else "n/a"
        lines.append(f"| {m.what} | {m.largest_mib:.0f} MiB | {tree} |")
    if any(r.busy for r in rows):
        notes = [
            f"† Other work on the machine used more than {BUSY_CORES} cores on average while this row was "
            "measured: its wall times are inflated; read its CPU column.",
            *notes,
        ]
    if notes:
        lines.append("")
        lines += [f"- {note}" for note in notes]
    return "\n".join(lines)


def write_readme(path: Path, generated: str) -> None:
    """Replace only the text between the markers; add the section at the end when it is missing."""
    text = path.read_text(encoding="utf-8")
    block = f"{START}\n{generated}\n{END}"
    if START in text and END in text and text.index(START) < text.index(END):
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + f"\n\n{HEADING}\n\n{INTRO}\n\n{block}\n"
    path.write_text(text, encoding="utf-8")
