"""Words compared by meaning: normalised text and a measured similarity to the names a flow knows.

Pure functions (no browser), so the threshold can be measured on every wording we know
(tests/test_meaning.py) and the same numbers decide on a live page (perceive.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz

NAME_THRESHOLD = 64.0
"""Similarity (0–100) at or above which an accessible name is taken as one of the flow's known names.

A name is never enough on its own: the control's name or description must also speak of the flow's
topic (its topic words, e.g. "train"/"entraîner" for LinkedIn's AI setting), which is what tells apart
settings whose wording is close ("Use my data to personalise ads", 66.7 against the AI setting's names).
Measured by tests/test_meaning.py (2026-12-01): the wordings we know drifted within their meaning score at
least 80.0 against the flow's own names; the names of every other setting of the flow files score at most
61.3 against a flow's names (55.2 against the LinkedIn AI, Grok and ChatGPT flows, with the other
controls of their pages); with the topic words, no other setting's name is accepted at all. 64 leaves
16 points below the drifted wordings (shorter or restructured rewordings reach down to 66) and 2.7
above the closest other name, whose topic then differs."""

MENTION_THRESHOLD = 85.0
"""How well a stretch of a page's text must read like a known name for the page to count as showing the
setting (``mentions``). Higher than NAME_THRESHOLD: any long text holds some stretch loosely like a name
(LinkedIn's own question on the setting's page scores 68.6 against the switch's names; the label itself
scores 100)."""

_PUNCTUATION = re.compile(r"[^\w]+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})


def normalise(text: str) -> str:
    """Lower case, no accents, one kind of apostrophe, punctuation as spaces, single spaces."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def similarity(text: str, known: Iterable[str]) -> float:
    """How close ``text`` is to the closest of ``known`` (0–100): the better of a plain edit ratio and
    the same ratio on sorted words (a wording that moves a phrase around)."""
    said = normalise(text)
    if not said:
        return 0.0
    best = 0.0
    for name in known:
        wanted = normalise(name)
        best = max(best, fuzz.ratio(said, wanted), fuzz.token_sort_ratio(said, wanted))
    return best


def mentions(text: str, known: Iterable[str]) -> float:
    """How well the best-matching stretch of a longer ``text`` (a row, a paragraph, a page) reads like
    one of ``known``: used only where no accessible name exists, and to tell a page that shows the
    setting in an unknown form from one that does not show it at all."""
    said = normalise(text)
    best = 0.0
    for name in known:
        wanted = normalise(name)
        if wanted and said:
            score = fuzz.partial_ratio(wanted, said) if len(said) > len(wanted) else fuzz.ratio(wanted, said)
            best = max(best, score)
    return best


# Plural and inflected endings a topic word may carry (models, modèles, modelos, Modelle, réseaux). Only
# for words of four letters or more: "AI" must never be found in "aid" or "air".
_INFLECTIONS = ("", "s", "es", "e", "en", "n", "x")


def speaks_of(text: str, words: Iterable[str]) -> bool:
    """True when ``text`` contains one of ``words`` as a whole word, or (4+ letters) with a plural ending."""
    said = f" {normalise(text)} "
    for word in words:
        wanted = normalise(word)
        if not wanted:
            continue
        endings = _INFLECTIONS if len(wanted) >= 4 else ("",)
        if any(f" {wanted}{ending} " in said for ending in endings):
            return True
    return False


def contains_phrase(text: str, phrases: Iterable[str]) -> str | None:
    """The first of ``phrases`` found in ``text`` (normalised, whole words), if any."""
    said = f" {normalise(text)} "
    return next((p for p in phrases if normalise(p) and f" {normalise(p)} " in said), None)
