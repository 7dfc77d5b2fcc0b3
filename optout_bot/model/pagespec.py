"""Flow-file models for what a page may show besides the setting: obstacles, the save, not-offered notices.

Kept apart from flowspec.py (which imports them) so each file stays readable; the same rules apply:
unknown keys are errors, instances are immutable.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from optout_bot.i18n import PageLanguage


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ObstacleSpec(_Strict):
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


class SaveSpec(_Strict):
    """The request by which the site saves a setting: the engine waits for its answer, not a beacon's."""

    method: Literal["POST", "PUT", "PATCH", "DELETE"]
    path: str
    """Path pattern (``*`` matches any run of characters, e.g. ``/api/settings/*``)."""
