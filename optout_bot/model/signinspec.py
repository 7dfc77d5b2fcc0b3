"""Flow-file models of how a site signs its members in and what stops a run (``[login]``, pins, barriers).

Part of a site file (``flows/<site>/site.toml``, ``SiteSpec`` in ``flowspec.py``); kept apart because
the sign-in code (``engine/signin.py``, ``engine/loginform.py``) reads these and nothing else of it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from optout_bot.i18n import PageLanguage
from optout_bot.model.pagespec import Strict, Target


class Barrier(Strict):
    """A page that stops a run: sign-in, checkpoint, CAPTCHA, restriction."""

    kind: Literal[
        "login",
        "authwall",
        "rememberme",
        "email-pin",
        "sms-pin",
        "app-approval",
        "captcha",
        "restricted",
        "checkpoint",
        "prompt",
        "interstitial",
        "foreign-host",
    ]
    path_prefixes: list[str] = Field(default_factory=list)
    """Any of these at the start of the URL path identifies the barrier…"""
    css: list[str] = Field(default_factory=list)
    """…as does any of these selectors being present."""
    message: str
    """What to tell the person, one line."""
    decline: Target | None = None
    """A question asked after the password (remember this browser, add a phone) and its non-committal
    answer (Not now, Skip): clicked only when a visible button or link carries one of these names.
    Without it, or when no such control is found, the run stops for a person (signin.py)."""

    @model_validator(mode="after")
    def _decline_is_named(self) -> Barrier:
        if self.decline is not None and not any(self.decline.names.values()):
            raise ValueError("decline needs names: a control is clicked only for its name")
        return self


class LoginForm(Strict):
    """Where the username/password form is and how to submit it (both layouts)."""

    path: str
    url: str | None = None
    """Where a person signs in when that is another host than ``base_url`` (Instagram signs in on
    www.instagram.com, its forms live on help.instagram.com); ``path`` still names the sign-in page
    when a run meets it on the site's own host, and a local copy of the site (``site_url``) uses it."""
    username: list[str]
    password: list[str]
    submit: list[str]
    error: list[str]
    """Selectors whose presence (with text) after submitting means the credentials were rejected."""
    username_names: dict[PageLanguage, list[str]] = Field(default_factory=dict)
    """Accessible names (labels) of the username field; found by name first, ``username`` CSS after."""
    password_names: dict[PageLanguage, list[str]] = Field(default_factory=dict)
    submit_names: dict[PageLanguage, list[str]] = Field(default_factory=dict)
    """Exact accessible names of the sign-in button ("Sign in", "Einloggen", …)."""
    sso_words: list[str] = Field(default_factory=list)
    """A button whose name holds one of these words ("Sign in with Apple") is never the submit button."""
    sign_in_hosts: list[str] = Field(default_factory=list)
    """Other hosts where the site signs its members in (ChatGPT: auth.openai.com): a run that lands
    there needs a person; nothing is ever typed there."""


class PinForm(Strict):
    """A verification-code challenge that a person at a terminal may answer."""

    kind: Literal["email-pin", "sms-pin"]
    input: list[str]
    submit: list[str]
