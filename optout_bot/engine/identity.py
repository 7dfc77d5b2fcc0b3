"""Who the browser is and where it is: the site's own hosts, its session cookie, one user agent.

Three questions every page judgement shares (issue 13):
- Is this page on one of the site's own hosts? Only there is a password typed, a barrier judged,
  a flow page recognised. With ``--site-url`` the site's own host is that URL's origin.
- Is the session alive? The site's session cookie must be present and not killed: empty, expired,
  or one of the values the site writes to delete it (LinkedIn writes ``li_at="delete me"``).
- Which user agent? The one the session was made with, stored beside it; never one that says
  ``HeadlessChrome`` (a headless run announces itself, and LinkedIn may end a session whose
  browser changes).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from optout_bot.errors import ForeignHost, LoginRequired

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

    from optout_bot.model.flowspec import SiteSpec

USER_AGENT_KEY = "optoutBotUserAgent"
"""Where the user agent is kept inside the saved (encrypted) session; removed before Playwright sees it."""

_PLATFORM_TOKENS = {
    "linux": "X11; Linux x86_64",
    "darwin": "Macintosh; Intel Mac OS X 10_15_7",
    "win32": "Windows NT 10.0; Win64; x64",
}


def user_agent_for(browser_version: str, platform: str | None = None) -> str:
    """The user agent a headed Chrome of ``browser_version`` sends (Chrome's reduced form: only
    the major version is real), so headless and headed runs present the same browser."""
    major = browser_version.split(".")[0] or "0"
    token = _PLATFORM_TOKENS.get(platform or sys.platform, _PLATFORM_TOKENS["linux"])
    return f"Mozilla/5.0 ({token}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{major}.0.0.0 Safari/537.36"


def split_identity(saved: Mapping[str, Any] | None) -> tuple[dict[str, Any] | None, str | None]:
    """A saved session as (Playwright's storage_state, the user agent it was made with)."""
    if saved is None:
        return None, None
    state = {k: v for k, v in saved.items() if k != USER_AGENT_KEY}
    agent = saved.get(USER_AGENT_KEY)
    return state, agent if isinstance(agent, str) and agent else None


def with_identity(storage_state: Mapping[str, Any], user_agent: str) -> dict[str, Any]:
    """The storage_state to save, with the user agent that made it."""
    return {**storage_state, USER_AGENT_KEY: user_agent}


class Hosts:
    """The hosts (with port, when a local copy gives one) that count as the site itself."""

    def __init__(self, site: SiteSpec, site_url: str | None = None) -> None:
        self.site = site
        if site_url:
            self.own = {_netloc(site_url)}
        else:
            self.own = {h.lower() for h in site.allowed_hosts} | {_netloc(site.base_url)}
        login = site.login
        self.sign_in = {h.lower() for h in login.sign_in_hosts} if login is not None else set()

    def is_own(self, url: str) -> bool:
        """True for a page of the site itself (``about:blank`` and error pages are not)."""
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and _netloc(url) in self.own

    def check(self, url: str) -> None:
        """Raise unless ``url`` is on the site's own hosts (a page of its other sign-in host needs a
        person; any other host stops the run)."""
        if self.is_own(url) or urlsplit(url).scheme not in ("http", "https"):
            return
        host = urlsplit(url).hostname or "?"
        if _netloc(url) in self.sign_in:
            raise LoginRequired(
                f"{self.site.title} asks to sign in on {host}; optout-bot never types a password there",
                remedy="run 'optout-bot login --interactive' to sign in yourself; later runs reuse that session",
            )
        raise ForeignHost(
            f"{self.site.title} sent the browser to {host}, which is not one of its own addresses; "
            "optout-bot stopped there and typed nothing"
        )


def _netloc(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return host if parts.port in (None, default) else f"{host}:{parts.port}"


def cookie_alive(
    cookie: Mapping[str, Any], dead_values: Iterable[str] = (), now: float | None = None
) -> bool:
    """A session cookie that still signs in: not empty, not expired, not a deletion marker."""
    value = str(cookie.get("value", "")).strip().strip('"').strip()
    if not value or value.lower() in {d.lower() for d in dead_values}:
        return False
    expires = cookie.get("expires", -1)
    return not (isinstance(expires, (int, float)) and 0 <= expires < (now or time.time()))


def has_session(context: BrowserContext, site: SiteSpec, url: str) -> bool:
    """True when the site's session cookie for ``url`` is alive (False for a site without one)."""
    if not site.session_cookie:
        return False
    return any(
        c.get("name") == site.session_cookie and cookie_alive(dict(c), site.session_cookie_dead)
        for c in context.cookies([url])
    )
