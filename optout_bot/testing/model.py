"""Plain data of the fake site: the scenario, requests as the fake sees them, responses, records."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel, ConfigDict, Field

from optout_bot.i18n import PageLanguage


class Scenario(BaseModel):
    """Everything a test or a demo can choose about the fake site. Immutable once made."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    site: str = "linkedin"
    """Folder under the fixtures root."""
    fixtures_root: Path | None = None
    """Where the site folders are; default ``optout_bot.model.resources.fixtures_dir()``."""
    accounts: dict[str, str] = Field(default_factory=lambda: {"demo@example.com": "demo-password-123"})
    """Email -> password. The first account is the default for ``state()``/``session_cookies()``."""
    settings: dict[str, bool] = Field(default_factory=dict)
    """Switch key (its ``aria-labelledby``) -> ON?  Keys not listed start at ``default_state``."""
    default_state: bool = True
    """The state of every switch not in ``settings``: ON, as the real defaults are."""
    language: PageLanguage = "en"
    variant: str | None = None
    """A folder under ``variants/`` that overrides some files (and maybe pages/redirects)."""
    login_layout: Literal["classic", "formless", "react"] = "classic"
    """``react``: the 2026 page (no form, generated ids, hidden duplicates, Apple/Google buttons first)."""
    prompt: str | None = None
    """A question after a correct password, named in the manifest's ``[prompts]`` (e.g. ``remember-me``)."""
    login_host: str | None = None
    """Send signed-out visitors to the sign-in page on this other host (e.g. ``evil.example``; the
    port of the request is kept), to prove no password is typed on a foreign host."""
    signed_out_page: Literal["login", "authwall", "rememberme"] = "login"
    """Where a signed-out request for a private page is sent."""
    challenge: str | None = None
    """Security check shown after a correct password: a key of the manifest's ``challenges.kinds``
    (``email-pin``, ``sms-pin``, ``app-approval``, ``captcha``, ``restricted`` on LinkedIn)."""
    pin: str = "424242"
    """The code that answers an email/SMS PIN challenge."""
    save_delay_ms: int = Field(default=0, ge=0)
    """How long the settings API takes to answer."""


@dataclass
class Response:
    """What the fake answers. ``delay_ms`` is honoured by the adapters (HTTP server, routes)."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    delay_ms: int = 0

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (case-insensitive)."""
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    @classmethod
    def html(cls, text: str, status: int = 200) -> Response:
        """An HTML page."""
        return cls(status, [("Content-Type", "text/html; charset=utf-8")], text.encode("utf-8"))

    @classmethod
    def json(cls, data: Any, status: int = 200) -> Response:
        """A JSON reply (the site's API)."""
        return cls(status, [("Content-Type", "application/json")], json.dumps(data).encode("utf-8"))

    @classmethod
    def redirect(cls, location: str, status: int = 303) -> Response:
        """A redirect; ``location`` stays relative so every base URL works."""
        return cls(status, [("Location", location), ("Content-Length", "0")])


@dataclass(frozen=True)
class FakeRequest:
    """One request as the fake sees it: header names lower-cased, cookies parsed."""

    method: str
    url: str
    scheme: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes | None

    @property
    def cookies(self) -> dict[str, str]:
        """Cookie name -> raw value (quotes kept, as the browser sent them)."""
        jar: dict[str, str] = {}
        for part in self.headers.get("cookie", "").split(";"):
            name, sep, value = part.strip().partition("=")
            if sep and name:
                jar[name] = value
        return jar

    @property
    def host(self) -> str:
        """Host (and port, if any) the request was sent to; empty for a bare path."""
        return urlsplit(self.url).netloc

    def query_value(self, name: str) -> str | None:
        """The first value of query parameter ``name``."""
        values = parse_qs(self.query).get(name)
        return values[0] if values else None

    def form(self) -> dict[str, str]:
        """The form-urlencoded body (first value of each field)."""
        text = (self.body or b"").decode("utf-8", "replace")
        return {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}

    @classmethod
    def parse(
        cls, method: str, url: str, headers: dict[str, str], body: bytes | None, default_scheme: str
    ) -> FakeRequest:
        """Build from an absolute URL or a path+query (then ``default_scheme`` applies)."""
        parts = urlsplit(url)
        return cls(
            method=method.upper(),
            url=url,
            scheme=parts.scheme or default_scheme,
            path=parts.path or "/",
            query=parts.query,
            headers={k.lower(): v for k, v in headers.items()},
            body=body,
        )


@dataclass(frozen=True)
class RecordedRequest:
    """A handled request, safe to print: no cookies, no CSRF token, no credential bodies."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes | None
    status: int
    host: str = ""
    """The host the request was sent to (with a port when not the default), e.g. ``evil.example``."""


@dataclass(frozen=True)
class Save:
    """A call to the settings API. ``accepted`` is False when the fake refused it (401/403/400)."""

    key: str | None
    enabled: bool | None
    email: str | None
    accepted: bool
    status: int


@dataclass(frozen=True)
class Submission:
    """A POST of a form the manifest lists under ``[forms]`` (its fields, as sent)."""

    path: str
    email: str | None
    """The signed-in account; None for a form sent without an account (WhatsApp's)."""
    fields: dict[str, str]


Intercept = Callable[[FakeRequest], "Response | None"]
"""Checked first for every request; a Response returned here is the answer (tests inject faults so)."""
ResponseHook = Callable[[FakeRequest, Response], Response]
"""Applied to every answer before it leaves the fake (e.g. removing an element, adding an overlay)."""
