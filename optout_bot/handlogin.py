"""Signing in by hand: a visible browser where the person signs in (SSO, passkey, 2FA, CAPTCHA).

The tool types nothing; it waits until the page is a signed-in page, then keeps the session
(encrypted, see state.py). No tracing or recording runs here: a trace would hold the password.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from optout_bot.engine import SessionStoreLike
from optout_bot.errors import NeedsHuman, UsageError
from optout_bot.flowspec import SiteSpec

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

    from optout_bot.browser import BrowserSession

# True once the page is not a sign-in/checkpoint page and shows a signed-in marker.
_SIGNED_IN_JS = """
([prefixes, selectors]) => {
  const path = location.pathname;
  if (prefixes.some(p => path.startsWith(p))) return false;
  return selectors.some(s => { try { return document.querySelector(s) !== null; } catch (e) { return false; } });
}
"""


def sign_in_url(site: SiteSpec, site_url: str | None = None) -> str:
    """Where a person signs in: the sign-in host when it differs (Instagram), except on a local copy."""
    login = site.login
    if login is None:
        raise UsageError(
            f"{site.title} has no sign-in: its forms are sent without an account",
            remedy="run 'optout-bot disable' directly (see 'optout-bot guide' for what it needs)",
        )
    if login.url and not site_url:
        return login.url
    return (site_url or site.base_url).rstrip("/") + login.path


def interactive_login(
    session: BrowserSession,
    site: SiteSpec,
    store: SessionStoreLike,
    site_url: str | None = None,
    timeout_s: float = 600,
    prepare_context: Callable[[BrowserContext], None] | None = None,
) -> None:
    """Open the sign-in page, wait for the person to finish, save the session."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    start = sign_in_url(site, site_url)
    prefixes = sorted({p for b in site.barriers for p in b.path_prefixes} | {urlsplit(start).path})
    context = session.new_context()
    try:
        if prepare_context is not None:
            prepare_context(context)
        page = context.new_page()
        page.goto(start, wait_until="load")
        try:
            page.wait_for_function(
                _SIGNED_IN_JS,
                arg=json.loads(json.dumps([prefixes, site.signed_in_css])),
                timeout=timeout_s * 1000,
            )
        except PlaywrightTimeout:
            raise NeedsHuman(
                f"no sign-in to {site.title} was completed within {timeout_s:.0f} s",
                kind="login",
                remedy="run 'optout-bot login --interactive' again and finish signing in in the window",
            ) from None
        store.save(dict(context.storage_state()))
    finally:
        context.close()
