"""The fake site's front door: sign-in, its security check (a PIN, or one that never completes), sign-out.

``FakeSite`` routes requests here. These handlers live apart because they are the fake's one state
machine (password, then a pending check, then a session) with counters of their own, and a sign-in
test can be read against them without the pages, settings API and forms around them.
"""

from __future__ import annotations

import secrets
from typing import Protocol
from urllib.parse import quote, urlsplit

from optout_bot.testing.manifest import SiteManifest
from optout_bot.testing.model import FakeRequest, Response, Scenario
from optout_bot.testing.sessions import Pending, Sessions


class PageRenderer(Protocol):
    """How ``FakeSite`` renders a fixture page; the wrong-password and wrong-PIN pages go through it."""

    def __call__(
        self,
        template: str,
        req: FakeRequest,
        email: str | None,
        status: int = 200,
        fill: dict[str, str] | None = None,
    ) -> Response: ...


class Login:
    """Sign-in, security checks and sign-out of one ``FakeSite``, on the site's own ``Sessions``.

    No lock of its own: ``FakeSite.handle`` already holds the site's lock around every call.
    """

    def __init__(self, manifest: SiteManifest, scenario: Scenario, sessions: Sessions, page: PageRenderer):
        self.manifest = manifest
        self.scenario = scenario
        self.sessions = sessions
        self._page = page
        self.login_attempts = 0
        """How many times credentials were submitted (right or wrong)."""
        self.pin_attempts = 0
        """How many times a verification code was submitted."""
        self.prompt_answers: list[tuple[str, str]] = []
        """(prompt, "declined" | "accepted") for every answer to a question after the password."""

    def signed_out(self, req: FakeRequest, original: str | None = None) -> Response:
        """Off to the scenario's sign-in page, which returns to ``original`` (default: this request)."""
        if original is None:
            original = req.path + (f"?{req.query}" if req.query else "")
        template = self.manifest.auth.signed_out[self.scenario.signed_out_page]
        location = template.replace("{next}", quote(original, safe=""))
        if self.scenario.login_host:
            # Another host, same port (a second name of the local server, or a routed origin).
            port = urlsplit(req.url).port
            host = self.scenario.login_host + (f":{port}" if port else "")
            location = f"{req.scheme}://{host}{location}"
        return Response.redirect(location)

    def login(self, req: FakeRequest) -> Response:
        """A credentials post: the error page, the scenario's security check, or a new session."""
        auth = self.manifest.auth
        form = req.form()
        self.login_attempts += 1
        email = form.get(auth.username_field, "").strip()
        account = next((a for a in self.scenario.accounts if a.lower() == email.lower()), None)
        password = form.get(auth.password_field, "").encode()
        if account is None or not secrets.compare_digest(self.scenario.accounts[account].encode(), password):
            fill = {auth.redirect_field: form.get(auth.redirect_field, ""), auth.username_field: email}
            return self._page(auth.error_page, req, None, fill=fill)
        redirect = self._safe_redirect(form.get(auth.redirect_field, ""))
        if self.scenario.challenge:
            token = secrets.token_urlsafe(16)
            self.sessions.pending[token] = Pending(account, redirect, self.scenario.challenge)
            response = Response.redirect(self.manifest.challenges.kinds[self.scenario.challenge].path)
            response.headers.append(Sessions.cookie(req, self.manifest.challenges.pending_cookie, token))
            return response
        if self.scenario.prompt:
            return self._ask(req, account, redirect, self.scenario.prompt)
        return self._signed_in(req, account, redirect)

    def _ask(self, req: FakeRequest, account: str, redirect: str, name: str) -> Response:
        """Signed in (the session cookie is set), then the scenario's question after the password."""
        prompt = self.manifest.prompts[name]
        signed_in = self._signed_in(req, account, redirect)
        auth = self.manifest.auth
        if prompt.path is None:  # the answer to the password post itself, at its URL
            response = self._page(prompt.file, req, account, fill={auth.redirect_field: redirect})
        else:
            response = Response.redirect(f"{prompt.path}?{auth.redirect_field}={quote(redirect, safe='')}")
        response.headers += [h for h in signed_in.headers if h[0] == "Set-Cookie"]
        return response

    def answer(self, req: FakeRequest, email: str | None) -> Response | None:
        """The scenario's prompt page at its own path, or a click on a prompt's "Not now"/"Skip"
        (declined) or "Remember me"/"Add phone" (accepted), recorded; None for any other request."""
        asked = self.manifest.prompts.get(self.scenario.prompt or "")
        if asked is not None and req.method == "GET" and req.path == asked.path and email is not None:
            return self._page(asked.file, req, email)
        for name, prompt in self.manifest.prompts.items():
            for path, verdict in ((prompt.decline, "declined"), (prompt.accept, "accepted")):
                if req.path == path:
                    self.prompt_answers.append((name, verdict))
                    auth = self.manifest.auth
                    back = req.form().get(auth.redirect_field) or req.query_value(auth.redirect_field) or ""
                    return Response.redirect(self._safe_redirect(back))
        return None

    def verify(self, req: FakeRequest) -> Response:
        """A verification-code post for the pending check named by its cookie."""
        challenges = self.manifest.challenges
        token = req.cookies.get(challenges.pending_cookie, "")
        pending = self.sessions.pending.get(token)
        if pending is None:
            return self.signed_out(req, original=self.manifest.home)
        kind = challenges.kinds[pending.kind]
        self.pin_attempts += 1
        if kind.error_page is None:
            return Response.redirect(kind.path)  # app approval, CAPTCHA, restriction: never completed
        if not secrets.compare_digest(req.form().get(challenges.pin_field, "").strip(), self.scenario.pin):
            return self._page(kind.error_page, req, None)
        del self.sessions.pending[token]
        response = self._signed_in(req, pending.email, pending.redirect)
        response.headers.append(Sessions.cookie(req, challenges.pending_cookie, "", max_age=0))
        return response

    def logout(self, req: FakeRequest) -> Response:
        """End the request's session and clear its cookie."""
        auth = self.manifest.auth
        self.sessions.end(req)
        response = Response.redirect(auth.logout_to)
        response.headers.append(Sessions.cookie(req, auth.session_cookie, "", max_age=0))
        return response

    def _signed_in(self, req: FakeRequest, email: str, redirect: str) -> Response:
        auth = self.manifest.auth
        session, csrf = self.sessions.start(email)
        response = Response.redirect(redirect)
        response.headers.append(Sessions.cookie(req, auth.session_cookie, session, http_only=True))
        response.headers.append(Sessions.cookie(req, auth.csrf_cookie, csrf))
        return response

    def _safe_redirect(self, value: str) -> str:
        """A same-site path to return to; absolute URLs are reduced to their path (no open redirect)."""
        parts = urlsplit(value)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith("/") or path.startswith("//"):
            return self.manifest.home
        return path
