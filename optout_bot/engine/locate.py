"""Finding things on a page the way the flow files describe them: stable attributes first.

Links and buttons of the way to a setting: stable CSS first, then accessible names. A candidate is
used only when it matches exactly one element. Switches are found by meaning (perceive.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from optout_bot.model.pagespec import Target

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page


def target_candidates(page: Page, target: Target) -> list[tuple[str, Locator]]:
    """The ways to find a link/button of a click-through step, most trusted first."""
    found: list[tuple[str, Locator]] = [(f"css={css}", page.locator(css)) for css in target.css]
    if target.role:
        for lang, names in target.names.items():
            # The name may be prefixed (LinkedIn labels its Me menu "<member name> Me"), never suffixed.
            found += [
                (f"name[{lang}]={n}", page.get_by_role(target.role, name=_ends_with(n)))  # type: ignore[arg-type]
                for n in names
            ]
    return found


def _ends_with(name: str) -> re.Pattern[str]:
    return re.compile(rf"(^|\s){re.escape(name)}$")


def wait_for_any(candidates: list[tuple[str, Locator]], timeout_ms: float) -> bool:
    """Wait (auto-waiting, no polling loop of ours) until any candidate is attached."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if not candidates:
        return False
    combined = candidates[0][1]
    for _, locator in candidates[1:]:
        combined = combined.or_(locator)
    try:
        combined.first.wait_for(state="attached", timeout=timeout_ms)
    except PlaywrightTimeout:
        return False
    return True


def resolve(candidates: list[tuple[str, Locator]], visible_only: bool = False) -> tuple[str, Locator] | None:
    """The first candidate that matches exactly one element (optionally: one visible element)."""
    for label, locator in candidates:
        chosen = locator.locator("visible=true") if visible_only else locator
        if chosen.count() == 1:
            return label, chosen
    return None
