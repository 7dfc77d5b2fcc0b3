"""Scale: ten settings against one in one browser, for optout-bot and for the baseline."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from compare import busy, interleaved, log, ratio_text
from harness import FLOW, Checked, Rearm
from measure import Sample, Series
from table import MemoryRow, Row

BENCH = Path(__file__).resolve().parent
SCALE_N = 10
SCALE_TARGET = 2.0


def measure_scale(
    runs: int, checked: Checked, url: str, tool: list[str], baseline: list[str]
) -> tuple[list[Row], list[MemoryRow], str, list[Series]]:
    """Ten settings against one in one browser, for the tool and the baseline: rows, memory, a note."""
    from optout_bot.model.loader import load_catalog

    catalog = load_catalog()
    flow = catalog.flow(FLOW)
    strict = catalog.profile("strict", flow.site)
    rearm: Rearm | None = None
    if len(strict) >= SCALE_N:
        # Exactly ten distinct settings (the "ten settings"), picked from profile 'strict'.
        chosen = strict[:SCALE_N]
        how, how_one = "`disable --flow` ×10", "`disable --flow`"
        picks = [arg for f in chosen for arg in ("--flow", f.name)]
        many = [*tool, "disable", *picks, "--site-url", url, "--quiet"]
        one = [*tool, "disable", "--flow", FLOW, "--site-url", url, "--quiet"]
        base_many = [*baseline, *(url + f.path for f in chosen)]
        keys = {f.switch.labelledby or "" for f in chosen}
        note = (
            f"Scale: `optout-bot disable` with ten `--flow` options (the first ten of the {len(strict)} "
            f"LinkedIn flow files in profile 'strict') against `--flow {FLOW}`, both as a person runs them; "
            "the baseline does the same ten pages in one context."
        )
    else:
        how = how_one = "engine in-process"
        worker = [sys.executable, str(BENCH / "engine_worker.py"), url]
        many, one = [*worker, str(SCALE_N), FLOW], [*worker, "1", FLOW]
        base_many = [*baseline, *[url + flow.path] * SCALE_N]
        keys = {flow.switch.labelledby or ""}
        note = (
            f"Scale: only {len(strict)} flow file(s) in profile 'strict' so far, so `bench/engine_worker.py` "
            f"runs the engine in-process (`engine.run_account` with {SCALE_N} copies of `{FLOW}` in one "
            "browser context, screenshots kept as `disable` does); the fake turns the switch back ON before "
            "each copy, so each does the full ON → OFF → verify work (the baseline too). With ten flow "
            "files the script runs ten of them through the CLI instead."
        )
        rearm = Rearm(checked.site, flow.path, flow.switch.labelledby or "")
        checked.site.intercepts.append(rearm)
    one_key = {flow.switch.labelledby or ""}
    base_one = [*baseline, url + flow.path]

    def measured(what: str, argv: list[str], keys: set[str], saves: int) -> Callable[[], Sample]:
        def run() -> Sample:
            if rearm is not None:
                rearm.reset()
            return checked.run(what, argv, keys, True, 0, saves)

        return run

    log(f"scale: {SCALE_N} settings against 1 in one browser ({how}), {runs} runs each")
    try:
        series = interleaved(
            runs,
            [
                ("tool, 1", measured("scale: tool, 1 setting", one, one_key, 1)),
                ("tool, 10", measured("scale: tool, 10 settings", many, keys, SCALE_N)),
                ("baseline, 1", measured("scale: baseline, 1 setting", base_one, one_key, 1)),
                ("baseline, 10", measured("scale: baseline, 10 settings", base_many, keys, SCALE_N)),
            ],
        )
    finally:
        if rearm is not None:
            checked.site.intercepts.remove(rearm)
    rows = []
    for who, target in (("tool", SCALE_TARGET), ("baseline", None)):
        single, multi = series[f"{who}, 1"], series[f"{who}, 10"]
        ratio = multi.median / single.median
        rows.append(
            Row(
                f"{SCALE_N} settings vs 1, one browser: "
                + (f"optout-bot ({how})" if who == "tool" else "the baseline (for comparison)"),
                multi.spread(),
                single.spread(),
                ratio_text(multi, single),
                f"{multi.cpu_median:.2f} / {single.cpu_median:.2f} s",
                f"≤ {target}×" if target else "–",
                None if target is None else ratio <= target,
                busy(single, multi),
            )
        )
    memory = [
        MemoryRow(f"1 setting, {how_one}", series["tool, 1"].peak_rss_mib, series["tool, 1"].peak_tree_mib),
        MemoryRow(
            f"{SCALE_N} settings, {how}", series["tool, 10"].peak_rss_mib, series["tool, 10"].peak_tree_mib
        ),
        MemoryRow(
            f"{SCALE_N} settings, baseline",
            series["baseline, 10"].peak_rss_mib,
            series["baseline, 10"].peak_tree_mib,
        ),
    ]
    return rows, memory, note, list(series.values())
