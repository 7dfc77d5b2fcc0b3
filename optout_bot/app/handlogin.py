"""Signing in by hand: a visible browser where the person signs in (SSO, passkey, 2FA, CAPTCHA).

The tool types nothing; it waits until the person is signed in, then keeps the session (encrypted,
see state.py) with the user agent it was made with. Signed in means (identity.py): a page of the
site's own hosts that is no barrier, and the site's session cookie alive; the page's signed-in
markers count only for a site without a session cookie (they can show during a 2FA step before
the cookie exists, and they change with every redesign). No tracing or recording runs here.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from optout_bot.engine.barriers import detect_barrier
from optout_bot.engine.identity import Hosts, has_session, with_identity
from optout_bot.engine.job import SessionStoreLike
from optout_bot.engine.navigate import path_of
from optout_bot.errors import NeedsHuman, SetupError, UsageError
from optout_bot.i18n import _
from optout_bot.model.flowspec import SiteSpec

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

    from optout_bot.engine.browser import BrowserSession
    from optout_bot.store.state import SessionStore

POLL_MS = 250


def need_display(remedy: str, what: str = "") -> None:
    """Refuse at once, in plain words, what needs a window on a machine with no display (otherwise
    the browser fails to start and the message blames the browser)."""
    what = what or _("A browser window")
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        raise SetupError(
            _("{what} cannot be shown: there is no display here").format(what=what), remedy=remedy
        )


def sign_in_window(
    spec: SiteSpec, store: SessionStore, site_url: str | None, chromium_path: str | None, timeout: float
) -> None:
    """A visible browser on the site's sign-in page; returns once the person has signed in."""
    from optout_bot.engine.browser import launch

    need_display(_("run '{command}' in a desktop session").format(command="optout-bot login --interactive"))
    with launch(chromium_path, headless=False) as session:
        interactive_login(session, spec, store, site_url, timeout)


#: Opens the sign-in window (``login --interactive``, ``setup``); ``None`` = ``sign_in_window``.
#: Tests without a display put a stand-in here that plays the person in a headless browser.
WINDOW: Callable[[SiteSpec, SessionStore, str | None, str | None, float], None] | None = None


def open_sign_in_window(
    spec: SiteSpec, store: SessionStore, site_url: str | None, chromium_path: str | None, timeout: float
) -> None:
    """The person signs in by hand in a window (``WINDOW``'s stand-in in tests)."""
    (WINDOW or sign_in_window)(spec, store, site_url, chromium_path, timeout)


def sign_in_url(site: SiteSpec, site_url: str | None = None) -> str:
    """Where a person signs in: the sign-in host when it differs (Instagram), except on a local copy."""
    login = site.login
    if login is None:
        raise UsageError(
            _("{site} has no sign-in: its forms are sent without an account").format(site=site.title),
            remedy=_("run 'optout-bot disable' directly (see 'optout-bot guide' for what it needs)"),
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
    start = sign_in_url(site, site_url)
    hosts = Hosts(site, site_url)
    agent = session.user_agent
    context = session.new_context(user_agent=agent)
    try:
        if prepare_context is not None:
            prepare_context(context)
        page = context.new_page()
        page.goto(start, wait_until="load")
        deadline = time.monotonic() + timeout_s
        while not any(signed_in(p, site, hosts) for p in context.pages):
            if time.monotonic() > deadline or not context.pages:
                raise NeedsHuman(
                    _("no sign-in to {site} was completed within {timeout_s:.0f} s").format(
                        site=site.title, timeout_s=timeout_s
                    ),
                    kind="login",
                    remedy=_(
                        "run 'optout-bot login --interactive' again and finish signing in in the window"
                    ),
                )
            context.pages[0].wait_for_timeout(POLL_MS)
        store.save(with_identity(context.storage_state(), agent))
    finally:
        context.close()


def signed_in(page: Page, site: SiteSpec, hosts: Hosts) -> bool:
    """The person is signed in on ``page``: own host, no barrier, session cookie alive (identity.py)."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        on_sign_in_page = site.login is not None and path_of(page.url).startswith(site.login.path)
        if not hosts.is_own(page.url) or on_sign_in_page:
            return False
        if detect_barrier(page, site) is not None:
            return False
        if site.session_cookie:
            return has_session(page.context, site, page.url)
        return any(page.locator(css).count() > 0 for css in site.signed_in_css)
    except PlaywrightError:
        return False  # the page was navigating while it was read: ask again on the next turn
