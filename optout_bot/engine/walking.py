"""One step of the way a person goes, with what stands in the way closed first (engine.walk_to)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from optout_bot.engine.meaning import MENTION_THRESHOLD, mentions
from optout_bot.engine.navigate import path_of, take_step
from optout_bot.errors import OptoutBotError, SettingUnavailable
from optout_bot.i18n import _
from optout_bot.model.flowspec import FlowSpec
from optout_bot.model.pagespec import Step

if TYPE_CHECKING:
    from optout_bot.engine.flow import FlowRunner

_DOCUMENT = "() => performance.timeOrigin"


def walk_step(runner: FlowRunner, step: Step) -> bool:
    """Take ``step``; True when it loaded a new page (whose banners and dialogs are then closed), False
    when it only opened something within the same page (a menu, a settings dialog: left open)."""
    page = runner.page
    before = page.evaluate(_DOCUMENT)
    take_step(
        page,
        step,
        runner.options.timeout_ms,
        runner.site.blocked_statuses,
        runner.barrier_paths,
        before_click=runner.obstacles.uncover,
        find_ms=runner.options.switch_timeout_ms,
    )
    return bool(page.evaluate(_DOCUMENT) != before)


def not_offered_or(
    runner: FlowRunner, flow: FlowSpec, left: list[Step], error: OptoutBotError
) -> OptoutBotError:
    """A flow with no page of its own (``reach = "steps"``) whose way stops: when the page where the next
    link should be says nothing like it nor like the switch, the setting is not offered to this account
    (ChatGPT's Team workspaces have no such row); otherwise ``error`` (the site changed)."""
    text = runner.page.locator("body").inner_text(timeout=2_000)
    known = [n for s in left for ns in s.click.names.values() for n in ns]
    known += [n for ns in flow.switch.names.values() for n in ns]
    if known and mentions(text, known) < MENTION_THRESHOLD:
        return SettingUnavailable(
            _("'{setting}' is not offered to this account (nothing like it on {path})").format(
                setting=_(flow.title), path=path_of(runner.page.url)
            )
        )
    return error
