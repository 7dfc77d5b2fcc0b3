"""One run of a command for one account: lock, credentials, session, browser, engine, history.

The library entry point behind ``disable``, ``check``, ``status`` and ``demo``. It knows nothing
of the CLI: the CLI builds a ``RunRequest``, calls ``execute`` and prints the ``RunResult``. What
follows a run (the HTML report, alerts, health-check pings) is ``hooks``'s, which the CLI calls.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from optout_bot.app.request import Command, RunDeps, RunRequest, RunResult
from optout_bot.app.sendings import HistorySendingLog
from optout_bot.app.watchdog import Watchdog
from optout_bot.engine.context import NoSendingLog
from optout_bot.engine.flow import run_account
from optout_bot.engine.job import AccountJob, SessionStoreLike
from optout_bot.engine.password import Secret
from optout_bot.engine.recorder import Recorder, ScreenshotRecorder
from optout_bot.engine.signin import SignInPolicy
from optout_bot.errors import BrowserStopped, ErrorKind
from optout_bot.model.flowspec import FlowSpec, SiteSpec
from optout_bot.model.loader import load_catalog
from optout_bot.model.outcomes import FlowOutcome, Result
from optout_bot.model.urls import is_local_url
from optout_bot.store import history
from optout_bot.store.lock import run_lock
from optout_bot.store.paths import private_dir, state_dir

log = logging.getLogger(__name__)

__all__ = ["Command", "RunDeps", "RunRequest", "RunResult", "chosen_flows", "execute", "new_run_dir"]


_ACTIONS: dict[Result, history.Action] = {
    Result.CHANGED: "switched-off",
    Result.WOULD_CHANGE: "would-switch-off",
    Result.SENT: "sent-form",
    Result.WOULD_SEND: "would-send-form",
}


def _action(outcome: FlowOutcome) -> history.Action:
    # A form sent without a confirmation was still sent: history must say so, or a later run resends it;
    # a switch whose change reached the site before a Ctrl-C was still switched off by us.
    if outcome.submitted:
        return "sent-form"
    return "switched-off" if outcome.switched else _ACTIONS.get(outcome.result, "none")


def _browser_stopped(exc: Exception) -> BrowserStopped | None:
    """``exc`` as ``BrowserStopped`` when it says the browser went away (also a Playwright error that
    escaped the engine, e.g. from a context hook), else None."""
    from playwright.sync_api import Error as PlaywrightError

    from optout_bot.engine.browser_errors import browser_stopped, playwright_failure

    if isinstance(exc, BrowserStopped):
        return exc
    if isinstance(exc, PlaywrightError) or browser_stopped(exc):  # a dead driver raises a bare Exception
        error = playwright_failure(exc)
        return error if isinstance(error, BrowserStopped) else None
    return None


def _past_deadline(seconds: float) -> str:
    return f"the run did not finish within its {seconds:.0f} s limit and was stopped"


def _deadline_passed(outcome: FlowOutcome, seconds: float) -> FlowOutcome:
    # The browser stopped because the watchdog stopped it: say so, not "it crashed".
    if outcome.error is not ErrorKind.BROWSER_STOPPED:
        return outcome
    return replace(outcome, message=_past_deadline(seconds))


def _record(result: RunResult) -> None:
    request = result.request
    for outcome in result.outcomes:
        history.append(
            history.HistoryEntry(
                account=request.account,
                site=request.site,
                flow=outcome.flow,
                command=request.command,
                dry_run=request.options.dry_run,
                before=outcome.before,
                after=outcome.after,
                action=_action(outcome),
                result=outcome.result,
                exit_status=int(outcome.exit_status),
                evidence=str(result.run_dir) if result.run_dir and result.run_dir.exists() else None,
                message=outcome.message,
                interrupted=outcome.interrupted,
            )
        )


def _default_credentials(site: str, account: str) -> Secret | None:
    from optout_bot.store.credentials import load_credentials

    return load_credentials(site, account)


def _default_store(site: str, account: str) -> SessionStoreLike:
    from optout_bot.store.state import SessionStore

    return SessionStore(site, account)


def new_run_dir(root: Path | None, account: str, command: str) -> Path:
    """``<state>/runs/<UTC time>-<account>-<command>`` (created only when something is written)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return (root or state_dir() / "runs") / f"{stamp}-{account}-{command}"


