"""Switches: read → compare → (dry run: record and stop) → click once → reload → read again.

The switch half of the engine (``forms.py`` is the form half); both run on a ``FlowRunner``, which
owns the page, navigation and sign-in. Invariants (tests/test_engine.py, the fault matrix):
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
from optout_bot.engine.navigate import path_of, reload
from optout_bot.engine.perceive import choose, click_target, locator_for, read_controls
from optout_bot.engine.saving import SaveWatch
from optout_bot.errors import NotVerified, SettingUnavailable, SiteChanged
from optout_bot.i18n import _
from optout_bot.model.flowspec import FlowSpec
from optout_bot.model.outcomes import ExitStatus, FlowOutcome, Result, state_text

if TYPE_CHECKING:
    from playwright.sync_api import Locator

    from optout_bot.engine.flow import FlowRunner

log = logging.getLogger(__name__)


def run_switch(runner: FlowRunner, flow: FlowSpec) -> FlowOutcome:
    """Read, compare, maybe set, verify: the outcome of a switch flow."""
    options = runner.options
    walk = options.walk if options.walk is not None else options.dry_run
    if walk or flow.reach == "steps":
        runner.walk_to(flow)
    else:
        runner.open(runner.base + flow.path)
        if not runner.on_flow_page(flow):
            log.info("%s: landed on %s; trying the way a person goes", flow.name, path_of(runner.page.url))
            runner.walk_to(flow)
    switch = find_switch(runner, flow)
    before = read(runner, switch)
    runner.before = before
    runner.recorder.step(
        "switch-read",
        runner.page,
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
        runner.recorder.step(
            "would-switch-off",
            runner.page,
            _("Dry run: would turn OFF '{setting}'").format(setting=_(flow.title)),
            focus=switch,
        )
        return outcome(result=Result.WOULD_CHANGE)
    save_status = switch_off(runner, flow, switch)
    if verify(runner, flow):
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


def find_switch(runner: FlowRunner, flow: FlowSpec) -> Locator:
    """The one control the flow describes (perceive.py), or the error that answers first (arrival.py)."""
    control = await_control(runner, flow)
    log.info("%s: control found: '%s'", flow.name, control.label[:80])
    return locator_for(runner.page, control)


def read(runner: FlowRunner, switch: Locator) -> bool:
    """True when ON. A switch whose state cannot be read means the site changed."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        return switch.is_checked(timeout=runner.options.timeout_ms)
    except PlaywrightError:
        raise SiteChanged(_("the switch's state cannot be read")) from None


def switch_off(runner: FlowRunner, flow: FlowSpec, switch: Locator) -> int | None:
    """Click once, only if it still reads ON right now; the HTTP status of the site's save, if seen."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect

    timeout = runner.options.timeout_ms
    if switch.count() != 1:
        raise SiteChanged(
            _("the switch for '{setting}' disappeared before it could be switched off").format(
                setting=_(flow.title)
            )
        )
    if not read(runner, switch):
        return None  # already OFF now: never click a switch that is in the wanted state
    if switch.is_disabled():
        raise SettingUnavailable(
            _("'{setting}' is shown but cannot be changed on this account").format(setting=_(flow.title))
        )
    # Fresh eyes right before the click: the page may have changed since the read.
    control = choose(read_controls(runner.page, flow.switch), flow.switch, flow.title)
    if control is None:
        raise SiteChanged(
            _("the switch for '{setting}' disappeared before it could be switched off").format(
                setting=_(flow.title)
            )
        )
    target = click_target(runner.page, control)
    runner.obstacles.uncover(target, _("the switch for '{setting}'").format(setting=_(flow.title)))
    # Wait for the site's own save to be answered (not a beacon's): a reload before that would read
    # the old state back and report a change that did stick as not verified.
    runner.acting = True  # a save request from here on is a change sent to the site (engine.py)
    with SaveWatch(runner.page, runner.site, urlsplit(runner.base).hostname or "") as watch:
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
        expect(locator_for(runner.page, control)).not_to_be_checked(timeout=timeout)
    except AssertionError:
        log.warning("%s: the switch still reads ON after the click", flow.name)
    runner.recorder.step(
        "switched-off", runner.page, _("Clicked the switch for '{setting}'").format(setting=_(flow.title))
    )
    return save_status


def verify(runner: FlowRunner, flow: FlowSpec) -> bool:
    """Reload from the server and read again. True means it is still (or again) ON."""
    if flow.reach == "steps":
        # No page of its own to reload: walking again from home loads everything afresh.
        runner.walk_to(flow)
    else:
        reload(runner.page, runner.policy, runner.site.blocked_statuses, runner.options.timeout_ms)
        if runner.signin.clear(runner.page):
            runner.open(runner.base + flow.path)
        runner.obstacles.clear()
    switch = find_switch(runner, flow)
    after = read(runner, switch)
    runner.recorder.step(
        "verified",
        runner.page,
        _("After a reload the switch reads {state}").format(state=state_text(after)),
        focus=switch,
    )
    return after
