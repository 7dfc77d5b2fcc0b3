"""Benchmark optout-bot against the bare minimum, over the fake LinkedIn on real local HTTP.

    .venv/bin/python bench/run.py [--runs 7] [--scale-runs 3] [--write-readme]

Times whole processes from start to exit (median, min, max), the tool and bench/baseline.py
interleaved, after one unrecorded warm-up each: (a) ``optout-bot disable`` with a saved session,
switch ON → OFF verified; (b) ``optout-bot check`` with the switch OFF; (c) ``--help`` of the
command and of every subcommand; (d) ten settings against one in one browser, with peak memory.
Every run is checked (exit code, the fake's switch state, the saves it received): a run that did
the wrong thing stops the benchmark instead of producing a number. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from compare import busy, interleaved, log, ratio_row
from harness import FLOW, BenchError, Checked, bench_env, help_commands, prepare_session, tool_command
from measure import Sample, Series, machine_line, run_process
from scale import measure_scale
from table import BUSY_CORES, MemoryRow, Row, render, write_readme

BENCH = Path(__file__).resolve().parent
DISABLE_TARGET = 1.3
CHECK_TARGET = 1.2
STARTUP_TARGET_S = 0.3
# What a `disable` or `check` loads before it starts the browser (the CLI imports these on first use),
# against what the baseline script loads: Playwright alone.
RUN_MODULES = (
    "optout_bot.cli.running, optout_bot.app.runner, optout_bot.app.hooks, optout_bot.store.config, "
    "optout_bot.store.state, optout_bot.store.credentials, optout_bot.engine.flow"
)


def measure_startup(runs: int, env: dict[str, str], tool: list[str]) -> tuple[list[Row], float]:
    """``--help`` wall time of the command and every subcommand, next to a bare interpreter; and what
    starting optout-bot costs beyond starting Python (the medians' difference)."""
    commands = help_commands()
    run_process([*tool, "--help"], env)  # warm the file cache once
    log(f"start-up: --help of {len(commands)} commands, {runs} runs each")
    floor = Series([run_process([sys.executable, "-c", "pass"], env) for _ in range(runs)])
    results: dict[str, Series] = {}
    for command in commands:
        series = Series()
        for _ in range(runs):
            sample = run_process([*tool, *command, "--help"], env)
            if sample.exit_code != 0:
                raise BenchError(f"optout-bot {' '.join(command)} --help: exit {sample.exit_code}")
            series.samples.append(sample)
        results[" ".join(["optout-bot", *command])] = series
        log(f"  {' '.join(command) or '(root)'}: {series.median:.2f} s")
    top = results.pop("optout-bot")
    name, slowest = max(results.items(), key=lambda item: item[1].median)
    floor_text = f"{floor.spread()} `python -c pass`"
    target = f"< {STARTUP_TARGET_S} s"
    rows = [
        Row(
            "`optout-bot --help`",
            top.spread(),
            floor_text,
            "–",
            "–",
            target,
            top.median < STARTUP_TARGET_S,
            busy(top, floor),
        ),
        Row(
            f"slowest of {len(results)} subcommands' `--help`: `{name} --help`",
            slowest.spread(),
            floor_text,
            "–",
            "–",
            target,
            slowest.median < STARTUP_TARGET_S,
            busy(slowest, floor),
        ),
    ]
    return rows, top.median - floor.median


def measure_run_imports(runs: int, env: dict[str, str]) -> float:
    """What importing a run's modules costs beyond importing Playwright (the medians' difference)."""
    ours = Series([run_process([sys.executable, "-c", f"import {RUN_MODULES}"], env) for _ in range(runs)])
    theirs = Series(
        [run_process([sys.executable, "-c", "import playwright.sync_api"], env) for _ in range(runs)]
    )
    log(f"imports of a run: {ours.median:.2f} s, Playwright's alone: {theirs.median:.2f} s")
    return ours.median - theirs.median


def measure_all(runs: int, scale_runs: int, tmp: Path, env: dict[str, str]) -> str:
    """Every measurement; the generated Markdown."""
    from optout_bot.engine.browser import find_browser
    from optout_bot.model.loader import load_catalog
    from optout_bot.testing import FakeSite, Scenario, serve

    load_before = os.getloadavg()[0]
    flow = load_catalog().flow(FLOW)
    site = FakeSite(Scenario())
    tool, chromium = tool_command(), str(find_browser(local_copy=True).path)
    # The bench's site is a local copy, so both the tool and the baseline take a headless shell when one
    # is installed; one row runs `check` in the full browser the real sites get, to show the difference.
    window = find_browser()
    full_env = {**env, "OPTOUT_BOT_CHROMIUM_PATH": str(window.path)} if str(window.path) != chromium else None
    startup, start_cost = measure_startup(runs, env, tool)
    import_cost = measure_run_imports(runs, env)
    with serve(site) as url:
        storage = str(prepare_session(site, url, tmp))
        checked = Checked(site, env)
        key = {flow.switch.labelledby or ""}
        base = [sys.executable, str(BENCH / "baseline.py")]
        opts = ["--site-url", url, "--quiet"]
        page = url + flow.path

        def measured(
            what: str, argv: list[str], start_on: bool, env: dict[str, str] | None = None
        ) -> Callable[[], Sample]:
            return lambda: checked.run(what, argv, key, start_on, 0, env=env)

        log(f"disable: switch ON → OFF, verified; {runs} runs each, interleaved")
        disable = interleaved(
            runs,
            [
                ("tool", measured("disable", [*tool, "disable", *opts], True)),
                ("baseline", measured("baseline disable", [*base, "disable", storage, chromium, page], True)),
                (
                    "no-evidence",
                    measured("disable --no-evidence", [*tool, "disable", *opts, "--no-evidence"], True),
                ),
            ],
        )
        log(f"check: switch OFF; {runs} runs each, interleaved")
        check_pairs = [
            ("tool", measured("check", [*tool, "check", *opts], False)),
            ("baseline", measured("baseline check", [*base, "check", storage, chromium, page], False)),
        ]
        if full_env:
            check_pairs.append(
                ("full", measured("check (full Chromium)", [*tool, "check", *opts], False, full_env))
            )
        check = interleaved(runs, check_pairs)
        scale_rows, scale_memory, scale_note, scale_series = measure_scale(
            scale_runs, checked, url, tool, [*base, "disable", storage, chromium]
        )
    browser_version = json.loads(disable["baseline"].samples[-1].stdout)["browser"]
    rows = [
        ratio_row(
            "`disable` (saved session, ON → OFF, verified after reload)",
            disable["tool"],
            disable["baseline"],
            DISABLE_TARGET,
        ),
        ratio_row("`check` (saved session, reads OFF)", check["tool"], check["baseline"], CHECK_TARGET),
        ratio_row(
            "for comparison: `disable --no-evidence` (no screenshots)",
            disable["no-evidence"],
            disable["baseline"],
            None,
        ),
        *(
            [
                ratio_row(
                    "for comparison: `check` in the full Chromium (`OPTOUT_BOT_CHROMIUM_PATH`), against "
                    "`check` in the headless shell it takes on a local copy",
                    check["full"],
                    check["tool"],
                    None,
                )
            ]
            if "full" in check
            else []
        ),
        *startup,
        *scale_rows,
    ]
    memory = [
        MemoryRow("`optout-bot disable`", disable["tool"].peak_rss_mib, disable["tool"].peak_tree_mib),
        MemoryRow("baseline `disable`", disable["baseline"].peak_rss_mib, disable["baseline"].peak_tree_mib),
        *scale_memory,
    ]
    header = [
        f"Measured {datetime.now(UTC):%Y-%m-%d} by `bench/run.py` on: {machine_line(browser_version)}.",
        f"Whole processes, start to exit; {runs} recorded runs per row ({scale_runs} for scale), interleaved "
        "after one unrecorded warm-up each; the fake LinkedIn over local HTTP; headless. Targets are judged "
        "on the ratio of wall-time medians (in brackets: of the minimums, the least disturbed runs). "
        f"Load average (1 min) before the first run: {load_before:.1f} on {os.cpu_count()} cores "
        "(other work on the machine inflates wall times; CPU time, user + system of the whole process "
        "tree, is steadier).",
    ]
    notes = [
        "`disable` and `check` run as a person types them (`--site-url URL --quiet`) with the encrypted "
        "saved session; `disable` keeps its default before/after screenshots, run folder, HTML report and "
        "history. The baseline (`bench/baseline.py`): launch → context with the same cookies → open the "
        "setting → read → click → wait for the save → reload → read; for `check`: launch → open → read.",
        scale_note + " In the two scale rows the baseline column holds the same program's 1-setting run.",
        "Memory: largest process = peak RSS of the biggest single process (ru_maxrss from wait4); "
        "whole tree = peak sum of PSS over every process of the run, sampled from /proc every 50 ms.",
    ]
    elsewhere = sorted(
        s.elsewhere_cores
        for series in [*disable.values(), *check.values(), *scale_series]
        for s in series.samples
        if s.elsewhere_cores is not None
    )
    if elsewhere:
        header.append(
            "Other work on the machine while runs were measured (/proc/stat minus the measured processes): "
            f"median {statistics.median(elsewhere):.2f} cores, at most {elsewhere[-1]:.2f}."
        )
    # Measured beside every run, so it says more than the load average, which still remembers the minute
    # before the benchmark started.
    loaded = (
        statistics.median(elsewhere) > BUSY_CORES if elsewhere else load_before > (os.cpu_count() or 1) / 2
    )
    if not elsewhere and loaded:
        notes.append(
            "Caution: the machine was busy before the benchmark started, so these wall times are inflated "
            "and noisy; the CPU column is the steadier comparison."
        )
    evidence_cost = disable["tool"].median - disable["no-evidence"].median
    notes.append(
        f"`disable`'s default evidence (masked step screenshots, run folder, report) costs {evidence_cost:.2f} s "
        "of its median (`disable` minus `disable --no-evidence`)."
    )
    missed = [r.measure for r in rows if r.met is False]
    if missed:
        notes.append("Targets not met: " + "; ".join(missed) + ". bench/README.md says what costs the time.")
        notes.extend(why_missed(rows, disable, check, scale_series, start_cost + import_cost, loaded))
    return render(header, rows, memory, notes)


def why_missed(
    rows: list[Row],
    disable: dict[str, Series],
    check: dict[str, Series],
    scale: list[Series],
    start_cost: float,
    loaded: bool,
) -> list[str]:
    """Why each missed target is missed, in this run's own figures."""
    met = {r.measure.split(" ")[0]: r.met for r in rows}
    why: list[str] = []
    if met.get("`disable`") is False:
        gap = disable["tool"].median - disable["baseline"].median
        evidence = disable["tool"].median - disable["no-evidence"].median
        why.append(
            f"Why `disable` misses: it adds {gap:.2f} s to the baseline's {disable['baseline'].median:.2f} s; "
            f"{evidence:.2f} s of it is the default evidence and {start_cost:.2f} s is starting optout-bot "
            "(`optout-bot --help` minus `python -c pass`, plus importing a run's modules minus importing "
            "Playwright: pydantic, the flow and config models, keyring, cryptography). The rest is "
            "the run around the browser work: the saved session decrypted and saved again, the barrier and "
            "obstacle checks after each load, the lock, the history and the report."
        )
    if met.get("`check`") is False:
        gap = check["tool"].median - check["baseline"].median
        why.append(
            f"Why `check` misses: it adds {gap:.2f} s to the baseline's {check['baseline'].median:.2f} s, "
            f"{start_cost:.2f} s of it starting optout-bot and importing a run's modules (as for `disable`); a "
            "bare read has little browser work to hide the rest in: the lock, the session decrypted and saved "
            "again, the barrier and obstacle checks after the load."
        )
    if len(scale) == 4 and any(r.met is False and r.measure.startswith("10 settings") for r in rows):
        tool_1, tool_10, base_1, base_10 = scale
        why.append(
            f"Why ten settings miss: each further setting costs optout-bot {(tool_10.median - tool_1.median) / 9:.2f} s "
            f"and the baseline {(base_10.median - base_1.median) / 9:.2f} s (its page, click, save and verifying "
            f"reload; optout-bot adds two masked screenshots and the checks after each load), so even the bare "
            f"script takes {base_10.median / base_1.median:.2f}× for ten against one."
        )
    if loaded or any(r.busy for r in rows):
        why.append(
            "The machine was busy while this ran (see the load and the † rows): wall times are inflated and "
            "ratios move towards 1 or away from it at random; the CPU column is the steadier comparison."
        )
    return why


def main(argv: list[str] | None = None) -> int:
    """Run every measurement, print the table, and with ``--write-readme`` put it in the README."""
    parser = argparse.ArgumentParser(description="Benchmark optout-bot against a minimal Playwright script.")
    parser.add_argument("--runs", type=int, default=7, help="recorded runs per measurement (default 7)")
    parser.add_argument(
        "--scale-runs", type=int, default=3, help="recorded runs of the scale pair (default 3)"
    )
    parser.add_argument(
        "--write-readme", action="store_true", help="rewrite the README's performance section"
    )
    parser.add_argument("--readme", type=Path, default=BENCH.parent / "README.md", help="README to update")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.scale_runs < 1:
        parser.error("--runs and --scale-runs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="optout-bench-") as tmp:
        env = bench_env(Path(tmp))
        os.environ.clear()
        os.environ.update(env)  # the session is prepared in this process, into the same keyring
        try:
            generated = measure_all(args.runs, args.scale_runs, Path(tmp), env)
        except BenchError as exc:
            log(f"benchmark failed: {exc}")
            return 1
    print(generated)
    if args.write_readme:
        write_readme(args.readme, generated)
        log(f"wrote the performance section of {args.readme}")
    return 0  # a missed target is a result, shown in the table, not a failure of the benchmark


if __name__ == "__main__":
    sys.exit(main())
