"""The fault matrix (issue #5): every injected failure × start state × command, with the invariants.

Each cell runs the real engine in-process on the shared browser against a fake LinkedIn that has
one fault injected (``optout_bot.fakesite.faults``), and checks what the *site* saw as well as what
the run reported:

- a run that started OFF never ends ON, and no save ever asks for ON;
- CHANGED / ALREADY_OFF only with ``verified`` and the fake actually OFF;
- dry runs and read-only checks send no save at all; a run sends at most one;
- credentials are submitted at most once;
- retries are bounded: recorded waits sum to at most ``retry.MAX_SECONDS``, no page is fetched
  more than ``MAX_ATTEMPTS`` times per visit;
- exactly one outcome with a documented exit code, the one this matrix expects, within a time bound;
- no password or session-cookie value in the report, the logs, or any file the recorder wrote.

``OPTOUT_BOT_WRITE_RELIABILITY=1`` makes a full run write docs/reliability.md from the results;
``test_reliability_doc_matches_the_matrix`` fails when that file no longer describes this matrix.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from optout_bot import errors
from optout_bot.engine import AccountJob, RunOptions, RunReport, run_account
from optout_bot.fakesite import FakeSite, Scenario, serve
from optout_bot.fakesite.faults import (
    Checkpoint,
    HttpError,
    NetworkFailure,
    Overlay,
    SaveFails,
    SaveNotPersisted,
    SessionExpires,
    Slow,
    SwitchVanishes,
    attach,
)
from optout_bot.loader import load_catalog
from optout_bot.outcomes import ExitStatus, Result
from optout_bot.recorder import ScreenshotRecorder
from optout_bot.retry import MAX_ATTEMPTS, MAX_SECONDS
from optout_bot.signin import SignInPolicy
from tests.fake import PASSWORD, Creds, MemoryStore, session_for, signed_in_store

KEY = "allowDataForGenerativeAI"
FLOW = "linkedin.data-for-ai-improvement"
SETTING = "/mypreferences/d/settings/data-for-ai-improvement"
SAVE_API = "/voyager/api/fake/settings"
SECRET_COOKIES = ("li_at", "JSESSIONID")
TIMEOUT_MS = 3_000
SWITCH_TIMEOUT_MS = 2_000
CELL_SECONDS = 30.0
# Page loads of one flow: open, open again after signing in, reload to verify (plus one spare).
VISITS_PER_PATH = 4
DOC = Path(__file__).resolve().parent.parent / "docs" / "reliability.md"
# Read at import: conftest's isolation removes OPTOUT_BOT_* variables while each test runs.
WRITE_DOC = os.environ.get("OPTOUT_BOT_WRITE_RELIABILITY") == "1"

Expected = tuple[Result, ExitStatus]


@dataclass(frozen=True)
class Command:
    """One way to run the flow, as the CLI spells it."""

    label: str
    options: dict[str, Any]

    @property
    def may_change(self) -> bool:
        return RunOptions(**self.options).may_change


COMMANDS = [
    Command("disable", {"mode": "apply"}),
    Command("check", {"mode": "check"}),
    Command("check --fix", {"mode": "check", "fix": True}),
    Command("disable --dry-run", {"mode": "apply", "dry_run": True}),
]


def baseline(on: bool, command: Command) -> Expected:
    """What a fault-free run reports."""
    if not on:
        return Result.ALREADY_OFF, ExitStatus.OK
    if command.options.get("dry_run"):
        return Result.WOULD_CHANGE, ExitStatus.OK
    if command.may_change:
        return Result.CHANGED, ExitStatus.OK
    return Result.DRIFT, ExitStatus.DRIFT


def always(status: ExitStatus) -> Callable[[bool, Command], Expected]:
    """Every cell fails with ``status``."""
    return lambda on, command: (Result.FAILED, status)


def when_clicking(status: ExitStatus) -> Callable[[bool, Command], Expected]:
    """Cells that click (ON, allowed to change) fail with ``status``; the rest are as without faults."""
    return lambda on, command: (Result.FAILED, status) if on and command.may_change else baseline(on, command)


@dataclass(frozen=True)
class Condition:
    """One row of faults: what is injected and what each cell must then report."""

    name: str
    what: str
    scenario: dict[str, Any] = field(default_factory=dict)
    expect: Callable[[bool, Command], Expected] = baseline
    over_http: bool = False
    """Serve the fake over local HTTP instead of Playwright routes (a held answer must not block routing)."""


GET = "GET"
CONDITIONS = [
    Condition("none", "no fault (baseline)"),
    Condition(
        "5xx-once", "the first page load answers HTTP 500", {"faults": [HttpError(method=GET, times=1)]}
    ),
    Condition(
        "5xx-always",
        "every page load answers HTTP 503",
        {"faults": [HttpError(status=503, method=GET)]},
        always(ExitStatus.TRANSIENT),
    ),
    Condition(
        "5xx-setting-page",
        "the setting's page always answers HTTP 502",
        {"faults": [HttpError(status=502, path=SETTING)]},
        always(ExitStatus.TRANSIENT),
    ),
    Condition(
        "5xx-on-verify",
        "the reload that verifies answers HTTP 503",
        {"faults": [HttpError(status=503, path=SETTING, method=GET, after=1)]},
        when_clicking(ExitStatus.TRANSIENT),
    ),
    Condition(
        "timeout-once",
        "the first page load times out (net::ERR_TIMED_OUT)",
        {"faults": [NetworkFailure(method=GET, times=1)]},
    ),
    Condition(
        "timeout-setting-page",
        "every load of the setting's page times out",
        {"faults": [NetworkFailure(path=SETTING)]},
        always(ExitStatus.TRANSIENT),
    ),
    Condition(
        "hang-once",
        f"the setting's page answers after 5 s (> the {TIMEOUT_MS // 1000} s timeout), once; real HTTP",
        {"faults": [Slow(path=SETTING, delay_ms=5_000, times=1)]},
        # A page load is retried; a click on the way (dry runs walk) is not.
        lambda on, command: (
            (Result.FAILED, ExitStatus.TRANSIENT) if command.options.get("dry_run") else baseline(on, command)
        ),
        over_http=True,
    ),
    Condition("slow", "every answer takes 0.8 s", {"faults": [Slow(delay_ms=800)]}),
    Condition(
        "429-retry-after",
        "the first page load answers 429 with Retry-After: 7",
        {"faults": [HttpError(status=429, retry_after="7", method=GET, times=1)]},
    ),
    Condition(
        "429-long-retry-after",
        "every page load answers 429 with Retry-After: 3600",
        {"faults": [HttpError(status=429, retry_after="3600", method=GET)]},
        always(ExitStatus.BLOCKED),
    ),
    Condition(
        "http-999",
        "every page load answers LinkedIn's HTTP 999",
        {"faults": [HttpError(status=999, method=GET)]},
        always(ExitStatus.BLOCKED),
    ),
    Condition(
        "save-fails",
        "the settings API answers HTTP 500",
        {"faults": [SaveFails()]},
        when_clicking(ExitStatus.SITE_CHANGED),
    ),
    Condition(
        "save-network-error",
        "the save request fails on the network",
        {"faults": [NetworkFailure(path=SAVE_API, error="failed")]},
        when_clicking(ExitStatus.SITE_CHANGED),
    ),
    Condition(
        "save-not-persisted",
        "the settings API answers success but keeps nothing",
        {"faults": [SaveNotPersisted()]},
        when_clicking(ExitStatus.SITE_CHANGED),
    ),
    Condition(
        "session-expires",
        "every session ends after the first page load (signs in again, once)",
        {"faults": [SessionExpires(method=GET, path="/[!_]*", after=1, times=1)]},
    ),
    Condition(
        "checkpoint",
        "after the first page load, every page redirects to an e-mail PIN check",
        {"faults": [Checkpoint(method=GET, after=1)]},
        lambda on, command: (
            (Result.FAILED, ExitStatus.NEEDS_HUMAN)
            if command.options.get("dry_run") or (on and command.may_change)
            else baseline(on, command)
        ),
    ),
    Condition(
        "switch-vanishes",
        "the switch is removed as the pointer reaches it",
        {"faults": [SwitchVanishes(path=SETTING)]},
        when_clicking(ExitStatus.SITE_CHANGED),
    ),
    Condition(
        "overlay",
        "a consent dialog covers the setting's page",
        {"faults": [Overlay(path=SETTING)]},
        when_clicking(ExitStatus.SITE_CHANGED),
    ),
    Condition("language-de", "the site is in German", {"language": "de"}),
    Condition(
        "button-switch",
        "redesign: the switch is a button[role=switch][aria-checked]",
        {"variant": "button-switch"},
    ),
]


@dataclass
class Cell:
    """One run of the matrix, as docs/reliability.md shows it."""

    condition: str
    start: str
    command: str
    expected: str
    outcome: str = ""
    exit_status: str = ""
    fired: int = 0
    waits: float = 0.0
    saves: int = 0
    sign_ins: int = 0
    seconds: float = 0.0
    passed: bool = False


RESULTS: list[Cell] = []


def _expected_text(expected: Expected) -> str:
    return f"{expected[0].value} / {int(expected[1])} {expected[1].name}"


@pytest.fixture(scope="module", autouse=True)
def reliability_doc() -> Iterator[None]:
    """After a full run, write docs/reliability.md when OPTOUT_BOT_WRITE_RELIABILITY=1."""
    RESULTS.clear()
    started = time.monotonic()
    yield
    if not WRITE_DOC:
        return
    size = len(CONDITIONS) * 2 * len(COMMANDS)
    if len(RESULTS) != size:
        pytest.fail(f"not writing {DOC.name}: {len(RESULTS)} of {size} cells ran (run the whole matrix)")
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(render_doc(RESULTS, time.monotonic() - started), encoding="utf-8")


@pytest.fixture
def session(playwright: Any, browser: Any) -> Any:
    return session_for(playwright, browser)


def _run(
    session: Any, site: FakeSite, options: RunOptions, store: MemoryStore, recorder: Any, routed: bool
) -> RunReport:
    catalog = load_catalog()
    job = AccountJob(
        account="matrix",
        site=catalog.site("linkedin"),
        flows=[catalog.flow(FLOW)],
        signin=SignInPolicy(Creds(), allow_password=True),
        store=store,
    )
    prepare = (lambda context: attach(context, site)) if routed else None
    return run_account(session, job, options, recorder, prepare)


def _secrets(*stores: dict[str, Any] | None) -> set[str]:
    found = {PASSWORD}
    for state in stores:
        for cookie in (state or {}).get("cookies", []):
            if cookie["name"] in SECRET_COOKIES and len(cookie["value"]) >= 8:
                found.add(cookie["value"])
    return found


@pytest.mark.parametrize("command", COMMANDS, ids=[c.label.replace(" ", "") for c in COMMANDS])
@pytest.mark.parametrize("on", [True, False], ids=["ON", "OFF"])
@pytest.mark.parametrize("condition", CONDITIONS, ids=[c.name for c in CONDITIONS])
def test_fault_matrix(
    session: Any,
    condition: Condition,
    on: bool,
    command: Command,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    expected = condition.expect(on, command)
    cell = Cell(condition.name, "ON" if on else "OFF", command.label, _expected_text(expected))
    RESULTS.append(cell)
    caplog.set_level(logging.DEBUG)
    site = FakeSite(Scenario(settings={KEY: on}, **condition.scenario))
    waits: list[float] = []
    options = RunOptions(
        **command.options,
        timeout_ms=TIMEOUT_MS,
        switch_timeout_ms=SWITCH_TIMEOUT_MS,
        retry_sleep=waits.append,
    )
    # Dry runs keep every step's screenshot (as the CLI does); all runs keep failure captures.
    recorder = ScreenshotRecorder(tmp_path / "run", ["input[type='password']"], keep_steps=options.dry_run)
    with ExitStack() as stack:
        if condition.over_http:
            url = stack.enter_context(serve(site))
            options = replace(options, site_url=url)
            store = MemoryStore({"cookies": site.session_cookies(url=url), "origins": []})
        else:
            store = signed_in_store(site)
        first_state = store.state
        started = time.monotonic()
        report = _run(session, site, options, store, recorder, routed=not condition.over_http)
        cell.seconds = time.monotonic() - started

    saves = [r for r in site.requests if r.method == "POST" and r.path == SAVE_API]
    (outcome,) = report.outcomes  # exactly one outcome for the one flow
    cell.outcome, cell.exit_status = (
        outcome.result.value,
        f"{int(report.exit_status)} {report.exit_status.name}",
    )
    cell.fired, cell.waits = site.fault_plan.total_fired, sum(waits)
    cell.saves, cell.sign_ins = len(saves), site.login_attempts

    # Never harmful: nothing ends ON that started OFF, nothing ever asks for ON.
    if not on:
        assert site.state(KEY) is False
    assert all(json.loads(r.body)["enabled"] is False for r in saves if r.status != 0), saves
    # Never reports OFF unless it read OFF after a fresh load, and the site agrees.
    if outcome.result in (Result.CHANGED, Result.ALREADY_OFF):
        assert outcome.verified
        assert outcome.after is False
        assert site.state(KEY) is False
    # Read-only runs send nothing; a changing run sends at most one save (one click).
    if not command.may_change:
        assert saves == []
        assert site.state(KEY) is on
    assert len(saves) <= 1
    assert site.login_attempts <= 1  # no login is retried
    # Retries are bounded in time and count.
    assert sum(waits) <= MAX_SECONDS, waits
    per_path = Counter((r.method, r.path) for r in site.requests)
    assert max(per_path.values()) <= MAX_ATTEMPTS * VISITS_PER_PATH, per_path
    # One documented outcome, the one expected, with its one-line message, in time.
    assert (outcome.result, report.exit_status) == expected, outcome.message
    assert outcome.exit_status is report.exit_status
    if outcome.result is Result.FAILED:
        assert outcome.error is not None
        assert issubclass(getattr(errors, outcome.error), errors.OptoutBotError)
        assert outcome.message
        assert "\n" not in outcome.message
        assert outcome.remedy
    assert cell.seconds < CELL_SECONDS
    # No secret anywhere: report, logs, or files written for this run.
    secrets = _secrets(first_state, store.state)
    texts = [repr(report), caplog.text, *(o.message + o.remedy for o in report.outcomes)]
    for secret in secrets:
        assert not any(secret in text for text in texts)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(secret.encode() in data for secret in secrets), path
    cell.passed = True


# --- docs/reliability.md ------------------------------------------------------------------------------


def render_doc(cells: list[Cell], wall: float) -> str:
    """The generated page: summary, the faults, and one table row per cell."""
    passed = sum(c.passed for c in cells)
    order = {
        (c.name, s, cmd.label): i
        for i, (c, s, cmd) in enumerate(
            (c, s, cmd) for c in CONDITIONS for s in ("ON", "OFF") for cmd in COMMANDS
        )
    }
    cells = sorted(cells, key=lambda c: order.get((c.condition, c.start, c.command), len(order)))
    lines = [
        "# Reliability: the fault matrix",
        "",
        "<!-- GENERATED by `OPTOUT_BOT_WRITE_RELIABILITY=1 pytest tests/test_faults.py`; do not edit by hand. -->",
        "",
        f"{len(cells)} cells, {passed} passed; the whole matrix took {wall:.0f} s "
        f"(slowest cell {max(c.seconds for c in cells):.1f} s; bound {CELL_SECONDS:.0f} s per cell).",
        "",
        "Each cell runs the real engine against the fake LinkedIn with one fault injected "
        "(`optout_bot/fakesite/faults.py`) and asserts the invariants listed in `tests/test_faults.py`: "
        "never ends ON when it started OFF; never reports OFF unless re-read after a reload; dry runs and "
        "checks send no save; at most one sign-in; retries bounded (waits ≤ "
        f"{MAX_SECONDS:.0f} s, ≤ {MAX_ATTEMPTS} attempts per load); exactly one documented outcome and exit "
        "code; no password or cookie value in any output, log or file.",
        "",
        "## Faults",
        "",
        "| Fault | What is injected |",
        "|---|---|",
        *(f"| `{c.name}` | {c.what} |" for c in CONDITIONS),
        "",
        "## Matrix",
        "",
        "Expected is what the test requires; Outcome and Exit are what the run reported. Fired: how often "
        "the fault hit; Waits: seconds of back-off the retry policy asked for (recorded, not slept); Saves: "
        "save requests the site received; Sign-ins: credential submissions.",
        "",
        "| Fault | Start | Command | Expected | Outcome | Exit | Fired | Waits (s) | Saves | Sign-ins | Time (s) | Pass |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in cells:
        lines.append(
            f"| `{c.condition}` | {c.start} | `{c.command}` | {c.expected} | {c.outcome or '-'} | "
            f"{c.exit_status or '-'} | {c.fired} | {c.waits:.0f} | {c.saves} | {c.sign_ins} | "
            f"{c.seconds:.1f} | {'pass' if c.passed else 'FAIL'} |"
        )
    return "\n".join(lines) + "\n"


def test_reliability_doc_matches_the_matrix() -> None:
    """docs/reliability.md is generated from this matrix: same cells, same expectations, all passing."""
    if WRITE_DOC:
        pytest.skip("this run writes the file")
    assert DOC.is_file(), "run OPTOUT_BOT_WRITE_RELIABILITY=1 pytest tests/test_faults.py"
    rows = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    cells = [row.split(" | ") for row in rows if row.count(" | ") >= 10]
    documented = [(r[0].strip("| `"), r[1], r[2].strip("`"), r[3], r[-1].rstrip(" |")) for r in cells]
    wanted = [
        (c.name, "ON" if on else "OFF", cmd.label, _expected_text(c.expect(on, cmd)), "pass")
        for c in CONDITIONS
        for on in (True, False)
        for cmd in COMMANDS
    ]
    assert sorted(documented) == sorted(wanted)


# --- the fault models themselves (no browser) ----------------------------------------------------------


def _get(site: FakeSite, path: str, method: str = "GET", body: bytes | None = None) -> int:
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in site.session_cookies())
    headers = {"Cookie": cookies, "csrf-token": _csrf(cookies)}
    return site.handle(method, path, headers, body).status


def _csrf(cookies: str) -> str:
    value = next(part for part in cookies.split("; ") if part.startswith("JSESSIONID="))
    return value.partition("=")[2].strip('"')


def test_a_fault_lets_after_through_then_fires_times_then_stops() -> None:
    site = FakeSite(Scenario(faults=[HttpError(status=502, path=SETTING, after=1, times=2)]))
    assert [_get(site, SETTING) for _ in range(5)] == [200, 502, 502, 200, 200]
    assert _get(site, "/feed/") == 200  # another path never matched
    assert (site.fault_plan.seen, site.fault_plan.fired) == ([5], [2])


def test_method_filter_and_retry_after_header() -> None:
    site = FakeSite(Scenario(faults=[HttpError(status=429, retry_after="7", method="POST")]))
    assert _get(site, SETTING) == 200
    answer = site.handle("POST", SAVE_API, {}, b"{}")
    assert (answer.status, answer.header("retry-after")) == (429, "7")


def test_save_faults_touch_only_the_settings_api() -> None:
    body = json.dumps({"key": KEY, "enabled": False}).encode()
    site = FakeSite(Scenario(settings={KEY: True}, faults=[SaveNotPersisted()]))
    assert _get(site, SETTING) == 200
    assert _get(site, SAVE_API, "POST", body) == 200
    assert site.state(KEY) is True  # answered success, kept nothing
    failing = FakeSite(Scenario(settings={KEY: True}, faults=[SaveFails(status=503)]))
    assert _get(failing, SAVE_API, "POST", body) == 503
    assert failing.state(KEY) is True


def test_session_expiry_and_checkpoint_redirect_private_pages() -> None:
    site = FakeSite(Scenario(faults=[SessionExpires(path=SETTING, after=1)]))
    assert _get(site, SETTING) == 200
    assert _get(site, SETTING) == 303  # to sign in
    checkpoint = FakeSite(Scenario(faults=[Checkpoint(challenge="captcha")]))
    answer = checkpoint.handle("GET", SETTING, {}, None)
    assert answer.header("location") == "/checkpoint/challenge/funCaptchaInternal"
    assert checkpoint.handle("GET", "/checkpoint/challenge/funCaptchaInternal", {}, None).status == 200


def test_page_faults_inject_only_into_html_pages() -> None:
    site = FakeSite(Scenario(faults=[Overlay(path=SETTING), SwitchVanishes(path=SETTING)]))
    cookies = {"Cookie": "; ".join(f"{c['name']}={c['value']}" for c in site.session_cookies())}
    page = site.handle("GET", SETTING, cookies, None).body.decode()
    assert page.index("data-fake-fault='overlay'") < page.rindex("</body>")
    assert "data-fake-fault='switch-vanishes'" in page
    assert site.handle("GET", "/feed/", cookies, None).body.count(b"data-fake-fault") == 0


def test_network_failure_is_held_back_over_http_and_unknown_fields_are_refused() -> None:
    site = FakeSite(Scenario(faults=[NetworkFailure(hang_ms=1234, times=1)]))
    held = site.handle("GET", "/feed/", {}, None)
    assert (held.status, held.delay_ms) == (504, 1234)
    with pytest.raises(ValueError, match="Extra inputs are not permitted"):
        Scenario.model_validate({"faults": [{"kind": "http", "statuz": 500}]})
    with pytest.raises(errors.ConfigError, match="no-such-check"):
        FakeSite(Scenario(faults=[Checkpoint(challenge="no-such-check")]))
