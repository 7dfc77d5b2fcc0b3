"""Finding a sign-in form the way a person does: by what its fields and its button are called.

The 2026 LinkedIn ``/login`` is a React page with no ``<form>``, generated ids (``«r0»``), empty
``name`` attributes, a hidden duplicate of both inputs, a "Show" password button and "Sign in with
Apple/Google" buttons before the real ``<button type="button">Sign in</button>`` (docs/evidence/
linkedin.md, "Sign-in pages, 2026"). So: visible elements only; fields by accessible name, then by
the site's CSS, then by ``autocomplete``/``type``; the button by its exact name in any of the site's
languages, never one whose name says "with" (single sign-on); CSS buttons only when their name
passes the same test. Nothing is ever chosen for its position alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from optout_bot.i18n import PageLanguage
from optout_bot.model.signinspec import LoginForm

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

# Whatever a site's own selectors say, these find the fields of any password form.
_GENERIC_USERNAME = ["input[autocomplete~='username']", "input[type='email']"]
_GENERIC_PASSWORD = ["input[type='password']"]
_APOSTROPHES = "'\u2019\u02bc"


@dataclass(frozen=True)
class FoundForm:
    """The three controls a sign-in needs, each one visible element."""

    username: Locator
    password: Locator
    submit: Locator

    def __iter__(self) -> Iterator[Locator]:
        return iter((self.username, self.password, self.submit))


def name_pattern(names: list[str]) -> re.Pattern[str] | None:
    """Exact (case- and space-insensitive) match of any name; apostrophes of any shape."""
    if not names:
        return None
    parts = []
    for name in names:
        words = [re.escape(w) for w in name.split()]
        part = r"\s+".join(words)
        parts.append(re.sub(f"[{_APOSTROPHES}]", f"[{_APOSTROPHES}]", part))
    return re.compile(rf"^\s*(?:{'|'.join(parts)})\s*$", re.IGNORECASE)


def _all(names: Mapping[PageLanguage, list[str]]) -> list[str]:
    return [n for values in names.values() for n in values]


def _visible(locator: Locator) -> list[Locator]:
    chosen = locator.locator("visible=true")
    return [chosen.nth(i) for i in range(chosen.count())]


def _fields(page: Page, names: list[str], css: list[str], password: bool) -> list[Locator]:
    """Visible, editable inputs of the right kind: by accessible name first, then by CSS."""
    found: list[Locator] = []
    pattern = name_pattern(names)
    sources = [page.get_by_label(pattern), page.get_by_placeholder(pattern)] if pattern is not None else []
    sources += [page.locator(selector) for selector in css]
    for source in sources:
        found += [field for field in _visible(source) if _is_input(field, password)]
    return found


def _closest(candidates: list[Locator], near: Locator | None, after: bool) -> Locator | None:
    """The candidate sharing the smallest container with ``near`` (the sign-in form, not a join form
    beside it); on a tie the one after ``near`` (a button) or before it (a username field)."""
    if not candidates:
        return None
    if near is None or len(candidates) == 1:
        return candidates[0]
    handle = near.element_handle()
    scored = []
    for index, candidate in enumerate(candidates):
        distance = candidate.evaluate(
            """(el, [p, after]) => {
              let n = 0; let a = p;
              while (a && !a.contains(el)) { a = a.parentElement; n++; }
              const follows = (p.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
              return n * 2 + (follows === after ? 0 : 1);
            }""",
            [handle, after],
        )
        scored.append((int(distance), index, candidate))
    return min(scored, key=lambda s: (s[0], s[1]))[2]


def _is_input(field: Locator, password: bool) -> bool:
    kind = field.evaluate(
        "el => el.tagName === 'INPUT' && !el.disabled && !el.readOnly ? (el.type || 'text').toLowerCase() : ''"
    )
    if password:
        return bool(kind == "password")  # never type a password into a field that shows it
    return kind in ("text", "email", "tel")


def accessible_name(control: Locator) -> str:
    """The control's name as a person reads it (aria-label, else its text or value)."""
    name = control.evaluate(
        """el => {
          const by = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
            .map(id => document.getElementById(id)).filter(Boolean).map(e => e.textContent).join(' ');
          return el.getAttribute('aria-label') || by || el.innerText || el.value || el.textContent || '';
        }"""
    )
    return " ".join(str(name).split())


def says_with(name: str, sso_words: list[str]) -> bool:
    """True for a name like "Sign in with Apple" / "Continuer avec Google" (single sign-on)."""
    words = {w.strip(_APOSTROPHES).lower() for w in re.split(r"[\s,.:;!?()]+", name) if w}
    return any(word.lower() in words for word in sso_words)


def submit_button(page: Page, login: LoginForm, near: Locator | None = None) -> Locator | None:
    """The visible sign-in button: named exactly as the site names it, closest to the password field.

    The site's CSS adds candidates only when their name says so too, or when the element is the
    submit button of the password's own ``<form>`` (what the page itself declares); never a button
    whose name says "with" (single sign-on), and never one for its place alone.
    """
    pattern = name_pattern(_all(login.submit_names))
    candidates: list[Locator] = []
    if pattern is not None:
        candidates = _visible(page.get_by_role("button", name=pattern))
    if not candidates:
        handle = near.element_handle() if near is not None else None
        for selector in login.submit:
            for button in _visible(page.locator(selector)):
                name = accessible_name(button)
                named = pattern is not None and pattern.match(name) is not None
                own_submit = handle is not None and bool(
                    button.evaluate("(b, p) => b.type === 'submit' && !!b.form && b.form === p.form", handle)
                )
                if name and (named or own_submit):
                    candidates.append(button)
            if candidates:
                break
    candidates = [b for b in candidates if not says_with(accessible_name(b), login.sso_words)]
    return _closest(candidates, near, after=True)


def find_form(page: Page, login: LoginForm) -> FoundForm | None:
    """The visible username field, password field and sign-in button, or None if any is missing."""
    passwords = _fields(page, _all(login.password_names), [*login.password, *_GENERIC_PASSWORD], True)
    password = passwords[0] if passwords else None
    usernames = _fields(page, _all(login.username_names), [*login.username, *_GENERIC_USERNAME], False)
    username = _closest(usernames, password, after=False)
    if password is None or username is None:
        return None
    submit = submit_button(page, login, near=password)
    if submit is None:
        return None
    return FoundForm(username, password, submit)


def posts_to(password: Locator) -> str:
    """Where the password's ``<form>`` (if any) sends it: its resolved action URL, else ``""``."""
    return str(password.evaluate("el => el.form ? (el.form.action || location.href) : ''"))
