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
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from html import escape, unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit, urlunsplit

REDACTED = "[redacted]"
PLACEHOLDER_IMAGE = (
    "data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%2224%22 height=%2224%22%3E"
    "%3Crect width=%2224%22 height=%2224%22 fill=%22%23bbb%22/%3E%3C/svg%3E"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


VOID = _words("area base br col embed hr img input link meta param source track wbr")
DROP_ELEMENTS = _words("script noscript iframe frame frameset object embed applet link base")
# Part of a class name that marks the member's own identity (name, headline, photo, profile card).
PERSONAL_CLASSES = _words(
    "profile-card me-photo member-name member-email headline identity actor avatar profile-photo "
    "presence-entity entity-lockup pv-top-card profile-rail"
)
NAME_CLASSES = ("profile-card__name", "member-name", "actor-meta", "actor__title", "actor__name", "me-name")
PERSONAL_IDS = _words("rememberme-div")
# Attribute names that carry ids, tracking or secrets; data-test-* and aria-* are kept (flows use them).
_SECRET_ATTR = re.compile(
    r"urn|track|trk|token|csrf|member|profile|session|cookie|email|phone|guid|nonce|sig|lipi", re.I
)
_DROP_ATTRS = _words(
    "srcset imagesrcset ping integrity nonce background poster data-src data-delayed-url data-ghost-url"
)
_URL_ATTRS = _words("href action formaction cite xlink:href data-href")
_REF_ATTRS = _words("id for aria-labelledby aria-describedby aria-controls aria-owns headers form list")
_LABEL_ATTRS = _words("alt title aria-label placeholder aria-description aria-valuetext")
_SAFE_VALUE_TYPES = _words("checkbox radio submit button reset image")
_SRC_TAGS = _words("img image input source video audio track")

_EMAIL = re.compile(r"[\w.+-]+(?:@|%40|\\u0040)[\w-]+(?:\.[\w-]+)+", re.I)
_URN = re.compile(r"urn(?::|%3A)li(?::|%3A)\w+(?::|%3A)(?:\([^)]*\)|[^\s\"'<>,;&)]+)", re.I)
_PROFILE_ID = re.compile(r"\bACo[A-Za-z0-9_-]{10,}")
_CSRF = re.compile(r"ajax(?::|%3A)[\w-]{4,}", re.I)
_TRACKING = re.compile(
    r"\b(trk|trkInfo|trackingId|lipi|midToken|midSig|csrfToken|loginCsrfParam)=[^&\s\"'<>]*", re.I
)
_PROFILE_URL = re.compile(r"/(in|pub)/[^/\s\"'?#<>]+")
_TOKEN = re.compile(r"[A-Za-z0-9_+=-]{20,}")
_PHONE = re.compile(r"(?<![\w.-])(?:\+|00)?\(?\d[\d \t().\-/]{5,}\d(?!\w)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(?!data:)[^)]*\)", re.I)
_CSS_IMPORT = re.compile(r"@import[^;]*;?", re.I)
_JSON_KEYS = re.compile(
    r'"(firstName|lastName|fullName|formattedName|headline|occupation|publicIdentifier|emailAddress|phoneNumber)"'
    r'\s*:\s*"((?:[^"\\]|\\.){2,200})"'
)


def _is_token(word: str) -> bool:
    """Random-looking: letters and digits mixed, both cases, or a long hex string."""
    has = (any(c.isdigit() for c in word), any(c.islower() for c in word), any(c.isupper() for c in word))
    return all(has) or (len(word) >= 32 and all(c in "0123456789abcdefABCDEF-" for c in word))


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = sum(c.isdigit() for c in text)
    international = text.startswith(("+", "00", "("))
    if _DATE.match(text.strip()) or digits < 7 or (digits < 9 and not international):
        return text
    return REDACTED


class Scrubber:
    """One page's scrubbing rules: the known values and a consistent renaming of scrubbed ids."""

    def __init__(
        self, known: Iterable[str] = (), keep_ids: Collection[str] = (), keep_attrs: Collection[str] = ()
    ):
        self.keep_ids = frozenset(keep_ids)
        self.keep_attrs = frozenset(a.lower() for a in keep_attrs)
        self._ids: dict[str, str] = {}
        values = {v.strip() for v in known if v and len(v.strip()) >= 3}
        # Longest first, so a full name goes before its parts; word-bounded, case-insensitive.
        parts = sorted(values, key=len, reverse=True)
        self._known = (
            re.compile("|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in parts), re.I) if parts else None
        )

    def text(self, value: str, *, tokens: bool = True, phones: bool = True, known: bool = True) -> str:
        """``value`` with every pattern (and known value) replaced."""
        if known and self._known is not None:
            value = self._known.sub(REDACTED, value)
        value = _EMAIL.sub(REDACTED, value)
        value = _URN.sub("urn:li:redacted", value)
        value = _PROFILE_ID.sub(REDACTED, value)
        value = _CSRF.sub("ajax:redacted", value)
        value = _TRACKING.sub(lambda m: f"{m.group(1)}=redacted", value)
        value = _PROFILE_URL.sub(lambda m: f"/{m.group(1)}/member", value)
        if tokens:
            value = _TOKEN.sub(lambda m: REDACTED if _is_token(m.group(0)) else m.group(0), value)
        if phones:
            value = _PHONE.sub(_phone, value)
        return value

    def ref(self, value: str) -> str:
        """An id or id list: kept ids untouched, scrubbed ids renamed the same way everywhere."""
        out = []
        for word in value.split():
            if word in self.keep_ids:
                out.append(word)
                continue
            # Ids are structure that flows select on (#meMenuV2WideComponentRef): no token rule here.
            clean = self.text(word, tokens=False, phones=False)
            if clean != word:
                clean = self._ids.setdefault(word, f"redacted-{len(self._ids) + 1}")
            out.append(clean)
        return " ".join(out)

    def url(self, value: str, same_site: Collection[str]) -> str:
        """A same-site path without query, personal parts or secrets; other sites become ``#``."""
        stripped = value.strip()
        if stripped.lower().startswith(("javascript:", "mailto:", "tel:", "sms:", "data:", "blob:")):
            return "#"
        try:
            parts = urlsplit(stripped)
        except ValueError:
            return "#"
        path = self.text(parts.path, phones=False)
        fragment = self.text(parts.fragment, phones=False)
        if parts.netloc and parts.netloc.lower() not in same_site:
            return "#"  # another site (the member's own website, ads): nothing a flow follows
        return urlunsplit(("", "", path, "", fragment)) or "#"

    def css(self, value: str) -> str:
        """Styles without anything they would fetch (images, fonts, imports)."""
        value = _CSS_IMPORT.sub("", value)
        return self.text(_CSS_URL.sub("none", value), tokens=False, phones=False)


def _classes(attrs: list[tuple[str, str | None]]) -> list[str]:
    return next((v or "" for k, v in attrs if k == "class"), "").split()


def is_marker(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    """Does this element hold the member's identity (all its text is personal)?"""
    if any(part in cls for cls in _classes(attrs) for part in PERSONAL_CLASSES):
        return True
    for name, value in attrs:
        if name.startswith("data-test-") and re.search("member|profile", name):
            return True
        if name == "id" and value in PERSONAL_IDS:
            return True
        if name == "data-control-name" and (value or "").startswith("identity"):
            return True
        if tag == "a" and name == "href" and _PROFILE_URL.search(value or ""):
            return True
    return False


def _looks_like_json(text: str) -> bool:
    text = text.strip()
    return len(text) > 2 and ((text[0], text[-1]) in (("{", "}"), ("[", "]"))) and '":' in text


class _Learner(HTMLParser):
    """Pass 1: the member's name, headline and profile slug, from the markers of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.names: set[str] = set()
        self.others: set[str] = set()
        self.stack: list[tuple[str, str]] = []  # (tag, "name" | "other" | "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = _classes(attrs)
        kind = self.stack[-1][1] if self.stack else ""
        if any(part in c for c in classes for part in NAME_CLASSES) or any(
            k == "data-test-member-name" for k, _ in attrs
        ):
            kind = "name"
        elif not kind and (
            any("headline" in c for c in classes) or any(k.startswith("data-test-member") for k, _ in attrs)
        ):
            kind = "other"
        if kind == "name" or any(p in c for c in classes for p in ("photo", "avatar")):
            # The photo's alt text and the name's label are the member's name.
            labels = (v.strip() for k, v in attrs if k in ("alt", "aria-label", "title") and v and v.strip())
            self.names.update(labels)
        for key, value in attrs:
            match = _PROFILE_URL.search(value or "") if key == "href" else None
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
    for key, raw in _JSON_KEYS.findall(unescape(html)):
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

    def _dropped(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in DROP_ELEMENTS:
            return True
        if tag == "meta":
            names = {k for k, _ in attrs}
            equiv = (dict(attrs).get("http-equiv") or "").lower()
            return not (
                "charset" in names or equiv == "content-type" or dict(attrs).get("name") == "viewport"
            )
        return False

    def _attrs(
        self, tag: str, attrs: list[tuple[str, str | None]], personal: bool
    ) -> list[tuple[str, str | None]]:
        rules = self.rules
        kind = (dict(attrs).get("type") or "").lower()
        out: list[tuple[str, str | None]] = []
        for name, value in attrs:
            key = name.lower()
            kept = key in rules.keep_attrs or key.startswith(("aria-", "data-test-")) or key in _REF_ATTRS
            if key.startswith("on") or key in _DROP_ATTRS or (_SECRET_ATTR.search(key) and not kept):
                continue
            if value is None:
                out.append((name, None))
            elif key.startswith("data-test-") and _SECRET_ATTR.search(key):
                out.append((name, ""))  # a marker the flows may use; its value is the member's
            elif key in _REF_ATTRS or (key in rules.keep_attrs and key.startswith("aria-")):
                out.append((name, rules.ref(value)))
            elif key == "class":
                out.append((name, rules.text(value, tokens=False, phones=False)))
            elif key in _URL_ATTRS:
                out.append((name, rules.url(value, self.same_site)))
            elif key == "src":
                if tag in _SRC_TAGS:
                    out.append((name, PLACEHOLDER_IMAGE))
            elif key == "style":
                out.append((name, rules.css(value)))
            elif key == "value" and tag == "input" and kind not in _SAFE_VALUE_TYPES:
                continue  # typed text, hidden tokens, the e-mail field: never kept
            elif key in _LABEL_ATTRS and personal:
                out.append((name, "" if key == "alt" else REDACTED))
            else:
                # Numbers in geometry (viewBox, d, points) look like phone numbers; labels may hold one.
                phones = key in _LABEL_ATTRS or key.startswith("data-") or key in ("value", "content")
                out.append((name, rules.text(value, phones=phones)))
        return out

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        parent = self._top()
        void = tag in VOID or closed
        if parent[3] or self._dropped(tag, attrs):
            if not void:
                self.stack.append((tag, False, False, True))
            return
        kept = parent[2] or dict(attrs).get("id") in self.rules.keep_ids
        personal = not kept and (parent[1] or is_marker(tag, attrs))
        parts = [tag]
        for name, value in self._attrs(tag, attrs, personal):
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
        elif _looks_like_json(data):
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
