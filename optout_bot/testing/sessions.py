"""Sessions, CSRF tokens, pending security checks and the cookies that carry them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from optout_bot.testing.manifest import Auth
from optout_bot.testing.model import FakeRequest


@dataclass(frozen=True)
class Pending:
    """A correct password waiting for its security check."""

    email: str
    redirect: str
    kind: str


class Sessions:
    """Who is signed in (by session cookie), which CSRF values were handed out, pending checks."""

    def __init__(self, auth: Auth) -> None:
        self.auth = auth
        self._emails: dict[str, str] = {}  # session cookie value -> email
        self._csrf: set[str] = set()  # CSRF values handed out (unquoted)
        self.pending: dict[str, Pending] = {}  # pending-check cookie value -> who and where
        self.stale: set[str] = set()  # session cookie values the site now answers with a redirect loop

    def email(self, req: FakeRequest) -> str | None:
        """The account signed in on this request, if any."""
        return self._emails.get(req.cookies.get(self.auth.session_cookie, ""))

    def start(self, email: str) -> tuple[str, str]:
        """A new session: (session cookie value, CSRF cookie value as sent)."""
        session = secrets.token_urlsafe(32)
        self._emails[session] = email
        return session, self.new_csrf()

    def end(self, req: FakeRequest) -> None:
        """Forget the request's session."""
        self._emails.pop(req.cookies.get(self.auth.session_cookie, ""), None)

    def is_stale(self, req: FakeRequest) -> bool:
        """The request carries a session made stale by ``make_stale``."""
        return req.cookies.get(self.auth.session_cookie, "") in self.stale

    def make_stale(self) -> None:
        """Every current session now loops (LinkedIn's answer to a stale ``li_at``: ERR_TOO_MANY_REDIRECTS)."""
        self.stale |= set(self._emails)
        self._emails.clear()

    def expire(self) -> None:
        """Forget every session and pending check."""
        self._emails.clear()
        self.pending.clear()

    def new_csrf(self) -> str:
        """A fresh CSRF cookie value (quoted if the site quotes it)."""
        value = self.auth.csrf_prefix + str(secrets.randbelow(10**19)).zfill(19)
        self._csrf.add(value)
        return f'"{value}"' if self.auth.csrf_quoted else value

    def has_csrf_cookie(self, req: FakeRequest) -> bool:
        """Whether the request carries a CSRF cookie this fake handed out."""
        return req.cookies.get(self.auth.csrf_cookie, "").strip('"') in self._csrf

    def csrf_ok(self, req: FakeRequest) -> bool:
        """The CSRF header is present, equals the cookie (without quotes) and was handed out here."""
        sent = req.headers.get(self.auth.csrf_header.lower(), "")
        return (
            bool(sent)
            and sent == req.cookies.get(self.auth.csrf_cookie, "").strip('"')
            and sent in self._csrf
        )

    @staticmethod
    def cookie(
        req: FakeRequest, name: str, value: str, http_only: bool = False, max_age: int | None = None
    ) -> tuple[str, str]:
        """A Set-Cookie header; Secure only over https (a Secure cookie from plain http is dropped)."""
        parts = [f"{name}={value}", "Path=/", "SameSite=Lax"]
        if max_age is not None:
            parts.append(f"Max-Age={max_age}")
        if http_only:
            parts.append("HttpOnly")
        if req.scheme == "https":
            parts.append("Secure")
        return ("Set-Cookie", "; ".join(parts))
