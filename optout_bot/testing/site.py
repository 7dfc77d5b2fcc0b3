"""The fake site: request dispatch and the pages it renders, with the state they show.

The parts with state of their own answer through it: sign-in, security checks and sign-out
(``login.Login``), the switches and the settings API (``settings.Settings``), the objection forms
(``forms.Forms``); all share this site's sessions and lock.
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Collection
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from optout_bot.model.resources import fixtures_dir
from optout_bot.testing.behaviour import behaviour_script
from optout_bot.testing.errors import FixtureError
from optout_bot.testing.forms import Forms
from optout_bot.testing.login import Login
from optout_bot.testing.manifest import SiteFiles
from optout_bot.testing.model import (
    FakeRequest,
    Intercept,
    RecordedRequest,
    Response,
    ResponseHook,
    Save,
    Scenario,
    Submission,
)
from optout_bot.testing.rewrite import RenderSpec, render
from optout_bot.testing.sessions import Sessions
from optout_bot.testing.settings import Settings

if TYPE_CHECKING:
    # Playwright's own type for add_cookies() (types only; not exported from sync_api).
    from playwright._impl._api_structures import SetCookieParam

_REDACTED = "<redacted>"
CHOICE_PATH = "/_fake/choice"
"""Where the behaviour script reports a press of a banner's or dialog's button (``?c=<its data-fake-choice>``)."""


class FakeSite:
    """A fake of one site, described by ``fixtures/<site>/site.toml``; see fixtures/README.md.

    ``handle`` is the whole server: the Playwright routes and the real HTTP server both call it.
    ``intercepts`` (checked first: an answer one returns replaces the site's) and ``response_hooks``
    (applied last) let tests bend its behaviour (the fault matrix's faults plug in there).
    Raises ``FixtureError`` when the fixture folder or the scenario does not make a site.
    """

    def __init__(self, scenario: Scenario | None = None) -> None:
        self.scenario = scenario or Scenario()
        if not self.scenario.accounts:
            raise FixtureError("the fake site needs at least one account")
        root = self.scenario.fixtures_root or fixtures_dir()
        self.files = SiteFiles(root / self.scenario.site, self.scenario.language, self.scenario.variant)
        self.manifest = self.files.manifest
        self.base_url = self.manifest.base_url.rstrip("/")
        _known(
            "sign-in page", self.scenario.signed_out_page, self.manifest.auth.signed_out, self.scenario.site
        )
        if self.scenario.challenge:
            kinds = self.manifest.challenges.kinds
            _known("security check", self.scenario.challenge, kinds, self.scenario.site)
        self.requests: list[RecordedRequest] = []
        self.intercepts: list[Intercept] = []
        self.response_hooks: list[ResponseHook] = []
        self._sessions = Sessions(self.manifest.auth)
        self._login = Login(self.manifest, self.scenario, self._sessions, self._page)
        self._settings = Settings(self.scenario, self._sessions)
        self._forms = Forms(self.manifest, self.scenario, self._sessions, self._login)
        self._lock = threading.RLock()
        self._script = behaviour_script(self.manifest, self.scenario.language)

    # ----- public API -------------------------------------------------------------------------

    @property
    def saves(self) -> list[Save]:
        """Every call to the settings API, accepted or not, in order."""
        return list(self._settings.saves)

    @property
    def submissions(self) -> list[Submission]:
        """Every signed-in submission of a ``[forms]`` form, in order."""
        return list(self._forms.submissions)

    @property
    def choices(self) -> list[str]:
        """Every banner or dialog button pressed (its ``data-fake-choice``: accept, reject, dismiss…)."""
        return [r.query.removeprefix("c=") for r in self.requests if r.path == CHOICE_PATH]

    @property
    def login_attempts(self) -> int:
        """How many times credentials were submitted (right or wrong)."""
        return self._login.login_attempts

    @property
    def pin_attempts(self) -> int:
        """How many times a verification code was submitted."""
        return self._login.pin_attempts

    def handle(self, method: str, url: str, headers: dict[str, str], body: bytes | None) -> Response:
        """Answer one request; ``url`` is absolute or a path with query."""
        request = FakeRequest.parse(method, url, headers, body, urlsplit(self.base_url).scheme)
        with self._lock:
            response = self._answer(request)
            for hook in self.response_hooks:
                response = hook(request, response)
            self.requests.append(self._record(request, response))
        return response

    def session_cookies(self, email: str | None = None, url: str | None = None) -> list[SetCookieParam]:
        """Cookies of a fresh signed-in session, in Playwright's ``add_cookies`` format."""
        email = self._account(email)
        url = url or self.base_url
        with self._lock:
            session, csrf = self._sessions.start(email)
        secure = url.startswith("https:")
        return [
            {
                "name": self.manifest.auth.session_cookie,
                "value": session,
                "url": url,
                "httpOnly": True,
                "secure": secure,
                "sameSite": "Lax",
            },
            {
                "name": self.manifest.auth.csrf_cookie,
                "value": csrf,
                "url": url,
                "httpOnly": False,
                "secure": secure,
                "sameSite": "Lax",
            },
        ]

    def state(self, key: str, email: str | None = None) -> bool:
        """Is switch ``key`` ON for the account (default: the first account)?"""
        with self._lock:
            return self._settings.state(self._account(email), key)

    def set_state(self, key: str, value: bool, email: str | None = None) -> None:
        """Change a switch behind the browser's back (e.g. "the site turned it back on")."""
        with self._lock:
            self._settings.set(self._account(email), key, value)

    @property
    def prompt_answers(self) -> list[tuple[str, str]]:
        """(prompt, "declined" | "accepted") for every answer to a question after the password."""
        return list(self._login.prompt_answers)

    def stale_sessions(self) -> None:
        """Every current session now redirects to itself on private pages (a redirect loop)."""
        with self._lock:
            self._sessions.make_stale()

    def expire_sessions(self) -> None:
        """Forget every session: the next private request is sent to sign in."""
        with self._lock:
            self._sessions.expire()

    # ----- dispatch ---------------------------------------------------------------------------

    def _answer(self, req: FakeRequest) -> Response:
        for intercept in self.intercepts:
            answer = intercept(req)
            if answer is not None:
                return answer
        if req.path == "/_fake/health":
            return Response.json({"ok": True})
        if req.path == "/favicon.ico":
            # The browser asks every site for its icon by itself; real sites answer without a session.
            # Sent to sign in, it looked like a second load of the sign-in page (issue 16).
            return Response(404)
        if req.method == "POST" and (req.path in self.manifest.beacons or req.path == CHOICE_PATH):
            return Response(204)  # a tracking beacon, or a banner's button (recorded in ``requests``)
        if self.manifest.is_save(req.method, req.path):
            return self._settings.save(req)
        auth = self.manifest.auth
        if req.method == "POST":
            if req.path in auth.login_submit:
                return self._login.login(req)
            if req.path == self.manifest.challenges.verify:
                return self._login.verify(req)
            if req.path in self.manifest.forms:
                return self._forms.submit(req)
        if auth.logout and req.path == auth.logout:
            return self._login.logout(req)
        answered = self._login.answer(req, self._sessions.email(req))
        if answered is not None:
            return answered
        if self._sessions.is_stale(req) and not self.manifest.is_public(req.path):
            return Response.redirect(req.path + (f"?{req.query}" if req.query else ""), 302)
        email = self._sessions.email(req)
        if email is None and not self.manifest.is_public(req.path):
            return self._login.signed_out(req)
        if req.method not in ("GET", "HEAD"):
            return Response(405, [("Allow", "GET, HEAD")])
        if req.path in self.files.redirects:
            return Response.redirect(self.files.redirects[req.path])
        page = self._forms.sent_page(req.path, email) or self.files.pages.get(req.path)
        if page is None:
            return self._page(self.manifest.not_found, req, email, status=404)
        return self._page(page, req, email)

    def _page(
        self,
        template: str,
        req: FakeRequest,
        email: str | None,
        status: int = 200,
        fill: dict[str, str] | None = None,
    ) -> Response:
        relative = template.replace("{login_layout}", self.scenario.login_layout)
        path = self.files.find(relative)
        if path is None:
            return Response.html(f"<h1>fake site: fixture file {relative} is missing</h1>", 500)
        if path.suffix not in (".html", ".htm"):
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return Response(status, [("Content-Type", kind)], path.read_bytes())
        auth = self.manifest.auth
        if fill is None:
            values = (req.query_value(p) for p in auth.redirect_params)
            fill = {auth.redirect_field: next((v for v in values if v), "")}
            fill.update(self._forms.prefill(req.path, email))
        markup = self.manifest.markup
        spec = RenderSpec(
            state=lambda key: self._settings.state(email, key) if email else True,
            words=self.manifest.words(self.scenario.language),
            wrapper_class=markup.wrapper_class,
            toggled_class=markup.toggled_class,
            text_class=markup.text_class,
            fill=fill,
            inject=self._script,
        )
        response = Response.html(render(path.read_text(encoding="utf-8"), spec), status)
        if not self._sessions.has_csrf_cookie(req):
            # Like the real site, every visitor gets a CSRF cookie with the first page.
            response.headers.append(Sessions.cookie(req, auth.csrf_cookie, self._sessions.new_csrf()))
        return response

    # ----- helpers ----------------------------------------------------------------------------

    def _account(self, email: str | None) -> str:
        if email is None:
            return next(iter(self.scenario.accounts))
        if email not in self.scenario.accounts:
            raise KeyError(f"no such account in the scenario: {email}")
        return email

    def _record(self, req: FakeRequest, response: Response) -> RecordedRequest:
        """What tests may see: no cookies, no CSRF value, no body of a credential or PIN post."""
        secret_paths = {*self.manifest.auth.login_submit, self.manifest.challenges.verify}
        csrf_header = self.manifest.auth.csrf_header.lower()
        headers = {k: (_REDACTED if k == csrf_header else v) for k, v in req.headers.items() if k != "cookie"}
        body = None if req.method == "POST" and req.path in secret_paths else req.body
        return RecordedRequest(req.method, req.path, req.query, headers, body, response.status, req.host)


def _known(what: str, name: str, known: Collection[str], site: str) -> None:
    if name not in known:
        raise FixtureError(f"no {what} {name!r} on the fake {site}; known: {', '.join(known) or 'none'}")
