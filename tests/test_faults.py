"""The fault matrix (issue #5): every injected failure × start state × command, with the invariants.

Each cell runs the real engine in-process on the shared browser against a fake LinkedIn that has
one fault injected (``tests/fault_site.py``), and checks what the *site* saw as well as what
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
The faults, commands and expected outcomes are in ``tests/fault_matrix.py``; the page is rendered and
parsed by ``tests/reliability_doc.py``.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from optout_bot import errors
from optout_bot.engine.flow import run_account
from optout_bot.engine.job import AccountJob, RunReport
from optout_bot.engine.options import RunOptions
from optout_bot.engine.recorder import ScreenshotRecorder
from optout_bot.engine.retry import MAX_ATTEMPTS, MAX_SECONDS
from optout_bot.engine.signin import SignInPolicy
from optout_bot.model.loader import load_catalog
from optout_bot.model.outcomes import Result
from optout_bot.testing import FakeSite, FixtureError, Scenario, serve
from tests.fake import PASSWORD, Creds, MemoryStore, signed_in_store
from tests.fault_harness import run_harness
from tests.fault_kinds import (
    FAULTS,
    Checkpoint,
    HttpError,
    NetworkFailure,
    Overlay,
    SaveFails,
    SaveNotPersisted,
    SessionExpires,
    SwitchVanishes,
)
from tests.fault_matrix import (
    CELL_SECONDS,
    CONDITIONS,
    FULL,
    KEY,
    SETTING,
    TIMEOUT_MS,
    Command,
    Condition,
    all_cells,
    cell_id,
    cells,
    distinct_path,
)
from tests.fault_site import FaultySite, attach, faulty_site
from tests.reliability_doc import (
    DOC,
    WRITE_DOC,
    Cell,
    documented_rows,
    expected_text,
    wanted_rows,
    write_doc,
)

FLOW = "linkedin.data-for-ai-improvement"
SECRET_COOKIES = ("li_at", "JSESSIONID")
SWITCH_TIMEOUT_MS = 2_000
# Page loads of one flow: open, open again after signing in, reload to verify (plus one spare).
VISITS_PER_PATH = 4
CELLS = cells()
RESULTS: list[Cell] = []  # filled by test_fault_matrix, written out by the module fixture


@pytest.fixture(scope="module", autouse=True)
def reliability_doc() -> Iterator[None]:
    """After a full run, write docs/reliability.md when OPTOUT_BOT_WRITE_RELIABILITY=1."""
    RESULTS.clear()
    started = time.monotonic()
    yield
    if WRITE_DOC:
        write_doc(RESULTS, time.monotonic() - started)


def _run(
    session: Any,
    site: FaultySite,
    options: RunOptions,
    store: MemoryStore,
    recorder: Any,
    waits: list[float],
    routed: bool,
) -> RunReport:
    prepare = (lambda context: attach(context, site)) if routed else None
    return run_account(session, _job(store), options, recorder, prepare, retry_sleep=waits.append)


def _job(store: MemoryStore) -> AccountJob:
    catalog = load_catalog()
    return AccountJob(
        account="matrix",
        site=catalog.site("linkedin"),
        flows=[catalog.flow(FLOW)],
        signin=SignInPolicy(Creds(), allow_password=True),
        remembered=lambda flow: None,  # switches only: no form to remember
        store=store,
    )


def _secrets(*stores: dict[str, Any] | None) -> set[str]:
    found = {PASSWORD}
    for state in stores:
        for cookie in (state or {}).get("cookies", []):
            if cookie["name"] in SECRET_COOKIES and len(cookie["value"]) >= 8:
                found.add(cookie["value"])
    return found


@pytest.mark.parametrize(("condition", "on", "command"), CELLS, ids=[cell_id(cell) for cell in CELLS])
def test_fault_matrix(
    playwright: Any,
    session: Any,
    condition: Condition,
    on: bool,
    command: Command,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = condition.expect(on, command)
    cell = Cell(condition.name, "ON" if on else "OFF", command.label, expected_text(expected))
    RESULTS.append(cell)
    caplog.set_level(logging.DEBUG)
    site = faulty_site(settings={KEY: on}, **condition.scenario)
    waits: list[float] = []
    options = RunOptions(
        **command.options,
        timeout_ms=TIMEOUT_MS,
        switch_timeout_ms=SWITCH_TIMEOUT_MS,
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
        written = [tmp_path]
        if condition.harness:
            done = run_harness(
                condition.harness,
                playwright=playwright,
                session=session,
                site=site,
                options=options,
                store=store,
                recorder_obj=recorder,
                run_engine=lambda own, prepare: run_account(
                    own, _job(store), options, recorder, prepare, waits.append
                ),
                retry_sleep=waits.append,
                monkeypatch=monkeypatch,
                tmp_path=tmp_path,
                command=command.label,
            )
            report, written = done.report, [tmp_path, *done.written]
            store.state = done.store_state if done.store_state is not None else store.state
            _check_history(done.history, condition, on, command)
        else:
            report = _run(session, site, options, store, recorder, waits, routed=not condition.over_http)
        cell.seconds = time.monotonic() - started

    saves = [r for r in site.requests if site.manifest.is_save(r.method, r.path)]
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
    assert all(
        r.body is not None and json.loads(r.body)["enabled"] is False for r in saves if r.status != 0
    ), saves
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
    assert max(per_path.values(), default=0) <= MAX_ATTEMPTS * VISITS_PER_PATH, per_path
    # One documented outcome, the one expected, with its one-line message, in time.
    assert (outcome.result, report.exit_status) == expected, outcome.message
    assert outcome.exit_status is report.exit_status
    if outcome.result is Result.FAILED:
        assert outcome.error is not None
        if outcome.error != "KeyboardInterrupt":  # Ctrl-C is the person's, not an error of ours
            assert issubclass(getattr(errors, outcome.error), errors.OptoutBotError)
        assert not outcome.verified
        assert outcome.message
        assert "\n" not in outcome.message
        assert outcome.remedy
    assert cell.seconds < CELL_SECONDS
    # No secret anywhere: report, logs, or files written for this run.
    secrets = _secrets(first_state, store.state)
    texts = [repr(report), caplog.text, *(o.message + o.remedy for o in report.outcomes)]
    for secret in secrets:
        assert not any(secret in text for text in texts)
    for path in {p for folder in written for p in folder.rglob("*")}:
        if path.is_file() and path.suffix != ".session" and "data" not in path.parts:
            data = path.read_bytes()
            assert not any(secret.encode() in data for secret in secrets), path
    cell.passed = True


def _check_history(entries: list[Any], condition: Condition, on: bool, command: Command) -> None:
    """Runs through the runner (or the CLI) leave exactly one readable history line for the flow;
    a change that reached the site before a Ctrl-C is in it, marked interrupted."""
    if condition.harness in ("browser-killed", "browser-killed-on-save", "disk-full"):
        return  # run by the engine alone: no history
    (entry,) = [e for e in entries if e.flow == FLOW]
    if condition.harness == "interrupt-after-click" and on and command.may_change:
        assert (entry.action, entry.interrupted, entry.exit_status) == ("switched-off", True, 130)
    else:
        assert not entry.interrupted


def test_make_test_runs_every_fault_on_each_distinct_path() -> None:
    """The cells left to `make faults` never leave a fault or a path through the engine unguarded."""
    kept = {(c.name, on, cmd.label) for c, on, cmd in all_cells() if distinct_path(c, on, cmd)}
    paths = [(True, "disable"), (True, "check"), (True, "disable --dry-run"), (False, "disable")]
    assert {(c.name, on, label) for c in CONDITIONS for on, label in paths} <= kept
    assert {(c.name, on, cmd.label) for c, on, cmd in all_cells() if c.name == "none"} <= kept  # all 8
    assert len(CELLS) == (len(list(all_cells())) if FULL else len(kept))


# --- docs/reliability.md ------------------------------------------------------------------------------


def test_reliability_doc_matches_the_matrix() -> None:
    """docs/reliability.md is generated from this matrix: same cells, same expectations, all passing."""
    if WRITE_DOC:
        pytest.skip("this run writes the file")
    assert DOC.is_file(), "run OPTOUT_BOT_WRITE_RELIABILITY=1 pytest tests/test_faults.py"
    assert sorted(documented_rows(DOC.read_text(encoding="utf-8"))) == sorted(wanted_rows())


# --- the fault models themselves (no browser) ----------------------------------------------------------


def _get(site: FakeSite, path: str, method: str = "GET", body: bytes | None = None) -> int:
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in site.session_cookies())
    headers = {"Cookie": cookies, "csrf-token": _csrf(cookies)}
    return site.handle(method, path, headers, body).status


def _csrf(cookies: str) -> str:
    value = next(part for part in cookies.split("; ") if part.startswith("JSESSIONID="))
    return value.partition("=")[2].strip('"')


SAVE = f"/mysettings-api/settingsApiSettings/{KEY}"


def test_a_fault_lets_after_through_then_fires_times_then_stops() -> None:
    site = FaultySite(Scenario(), [HttpError(status=502, path=SETTING, after=1, times=2)])
    assert [_get(site, SETTING) for _ in range(5)] == [200, 502, 502, 200, 200]
    assert _get(site, "/feed/") == 200  # another path never matched
    assert (site.fault_plan.seen, site.fault_plan.fired) == ([5], [2])


def test_method_filter_and_retry_after_header() -> None:
    site = FaultySite(Scenario(), [HttpError(status=429, retry_after="7", method="POST")])
    assert _get(site, SETTING) == 200
    answer = site.handle("POST", "/li/track", {}, b"{}")
    assert (answer.status, answer.header("retry-after")) == (429, "7")


def test_save_faults_touch_only_the_settings_api() -> None:
    body = json.dumps({"key": KEY, "enabled": False}).encode()
    site = FaultySite(Scenario(settings={KEY: True}), [SaveNotPersisted()])
    assert _get(site, SETTING) == 200
    assert _get(site, SAVE, "PUT", body) == 200
    assert site.state(KEY) is True  # answered success, kept nothing
    failing = FaultySite(Scenario(settings={KEY: True}), [SaveFails(status=503)])
    assert _get(failing, SAVE, "PUT", body) == 503
    assert failing.state(KEY) is True


def test_session_expiry_and_checkpoint_redirect_private_pages() -> None:
    site = FaultySite(Scenario(), [SessionExpires(path=SETTING, after=1)])
    assert _get(site, SETTING) == 200
    assert _get(site, SETTING) == 303  # to sign in
    checkpoint = FaultySite(Scenario(), [Checkpoint(challenge="captcha")])
    answer = checkpoint.handle("GET", SETTING, {}, None)
    assert answer.header("location") == "/checkpoint/challenge/funCaptchaInternal"
    assert checkpoint.handle("GET", "/checkpoint/challenge/funCaptchaInternal", {}, None).status == 200


def test_page_faults_inject_only_into_html_pages() -> None:
    site = FaultySite(Scenario(), [Overlay(path=SETTING), SwitchVanishes(path=SETTING)])
    cookies = {"Cookie": "; ".join(f"{c['name']}={c['value']}" for c in site.session_cookies())}
    page = site.handle("GET", SETTING, cookies, None).body.decode()
    assert page.index("data-fake-fault='overlay'") < page.rindex("</body>")
    assert "data-fake-fault='switch-vanishes'" in page
    assert site.handle("GET", "/feed/", cookies, None).body.count(b"data-fake-fault") == 0


def test_network_failure_is_held_back_over_http_and_unknown_fields_are_refused() -> None:
    site = FaultySite(Scenario(), [NetworkFailure(hang_ms=1234, times=1)])
    held = site.handle("GET", "/feed/", {}, None)
    assert (held.status, held.delay_ms) == (504, 1234)
    with pytest.raises(ValueError, match="Extra inputs are not permitted"):
        FAULTS.validate_python([{"kind": "http", "statuz": 500}])
    with pytest.raises(FixtureError, match="no-such-check"):
        FaultySite(Scenario(), [Checkpoint(challenge="no-such-check")])
