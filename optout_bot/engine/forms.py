"""Objection forms (Meta, WhatsApp): fill, submit once, prove it by the confirmation, remember it.

A form has no state to read back after a reload, so the rules differ from a switch's:
- a form already sent (history remembers it, or the site shows its "already received" page) is
  never sent again;
- a form sent once without a confirmation is remembered too, and never sent again by itself:
  only ``--resend`` sends it again (the site may well have received it);
- a dry run fills the form and stops: nothing is submitted;
- ``status`` and ``check`` never submit; they report whether it was sent;
- the form is submitted at most once per run (never retried); SENT is reported only when the
  site's confirmation was seen.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from optout_bot.engine.barriers import detect_barrier
from optout_bot.engine.browser_errors import browser_stopped
from optout_bot.engine.locate import resolve, target_candidates, wait_for_any
from optout_bot.engine.navigate import path_of
from optout_bot.errors import NeedsHuman, OptoutBotError, SiteChanged, UsageError
from optout_bot.i18n import N_, _
from optout_bot.model.flowspec import FlowSpec, FormField, FormSpec
from optout_bot.model.outcomes import ExitStatus, FlowOutcome, Result, exit_status_for

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from optout_bot.engine.context import ActionContext

log = logging.getLogger(__name__)

# Results that mean "this account's objection was received": never send it again.
SENT_RESULTS = frozenset({Result.SENT, Result.ALREADY_SENT})

_NO_CONFIRMATION_REMEDY = (
    "do not send it again blindly: look for the site's e-mail about the objection (Meta sends one about a "
    "day later) or open the form in a browser; to send it once more anyway, run 'optout-bot disable "
    "--flow {flow} --resend'"
)


def _markers(page: Page, selectors: list[str]) -> Locator | None:
    """One locator matching any of ``selectors`` (None for none)."""
    combined: Locator | None = None
    for css in selectors:
        locator = page.locator(css)
        combined = locator if combined is None else combined.or_(locator)
    return combined


def _shown(locator: Locator | None) -> bool:
    return locator is not None and locator.locator("visible=true").count() > 0


def run_form(ctx: ActionContext, flow: FlowSpec) -> FlowOutcome:
    """The outcome of one form flow, run on the context's page (see the module docstring)."""
    form = flow.form
    if form is None:  # flow.py dispatches on ``flow.kind``: never reached
        raise TypeError(f"{flow.name} has no form")
    options = ctx.options
    outcome = partial(FlowOutcome, flow=flow.name, title=flow.title)
    memory = None if options.ignore_memory else ctx.remembered(flow.name)
    if memory in SENT_RESULTS:
        # Remembered: the form is not even opened, so nothing can be sent twice.
        return outcome(result=Result.ALREADY_SENT, message=_("sent in an earlier run (from the history)"))
    _check_contact(ctx, flow, form)
    if flow.reach == "steps":
        ctx.navigator.walk_to(flow)
    else:
        ctx.navigator.open_flow(flow)
    page = ctx.page
    submit = target_candidates(page, form.submit)
    done = _markers(page, [*form.already_sent, *form.confirmation])
    waiting = submit + ([("sent", done)] if done is not None else [])
    if not wait_for_any(waiting, options.switch_timeout_ms):
        raise ctx.navigator.missing(flow, "form")
    if _shown(done):
        ctx.recorder.step("already-sent", page, _("The site says the objection was already received"))
        return outcome(result=Result.ALREADY_SENT, verified=True)
    ctx.recorder.step(
        "form-read", page, _("The form '{form}' is shown: not received yet").format(form=_(flow.title))
    )
    if memory is Result.UNCONFIRMED:
        return outcome(
            result=Result.UNCONFIRMED,
            message=_("sent in an earlier run, never confirmed, and the site does not show it as received"),
            remedy=_NO_CONFIRMATION_REMEDY.format(flow=flow.name),
            exit_status=ExitStatus.OK if options.mode == "status" else ExitStatus.NEEDS_HUMAN,
        )
    if options.mode == "status":
        return outcome(result=Result.NOT_SENT)
    if options.mode == "check" and not options.fix:
        return outcome(result=Result.NOT_SENT, exit_status=ExitStatus.DRIFT)
    found = resolve(submit, visible_only=True)
    if found is None:
        raise SiteChanged(
            _("the send button of '{setting}' was not found exactly once").format(setting=_(flow.title))
        )
    typed = [line for field in form.fill if (line := _fill(ctx, flow, field))]
    # The owner checks the number and address in the report; only masked values are ever written.
    ctx.recorder.step(
        "form-filled", page, _("Filled the form '{form}'").format(form=_(flow.title)), note="; ".join(typed)
    )
    if options.dry_run:
        return outcome(result=Result.WOULD_SEND, message=_("dry run: the form was filled, not sent"))
    # Filling may bring something over the page (a late consent layer, a "get the app" dialog): closed
    # by its own refusal or close button, never accepted, or the run stops here with nothing sent.
    ctx.obstacles.uncover(found[1], _("the send button of '{setting}'").format(setting=_(flow.title)))
    ctx.sendings.starting(flow.name)  # written down before the press; a failed write stops it here
    _submit_once(ctx, flow, found[1])
    code_error: OptoutBotError | None = None
    try:
        confirmed = _confirmed(ctx, form)
    except OptoutBotError as exc:  # an e-mailed code nobody could answer, or that was refused
        confirmed, code_error = False, exc
    if not confirmed:
        error = _unconfirmed(ctx, flow, code_error)
        evidence = ctx.recorder.failure(flow.name.split(".")[-1], page, error.message)
        return outcome(
            result=Result.UNCONFIRMED,
            submitted=True,
            error=error.error_kind,
            message=error.message,
            remedy=error.remedy,
            evidence=evidence,
            exit_status=exit_status_for(error),
        )
    ctx.recorder.step("confirmation", page, _("The site confirmed '{form}'").format(form=_(flow.title)))
    return outcome(result=Result.SENT, verified=True, submitted=True, message=_("confirmation seen"))


