"""Switches: read → compare → (dry run: record and stop) → click once → reload → read again.

The switch half of the engine (``forms.py`` is the form half); both receive an ``ActionContext``
(context.py): the page, the way to the flow's page (navigator.py), the recorder and the obstacles. Invariants (tests/test_engine.py, the fault matrix):
- a switch that reads OFF is never clicked, and nothing is ever switched ON;
- CHANGED is reported only after the switch read OFF on a freshly reloaded page;
- a dry run never clicks a switch.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from optout_bot.engine.arrival import await_control
from optout_bot.engine.navigate import path_of
from optout_bot.engine.perceive import choose, click_target, locator_for, read_controls
from optout_bot.engine.saving import SaveWatch
from optout_bot.errors import NotVerified, SettingUnavailable, SiteChanged
from optout_bot.i18n import _
from optout_bot.model.flowspec import FlowSpec
from optout_bot.model.outcomes import ExitStatus, FlowOutcome, Result, state_text

if TYPE_CHECKING:
    from playwright.sync_api import Locator

    from optout_bot.engine.context import ActionContext

log = logging.getLogger(__name__)


def run_switch(ctx: ActionContext, flow: FlowSpec) -> FlowOutcome:
    """Read, compare, maybe set, verify: the outcome of a switch flow."""
    options = ctx.options
    walk = options.walk if options.walk is not None else options.dry_run
    navigator = ctx.navigator
    if walk or flow.reach == "steps":
        navigator.walk_to(flow)
    else:
        navigator.open_flow(flow)
        if not navigator.on_flow_page(flow):
            log.info("%s: landed on %s; trying the way a person goes", flow.name, path_of(ctx.page.url))
            navigator.walk_to(flow)
    switch = find_switch(ctx, flow)
    before = read(ctx, switch)
    ctx.attempt.before = before
    ctx.recorder.step(
        "switch-read",
        ctx.page,
        _("The switch reads {state}").format(state=state_text(before)),
        focus=switch,
    )
    outcome = partial(FlowOutcome, flow=flow.name, title=flow.title, before=before)
    if not before:
        # Read from a page that was just loaded from the server: already verified.
        return outcome(result=Result.ALREADY_OFF, after=False, verified=True)
    if options.mode == "status":
        return outcome(result=Result.ON)
    if options.mode == "check" and not options.fix:
        return outcome(result=Result.DRIFT, exit_status=ExitStatus.DRIFT)
    if options.dry_run:
        ctx.recorder.step(
            "would-switch-off",
            ctx.page,
            _("Dry run: would turn OFF '{setting}'").format(setting=_(flow.title)),
            focus=switch,
        )
        return outcome(result=Result.WOULD_CHANGE)
    save_status = switch_off(ctx, flow, switch)
    if verify(ctx, flow):
        if save_status:
            raise NotVerified(
                _(
                    "'{setting}' still reads ON after switching it off and reloading "
                    "(the site answered HTTP {status} to the change)"
                ).format(setting=_(flow.title), status=save_status)
            )
        raise NotVerified(
            _("'{setting}' still reads ON after switching it off and reloading").format(setting=_(flow.title))
        )
    return outcome(result=Result.CHANGED, after=False, verified=True)


def find_switch(ctx: ActionContext, flow: FlowSpec) -> Locator:
    """The one control the flow describes (perceive.py), or the error that answers first (arrival.py)."""
    control = await_control(ctx, flow)
    log.info("%s: control found: '%s'", flow.name, control.label[:80])
    return locator_for(ctx.page, control)


def read(ctx: ActionContext, switch: Locator) -> bool:
    """True when ON. A switch whose state cannot be read means the site changed."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        return switch.is_checked(timeout=ctx.options.timeout_ms)
    except PlaywrightError:
        raise SiteChanged(_("the switch's state cannot be read")) from None


def switch_off(ctx: ActionContext, flow: FlowSpec, switch: Locator) -> int | None:
    """Click once, only if it still reads ON right now; the HTTP status of the site's save, if seen."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect

    timeout = ctx.options.timeout_ms
    if switch.count() != 1:
        raise SiteChanged(
            _("the switch for '{setting}' disappeared before it could be switched off").format(
                setting=_(flow.title)
            )
        )
    if not read(ctx, switch):
        return None  # already OFF now: never click a switch that is in the wanted state
    if switch.is_disabled():
        raise SettingUnavailable(
            _("'{setting}' is shown but cannot be changed on this account").format(setting=_(flow.title))
        )
    # Fresh eyes right before the click: the page may have changed since the read.
    control = choose(read_controls(ctx.page, flow.switch), flow.switch, flow.title)
    if control is None:
        raise SiteChanged(
            _("the switch for '{setting}' disappeared before it could be switched off").format(
                setting=_(flow.title)
            )
        )
    target = click_target(ctx.page, control)
    ctx.obstacles.uncover(target, _("the switch for '{setting}'").format(setting=_(flow.title)))
    # Wait for the site's own save to be answered (not a beacon's): a reload before that would read
    # the old state back and report a change that did stick as not verified.
    ctx.attempt.acting = True  # a save request from here on is a change sent to the site (flow.py)
    with SaveWatch(ctx.page, ctx.site, urlsplit(ctx.navigator.base).hostname or "") as watch:
        try:
            target.click(timeout=min(timeout, 5_000))
        except PlaywrightError:
            raise SiteChanged(
                _("the switch for '{setting}' could not be clicked (covered or hidden)").format(
                    setting=_(flow.title)
                )
            ) from None
        save_status = watch.wait(timeout, flow.title)
    try:
        expect(locator_for(ctx.page, control)).not_to_be_checked(timeout=timeout)
    except AssertionError:
        log.warning("%s: the switch still reads ON after the click", flow.name)
    ctx.recorder.step(
        "switched-off", ctx.page, _("Clicked the switch for '{setting}'").format(setting=_(flow.title))
    )
    return save_status


def verify(ctx: ActionContext, flow: FlowSpec) -> bool:
    """Reload from the server and read again. True means it is still (or again) ON."""
    ctx.navigator.load_again(flow)
    switch = find_switch(ctx, flow)
    after = read(ctx, switch)
    ctx.recorder.step(
        "verified",
        ctx.page,
        _("After a reload the switch reads {state}").format(state=state_text(after)),
        focus=switch,
    )
    return after
