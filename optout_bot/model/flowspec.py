"""Pydantic models of the flow files in ``flows/``: the *what*; the engine owns the *how*.

A site file (``flows/<site>/site.toml``, ``SiteSpec``) says where the site lives and how to recognise
its sign-in pages and barriers (``signinspec.py``). A flow file (``flows/<site>/<setting>.toml``,
``FlowSpec``) says where one setting lives and how to find its switch, or which form to send. Their
building blocks (targets, steps, obstacles, the save) are in ``pagespec.py``. Unknown keys are
errors everywhere (``extra="forbid"``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from optout_bot.i18n import PageLanguage
from optout_bot.model.pagespec import ObstacleSpec, SaveSpec, Step, Strict, Target
from optout_bot.model.signinspec import Barrier, LoginForm, PinForm

FlowKind = Literal["switch", "form"]
"""A flow's kind: exactly one of its ``switch`` and ``form`` is given."""


class SiteSpec(Strict):
    """A site: base URL, sign-in, barriers and the start of the way to its settings."""

    name: str
    title: str
    base_url: str
    allowed_hosts: list[str]
    home_path: str
    """A signed-in page to start a click-through from (LinkedIn: the feed)."""
    signed_in_css: list[str] = Field(default_factory=list)
    """Any of these present means the page is a signed-in page."""
    session_cookie: str | None = None
    """The site's signed-in cookie. Signed in means: present, alive (not empty, expired or one of
    ``session_cookie_dead``) and the page is no barrier (identity.py); DOM markers are a second hint."""
    session_cookie_dead: list[str] = Field(default_factory=list)
    """Values the site writes into its session cookie to kill it (LinkedIn: ``delete me``)."""
    login: LoginForm | None = None
    """How to sign in; None for a site with no accounts on the web (WhatsApp's forms): runs keep no
    session there and ``login`` has nothing to do."""
    password_sign_in: bool = True
    """False: runs never type a stored password here (multi-step, SSO or other-host sign-in); a person
    signs in with ``optout-bot login --interactive`` and runs reuse that session."""
    pins: list[PinForm] = Field(default_factory=list)
    barriers: list[Barrier] = Field(default_factory=list)
    nav: list[Step] = Field(default_factory=list)
    """Clicks from ``home_path`` to the settings area shared by every flow of the site."""
    blocked_statuses: list[int] = Field(default_factory=lambda: [999])
    """HTTP statuses that mean "refused": never retried."""
    private_css: list[str] = Field(default_factory=list)
    """Elements that show personal data (name, photo, email): masked in every screenshot."""
    not_offered: dict[PageLanguage, list[str]] = Field(default_factory=dict)
    """Phrases of the site's notice that a setting is not offered to this account, per UI language."""
    save: SaveSpec | None = None
    """The request that saves a switch; without it, any non-GET to the site's host that is no beacon."""
    beacons: list[str] = Field(default_factory=list)
    """Path patterns of tracking requests (``*`` wildcards): never taken for a save."""
    obstacles: list[ObstacleSpec] = Field(default_factory=list)
    """Banners and dialogs the site is known to lay over its pages (generic ones are known anyway)."""

    @model_validator(mode="after")
    def _signs_in_or_not(self) -> SiteSpec:
        if self.login is not None and not (self.signed_in_css and self.session_cookie):
            raise ValueError("a site with [login] needs signed_in_css and session_cookie")
        if self.login is None and (self.pins or not self.password_sign_in):
            raise ValueError("pins and password_sign_in only apply to a site with [login]")
        return self

    @property
    def has_accounts(self) -> bool:
        """False for a site used without signing in (nothing to store, nothing to sign in to)."""
        return self.login is not None


