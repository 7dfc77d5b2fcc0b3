"""The fixture format: ``fixtures/<site>/site.toml`` plus plain HTML files (see fixtures/README.md).

Everything site-specific the fake knows comes from here: which paths are pages, which need a
session, where sign-in posts go, cookie names, the On/Off words. The Python code stays generic so
captured pages (issue #8) can use the same format.
"""

from __future__ import annotations

import tomllib
from fnmatch import fnmatchcase
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from optout_bot.testing.errors import FixtureError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Auth(_Strict):
    """Sessions and the sign-in form."""

    session_cookie: str
    """Set on sign-in (HttpOnly); its value identifies the session."""
    csrf_cookie: str
    """Readable by page scripts; its value (without quotes) must come back in ``csrf_header``."""
    csrf_prefix: str = ""
    """Prefix of the CSRF cookie value, e.g. ``ajax:``."""
    csrf_quoted: bool = False
    """Whether the CSRF cookie value is wrapped in double quotes."""
    csrf_header: str
    login_submit: list[str]
    """Paths that accept a POSTed sign-in form."""
    username_field: str
    password_field: str
    redirect_field: str
    """Form field (and hidden input) carrying the page to return to after sign-in."""
    redirect_params: list[str]
    """Query parameters whose value fills hidden ``redirect_field`` inputs of a served page."""
    error_page: str
    """File rendered (status 200) after a wrong password; may use ``{login_layout}``."""
    formless_container: str | None = None
    """CSS of the container whose button the behaviour script turns into a form post."""
    logout: str | None = None
    logout_to: str = "/"
    signed_out: dict[str, str]
    """``Scenario.signed_out_page`` -> Location template; ``{next}`` is the url-encoded original path."""


class ChallengeKind(_Strict):
    """One security check shown after a correct password."""

    path: str
    error_page: str | None = None
    """Shown after a wrong PIN; None means this check can never be completed (app, CAPTCHA…)."""


class Challenges(_Strict):
    verify: str
    """Path the PIN forms post to."""
    pin_field: str
    pending_cookie: str
    """Cookie that ties a browser to its pending challenge."""
    kinds: dict[str, ChallengeKind]


class Markup(_Strict):
    """Classes of the switch component, so state can be rendered into any page."""

    wrapper_class: str
    toggled_class: str
    text_class: str
    toast_class: str
    save_error: str = "Something went wrong. Please try again."


class FormPost(_Strict):
    """A form the site accepts (an objection form): where it posts and what answers it."""

    then: str
    """Path the POST redirects to (the confirmation page)."""
    form_page: str | None = None
    """The form's own path: once this account sent it, ``sent_file`` is served there instead."""
    sent_file: str | None = None
    email_field: str | None = None
    """An input of ``form_page`` the fake pre-fills with the signed-in account's e-mail (as Meta does)."""
    signed_in: bool = True
    """False: the form is accepted without a session (WhatsApp's forms have no sign-in)."""
    code_field: str | None = None
    """This POST answers a code e-mailed after a sending (Meta's 2024 form): only ``Scenario.pin`` in
    this field leads on to ``then``; a wrong one goes back to ``form_page`` with ``?error=1``. It is
    not a sending, so nothing is added to ``submissions``."""


class PromptPage(_Strict):
    """A question the site asks after a correct password (remember this browser, add a phone)."""

    file: str
    path: str | None = None
    """Where it is shown (the browser is redirected there); None: it is the answer to the password post."""
    decline: str
    """Path (GET or POST) of the non-committal answer: recorded as "declined", then on to the return path."""
    accept: str
    """Path of the committal answer (remember me, add the phone): recorded as "accepted"."""


