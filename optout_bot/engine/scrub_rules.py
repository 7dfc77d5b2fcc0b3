"""What the scrubber counts as personal, and what each value or attribute becomes (issue #8).

``scrub`` walks the HTML; this module is the policy it applies. They are apart so that the list
of LinkedIn's markers, the patterns and the attribute rules can be read and extended without the
parser's bookkeeping, and so that a change of policy never touches how the page is rebuilt:
- markers: classes, ids and attributes of elements that hold the member's identity (``is_marker``)
  and the class names that hold the member's name (``NAME_CLASSES``, used to learn it);
- patterns: e-mail addresses, phone numbers, ``urn:li:…`` and ``ACoAA…`` ids, ``ajax:…`` CSRF
  values, tracking parameters, long random tokens;
- ``Scrubber``: one page's rules, with its known values: how a text, id, URL, style or a tag's
  attributes are rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
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
PROFILE_URL = re.compile(r"/(in|pub)/[^/\s\"'?#<>]+")
_TOKEN = re.compile(r"[A-Za-z0-9_+=-]{20,}")
_PHONE = re.compile(r"(?<![\w.-])(?:\+|00)?\(?\d[\d \t().\-/]{5,}\d(?!\w)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(?!data:)[^)]*\)", re.I)
_CSS_IMPORT = re.compile(r"@import[^;]*;?", re.I)
# Keys of LinkedIn's JSON islands whose string value is the member's name, headline, slug or contact.
JSON_KEYS = re.compile(
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
        value = PROFILE_URL.sub(lambda m: f"/{m.group(1)}/member", value)
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

    def attrs(
        self, tag: str, attrs: list[tuple[str, str | None]], personal: bool, same_site: Collection[str]
    ) -> list[tuple[str, str | None]]:
        """The attributes of one kept element that survive, each rewritten by its kind.

        ``personal``: the element is (inside) a marker, so its labels are the member's.
        ``same_site``: lower-case hosts whose links become plain paths.
        """
        kind = (dict(attrs).get("type") or "").lower()
        out: list[tuple[str, str | None]] = []
        for name, value in attrs:
            key = name.lower()
            kept = key in self.keep_attrs or key.startswith(("aria-", "data-test-")) or key in _REF_ATTRS
            if key.startswith("on") or key in _DROP_ATTRS or (_SECRET_ATTR.search(key) and not kept):
                continue
            if value is None:
                out.append((name, None))
            elif key.startswith("data-test-") and _SECRET_ATTR.search(key):
                out.append((name, ""))  # a marker the flows may use; its value is the member's
            elif key in _REF_ATTRS or (key in self.keep_attrs and key.startswith("aria-")):
                out.append((name, self.ref(value)))
            elif key == "class":
                out.append((name, self.text(value, tokens=False, phones=False)))
            elif key in _URL_ATTRS:
                out.append((name, self.url(value, same_site)))
            elif key == "src":
                if tag in _SRC_TAGS:
                    out.append((name, PLACEHOLDER_IMAGE))
            elif key == "style":
                out.append((name, self.css(value)))
            elif key == "value" and tag == "input" and kind not in _SAFE_VALUE_TYPES:
                continue  # typed text, hidden tokens, the e-mail field: never kept
            elif key in _LABEL_ATTRS and personal:
                out.append((name, "" if key == "alt" else REDACTED))
            else:
                # Numbers in geometry (viewBox, d, points) look like phone numbers; labels may hold one.
                phones = key in _LABEL_ATTRS or key.startswith("data-") or key in ("value", "content")
                out.append((name, self.text(value, phones=phones)))
        return out


def classes(attrs: list[tuple[str, str | None]]) -> list[str]:
    """The class names of an element, from ``HTMLParser``'s attribute list."""
    return next((v or "" for k, v in attrs if k == "class"), "").split()


def is_marker(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    """Does this element hold the member's identity (all its text is personal)?"""
    if any(part in cls for cls in classes(attrs) for part in PERSONAL_CLASSES):
        return True
    for name, value in attrs:
        if name.startswith("data-test-") and re.search("member|profile", name):
            return True
        if name == "id" and value in PERSONAL_IDS:
            return True
        if name == "data-control-name" and (value or "").startswith("identity"):
            return True
        if tag == "a" and name == "href" and PROFILE_URL.search(value or ""):
            return True
    return False


def is_dropped(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    """Is this element left out whole, with everything inside it (scripts, frames, most ``<meta>``)?"""
    if tag in DROP_ELEMENTS:
        return True
    if tag == "meta":
        names = {k for k, _ in attrs}
        equiv = (dict(attrs).get("http-equiv") or "").lower()
        return not ("charset" in names or equiv == "content-type" or dict(attrs).get("name") == "viewport")
    return False


def looks_like_json(text: str) -> bool:
    """Is this text node a JSON island (LinkedIn's ``<code>`` blobs of ids, tokens and profile)?"""
    text = text.strip()
    return len(text) > 2 and ((text[0], text[-1]) in (("{", "}"), ("[", "]"))) and '":' in text