def _check_contact(ctx: ActionContext, flow: FlowSpec, form: FormSpec) -> None:
    """A required phone number must be configured before anything is opened."""
    needs_phone = any(f.source == "account-phone" and not f.optional for f in form.fill)
    if needs_phone and not ctx.contact.phone:
        raise _not_configured(ctx, flow, "phone")


def _fill(ctx: ActionContext, flow: FlowSpec, field: FormField) -> str:
    """Put ``field``'s value in; whatever the site pre-filled (the account's address) is kept.

    Returns what the form now holds for the account, masked, in words (``""`` for our own text)."""
    from optout_bot.engine.masking import mask

    page = ctx.page
    found = resolve([(css, page.locator(css)) for css in field.css])
    if found is None:
        if field.optional:
            log.info("%s: optional field %s not shown", flow.name, field.name)
            return ""
        raise SiteChanged(
            _("the field '{name}' of '{setting}' was not found").format(
                name=field.name, setting=_(flow.title)
            )
        )
    box = found[1]
    timeout = ctx.options.timeout_ms
    if field.source == "text":
        box.fill(field.text, timeout=timeout)
        return ""
    kind = "phone" if field.source == "account-phone" else "email"
    what = _("Phone number") if kind == "phone" else _("E-mail address")
    present = box.input_value(timeout=timeout).strip()
    if present:
        # The site filled in the account's own detail: that is the account the objection is for.
        return _("{what}: {value} (filled in by the site)").format(what=what, value=mask(present, kind))
    value = _account_value(ctx, field)
    if not box.is_editable():
        raise NeedsHuman(
            _("the form '{setting}' shows no {name} to send it for and takes none").format(
                setting=_(flow.title), name=field.name
            ),
            kind="login",
            remedy=_("open the form in a browser, check the account and send it by hand"),
        )
    if value is None:
        if field.optional:
            return ""
        raise _not_configured(ctx, flow, kind)
    box.fill(value, timeout=timeout)
    return _("{what}: {value}").format(what=what, value=mask(value, kind))


