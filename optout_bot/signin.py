"""Recognising sign-in and security pages, and signing in once (never retried).

Checked after every navigation (linkedin-pages.md §11.2): any load can land on a sign-in page,
the authwall, a saved-account chooser, a checkpoint or the restricted-account page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from pydantic import SecretStr

from optout_bot.errors import LoginFailed, LoginRequired, NeedsHuman, SiteChanged
from optout_bot.flowspec import Barrier, PinForm, SiteSpec
from optout_bot.navigate import path_of

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

# Barriers a stored password can get past; every other one needs a person.
SIGN_IN_KINDS = frozenset({"login", "authwall"})


class Secret(Protocol):
    """What the engine needs of stored credentials (``credentials.Credentials`` fits)."""

    @property
    def email(self) -> str: ...

    @property
    def password(self) -> SecretStr: ...


@dataclass(frozen=True)
class SignInPolicy:
    """What a run may do when it meets a sign-in page."""

    credentials: Secret | None
    allow_password: bool
    """Scheduled runs type the stored password only when the config allows it."""
    ask_pin: Callable[[str], str | None] | None = None
    """Asks a person at a terminal for a PIN; None when nobody can answer (scheduled runs)."""


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


def _first_visible(page: Page, selectors: list[str]) -> Locator | None:
    for css in selectors:
        locator = page.locator(css).locator("visible=true")
        if locator.count() >= 1:
            return locator.first
    return None


class SignIn:
    """Gets past a sign-in barrier once per run, or raises the outcome that explains why not."""

    def __init__(
        self,
        site: SiteSpec,
        policy: SignInPolicy,
        timeout_ms: float,
        before_submit: Callable[[], None] | None = None,
    ) -> None:
        self.site = site
        self.before_submit = before_submit
        self.policy = policy
        self.timeout_ms = timeout_ms
        self.submitted = False  # one credential submission per run, whatever happens

    def clear(self, page: Page) -> bool:
        """Resolve whatever barrier the page shows. True if it signed in (the caller reloads its target)."""
        barrier = detect_barrier(page, self.site)
        if barrier is None:
            return False
        if barrier.kind in SIGN_IN_KINDS:
            self._submit_password(page)
            barrier = detect_barrier(page, self.site)
            if barrier is None:
                return True
        pin = next((p for p in self.site.pins if p.kind == barrier.kind), None)
        if pin is not None and self.policy.ask_pin is not None:
            self._answer_pin(page, pin, barrier)
            return True
        raise NeedsHuman(f"{barrier.message}: a person must continue", kind=barrier.kind)

    def _submit_password(self, page: Page) -> None:
        login = self.site.login
        if login is None:  # a site without accounts declares no sign-in barrier; be safe anyway
            raise SiteChanged(f"{self.site.title} showed a sign-in page, and optout-bot has no account there")
        if not self.site.password_sign_in:
            raise LoginRequired(
                f"{self.site.title} asks to sign in; optout-bot never types a password there",
                remedy="run 'optout-bot login --interactive' to sign in yourself; later runs reuse that session",
            )
        creds = self.policy.credentials
        if creds is None:
            raise LoginRequired(f"{self.site.title} asks to sign in and no password is stored")
        if not self.policy.allow_password:
            raise LoginRequired(
                f"{self.site.title} asks to sign in; this run may not type the stored password",
                remedy="run 'optout-bot login --interactive', or set allow_password_login = true in the config",
            )
        if self.submitted:
            # Never a second credential submission in one run: lockout policies count failures.
            raise LoginFailed(f"{self.site.title} asked to sign in again right after signing in")
        username = _first_visible(page, login.username)
        password = _first_visible(page, login.password)
        submit = _first_visible(page, login.submit)
        if username is None or password is None or submit is None:
            raise SiteChanged(f"the sign-in form on {path_of(page.url)} was not recognised")
        if self.before_submit is not None:
            self.before_submit()  # e.g. stop a trace: nothing may record the password
        username.fill(creds.email, timeout=self.timeout_ms)
        password.fill(creds.password.get_secret_value(), timeout=self.timeout_ms)
        self.submitted = True
        before = page.url
        submit.click(timeout=self.timeout_ms)
        self._wait_after_submit(page, before, login.error)
        if _first_visible(page, login.error) is not None:
            raise LoginFailed(f"{self.site.title} rejected the stored password (not retried)")

    def _wait_after_submit(self, page: Page, before: str, errors: list[str]) -> None:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            page.wait_for_url(lambda url: url != before, timeout=self.timeout_ms)
        except PlaywrightTimeout:
            # Some layouts show the error without navigating.
            if not errors or page.locator(", ".join(errors)).count() == 0:
                raise SiteChanged("nothing happened after submitting the sign-in form") from None
        page.wait_for_load_state("load", timeout=self.timeout_ms)

    def _answer_pin(self, page: Page, pin: PinForm, barrier: Barrier) -> None:
        assert self.policy.ask_pin is not None  # noqa: S101  (checked by the caller)
        code = self.policy.ask_pin(f"{barrier.message}. Enter the code")
        if not code:
            raise NeedsHuman(f"{barrier.message}: no code was entered", kind=barrier.kind)
        field = _first_visible(page, pin.input)
        button = _first_visible(page, pin.submit)
        if field is None or button is None:
            raise SiteChanged(f"the {pin.kind} form was not recognised")
        field.fill(code.strip(), timeout=self.timeout_ms)
        before = page.url
        button.click(timeout=self.timeout_ms)
        self._wait_after_submit(page, before, self.site.login.error if self.site.login else [])
        still = detect_barrier(page, self.site)
        if still is not None:
            raise NeedsHuman(f"{still.message}: the code was not accepted", kind=still.kind)