class SwitchSpec(Strict):
    """How to know the control (a switch or a checkbox) by meaning; see perceive.py.

    A control is the flow's when its stable key or its accessible name (compared by similarity with
    ``names``) says so, it is the only such control on the page, and its name or description speaks of
    ``topic``. Never by position alone."""

    labelledby: str | None = None
    """The stable key (language-independent), e.g. ``allowDataForGenerativeAI``."""
    css: list[str] = Field(default_factory=list)
    """Further stable CSS selectors (semantic keys, never positional ids)."""
    names: dict[PageLanguage, list[str]] = Field(default_factory=dict)
    """The control's label per UI language; a label close enough to any of them (meaning.py) matches."""
    topic: dict[PageLanguage, list[str]] = Field(default_factory=dict)
    """Words (whole words or phrases) of which the control's name or description must speak."""

    @field_validator("names")
    @classmethod
    def _names_not_empty(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for lang, names in value.items():
            if not names or any(not n.strip() for n in names):
                raise ValueError(f"names.{lang} must list at least one non-empty name")
        return value


class FormField(Strict):
    """One field of an objection form and where its value comes from."""

    name: str
    """Short slug for reports, e.g. ``email``."""
    css: list[str] = Field(min_length=1)
    """Selectors tried in order; the first that matches exactly one element is used."""
    source: Literal["account-email", "account-phone", "text"]
    """``account-email``: the site pre-fills it; it is kept as is and only typed when empty (the
    account's ``email`` from the config, else the stored sign-in e-mail). ``account-phone``: the
    account's ``phone`` from the config (WhatsApp identifies an account by its number).
    ``text``: the fixed ``text`` below is typed."""
    text: str = ""
    optional: bool = False
    """A field the form may not show (e.g. the optional reason): its absence is no error."""

    @model_validator(mode="after")
    def _text_matches_source(self) -> FormField:
        if self.source == "text" and not self.text.strip():
            raise ValueError("source = 'text' needs a non-empty text")
        if self.source != "text" and self.text:
            raise ValueError("text is only for source = 'text'")
        return self


class FormSpec(Strict):
    """An objection form (Meta): filled, submitted once, proven by its confirmation page."""

    fill: list[FormField] = Field(default_factory=list)
    submit: Target
    confirmation: list[str] = Field(min_length=1)
    """Selectors (CSS or Playwright ``text=``) whose presence after submitting proves it was received."""
    already_sent: list[str] = Field(default_factory=list)
    """Selectors shown instead of the form when an objection was already received."""


class FlowSpec(Strict):
    """One setting on one site, and the state we want it in (a switch, or a form to send)."""

    name: str
    """Unique, ``<site>.<setting>``."""
    site: str
    title: str
    """The setting's title as the site shows it in English."""
    path: str
    """The setting's own page, relative to the site's base URL."""
    desired: Literal["off"] = "off"
    """Only "off" exists: optout-bot never turns a setting on."""
    profiles: list[str] = Field(default_factory=lambda: ["strict"])
    switch: SwitchSpec = Field(default_factory=SwitchSpec)
    """How to find the switch; required unless the flow is a ``form``."""
    form: FormSpec | None = None
    """An objection form to send instead of a switch to turn off (exactly one of the two)."""
    steps: list[Step] = Field(default_factory=list)
    """Clicks after the site's ``nav`` that lead to this setting's page."""
    reach: Literal["page", "steps"] = "page"
    """``page``: the switch is on ``path``; ``steps`` are the way a person goes (dry runs, fallback).
    ``steps``: the switch has no page of its own (e.g. it sits in a dialog), so every run, and every
    verification, clicks ``nav`` + ``steps`` from the site's ``home_path``."""
    unavailable_css: list[str] = Field(default_factory=list)
    """Selectors that mean "this account is not offered the setting"."""
    description: str = ""

    @field_validator("name")
    @classmethod
    def _name_has_site(cls, value: str) -> str:
        if "." not in value:
            raise ValueError("must look like '<site>.<setting>'")
        return value

    @field_validator("path")
    @classmethod
    def _path_is_absolute(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError("must start with '/' (it is relative to the site's base URL)")
        return value

    @model_validator(mode="after")
    def _steps_reach_the_switch(self) -> FlowSpec:
        if self.reach == "steps" and not self.steps:
            raise ValueError("reach = 'steps' needs at least one step")
        return self

    @model_validator(mode="after")
    def _one_kind(self) -> FlowSpec:
        has_switch = "switch" in self.model_fields_set
        if has_switch == (self.form is not None):
            raise ValueError("a flow needs exactly one of [switch] or [form]")
        return self

    @property
    def kind(self) -> FlowKind:
        """What the flow acts on, and so which action the engine runs (flow.ACTIONS): a switch to
        turn off, or a form to send."""
        return "switch" if self.form is None else "form"
