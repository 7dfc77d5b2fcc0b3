"""Run the real tool on one redrawn page and judge the outcome: passed, safe failure or harmful.

The tool runs exactly as ``disable`` runs it (``engine.run_account``, the function ``runner.execute``
calls, with the flow from the real catalog), in a fresh browser context per seed, signed in with a
saved session. Judging reads the fake, not only the tool's report: saves per key, cookie-banner
choices, offers taken, the final state of every switch on the page.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from optout_bot.engine.options import RunOptions
from optout_bot.model.outcomes import ExitStatus, Result
from tests.drift.mutate import Mutation, draw
from tests.drift.site import DriftSite
from tests.fake import run

Verdict = Literal["passed", "safe", "harmful"]

# The render delay is at most 3 s: 6 s to find the control is fair; pages load in well under 10 s.
OPTIONS = {"switch_timeout_ms": 6_000, "timeout_ms": 10_000}


@dataclass(frozen=True)
class SeedResult:
    mutation: Mutation
    verdict: Verdict
    outcome: str
    """What the tool said: exit status, result, message."""
    why: str
    """For a failure: what went wrong (the harm, or how it stopped)."""
    seconds: float


def harms(mutation: Mutation, site: DriftSite, result: Result, reported_off: bool) -> list[str]:
    """Everything that makes this run harmful (empty: nothing wrong was done)."""
    target = mutation.setting.key
    found: list[str] = []
    saves = site.all_saves
    others = sorted({str(k) for k, _ in saves if k != target})
    if others:
        found.append(f"saved another control ({', '.join(others)})")
    changed = sorted(k for k, v in site.initial.items() if k != target and site.state(k) != v)
    if changed:
        found.append(f"another control changed ({', '.join(changed)})")
    if "accept" in site.record.consent:
        found.append("cookie banner accepted")
    if site.record.offers_taken:
        found.append("promotion accepted")
    if mutation.dry_run and saves:
        found.append(f"{len(saves)} save(s) during a dry run")
    if any(k == target and v is True for k, v in saves):
        found.append("asked the site to turn the setting ON")
    if not mutation.start_on and site.state(target):
        found.append("ON at the end of a run that started OFF")
    if reported_off and site.state(target):
        found.append(f"false 'verified OFF' ({result.value}) while the site has it ON")
    return found


def passed(mutation: Mutation, site: DriftSite, result: Result, status: ExitStatus, verified: bool) -> bool:
    target = mutation.setting.key
    if mutation.offered != "yes":
        return status is ExitStatus.UNAVAILABLE
    if not mutation.start_on:
        return result is Result.ALREADY_OFF and not site.all_saves
    if mutation.dry_run:
        return result is Result.WOULD_CHANGE and site.state(target)
    if mutation.save.fails:
        return status is ExitStatus.TRANSIENT and site.state(target)
    return result is Result.CHANGED and verified and not site.state(target)


def run_seed(session: Any, seed: int) -> SeedResult:
    """Draw ``seed``'s page, run the tool on it once, judge."""
    mutation = draw(seed)
    site = DriftSite(mutation)
    options = RunOptions(dry_run=mutation.dry_run, **OPTIONS)  # type: ignore[arg-type]
    started = time.monotonic()
    report = run(session, site.fake, options, flows=[mutation.setting.flow])
    seconds = time.monotonic() - started
    (outcome,) = report.outcomes
    status = outcome.exit_status
    said = f"exit {int(status)} {outcome.result.value}" + (f": {outcome.message}" if outcome.message else "")
    reported_off = outcome.result in (Result.CHANGED, Result.ALREADY_OFF)
    harm = harms(mutation, site, outcome.result, reported_off)
    if harm:
        return SeedResult(mutation, "harmful", said, "; ".join(harm), seconds)
    if passed(mutation, site, outcome.result, status, outcome.verified):
        return SeedResult(mutation, "passed", said, "", seconds)
    why = f"expected {mutation.expected}"
    if status is ExitStatus.UNAVAILABLE and mutation.offered == "yes":
        # Not harm by the definition (nothing was done), but the person is told something false.
        why += "; said 'not offered' on a page that offers the setting"
    return SeedResult(mutation, "safe", said, why, seconds)


def summary(results: list[SeedResult]) -> str:
    """The one closing line ``make drift`` ends with."""
    count = {v: sum(r.verdict == v for r in results) for v in ("passed", "safe", "harmful")}
    return (
        f"drift: {count['passed']}/{len(results)} passed, {count['safe']} safe failures, "
        f"{count['harmful']} harmful"
    )


def table(results: list[SeedResult]) -> str:
    """Failures, harmful first: seed, verdict, what the tool said, why, mutations."""
    failed = [r for r in results if r.verdict != "passed"]
    failed.sort(key=lambda r: (r.verdict != "harmful", r.mutation.seed))
    lines = []
    for r in failed:
        lines.append(
            f"seed {r.mutation.seed:>4}  {r.verdict:<7}  {r.outcome}\n"
            f"           why: {r.why}\n           page: {r.mutation.describe()}"
        )
    return "\n".join(lines)


def category(result: SeedResult) -> str:
    """A failure's kind: the harm, or what the tool said with the page-specific parts left out."""
    if result.verdict == "harmful":
        return "harmful: " + re.sub(r" \([^)]*\)", "", result.why)
    said = re.sub(r"'[^']*'", "'…'", result.outcome)
    said = re.sub(r" on /\S+| \(the site answered HTTP \d+ to the change\)", "", said)
    false = " (FALSE: the page offers it)" if "said 'not offered'" in result.why else ""
    return f"{said}{false}  [expected {result.mutation.expected}]"


def categories(results: list[SeedResult]) -> list[str]:
    """``count  kind`` per kind of failure, most frequent first."""
    counts = Counter(category(r) for r in results if r.verdict != "passed")
    return [f"{n:>4}  {kind}" for kind, n in counts.most_common()]
