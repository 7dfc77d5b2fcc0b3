"""The one engine: every flow of an account in one browser context, each run by the same rules.

Every flow file runs through here, so every flow is idempotent and verified for free: a switch is
read → compared → (dry run: recorded and stopped) → set → verified after a reload (switches.py); a
form is sent once and proven by its confirmation (forms.py). This module owns what both share: the
context and its saved session, navigation and sign-in, the trace, and turning every failure into an
outcome. It never imports the CLI; it returns a ``RunReport`` and raises only ``optout_bot.errors``.
Invariants (tested in tests/test_engine.py and the fault matrix):
- a switch that reads OFF is never clicked, and nothing is ever switched ON;
- CHANGED is reported only after the switch read OFF on a freshly reloaded page;
- a dry run never clicks a switch nor sends a form;
- credentials are submitted at most once per run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from optout_bot.engine.browser_errors import close_quietly, playwright_failure
from optout_bot.engine.forms import Contact, run_form
from optout_bot.engine.identity import Hosts, has_session, split_identity, with_identity
from optout_bot.engine.navigate import Landings, goto, path_of
from optout_bot.engine.obstacles import Obstacles
from optout_bot.engine.recorder import NullRecorder, Recorder
from optout_bot.engine.retry import navigation_policy
from optout_bot.engine.signin import SignIn, SignInPolicy, detect_barrier, drop_session
from optout_bot.engine.switches import run_switch
from optout_bot.engine.tracer import Tracer
from optout_bot.engine.walking import not_offered_or, walk_step
from optout_bot.errors import (
    Blocked,
    BrowserStopped,
    ErrorKind,
    LoginFailed,
    LoginRequired,
    NeedsHuman,
    OptoutBotError,
    RedirectLoop,
    SettingUnavailable,
    SiteChanged,
    TransientError,
)
from optout_bot.i18n import _
from optout_bot.model.flowspec import FlowSpec, SiteSpec
from optout_bot.model.outcomes import ExitStatus, FlowOutcome, Result, exit_status_for, worst

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Request

    from optout_bot.engine.browser import BrowserSession

log = logging.getLogger(__name__)

# Errors after which the other flows of the same account cannot succeed either.
ACCOUNT_FATAL = (NeedsHuman, LoginFailed, LoginRequired, Blocked, BrowserStopped)


@dataclass(frozen=True)
class RunOptions:
    """How to run; ``disable``, ``check`` and ``--dry-run`` differ only here."""

    mode: Literal["apply", "check", "status"] = "apply"
    fix: bool = False
    """With ``check``: switch a drifted setting off again (verified like ``apply``)."""
    dry_run: bool = False
    walk: bool | None = None
    """Click through the settings like a person; default: only in dry runs."""
    site_url: str | None = None
    """Replaces the site's base URL (a local copy of the site)."""
    timeout_ms: float = 15_000
    switch_timeout_ms: float = 10_000
    trace_path: Path | None = None
    """Record a Playwright trace here, started only once signed in (a trace records typed passwords)."""
    ignore_memory: bool = False
    """Forms: act as if history remembered no sending (``disable --resend``; ``capture``, which must see
    the form). It never sends by itself: status, check and dry runs still never submit, and the site's
    own "already received" notice still stops a sending."""

    @property
    def may_change(self) -> bool:
        """True when this run is allowed to click a switch."""
        return not self.dry_run and (self.mode == "apply" or (self.mode == "check" and self.fix))


class SessionStoreLike(Protocol):
    """What the engine needs of ``state.SessionStore``."""

    def load(self) -> dict[str, Any] | None: ...

    def save(self, storage_state: dict[str, Any]) -> None: ...


