"""One wait for a setting's page, first answer wins.

The answers: the flow's control (perceive.py) · a notice that the setting is not offered (the site's
``not_offered`` phrases, the flow's ``unavailable_css``) · a redirect away from the setting's page · the
page settled with no control and no trace of the setting's words · a sign-in or security page. A page
that still changes keeps the wait going until ``switch_timeout_ms``; a settled page answers at once.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from optout_bot.engine.barriers import detect_barrier
from optout_bot.engine.meaning import MENTION_THRESHOLD, contains_phrase
from optout_bot.engine.navigate import path_of
from optout_bot.engine.perceive import Control, choose, page_mentions, read_controls
from optout_bot.errors import NeedsHuman, OptoutBotError, SettingUnavailable, SiteChanged
from optout_bot.i18n import _
from optout_bot.model.flowspec import FlowSpec

if TYPE_CHECKING:
    from optout_bot.engine.context import ActionContext

SETTLE_MS = 4_000
"""A page whose markup has not changed this long is taken as complete. LinkedIn's switch appears 1–3 s
after the page loads (docs/evidence/linkedin.md, hydration); 2.5 s gave up on controls drawn 2.8 s after
load (make drift, 2026-12-01), so the wait outlasts the slowest seen with a second to spare."""
POLL_MS = 150
_STATUS = "() => (performance.getEntriesByType('navigation')[0] || {}).responseStatus || 0"

# The page's shape, cheap to compare between polls: the element count and the length of its text.
_SHAPE = (
    "() => [document.readyState, document.getElementsByTagName('*').length, "
    "(document.body ? document.body.innerText.length : 0)]"
)


def await_control(ctx: ActionContext, flow: FlowSpec) -> Control:
    """The flow's control on the current page, or the error that answers first."""
    page = ctx.page
    deadline = time.monotonic() + ctx.options.switch_timeout_ms / 1000
    last_shape: list[object] | None = None
    stable_since = time.monotonic()
    while True:
        answer = _look(ctx, flow)
        if isinstance(answer, Control):
            return answer
        if answer is not None:
            raise answer
        shape = page.evaluate(_SHAPE)
        now = time.monotonic()
        if shape != last_shape:
            last_shape, stable_since = shape, now
        settled = shape[0] == "complete" and (now - stable_since) * 1000 >= SETTLE_MS
        if settled or now >= deadline:
            raise _nothing_there(ctx, flow, settled)
        page.wait_for_timeout(POLL_MS)


def _look(ctx: ActionContext, flow: FlowSpec) -> Control | OptoutBotError | None:
    """One look at the page: an answer, or None to keep waiting."""
    page = ctx.page
    barrier = detect_barrier(page, ctx.site)
    if barrier is not None:
        return NeedsHuman(f"{barrier.message}: a person must continue", kind=barrier.kind)
    control = choose(read_controls(page, flow.switch), flow.switch, flow.title)
    if control is not None:
        return control
    if any(page.locator(css).count() > 0 for css in flow.unavailable_css):
        return SettingUnavailable(f"'{flow.title}' says it is not available for this account")
    phrases = [p for ps in ctx.site.not_offered.values() for p in ps]
    if phrases:
        notice = contains_phrase(page.locator("body").inner_text(timeout=2_000), phrases)
        if notice is not None:
            return SettingUnavailable(
                _("'{setting}' is not offered to this account (the site says “{notice}”)").format(
                    setting=_(flow.title), notice=notice
                )
            )
    if flow.reach == "page" and not ctx.navigator.on_flow_page(flow):
        return SettingUnavailable(
            _("'{setting}' is not offered to this account (redirected to {path})").format(
                setting=_(flow.title), path=path_of(page.url)
            )
        )
    return None


def _nothing_there(ctx: ActionContext, flow: FlowSpec, settled: bool) -> OptoutBotError:
    """The page settled (or time ran out) without the control: not offered, or shown in a way we
    cannot read, or a page that is not there (then the site changed: a person should look)."""
    where = path_of(ctx.page.url)
    missing = f"the switch for '{flow.title}' was not found on {where}"
    if page_mentions(ctx.page, flow.switch) >= MENTION_THRESHOLD:
        return SiteChanged(
            f"{missing} (its words are there, but not as a switch or checkbox that can be read)"
        )
    status = ctx.page.evaluate(_STATUS)
    if isinstance(status, int) and status >= 400:
        return SiteChanged(f"{missing} (the page answered HTTP {status})")
    if settled or not read_controls(ctx.page, flow.switch):
        return SettingUnavailable(
            _("'{setting}' is not offered to this account ({path} shows no switch or words for it)").format(
                setting=_(flow.title), path=where
            )
        )
    return SiteChanged(missing)