# What a form may need from the config: the key, how to say it, an example value.
_CONTACT_KEYS = {
    "email": (N_("e-mail address"), "you@example.com"),
    "phone": (N_("phone number"), "+<country code><number>"),
}


def _not_configured(ctx: ActionContext, flow: FlowSpec, key: str) -> UsageError:
    what, example = _CONTACT_KEYS[key]
    return UsageError(
        _("the form '{setting}' asks for the account's {what} and none is configured").format(
            setting=_(flow.title), what=_(what)
        ),
        remedy=_(
            "add {key} = \"{example}\" under [accounts.{account}] in the config ('optout-bot config path' shows where)"
        ).format(key=key, example=example, account=ctx.account),
    )


def _account_value(ctx: ActionContext, field: FormField) -> str | None:
    return ctx.contact.phone if field.source == "account-phone" else ctx.contact.email


def _submit_once(ctx: ActionContext, flow: FlowSpec, button: Locator) -> None:
    """Click send exactly once and wait for the page that answers it (never retried)."""
    from playwright.sync_api import Error as PlaywrightError

    log.info("%s: sending the form", flow.name)
    ctx.attempt.acting = True  # from here on, a failure or a Ctrl-C leaves the form remembered as sent
    try:
        button.click(timeout=min(ctx.options.timeout_ms, 5_000), no_wait_after=False)
    except PlaywrightError as exc:
        if browser_stopped(exc):
            raise  # whether the click went out is unknown: it stays counted as sent
        ctx.attempt.acting = False  # Playwright did not click (covered, hidden): nothing was sent
        ctx.sendings.withdrawn(flow.name)
        raise SiteChanged(
            _("the send button of '{setting}' could not be clicked").format(setting=_(flow.title))
        ) from None
    try:
        ctx.page.wait_for_load_state("load", timeout=ctx.options.timeout_ms)
    except PlaywrightError:
        log.warning("%s: the page did not finish loading after sending", flow.name)


def _confirmed(ctx: ActionContext, form: FormSpec) -> bool:
    """Wait (auto-waiting) for the confirmation; False when it never shows.

    The site may ask first for a code it e-mailed (Meta's 2024 form): a person at a terminal is
    asked for it, exactly as for a sign-in PIN (``SignIn.clear``); a scheduled run raises NeedsHuman.
    """
    from playwright.sync_api import Error as PlaywrightError

    page = ctx.page
    confirmation = _markers(page, form.confirmation)
    if confirmation is None:
        return False
    code_kinds = {pin.kind for pin in ctx.site.pins}
    code = _markers(page, [css for b in ctx.site.barriers if b.kind in code_kinds for css in b.css])
    try:
        (confirmation if code is None else confirmation.or_(code)).first.wait_for(
            state="visible", timeout=ctx.options.timeout_ms
        )
    except PlaywrightError:  # a timeout, or the page went away: either way, not confirmed
        return False
    if _shown(confirmation):
        return True
    ctx.navigator.clear_barrier()  # asks for the code, or raises NeedsHuman when nobody can answer
    return _confirmed(ctx, form)


def _unconfirmed(ctx: ActionContext, flow: FlowSpec, cause: OptoutBotError | None) -> OptoutBotError:
    remedy = _NO_CONFIRMATION_REMEDY.format(flow=flow.name)
    if isinstance(cause, NeedsHuman):
        return NeedsHuman(
            _("{problem}: the objection was sent but not confirmed").format(problem=cause.message),
            kind=cause.kind,
            remedy=_(
                "look for Meta's e-mail and finish in a browser; or run 'optout-bot disable --flow {name} --resend' at a terminal, which asks for the code"
            ).format(name=flow.name),
        )
    if cause is not None:
        return cause
    barrier = detect_barrier(ctx.page, ctx.site)
    if barrier is not None:
        return NeedsHuman(
            _("{problem}: the form may not have been received").format(problem=_(barrier.message)),
            kind=barrier.kind,
            remedy=remedy,
        )
    return SiteChanged(
        _("'{setting}' was sent once but no confirmation appeared on {path}").format(
            setting=_(flow.title), path=path_of(ctx.page.url)
        ),
        remedy=remedy,
    )