def chosen_flows(request: RunRequest) -> tuple[SiteSpec, list[FlowSpec]]:
    """The request's site and flows: the named ones, else every flow of its profile on that site."""
    catalog = load_catalog()
    site = catalog.site(request.site)
    if request.flows:
        return site, [catalog.flow(n) for n in request.flows]
    return site, catalog.profile(request.profile, site.name)


def execute(request: RunRequest, deps: RunDeps | None = None) -> RunResult:
    """Run ``request`` under the account's lock with ``deps`` (default: the product's own) and return
    what happened."""
    deps = deps or RunDeps()
    site, flows = chosen_flows(request)
    mode: dict[Command, Any] = {"disable": "apply", "check": "check", "status": "status"}
    options = request.options
    if options.mode != mode[request.command]:
        options = replace(options, mode=mode[request.command])
    started = datetime.now(UTC)
    # The deadline covers everything done while the lock is held: nothing may keep it for ever.
    with run_lock(request.account), Watchdog(request.deadline_s) as watchdog:
        credentials: Secret | None = None
        store: SessionStoreLike | None = None
        if site.has_accounts:  # a site without sign-in needs no keyring and keeps no session
            credentials = deps.credentials or _default_credentials(site.name, request.account)
            store = deps.store or _default_store(site.name, request.account)
        run_dir = new_run_dir(deps.runs_root, request.account, request.command)
        if request.trace:
            options = replace(options, trace_path=private_dir(run_dir) / "trace.zip")
        recorder: Recorder
        if deps.recorder_factory is not None:
            recorder = deps.recorder_factory(run_dir, site.private_css)
        else:
            recorder = ScreenshotRecorder.for_run(
                run_dir, site.private_css, evidence=request.evidence, dry_run=options.dry_run
            )
        job = AccountJob(
            account=request.account,
            site=site,
            flows=flows,
            signin=SignInPolicy(credentials, request.allow_password, deps.ask_pin),
            remembered=partial(history.remembered_sending, request.account),
            store=store,
            contact=request.contact,
            # A form's press is written down before it happens (app/sendings.py).
            sendings=HistorySendingLog(request.account, request.site, request.command)
            if request.record_history
            else NoSendingLog(),
        )
        # A copy of the site on this machine may run in a headless shell; the real site never (browser.py).
        local_copy = request.fake_site or is_local_url(options.site_url or "")
        with deps.launch(request.chromium_path, headless=request.headless, local_copy=local_copy) as session:
            watchdog.stop_with(partial(deps.stop_driver, session.playwright))
            try:
                report = run_account(session, job, options, recorder, deps.prepare_context, deps.retry_sleep)
            except Exception as exc:  # noqa: BLE001 - only a browser that went away is translated
                stopped = _browser_stopped(exc)
                if stopped is None:
                    raise
                if watchdog.expired:
                    raise BrowserStopped(_past_deadline(request.deadline_s)) from None
                raise stopped from None
        if watchdog.expired:
            report.outcomes = [_deadline_passed(o, request.deadline_s) for o in report.outcomes]
        if report.interrupted:
            # The driver saw the same Ctrl-C: Playwright's pending answers die with it, and asyncio would
            # print "Future exception was never retrieved" for each. The run has recorded what it did.
            logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        result = RunResult(
            request, report, run_dir if run_dir.exists() else None, started, datetime.now(UTC), site.title
        )
        if request.record_history:
            _record(result)
    return result
