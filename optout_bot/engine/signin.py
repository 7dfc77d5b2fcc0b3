"""Getting past a sign-in or security page once per run, or stopping for a person.

After every page load the navigator asks ``SignIn.clear``: a sign-in page gets the stored password once
(password.py; never retried), a question after the password (remember this browser, add a phone) the
"Not now" / "Skip" that the site's data declares, a code the site e-mailed a person at a terminal; any
other barrier (barriers.py recognises them) stops the run for a person. Every judgement first checks
the page is on one of the site's own hosts (identity.Hosts).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from optout_bot.engine.barriers import (
    SIGN_IN_KINDS,
    await_answer,
    decline_control,
    detect_barrier,
    first_visible,
)
from optout_bot.engine.identity import Hosts
from optout_bot.engine.password import PasswordEntry, Secret
from optout_bot.errors import LoginRequired, NeedsHuman, SiteChanged
from optout_bot.i18n import _
from optout_bot.model.flowspec import SiteSpec
from optout_bot.model.signinspec import Barrier, PinForm

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

log = logging.getLogger(__name__)

# Questions after the password answered in one run at most (remember-me, then add-phone, …).
MAX_PROMPTS = 3


@dataclass(frozen=True)
class SignInPolicy:
    """What a run may do when it meets a sign-in page."""

    credentials: Secret | None
    allow_password: bool
    """Scheduled runs type the stored password only when the config allows it."""
    ask_pin: Callable[[str], str | None] | None = None
    """Asks a person at a terminal for a PIN; None when nobody can answer (scheduled runs)."""


def drop_session(page: Page, store: object, title: str) -> None:
    """Forget a session the site answers with a redirect loop (stale or revoked: LinkedIn writes
    ``li_at="delete me"``), in the browser and on disk, so the one sign-in of this run, where it is
    allowed, starts afresh; else the run stops for a person (never "try again later")."""
    log.warning(
        "%s",
        _("{site} sends this browser round in circles; the saved session is dropped.").format(site=title),
        extra={"plain": True},
    )
    page.context.clear_cookies()
    delete = getattr(store, "delete", None)
    if callable(delete):
        delete()


class SignIn:
    """Gets past a sign-in barrier once per run, or raises the outcome that explains why not."""

    def __init__(
        self,
        site: SiteSpec,
        policy: SignInPolicy,
        timeout_ms: float,
        before_submit: Callable[[], None] | None = None,
        hosts: Hosts | None = None,
    ) -> None:
        self.site = site
        self.policy = policy
        self.timeout_ms = timeout_ms
        self.hosts = hosts or Hosts(site)
        self.password = PasswordEntry(site, self.hosts, timeout_ms, before_submit)
        self.declined: list[str] = []
        """Prompts answered "Not now"/"Skip" in this run (their kinds), for tests and logs."""

    @property
    def submitted(self) -> bool:
        """True once the stored password was sent in this run (it never is again)."""
        return self.password.submitted

    def clear(self, page: Page) -> bool:
        """Resolve whatever barrier the page shows. True if it signed in (the caller reloads its target)."""
        signed_in = False
        for _attempt in range(MAX_PROMPTS + 2):
            self.hosts.check(page.url)
            barrier = detect_barrier(page, self.site)
            if barrier is None:
                return signed_in
            if barrier.decline is not None:
                self._decline(page, barrier)
                continue
            if barrier.kind in SIGN_IN_KINDS:
                self._submit_password(page)
                signed_in = True
                continue
            pin = next((p for p in self.site.pins if p.kind == barrier.kind), None)
            if pin is not None and self.policy.ask_pin is not None:
                self._answer_pin(page, pin, barrier)
                signed_in = True
                continue
            raise NeedsHuman(
                _("{problem}: a person must continue").format(problem=_(barrier.message)), kind=barrier.kind
            )
        raise NeedsHuman(
            _("{site} kept asking questions after signing in").format(site=self.site.title), kind="prompt"
        )

    def _decline(self, page: Page, barrier: Barrier) -> None:
        """Click the prompt's non-committal answer, found by its name, or stop for a person."""
        assert barrier.decline is not None  # noqa: S101  (checked by the caller)
        if len(self.declined) >= MAX_PROMPTS:
            raise NeedsHuman(
                _("{problem}: it came back after being declined").format(problem=_(barrier.message)),
                kind=barrier.kind,
            )
        control = decline_control(page, barrier)
        if control is None:
            raise NeedsHuman(
                _(
                    "{problem}; optout-bot found no safe way to decline it and accepts nothing on your behalf: "
                    "a person must continue"
                ).format(problem=_(barrier.message)),
                kind=barrier.kind,
            )
        before = page.url
        control.click(timeout=self.timeout_ms)
        self._await(page, before, [], control, gone_ends=True)
        self.declined.append(barrier.kind)

    def _submit_password(self, page: Page) -> None:
        """Whether this run may type the stored password here; if so, password.py types it."""
        login = self.site.login
        if login is None:  # a site without accounts declares no sign-in barrier; be safe anyway
            raise SiteChanged(
                _("{site} showed a sign-in page, and optout-bot has no account there").format(
                    site=self.site.title
                )
            )
        if not self.site.password_sign_in:
            raise LoginRequired(
                _("{site} asks to sign in; optout-bot never types a password there").format(
                    site=self.site.title
                ),
                remedy=_(
                    "run 'optout-bot login --interactive' to sign in yourself; later runs reuse that session"
                ),
            )
        creds = self.policy.credentials
        if creds is None:
            raise LoginRequired(
                _("{site} asks to sign in and no password is stored").format(site=self.site.title)
            )
        if not self.policy.allow_password:
            raise LoginRequired(
                _("{site} asks to sign in; this run may not type the stored password").format(
                    site=self.site.title
                ),
                remedy=_(
                    "run 'optout-bot login --interactive', or set allow_password_login = true in the config"
                ),
            )
        self.password.submit(page, login, creds)

    def _answer_pin(self, page: Page, pin: PinForm, barrier: Barrier) -> None:
        assert self.policy.ask_pin is not None  # noqa: S101  (checked by the caller)
        code = self.policy.ask_pin(_("{problem}. Enter the code").format(problem=_(barrier.message)))
        if not code:
            raise NeedsHuman(
                _("{problem}: no code was entered").format(problem=_(barrier.message)), kind=barrier.kind
            )
        field = first_visible(page, pin.input)
        button = first_visible(page, pin.submit)
        if field is None or button is None:
            raise SiteChanged(_("the {kind} form was not recognised").format(kind=pin.kind))
        self.hosts.check(page.url)
        field.fill(code.strip(), timeout=self.timeout_ms)
        before = page.url
        button.click(timeout=self.timeout_ms)
        self._await(page, before, self.site.login.error if self.site.login else [])
        still = detect_barrier(page, self.site)
        if still is not None and still.decline is None:
            raise NeedsHuman(
                _("{problem}: the code was not accepted").format(problem=_(still.message)), kind=still.kind
            )

    def _await(
        self,
        page: Page,
        before: str,
        errors: list[str],
        field: Locator | None = None,
        gone_ends: bool = False,
    ) -> None:
        """The page's answer; an alert already there before the password was sent is no answer."""
        await_answer(page, before, errors, self.password.alerts_before, self.timeout_ms, field, gone_ends)
