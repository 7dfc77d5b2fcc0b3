"""Recognising sign-in and security pages, and the one safe answer to a question the site asks.

Checked after every navigation (docs/evidence/linkedin.md §11.2): any load can land on a sign-in page,
the authwall, a saved-account chooser, a checkpoint or the restricted-account page. Nothing here types
or clicks anything: signin.py decides what to do about a barrier found here, and waits here for the
page's answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from optout_bot.engine.loginform import accessible_name, name_pattern
from optout_bot.engine.navigate import path_of
from optout_bot.errors import SiteChanged
from optout_bot.i18n import _
from optout_bot.model.flowspec import SiteSpec
from optout_bot.model.signinspec import Barrier

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

# Barriers a stored password can get past; every other one needs a person.
SIGN_IN_KINDS = frozenset({"login", "authwall"})


def detect_barrier(page: Page, site: SiteSpec) -> Barrier | None:
    """The first barrier of the site that the current page shows, or None."""
    path = path_of(page.url)
    on_barrier_path = any(path.startswith(prefix) for b in site.barriers for prefix in b.path_prefixes)
    every_css = [css for barrier in site.barriers for css in barrier.css]
    if not on_barrier_path and (not every_css or page.locator(", ".join(every_css)).count() == 0):
        # The usual case, a page with no barrier, costs one browser round trip instead of one per
        # selector (it runs after every page load; issue 6). The loop below finds which one it is.
        return None
    for barrier in site.barriers:
        if any(path.startswith(prefix) for prefix in barrier.path_prefixes):
            return barrier
        if any(page.locator(css).count() > 0 for css in barrier.css):
            return barrier
    return None


def decline_control(page: Page, barrier: Barrier) -> Locator | None:
    """The visible button or link of ``barrier`` whose name is one of its declared "no" answers."""
    decline = barrier.decline
    if decline is None:
        return None
    pattern = name_pattern([n for names in decline.names.values() for n in names])
    if pattern is None:
        return None
    for css in decline.css:
        visible = page.locator(css).locator("visible=true")
        for i in range(visible.count()):
            if pattern.match(accessible_name(visible.nth(i))):
                return visible.nth(i)
    for role in ("button", "link"):
        found = page.get_by_role(role, name=pattern).locator("visible=true")
        if found.count() >= 1:
            return found.first
    return None


def first_visible(page: Page, selectors: list[str]) -> Locator | None:
    """The first visible element matched by the first selector that matches one."""
    for css in selectors:
        locator = page.locator(css).locator("visible=true")
        if locator.count() >= 1:
            return locator.first
    return None


def visible_texts(locator: Locator) -> str:
    """The text of the first few visible elements of ``locator`` ("" when none shows any)."""
    visible = locator.locator("visible=true")
    return " ".join(visible.nth(i).inner_text().strip() for i in range(min(visible.count(), 5))).strip()


def await_answer(
    page: Page,
    before: str,
    errors: list[str],
    alerts_before: str,
    timeout_ms: float,
    field: Locator | None = None,
    gone_ends: bool = False,
) -> None:
    """After answering a barrier (a password, a code, "Not now"), wait until the page moves on (a new
    URL) or shows an error (one of ``errors``, or an alert other than ``alerts_before``). A page that
    changes in place (``field`` gone) ends the wait at once with ``gone_ends`` (a dismissed question),
    else only when the wait is over (a sign-in page hides its form while it sends the password)."""
    from playwright.sync_api import Error as PlaywrightError

    waited = 0.0
    step = 100.0
    while waited < timeout_ms:
        try:
            if page.url != before:
                break
            if errors and visible_texts(page.locator(", ".join(errors))):
                break
            if visible_texts(page.get_by_role("alert")) not in ("", alerts_before):
                break
            if gone_ends and field is not None and not field.is_visible():
                break
        except PlaywrightError:
            pass  # the page navigated while it was read: look again
        page.wait_for_timeout(step)
        waited += step
    else:
        try:
            changed_in_place = field is not None and not field.is_visible()
        except PlaywrightError:
            changed_in_place = True
        if not changed_in_place:
            raise SiteChanged(_("nothing happened after submitting the sign-in form"))
    try:
        page.wait_for_load_state("load", timeout=timeout_ms)
    except PlaywrightError:
        page.wait_for_load_state("load", timeout=timeout_ms)
