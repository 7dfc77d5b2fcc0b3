"""Recognising sign-in and security pages, and signing in once (never retried).

Checked after every navigation (docs/evidence/linkedin.md §11.2): any load can land on a sign-in page,
the authwall, a saved-account chooser, a checkpoint or the restricted-account page, and after the
password a question the site may ask (remember this browser, add a phone): answered "Not now" /
"Skip" only where the site's data declares that answer, else a person must continue. Every
judgement first checks the page is on one of the site's own hosts (identity.Hosts).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from pydantic import SecretStr

from optout_bot.engine.identity import Hosts
from optout_bot.engine.loginform import accessible_name, find_form, name_pattern, posts_to
from optout_bot.engine.navigate import path_of
from optout_bot.errors import ForeignHost, LoginFailed, LoginRequired, NeedsHuman, SiteChanged
from optout_bot.i18n import _
from optout_bot.model.flowspec import SiteSpec
from optout_bot.model.signinspec import Barrier, PinForm

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

log = logging.getLogger(__name__)

# Barriers a stored password can get past; every other one needs a person.
SIGN_IN_KINDS = frozenset({"login", "authwall"})
# Questions after the password answered in one run at most (remember-me, then add-phone, …).
MAX_PROMPTS = 3


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


def _visible_text(locator: Locator) -> bool:
    """Any visible element of ``locator`` with text in it."""
    return bool(_texts(locator))


def _texts(locator: Locator) -> str:
    visible = locator.locator("visible=true")
    return " ".join(visible.nth(i).inner_text().strip() for i in range(min(visible.count(), 5))).strip()


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
        self.before_submit = before_submit
        self.policy = policy
        self.timeout_ms = timeout_ms
        self.hosts = hosts or Hosts(site)
        self.submitted = False  # one credential submission per run, whatever happens
        self._alerts_before = ""
        self.declined: list[str] = []
        """Prompts answered "Not now"/"Skip" in this run (their kinds), for tests and logs."""

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
        self._wait_for_change(page, before, [], control, gone_ends=True)
        self.declined.append(barrier.kind)

    def _submit_password(self, page: Page) -> None:
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
        self._alerts_before = _texts(page.get_by_role("alert"))
        self.hosts.check(page.url)
        button.click(timeout=self.timeout_ms)
        self._wait_for_change(page, before, login.error, form.password)
        if self._rejected(page, before):
            raise LoginFailed(
                _("{site} rejected the stored password (not retried)").format(site=self.site.title)
            )

    def _rejected(self, page: Page, before: str) -> bool:
        """The page says the credentials were wrong: one of the site's error selectors, or a new
        alert on a page that is still a sign-in page (the 2026 answer at /checkpoint/lg/login-submit)."""
        login = self.site.login
        if login is not None and any(_visible_text(page.locator(css)) for css in login.error):
            return True
        barrier = detect_barrier(page, self.site)
        if barrier is None or barrier.kind not in SIGN_IN_KINDS:
            return False
        alerts = _texts(page.get_by_role("alert"))
        return bool(alerts) and (page.url != before or alerts != self._alerts_before)

    def _wait_for_change(
        self,
        page: Page,
        before: str,
        errors: list[str],
        field: Locator | None = None,
        gone_ends: bool = False,
    ) -> None:
        """Wait until the page moves on (a new URL) or shows an error. A page that changes in place
        (``field`` gone) ends the wait at once with ``gone_ends`` (a dismissed question), else only
        when the wait is over (a sign-in page hides its form while it sends the password)."""
        from playwright.sync_api import Error as PlaywrightError

        waited = 0.0
        step = 100.0
        while waited < self.timeout_ms:
            try:
                if page.url != before:
                    break
                if errors and _visible_text(page.locator(", ".join(errors))):
                    break
                if _texts(page.get_by_role("alert")) not in ("", self._alerts_before):
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
            page.wait_for_load_state("load", timeout=self.timeout_ms)
        except PlaywrightError:
            page.wait_for_load_state("load", timeout=self.timeout_ms)

    def _answer_pin(self, page: Page, pin: PinForm, barrier: Barrier) -> None:
        assert self.policy.ask_pin is not None  # noqa: S101  (checked by the caller)
        code = self.policy.ask_pin(_("{problem}. Enter the code").format(problem=_(barrier.message)))
        if not code:
            raise NeedsHuman(
                _("{problem}: no code was entered").format(problem=_(barrier.message)), kind=barrier.kind
            )
        field = _first_visible(page, pin.input)
        button = _first_visible(page, pin.submit)
        if field is None or button is None:
            raise SiteChanged(_("the {kind} form was not recognised").format(kind=pin.kind))
        self.hosts.check(page.url)
        field.fill(code.strip(), timeout=self.timeout_ms)
        before = page.url
        button.click(timeout=self.timeout_ms)
        self._wait_for_change(page, before, self.site.login.error if self.site.login else [])
        still = detect_barrier(page, self.site)
        if still is not None and still.decline is None:
            raise NeedsHuman(
                _("{problem}: the code was not accepted").format(problem=_(still.message)), kind=still.kind
            )


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
