"""Objection forms (Meta): fill, submit once, prove it by the confirmation, remember it was sent.

A form has no state to read back after a reload, so the rules differ from a switch's:
- a form already sent (history remembers it, or the site shows its "already received" page) is
  never sent again;
- a dry run fills the form and stops: nothing is submitted;
- ``status`` and ``check`` never submit; they report whether it was sent;
- the form is submitted at most once per run (never retried); SENT is reported only when the
  site's confirmation was seen, anything else is a failure.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from optout_bot.errors import NeedsHuman, OptoutBotError, SettingUnavailable, SiteChanged
from optout_bot.flowspec import FlowSpec, FormField, FormSpec
from optout_bot.locate import resolve, target_candidates, wait_for_any
from optout_bot.navigate import path_of
from optout_bot.outcomes import ExitStatus, FlowOutcome, Result
from optout_bot.signin import detect_barrier

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from optout_bot.engine import FlowRunner

log = logging.getLogger(__name__)

# Results that mean "this account's objection was received": never send it again.
SENT_RESULTS = frozenset({Result.SENT, Result.ALREADY_SENT})

_NO_CONFIRMATION_REMEDY = (
    "do not send it again blindly: check the e-mail Meta sends about a day after an objection, or open "
    "the form in a browser; if the page changed, run 'optout-bot capture' and report it"
)


def sent_in_history(account: str, flow: str) -> bool:
    """True when the last recorded run of ``flow`` for ``account`` sent it or found it sent."""
    from optout_bot import history

    entry = history.last(account, flow)
    return entry is not None and entry.result in SENT_RESULTS


def _markers(page: Page, selectors: list[str]) -> Locator | None:
    """One locator matching any of ``selectors`` (None for none)."""
    combined: Locator | None = None
    for css in selectors:
        locator = page.locator(css)
        combined = locator if combined is None else combined.or_(locator)
    return combined


def _shown(locator: Locator | None) -> bool:
    return locator is not None and locator.locator("visible=true").count() > 0


def run_form(runner: FlowRunner, flow: FlowSpec, form: FormSpec) -> FlowOutcome:
    """The outcome of one form flow, run on ``runner``'s page (see the module docstring)."""
    options = runner.options
    outcome = partial(FlowOutcome, flow=flow.name, title=flow.title)
    sent_before = runner.job.sent_before or partial(sent_in_history, runner.job.account)
    if sent_before(flow.name):
        # Remembered: the form is not even opened, so nothing can be sent twice.
        return outcome(result=Result.ALREADY_SENT, message="sent in an earlier run (from the history)")
    if flow.reach == "steps":
        runner.walk_to(flow)
    else:
        runner.open(runner.base + flow.path)
    page = runner.page
    submit = target_candidates(page, form.submit)
    done = _markers(page, [*form.already_sent, *form.confirmation])
    waiting = submit + ([("sent", done)] if done is not None else [])
    if not wait_for_any(waiting, options.switch_timeout_ms):
        raise _missing(runner, flow)
    if _shown(done):
        runner.recorder.step("already-sent", page, "The site says the objection was already received")
        return outcome(result=Result.ALREADY_SENT, verified=True)
    if options.mode == "status":
        return outcome(result=Result.NOT_SENT)
    if options.mode == "check" and not options.fix:
        return outcome(result=Result.NOT_SENT, exit_status=ExitStatus.DRIFT)
    found = resolve(submit, visible_only=True)
    if found is None:
        raise SiteChanged(f"the send button of '{flow.title}' was not found exactly once")
    for field in form.fill:
        _fill(runner, flow, field)
    runner.recorder.step("form-filled", page, f"Filled the form '{flow.title}'")
    if options.dry_run:
        return outcome(result=Result.WOULD_SEND, message="dry run: the form was filled, not sent")
    _submit_once(runner, flow, found[1])
    if not _confirmed(runner, form):
        raise _unconfirmed(runner, flow)
    runner.recorder.step("confirmation", page, f"The site confirmed '{flow.title}'")
    return outcome(result=Result.SENT, verified=True, message="confirmation seen")


def _fill(runner: FlowRunner, flow: FlowSpec, field: FormField) -> None:
    """Put ``field``'s value in; a pre-filled e-mail is kept, never overwritten."""
    page = runner.page
    found = resolve([(css, page.locator(css)) for css in field.css])
    if found is None:
        if field.optional:
            log.info("%s: optional field %s not shown", flow.name, field.name)
            return
        raise SiteChanged(f"the field '{field.name}' of '{flow.title}' was not found")
    box = found[1]
    if field.source == "text":
        box.fill(field.text, timeout=runner.options.timeout_ms)
        return
    if box.input_value(timeout=runner.options.timeout_ms).strip():
        return  # the site filled in the account's address: that is the account the objection is for
    credentials = runner.job.signin.credentials
    if credentials is None or not box.is_editable():
        raise NeedsHuman(
            f"the form '{flow.title}' shows no e-mail address to send it for",
            kind="login",
            remedy="open the form in a browser, check the account and send it by hand",
        )
    box.fill(credentials.email, timeout=runner.options.timeout_ms)


def _submit_once(runner: FlowRunner, flow: FlowSpec, button: Locator) -> None:
    """Click send exactly once and wait for the page that answers it (never retried)."""
    from playwright.sync_api import Error as PlaywrightError

    log.info("%s: sending the form", flow.name)
    try:
        button.click(timeout=min(runner.options.timeout_ms, 5_000), no_wait_after=False)
    except PlaywrightError:
        raise SiteChanged(f"the send button of '{flow.title}' could not be clicked") from None
    try:
        runner.page.wait_for_load_state("load", timeout=runner.options.timeout_ms)
    except PlaywrightError:
        log.warning("%s: the page did not finish loading after sending", flow.name)


def _confirmed(runner: FlowRunner, form: FormSpec) -> bool:
    """Wait (auto-waiting) for the confirmation to show; False when it never does."""
    from playwright.sync_api import Error as PlaywrightError

    confirmation = _markers(runner.page, form.confirmation)
    if confirmation is None:
        return False
    try:
        confirmation.first.wait_for(state="visible", timeout=runner.options.timeout_ms)
    except PlaywrightError:  # a timeout, or the page went away: either way, not confirmed
        return False
    return True


def _unconfirmed(runner: FlowRunner, flow: FlowSpec) -> OptoutBotError:
    barrier = detect_barrier(runner.page, runner.site)
    if barrier is not None:
        return NeedsHuman(f"{barrier.message}: the form may not have been received", kind=barrier.kind)
    return SiteChanged(
        f"'{flow.title}' was sent once but no confirmation appeared on {path_of(runner.page.url)}",
        remedy=_NO_CONFIRMATION_REMEDY,
    )


def _missing(runner: FlowRunner, flow: FlowSpec) -> OptoutBotError:
    page = runner.page
    if any(page.locator(css).count() > 0 for css in flow.unavailable_css):
        return SettingUnavailable(f"'{flow.title}' says it is not available for this account")
    barrier = detect_barrier(page, runner.site)
    if barrier is not None:
        return NeedsHuman(f"{barrier.message}: a person must continue", kind=barrier.kind)
    return SiteChanged(f"the form '{flow.title}' was not found on {path_of(page.url)}")