@dataclass
class AccountJob:
    """One account on one site and the flows to run for it."""

    account: str
    site: SiteSpec
    flows: list[FlowSpec]
    signin: SignInPolicy
    store: SessionStoreLike | None = None
    """The saved session; None for a site without sign-in (nothing is kept)."""
    remembered: Callable[[str], Result | None] | None = None
    """Form flows: what is remembered of sending ``flow`` for this account. Default: the history file."""
    contact: Contact = field(default_factory=Contact)
    """The account's own e-mail and phone, for forms that ask for them."""


@dataclass
class RunReport:
    """Everything one account's run found and did."""

    account: str
    site: str
    outcomes: list[FlowOutcome] = field(default_factory=list)
    browser_version: str = ""
    interrupted: bool = False
    """Ctrl-C stopped the run; the flows after the one in progress were not run."""

    @property
    def exit_status(self) -> ExitStatus:
        """The most severe status of all flows."""
        return worst([o.exit_status for o in self.outcomes])


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
                runner.session_valid
                and job.store is not None
                and not report.interrupted
                and has_session(context, job.site, runner.base)
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
        self.tracer = tracer
        self.job = job
        self.site = job.site
        self.options = options
        self.recorder = recorder
        self.base = (options.site_url or job.site.base_url).rstrip("/")
        self.policy = navigation_policy(sleep=retry_sleep) if retry_sleep else navigation_policy()
        self.hosts = Hosts(job.site, options.site_url)
        self.signin = SignIn(
            job.site,
            job.signin,
            options.timeout_ms,
            before_submit=tracer.stop if tracer else None,
            hosts=self.hosts,
        )
        self.dropped_session = False
        self.session_valid = False
        self.barrier_paths = [prefix for barrier in job.site.barriers for prefix in barrier.path_prefixes]
        self.last_error: OptoutBotError | None = None
        self._walked = False
        self.before: bool | None = None
        """The state the current flow's switch read first (switches.py sets it; a failure reports it)."""
        self.acting = False
        """Set just before the current flow clicks its switch or presses its send button."""
        self.sent = False
        """A request that can change something left the browser while ``acting``."""
        page.on("request", self._saw_request)
        self.obstacles = Obstacles(page, job.site, recorder)

    # --- one flow, with every failure turned into an outcome ---------------------------------------

    def run_guarded(self, flow: FlowSpec) -> FlowOutcome:
        """``run`` with errors recorded as a FAILED outcome plus failure evidence."""
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        self.last_error = None
        self.before = None
        self.recorder.begin(flow.name)
        self.acting = self.sent = False
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
            _failed(flow, error, evidence, before=self.before), submitted=self._may_have_sent(flow)
        )

    def interrupted(self, flow: FlowSpec) -> FlowOutcome:
        """The flow Ctrl-C stopped, with what already reached the site (a save, a sending) kept."""
        sent = self._may_have_sent(flow)
        done = " after the change was sent to the site; it was not read back" if sent else ""
        return FlowOutcome(
            flow=flow.name,
            title=flow.title,
            result=Result.FAILED,
            before=self.before,
            error=ErrorKind.INTERRUPTED,
            message=f"interrupted (Ctrl-C){done}",
            remedy="run 'optout-bot status' to read the setting" if sent else "",
            exit_status=ExitStatus.CTRL_C,
            submitted=sent and flow.form is not None,
            switched=sent and flow.form is None,
            interrupted=True,
        )

    def _may_have_sent(self, flow: FlowSpec) -> bool:
        # A form counts once its send button was pressed (never risk a second sending); a switch once
        # the browser sent the change (a save request after the click).
        return self.acting and (flow.form is not None or self.sent)

    def _saw_request(self, request: Request) -> None:
        if self.acting and request.method not in ("GET", "HEAD", "OPTIONS"):
            self.sent = True

    def run(self, flow: FlowSpec) -> FlowOutcome:
        """The outcome of ``flow``: a form to send (forms.py) or a switch to turn off (switches.py)."""
        if flow.form is not None:
            return run_form(self, flow, flow.form)
        return run_switch(self, flow)

    # --- navigation ----------------------------------------------------------------------------------

    def open(self, url: str) -> None:
        """Load ``url``; get past a sign-in page once; anything else that stops us raises."""
        try:
            goto(self.page, url, self.policy, self.site.blocked_statuses, self.options.timeout_ms)
        except RedirectLoop:
            if self.dropped_session:
                raise
            self.dropped_session = True
            drop_session(self.page, self.job.store, self.site.title)
            goto(self.page, url, self.policy, self.site.blocked_statuses, self.options.timeout_ms)
        with Landings(self.page) as landings:
            signed_in = self.signin.clear(self.page)
        if signed_in:
            # The site's redirect after the password (or after a dismissed question) usually lands on
            # ``url`` itself, freshly loaded: load it again only when it did not (issue 16).
            if not landings.arrived(url, self.site.blocked_statuses):
                goto(self.page, url, self.policy, self.site.blocked_statuses, self.options.timeout_ms)
            self.signin.clear(self.page)  # a second barrier now raises: never a second sign-in
        self.session_valid = True
        if self.tracer is not None:
            self.tracer.start()
        self.obstacles.clear()

    def walk_to(self, flow: FlowSpec) -> None:
        """From the site's home, click the way a person would, recording each step."""
        self.open(self.base + self.site.home_path)
        if not self._walked:  # a flow reached by steps walks again to verify: one "Signed in" is enough
            self.recorder.step("signed-in", self.page, _("Signed in to {site}").format(site=self.site.title))
            self._walked = True
        steps = [*self.site.nav, *flow.steps]
        for index, step in enumerate(steps):
            try:
                walked = walk_step(self, step)
            except SiteChanged as exc:
                self.hosts.check(self.page.url)  # led off the site: say so, never judge that page
                if detect_barrier(self.page, self.site) is not None:
                    walked = True  # a sign-in or security page instead of the next one: cleared below
                elif flow.reach == "page":
                    # Menus built by scripts (or kept out of a scrubbed capture) cannot be walked: a person
                    # would type the address. The arrival at the setting's page is judged as usual.
                    self.recorder.step(
                        "direct-address",
                        self.page,
                        _(
                            "The way to '{setting}' broke at '{step}' ({reason}); opened the setting's "
                            "address directly"
                        ).format(setting=_(flow.title), step=step.name, reason=exc.message),
                    )
                    self.open(self.base + flow.path)
                    return
                else:
                    raise not_offered_or(self, flow, steps[index:], exc) from None
            barrier = detect_barrier(self.page, self.site)
            if barrier is not None:
                self.signin.clear(self.page)
            if walked:
                self.obstacles.clear()
            # In words ("Opened Data controls"): a dialog's steps all stay on "/", so a path says nothing.
            self.recorder.step(step.name, self.page, _("Opened {path}").format(path=step.label))

    def missing(self, flow: FlowSpec, thing: str) -> OptoutBotError:
        """Why ``thing`` of ``flow`` (its switch, its form) is not on the page: not offered to this
        account, a barrier in the way, or a changed site."""
        page = self.page
        if any(page.locator(css).count() > 0 for css in flow.unavailable_css):
            return SettingUnavailable(f"'{flow.title}' says it is not available for this account")
        if not self.on_flow_page(flow):
            return SettingUnavailable(
                f"'{flow.title}' is not offered to this account (redirected to {path_of(page.url)})"
            )
        barrier = detect_barrier(page, self.site)
        if barrier is not None:
            return NeedsHuman(f"{barrier.message}: a person must continue", kind=barrier.kind)
        return SiteChanged(f"the {thing} for '{flow.title}' was not found on {path_of(page.url)}")

    def on_flow_page(self, flow: FlowSpec) -> bool:
        """True when the page is the flow's own page on the site's own host (not a redirect elsewhere)."""
        self.hosts.check(self.page.url)
        return path_of(self.page.url).rstrip("/") == flow.path.rstrip("/")
