"""Typing the stored credentials: into the site's own sign-in form only, once per run, never retried.

signin.py decides whether a password may be typed at all (the site allows it, one is stored, the run may
use it); this module types it. Lockout policies count failures, so a second submission in one run is
refused here whatever the reason, and nothing may record the password (a trace stops first).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from pydantic import SecretStr

from optout_bot.engine.barriers import SIGN_IN_KINDS, await_answer, detect_barrier, visible_texts
from optout_bot.engine.identity import Hosts
from optout_bot.engine.loginform import find_form, posts_to
from optout_bot.engine.navigate import path_of
from optout_bot.errors import ForeignHost, LoginFailed, SiteChanged
from optout_bot.i18n import _
from optout_bot.model.flowspec import SiteSpec
from optout_bot.model.signinspec import LoginForm

if TYPE_CHECKING:
    from playwright.sync_api import Page


class Secret(Protocol):
    """What the engine needs of stored credentials (``credentials.Credentials`` fits)."""

    @property
    def email(self) -> str: ...

    @property
    def password(self) -> SecretStr: ...


class PasswordEntry:
    """Submits the stored e-mail and password at most once per run."""

    def __init__(
        self,
        site: SiteSpec,
        hosts: Hosts,
        timeout_ms: float,
        before_submit: Callable[[], None] | None = None,
    ) -> None:
        self.site = site
        self.hosts = hosts
        self.timeout_ms = timeout_ms
        self.before_submit = before_submit
        self.submitted = False  # one credential submission per run, whatever happens
        self.alerts_before = ""
        """The page's alerts just before the password was sent: a new one afterwards is an answer."""

    def submit(self, page: Page, login: LoginForm, creds: Secret) -> None:
        """Type ``creds`` into the sign-in form on ``page`` and send it; LoginFailed when refused."""
        if self.submitted:
            # Never a second credential submission in one run: lockout policies count failures.
            # A sign-in page right after the password is how a refusal looks on a layout whose
            # error text we do not know.
            raise LoginFailed(
                _("{site} did not accept the stored password (not retried)").format(site=self.site.title)
            )
        form = find_form(page, login)
        if form is None:
            raise SiteChanged(
                _("the sign-in form on {path} was not recognised").format(path=path_of(page.url))
            )
        # Bound to this document: if a script moves the page elsewhere now, typing fails instead of
        # following the locator into the new page.
        user, secret, button = (c.element_handle(timeout=self.timeout_ms) for c in form)
        self.hosts.check(page.url)  # never typed anywhere else
        action = posts_to(form.password)
        if action and not self.hosts.is_own(action):
            raise ForeignHost(
                f"the sign-in form on {path_of(page.url)} would send the password to another site; "
                "optout-bot typed nothing"
            )
        if self.before_submit is not None:
            self.before_submit()  # e.g. stop a trace: nothing may record the password
        user.fill(creds.email, timeout=self.timeout_ms)
        self.hosts.check(page.url)
        secret.fill(creds.password.get_secret_value(), timeout=self.timeout_ms)
        self.submitted = True
        before = page.url
        self.alerts_before = visible_texts(page.get_by_role("alert"))
        self.hosts.check(page.url)
        button.click(timeout=self.timeout_ms)
        await_answer(page, before, login.error, self.alerts_before, self.timeout_ms, form.password)
        if self._rejected(page, login, before):
            raise LoginFailed(
                _("{site} rejected the stored password (not retried)").format(site=self.site.title)
            )

    def _rejected(self, page: Page, login: LoginForm, before: str) -> bool:
        """The page says the credentials were wrong: one of the site's error selectors, or a new
        alert on a page that is still a sign-in page (the 2026 answer at /checkpoint/lg/login-submit)."""
        if any(visible_texts(page.locator(css)) for css in login.error):
            return True
        barrier = detect_barrier(page, self.site)
        if barrier is None or barrier.kind not in SIGN_IN_KINDS:
            return False
        alerts = visible_texts(page.get_by_role("alert"))
        return bool(alerts) and (page.url != before or alerts != self.alerts_before)