class SiteManifest(_Strict):
    """A whole fake site."""

    base_url: str
    home: str
    """Where a sign-in without a return path lands."""
    not_found: str
    public: list[str]
    """fnmatch patterns of paths served without a session."""
    pages: dict[str, str]
    """Path -> file relative to the site folder; ``{login_layout}`` may appear in the file name."""
    redirects: dict[str, str] = Field(default_factory=dict)
    auth: Auth
    challenges: Challenges
    settings_api: str
    """Path of the JSON endpoint the switches send ``{"key", "enabled"}`` to; a ``{key}`` in it is
    replaced by the switch's key (LinkedIn's ``/mysettings-api/settingsApiSettings/<key>``)."""
    settings_method: str = "POST"
    """The save's HTTP method (LinkedIn: PUT)."""
    beacons: list[str] = Field(default_factory=list)
    """Tracking paths the page's script POSTs to on every switch click, before the save (answered 204)."""
    forms: dict[str, FormPost] = Field(default_factory=dict)
    """POST path -> what a signed-in submission of that form does (recorded in ``submissions``)."""
    prompts: dict[str, PromptPage] = Field(default_factory=dict)
    """``Scenario.prompt`` -> the question shown after a correct password."""
    markup: Markup
    state_words: dict[str, tuple[str, str]]
    """Language -> (word for ON, word for OFF) shown in the toggle text and summary rows."""

    def is_save(self, method: str, path: str) -> bool:
        """True for a request to the settings API (any key)."""
        prefix, _, suffix = self.settings_api.partition("{key}")
        if not _:
            return method == self.settings_method and path == self.settings_api
        return method == self.settings_method and path.startswith(prefix) and path.endswith(suffix)

    @model_validator(mode="after")
    def _english_words(self) -> SiteManifest:
        if "en" not in self.state_words:
            raise ValueError("state_words must include en")
        return self

    def is_public(self, path: str) -> bool:
        """Served without a session?"""
        return any(fnmatchcase(path, pattern) for pattern in self.public)

    def words(self, language: str) -> tuple[str, str]:
        """The ON/OFF words for ``language`` (English when unknown)."""
        return self.state_words.get(language, self.state_words["en"])


class VariantManifest(_Strict):
    """``variants/<name>/site.toml``: optional page and redirect overrides of a variant."""

    pages: dict[str, str] = Field(default_factory=dict)
    redirects: dict[str, str] = Field(default_factory=dict)
    absent: list[str] = Field(default_factory=list)
    """Paths that do not exist in this variant (404, or the signed-out redirect when signed out)."""


def _read_toml(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise FixtureError(f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise FixtureError(f"{path} is not valid TOML: {exc}") from None


def _flatten(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc'])}: {err['msg'].removeprefix('Value error, ')}"
        for err in exc.errors()
    )


class SiteFiles:
    """A loaded site folder for one scenario: the merged manifest and the overlay file lookup."""

    def __init__(self, folder: Path, language: str, variant: str | None) -> None:
        self.folder = folder.resolve()
        if not (self.folder / "site.toml").is_file():
            raise FixtureError(f"no fake site at {self.folder} (site.toml missing)")
        try:
            self.manifest = SiteManifest.model_validate(_read_toml(self.folder / "site.toml"))
        except ValidationError as exc:
            raise FixtureError(f"{self.folder / 'site.toml'}: {_flatten(exc)}") from None
        self.language = language
        self.variant = variant
        self.pages = dict(self.manifest.pages)
        self.redirects = dict(self.manifest.redirects)
        if variant is not None:
            self._apply_variant(variant)

    def _apply_variant(self, variant: str) -> None:
        vdir = self.folder / "variants" / variant
        if not vdir.is_dir():
            known = sorted(p.name for p in (self.folder / "variants").glob("*") if p.is_dir())
            raise FixtureError(f"unknown variant {variant!r}; known: {', '.join(known) or 'none'}")
        vfile = vdir / "site.toml"
        if vfile.is_file():
            try:
                extra = VariantManifest.model_validate(_read_toml(vfile))
            except ValidationError as exc:
                raise FixtureError(f"{vfile}: {_flatten(exc)}") from None
            self.pages.update(extra.pages)
            self.redirects.update(extra.redirects)
            for path in extra.absent:
                self.pages.pop(path, None)
                self.redirects.pop(path, None)

    def find(self, relative: str) -> Path | None:
        """The file to serve for ``relative``: variant (per language, then plain), language, base."""
        layers: list[Path] = []
        if self.variant is not None:
            vdir = self.folder / "variants" / self.variant
            layers += [vdir / "lang" / self.language, vdir]
        layers += [self.folder / "lang" / self.language, self.folder]
        for layer in layers:
            candidate = (layer / relative).resolve()
            # Manifest entries are relative; never serve anything outside the site folder.
            if candidate.is_relative_to(self.folder) and candidate.is_file():
                return candidate
        return None
