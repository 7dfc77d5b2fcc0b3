"""The one engine: every flow of an account in one browser context, each run by the same rules.

Every flow file runs through here, so every flow is idempotent and verified for free: a switch is
read → compared → (dry run: recorded and stopped) → set → verified after a reload (switches.py); a
form is sent once and proven by its confirmation (forms.py). The two are the kinds of a flow, run
from one table (``ACTIONS``) with an ``ActionContext`` (context.py) that holds exactly what an action
may use. This module owns what they share: the browser context and its saved session, the trace, and
turning every failure into an outcome. It never imports the CLI; it returns a ``RunReport`` and raises
only ``optout_bot.errors``.
Invariants (tested in tests/test_engine.py and the fault matrix):
- a switch that reads OFF is never clicked, and nothing is ever switched ON;
- CHANGED is reported only after the switch read OFF on a freshly reloaded page;
- a dry run never clicks a switch nor sends a form;
- credentials are submitted at most once per run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from optout_bot.engine.browser_errors import close_quietly, playwright_failure
from optout_bot.engine.context import ActionContext, Attempt, Contact
from optout_bot.engine.forms import run_form
from optout_bot.engine.identity import Hosts, has_session, split_identity, with_identity
from optout_bot.engine.job import AccountJob, RunReport
from optout_bot.engine.navigate import path_of
from optout_bot.engine.navigator import Navigator
from optout_bot.engine.obstacles import Obstacles
from optout_bot.engine.options import RunOptions
from optout_bot.engine.recorder import NullRecorder, Recorder
from optout_bot.engine.signin import SignIn
from optout_bot.engine.switches import run_switch
from optout_bot.engine.tracer import Tracer
from optout_bot.errors import (
    Blocked,
    BrowserStopped,
    ErrorKind,
    LoginFailed,
    LoginRequired,
    NeedsHuman,
    OptoutBotError,
    TransientError,
)
from optout_bot.i18n import _
from optout_bot.model.flowspec import FlowKind, FlowSpec
from optout_bot.model.outcomes import ExitStatus, FlowOutcome, Result, exit_status_for

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

    from optout_bot.engine.browser import BrowserSession

log = logging.getLogger(__name__)

# Errors after which the other flows of the same account cannot succeed either.
ACCOUNT_FATAL = (NeedsHuman, LoginFailed, LoginRequired, Blocked, BrowserStopped)


def run_account(
    session: BrowserSession,
    job: AccountJob,
    options: RunOptions,
    recorder: Recorder | None = None,
    prepare_context: Callable[[BrowserContext], None] | None = None,
    retry_sleep: Callable[[float], Any] | None = None,
) -> RunReport:
    """Run every flow of ``job`` in one fresh browser context; one failed flow never stops the rest.

    ``prepare_context`` and ``retry_sleep`` are for the demo and tests (a fake site's routes, waits
    counted instead of slept)."""
    from playwright.sync_api import Error as PlaywrightError

    recorder = recorder or NullRecorder()
    report = RunReport(job.account, job.site.name, browser_version=session.browser.version)
    # One browser identity: the user agent the session was made with (identity.py).
    storage, agent = split_identity(job.store.load() if job.store else None)
    agent = agent or session.user_agent
    try:
        context = session.new_context(storage_state=storage, user_agent=agent)
    except PlaywrightError as exc:
        raise playwright_failure(exc) from None
    tracer = Tracer(context, options.trace_path)
    try:
        if prepare_context is not None:
            prepare_context(context)
        try:
            page = context.new_page()
        except PlaywrightError as exc:
            raise playwright_failure(exc) from None
        runner = FlowRunner(page, job, options, recorder, tracer, retry_sleep)
        _run_flows(runner, job, report)
        # Only a live session is kept: never one the site killed (li_at="delete me") or lost, nor one
        # a Ctrl-C cut short.
        try:
            if (
                runner.navigator.session_valid
                and job.store is not None
                and not report.interrupted
                and has_session(context, job.site, runner.navigator.base)
            ):
                job.store.save(with_identity(context.storage_state(), agent))
        except PlaywrightError as exc:  # the browser went away at the very end: results stand
            log.warning(
                "%s",
                _("The session could not be saved ({why}); the next run signs in again.").format(
                    why=playwright_failure(exc).message
                ),
                extra={"plain": True},
            )
    finally:
        close_quietly(tracer.stop)
        close_quietly(context.close)
    return report


def _run_flows(runner: FlowRunner, job: AccountJob, report: RunReport) -> None:
    """Every flow in turn; a Ctrl-C ends the run with what the flow in progress already did recorded."""
    fatal: OptoutBotError | None = None
    for flow in job.flows:
        if fatal is not None:
            report.outcomes.append(_failed(flow, fatal, []))
            continue
        try:
            outcome = runner.run_guarded(flow)
        except KeyboardInterrupt:
            report.outcomes.append(runner.interrupted(flow))
            report.interrupted = True
            return
        report.outcomes.append(outcome)
        if outcome.error and runner.last_error is not None and isinstance(runner.last_error, ACCOUNT_FATAL):
            fatal = runner.last_error


def _failed(
    flow: FlowSpec, error: OptoutBotError, evidence: list[str], before: bool | None = None
) -> FlowOutcome:
    return FlowOutcome(
        flow=flow.name,
        title=flow.title,
        result=Result.FAILED,
        before=before,
        error=error.error_kind,
        message=error.message,
        remedy=error.remedy,
        evidence=evidence,
        exit_status=exit_status_for(error),
    )


@dataclass(frozen=True)
class Action:
    """One kind of flow: how it runs, and when what it did may already have reached the site."""

    run: Callable[[ActionContext, FlowSpec], FlowOutcome]
    sent_once_pressed: bool
    """A form counts as sent once its send button was pressed (never risk a second sending); a switch
    only once the browser sent a change after the click (a save request)."""


# The flow's kind (``FlowSpec.kind``) chooses its action: a switch to turn off or a form to send.
ACTIONS: dict[FlowKind, Action] = {
    "switch": Action(run_switch, sent_once_pressed=False),
    "form": Action(run_form, sent_once_pressed=True),
}


class FlowRunner:
    """Runs flows on one page of one signed-in (or signing-in) context."""

    def __init__(
        self,
        page: Page,
        job: AccountJob,
        options: RunOptions,
        recorder: Recorder,
        tracer: Tracer | None = None,
        retry_sleep: Callable[[float], Any] | None = None,
    ) -> None:
        self.page = page
        self.job = job
        self.options = options
        self.recorder = recorder
        hosts = Hosts(job.site, options.site_url)
        signin = SignIn(
            job.site,
            job.signin,
            options.timeout_ms,
            before_submit=tracer.stop if tracer else None,
            hosts=hosts,
        )
        self.obstacles = Obstacles(page, job.site, recorder)
        self.navigator = Navigator(
            page,
            job.site,
            options,
            recorder=recorder,
            obstacles=self.obstacles,
            signin=signin,
            hosts=hosts,
            store=job.store,
            tracer=tracer,
            retry_sleep=retry_sleep,
        )
        # A form asks for the account's e-mail: the configured one, else the address it signs in with.
        credentials = job.signin.credentials
        signin_email = credentials.email if credentials is not None else None
        self.contact = Contact(email=job.contact.email or signin_email, phone=job.contact.phone)
        self.last_error: OptoutBotError | None = None
        self.attempt = Attempt()
        """What the flow in progress did so far (a fresh one per flow)."""
        page.on("request", lambda request: self.attempt.saw_request(request))

    def context(self) -> ActionContext:
        """What the action of the flow in progress receives (context.py)."""
        return ActionContext(
            page=self.page,
            site=self.job.site,
            options=self.options,
            recorder=self.recorder,
            obstacles=self.obstacles,
            navigator=self.navigator,
            attempt=self.attempt,
            account=self.job.account,
            contact=self.contact,
            remembered=self.job.remembered,
            sendings=self.job.sendings,
        )

    # --- one flow, with every failure turned into an outcome ---------------------------------------

    def run_guarded(self, flow: FlowSpec) -> FlowOutcome:
        """``run`` with errors recorded as a FAILED outcome plus failure evidence."""
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        self.last_error = None
        self.attempt = Attempt()
        self.recorder.begin(flow.name)
        try:
            return self.run(flow)
        except OptoutBotError as exc:
            error: OptoutBotError = exc
        except PlaywrightTimeout:
            error = TransientError(f"a step timed out on {path_of(self.page.url)}")
        except PlaywrightError as exc:
            error = playwright_failure(exc)
        self.last_error = error
        evidence = (
            []
            if isinstance(error, BrowserStopped)
            else self.recorder.failure(flow.name.split(".")[-1], self.page, error.message)
        )
        # A form whose send button was pressed may have been received: never let it look unsent.
        return replace(
            _failed(flow, error, evidence, before=self.attempt.before), submitted=self._may_have_sent(flow)
        )

    def interrupted(self, flow: FlowSpec) -> FlowOutcome:
        """The flow Ctrl-C stopped, with what already reached the site (a save, a sending) kept."""
        sent = self._may_have_sent(flow)
        done = " after the change was sent to the site; it was not read back" if sent else ""
        return FlowOutcome(
            flow=flow.name,
            title=flow.title,
            result=Result.FAILED,
            before=self.attempt.before,
            error=ErrorKind.INTERRUPTED,
            message=f"interrupted (Ctrl-C){done}",
            remedy="run 'optout-bot status' to read the setting" if sent else "",
            exit_status=ExitStatus.CTRL_C,
            submitted=sent and flow.kind == "form",
            switched=sent and flow.kind == "switch",
            interrupted=True,
        )

    def _may_have_sent(self, flow: FlowSpec) -> bool:
        attempt = self.attempt
        return attempt.acting and (ACTIONS[flow.kind].sent_once_pressed or attempt.sent)

    def run(self, flow: FlowSpec) -> FlowOutcome:
        """The outcome of ``flow``, by the action its kind names (``ACTIONS``)."""
        return ACTIONS[flow.kind].run(self.context(), flow)
