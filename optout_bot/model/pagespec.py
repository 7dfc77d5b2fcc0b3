"""Flow-file models of what a flow meets on a page: things to find, clicks, obstacles, the save.

The building blocks of site and flow files (``flowspec.py``, ``signinspec.py``): a ``Target`` is found
by stable CSS, then by accessible name; a ``Step`` is one click on the way to a setting; obstacles
and the save are what a page may show or send besides the setting. Unknown keys are errors and
instances are immutable (``Strict``), as everywhere in the flow files.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from optout_bot.i18n import PageLanguage, language


class Strict(BaseModel):
    """Base for every flow model: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Target(Strict):
    """Something on a page to find: stable CSS first, then accessible names per language."""

    css: list[str] = Field(default_factory=list)
    """Selectors tried in order; each must match exactly one visible element to be used."""
    role: str | None = None
    """ARIA role for the name lookup (``link``, ``button``, ``switch``…)."""
    names: dict[PageLanguage, list[str]] = Field(default_factory=dict)
    """Accessible names per UI language; a fallback when the CSS no longer matches."""


class Step(Strict):
    """One click a person makes on the way to a setting (used by dry-run and as a fallback)."""

    name: str
    """Short slug used in screenshots and reports, e.g. ``data-privacy``."""
    open: Target | None = None
    """A menu to open first (e.g. LinkedIn's "Me" menu)."""
    click: Target
    """The link or button that leads on."""
    expect_path: str
    """Path the browser must reach after the click (a prefix match)."""

    @property
    def label(self) -> str:
        """What a person clicks, in words: the link's name in the user's language (else English), else
        the slug made readable."""
        return _first_name(self.click) or self.name.replace("-", " ").replace("_", " ").capitalize()

    @property
    def opens(self) -> str:
        """The menu opened first, in words ("" when none)."""
        return _first_name(self.open) if self.open is not None else ""


def _first_name(target: Target) -> str:
    names = target.names.get(language()) or target.names.get("en") or []
    return names[0] if names else ""


class ObstacleSpec(Strict):
    """Something a site is known to lay over its pages (a cookie banner, a promo, a tour).

    The engine also recognises these without a declaration (dialogs, modal layers, fixed banners that
    speak of cookies): a declaration adds the site's own containers and the words on its buttons."""

    kind: Literal["cookie-banner", "dialog", "promo", "tour"]
    css: list[str] = Field(min_length=1)
    """The obstacle's container (any of these, when visible)."""
    press: dict[PageLanguage, list[str]] = Field(default_factory=dict)
    """Button names that refuse (cookie banners) or dismiss (the rest), beside the generic ones."""
    press_css: list[str] = Field(default_factory=list)
    """Buttons inside the container that refuse or dismiss, by a stable attribute."""
    note: str = ""
    """Where the fact comes from and how sure it is."""


class SaveSpec(Strict):
    """The request by which the site saves a setting: the engine waits for its answer, not a beacon's."""

    method: Literal["POST", "PUT", "PATCH", "DELETE"]
    path: str
    """Path pattern (``*`` matches any run of characters, e.g. ``/api/settings/*``)."""
