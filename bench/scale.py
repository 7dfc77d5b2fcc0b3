"""Scale: ten settings against one in one browser, for optout-bot and for the baseline."""

from __future__ import annotations

from collections.abc import Callable

from compare import busy, interleaved, log, ratio_text
from harness import FLOW, BenchError, Checked
from measure import Sample, Series
from table import MemoryRow, Row

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
    if len(strict) < SCALE_N:
        raise BenchError(
            f"scale: {SCALE_N} settings are measured, profile 'strict' has {len(strict)} flow files"
        )
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
    one_key = {flow.switch.labelledby or ""}
    base_one = [*baseline, url + flow.path]

    def measured(what: str, argv: list[str], keys: set[str], saves: int) -> Callable[[], Sample]:
        return lambda: checked.run(what, argv, keys, True, 0, saves)

    log(f"scale: {SCALE_N} settings against 1 in one browser ({how}), {runs} runs each")
    series = interleaved(
        runs,
        [
            ("tool, 1", measured("scale: tool, 1 setting", one, one_key, 1)),
            ("tool, 10", measured("scale: tool, 10 settings", many, keys, SCALE_N)),
            ("baseline, 1", measured("scale: baseline, 1 setting", base_one, one_key, 1)),
            ("baseline, 10", measured("scale: baseline, 10 settings", base_many, keys, SCALE_N)),
        ],
    )
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
