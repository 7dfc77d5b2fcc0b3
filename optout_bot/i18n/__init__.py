"""French and English for everything the program says: ``_()``, ``ngettext()`` and ``N_()``.

The language is chosen once per process, on the first message: ``language = "fr"|"en"`` in the config
file if present, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``; ``LANGUAGE`` when the locale is
not C), else English. English text is the message id, so English needs no catalog and nothing is read.

The French catalog is ``locales/fr/LC_MESSAGES/optout_bot.po``, read directly (no compiled ``.mo``, so a
fresh clone, an editable install and the wheel all see the same file and nothing can be stale). Wrap
messages where they are built, and format after translating, with named placeholders::

    raise SignInError(_("signed out of {site}").format(site=title), remedy=_("run 'optout-bot login'"))

``N_()`` only marks a string for the catalog (data tables defined at import); translate it where it is
shown with ``_(value)``. Importing this module is cheap: no Babel, no catalog until French is needed.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, get_args

from optout_bot import config_file

#: The languages the program speaks (messages, help, reports): English, and French from its catalog.
Language = Literal["en", "fr"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
#: The languages the sites' own pages are known in: flow files name controls in each, the fake sites
#: speak them, demo and capture accept them. Wider than ours: we read a French page without speaking it.
PageLanguage = Literal["en", "fr", "de", "es", "it", "nl", "pt"]
PAGE_LANGUAGES: tuple[PageLanguage, ...] = get_args(PageLanguage)
DOMAIN = "optout_bot"
LOCALES = Path(__file__).resolve().parent / "locales"

_language: Language | None = None
_catalog: dict[str, str | list[str]] | None = None


def _known(code: object) -> Language | None:
    """``code`` as one of our languages, or None."""
    return next((known for known in LANGUAGES if known == code), None)


def _from_locale(env: Mapping[str, str]) -> Language | None:
    # POSIX order: LC_ALL beats LC_MESSAGES beats LANG. GNU's LANGUAGE list counts only under a real
    # locale: with LANG=C a program must speak its untranslated language, whatever LANGUAGE says.
    locale = next((env[var] for var in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(var)), "")
    code = locale.split(".")[0].split("@")[0]
    if code in ("", "C", "POSIX"):
        return None
    for entry in [*env.get("LANGUAGE", "").split(":"), code]:
        found = _known(entry.split("_")[0].split(".")[0].lower())
        if found:
            return found
    return None


def _from_config(env: Mapping[str, str]) -> Language | None:
    # Read the one key by hand: the config module brings pydantic, and --help must stay cheap. A broken
    # or unreadable file is not our business here; the config loader reports it with a remedy.
    try:
        value = tomllib.loads(config_file(env).read_text(encoding="utf-8")).get("language")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return _known(value)


def choose_language(env: Mapping[str, str] | None = None) -> Language:
    """The config's ``language``, else the locale's, else ``"en"``."""
    env = os.environ if env is None else env
    return _from_config(env) or _from_locale(env) or "en"


def language() -> Language:
    """The language of this process, chosen on first use."""
    global _language
    if _language is None:
        _language = choose_language()
    return _language


def set_language(code: str) -> None:
    """Speak ``code`` from now on (tests). Texts already translated stay as they are: the commands'
    help is translated when their modules are imported, so a ``--language`` option would have to
    run before ``cli.main.register_commands`` (tests/conftest.py registers them in English first)."""
    global _language, _catalog
    known = _known(code)
    if known is None:
        raise ValueError(f"unsupported language {code!r}; known: {', '.join(LANGUAGES)}")
    _language, _catalog = known, None


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Speak ``code`` inside the block, then the previous language again (for tests)."""
    previous = language()
    set_language(code)
    try:
        yield
    finally:
        set_language(previous)


_PO_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(quoted: str) -> str:
    # A PO string is C-quoted; these escapes are all gettext writes (ast.literal_eval was several times slower).
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), quoted.strip()[1:-1])


def read_po(text: str) -> dict[str, str | list[str]]:
    """Translated entries of a ``.po`` file: msgid -> msgstr (or the plural forms' list).

    Untranslated and fuzzy entries are left out, so their English is shown. Only what our catalog
    uses is understood (no message contexts); tests check this reader agrees with Babel's.
    """
    found: dict[str, str | list[str]] = {}
    for block in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        key = ""
        fuzzy = False
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            if not line or line.startswith("#"):
                continue
            match = _PO_LINE.match(line)
            if match:
                key = match.group(1)
                fields[key] = _unquote(match.group(2))
            elif line.startswith('"') and key:
                fields[key] += _unquote(line)
        msgid = fields.get("msgid", "")
        if not msgid or fuzzy or "msgctxt" in fields:
            continue
        if "msgid_plural" in fields:
            forms = [fields[k] for k in sorted(k for k in fields if k.startswith("msgstr["))]
            if forms and all(forms):
                found[msgid] = forms
        elif fields.get("msgstr"):
            found[msgid] = fields["msgstr"]
    return found


def po_path(code: str) -> Path:
    """Where the catalog of ``code`` lives."""
    return LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def _translations() -> dict[str, str | list[str]]:
    global _catalog
    if _catalog is None:
        code = language()
        path = po_path(code)
        _catalog = read_po(path.read_text(encoding="utf-8")) if code != "en" and path.is_file() else {}
    return _catalog


def _(message: str) -> str:
    """``message`` in the user's language (English when it has no translation)."""
    if not message or language() == "en":
        return message
    found = _translations().get(message)
    return found if isinstance(found, str) else message


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it now; ``_()`` it where it is shown."""
    return message


def _plural_index(n: int) -> int:
    # English: 1 is singular, 0 is plural; French: 0 and 1 are singular ("0 compte vérifié").
    if language() == "fr":
        return 0 if n <= 1 else 1
    return 0 if n == 1 else 1


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` for ``n`` things, in the user's language."""
    index = _plural_index(n)
    if language() != "en":
        forms = _translations().get(singular)
        if isinstance(forms, list) and index < len(forms):
            return forms[index]
    return singular if index == 0 else plural


__all__ = [
    "LANGUAGES",
    "PAGE_LANGUAGES",
    "Language",
    "N_",
    "PageLanguage",
    "_",
    "choose_language",
    "language",
    "ngettext",
    "set_language",
    "speaking",
]
