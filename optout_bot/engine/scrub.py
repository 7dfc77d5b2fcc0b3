"""Remove personal data from a saved page and keep the structure a flow needs (issue #8).

Three ways to know what is personal, because no single one is enough:
- markers: elements LinkedIn uses for the member (``.profile-card``, ``img.global-nav__me-photo``,
  ``[data-test-member-name]``, links to ``/in/<slug>`` …) lose their text, alt and labels;
- patterns: e-mail addresses, phone numbers, ``urn:li:…`` ids, ``ACoAA…`` profile ids, ``ajax:…``
  CSRF values, tracking parameters, long random tokens;
- known values: the account's e-mail given by the caller, plus names, headline and profile slug
  learnt from the markers and JSON islands of the page, replaced wherever else they appear.

What is dropped whole: scripts, JSON islands (``<code>`` blobs), comments, ``<link>``, ``<base>``,
frames, most ``<meta>``, event handlers, tracking/token/id attributes, input values, query strings.
What survives: tags, ``id``/``class``/``role``/``aria-*``/``data-test-*``, the text of the UI, and
everything under an id in ``keep_ids`` (the switch's label). The result loads offline: images become
a ``data:`` placeholder and no attribute or style points outside the page.

This module walks the HTML, in two passes (learn the member's values, then rebuild the page), and
tracks what each open element inherits (inside a marker, under a kept id, inside a dropped
element). The markers, patterns and per-attribute rules it applies live in ``scrub_rules``.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from html import escape, unescape
from html.parser import HTMLParser

from optout_bot.engine.scrub_rules import (
    DROP_ELEMENTS,
    JSON_KEYS,
    NAME_CLASSES,
    PERSONAL_CLASSES,
    PERSONAL_IDS,
    PLACEHOLDER_IMAGE,
    PROFILE_URL,
    REDACTED,
    VOID,
    Scrubber,
    classes,
    is_dropped,
    is_marker,
    looks_like_json,
)

# The names callers imported from here before the rules moved to scrub_rules.
__all__ = [
    "DROP_ELEMENTS",
    "NAME_CLASSES",
    "PERSONAL_CLASSES",
    "PERSONAL_IDS",
    "PLACEHOLDER_IMAGE",
    "REDACTED",
    "VOID",
    "Scrubber",
    "is_marker",
    "learn",
    "scrub_page",
]


class _Learner(HTMLParser):
    """Pass 1: the member's name, headline and profile slug, from the markers of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.names: set[str] = set()
        self.others: set[str] = set()
        self.stack: list[tuple[str, str]] = []  # (tag, "name" | "other" | "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = classes(attrs)
        kind = self.stack[-1][1] if self.stack else ""
        if any(part in c for c in names for part in NAME_CLASSES) or any(
            k == "data-test-member-name" for k, _ in attrs
        ):
            kind = "name"
        elif not kind and (
            any("headline" in c for c in names) or any(k.startswith("data-test-member") for k, _ in attrs)
        ):
            kind = "other"
        if kind == "name" or any(p in c for c in names for p in ("photo", "avatar")):
            # The photo's alt text and the name's label are the member's name.
            labels = (v.strip() for k, v in attrs if k in ("alt", "aria-label", "title") and v and v.strip())
            self.names.update(labels)
        for key, value in attrs:
            match = PROFILE_URL.search(value or "") if key == "href" else None
            if match:
                self.others.add(match.group(0).rsplit("/", 1)[-1])
        if tag not in VOID:
            self.stack.append((tag, kind))

    def handle_endtag(self, tag: str) -> None:
        if any(t == tag for t, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        kind = self.stack[-1][1] if self.stack else ""
        if kind and data.strip():
            (self.names if kind == "name" else self.others).add(" ".join(data.split()))


def learn(html: str) -> set[str]:
    """Personal values named on ``html``: the member's name (and its parts), headline, profile slug."""
    parser = _Learner()
    parser.feed(html)
    parser.close()
    for key, raw in JSON_KEYS.findall(unescape(html)):
        try:
            value = str(json.loads(f'"{raw}"'))
        except json.JSONDecodeError:
            value = raw
        (
            parser.names if key in ("firstName", "lastName", "fullName", "formattedName") else parser.others
        ).add(value)
    # Parts of a name ("Alex", "Example") are personal too: they appear alone in greetings and labels.
    parts = {p for name in parser.names if len(name.split()) <= 4 for p in name.split() if len(p) >= 3}
    # What an earlier scrub left ("[redacted]", the /in/member placeholder) is not a name to learn.
    values = parser.names | parser.others | parts
    return {v for v in values if 3 <= len(v) <= 300 and REDACTED not in v and v != "member"}


class _Scrub(HTMLParser):
    """Pass 2: rebuild the page token by token with everything personal removed."""

    def __init__(self, rules: Scrubber, same_site: Collection[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.rules = rules
        self.same_site = frozenset(h.lower() for h in same_site)
        self.out: list[str] = []
        # Open elements: (tag, personal, kept, dropped).
        self.stack: list[tuple[str, bool, bool, bool]] = []

    def _top(self) -> tuple[str, bool, bool, bool]:
        return self.stack[-1] if self.stack else ("", False, False, False)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        parent = self._top()
        void = tag in VOID or closed
        if parent[3] or is_dropped(tag, attrs):
            if not void:
                self.stack.append((tag, False, False, True))
            return
        kept = parent[2] or dict(attrs).get("id") in self.rules.keep_ids
        personal = not kept and (parent[1] or is_marker(tag, attrs))
        parts = [tag]
        for name, value in self.rules.attrs(tag, attrs, personal, self.same_site):
            parts.append(name if value is None else f'{name}="{escape(value, quote=True)}"')
        self.out.append("<" + " ".join(parts) + (" />" if closed else ">"))
        if not void:
            self.stack.append((tag, personal, kept, False))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        if not any(t == tag for t, *_ in self.stack):
            return  # a stray end tag: the browser ignores it too
        while self.stack:
            open_tag, _, _, dropped = self.stack.pop()
            if not dropped:
                self.out.append(f"</{open_tag}>")
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        tag, personal, kept, dropped = self._top()
        if dropped or tag == "textarea":
            return
        if tag == "style":
            self.out.append(self.rules.css(data))  # raw text: no escaping, or selectors like a > b break
        elif not data.strip():
            self.out.append(data)
        elif looks_like_json(data):
            return  # a JSON island (LinkedIn's <code> blobs): ids, tokens and the member's profile
        elif personal:
            lead, trail = data[: len(data) - len(data.lstrip())], data[len(data.rstrip()) :]
            self.out.append(f"{lead}{REDACTED}{trail}")
        else:
            self.out.append(escape(self.rules.text(data, known=not kept), quote=False))

    def handle_decl(self, decl: str) -> None:
        if decl.lower().startswith("doctype"):
            self.out.append(f"<!{decl}>")


def scrub_page(
    html: str,
    *,
    keep_ids: Collection[str],
    known: Iterable[str] = (),
    keep_attrs: Collection[str] = (),
    same_site: Collection[str] = ("www.linkedin.com", "linkedin.com"),
) -> str:
    """``html`` without personal data, scripts or anything fetched from elsewhere.

    ``keep_ids``: ids whose element and text must survive untouched (a flow's ``aria-labelledby``
    key). ``known``: values to remove wherever they appear (the account's e-mail; names learnt on
    other pages of the same capture); the page's own markers are learnt here too. ``keep_attrs``:
    attribute names the flows select on (kept even when their name looks like tracking).
    ``same_site``: hosts whose links become plain paths, so the page works on any base URL.
    """
    rules = Scrubber([*known, *learn(html)], keep_ids, keep_attrs)
    parser = _Scrub(rules, same_site)
    parser.feed(html)
    parser.close()
    while parser.stack:
        tag, _, _, dropped = parser.stack.pop()
        if not dropped:
            parser.out.append(f"</{tag}>")
    return "".join(parser.out)
