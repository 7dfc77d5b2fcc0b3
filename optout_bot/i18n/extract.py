"""A Babel extractor for our TOML data: the texts people read (setting titles, platform guides).

babel.cfg names it, with the keys to take from each kind of file; ``make i18n`` and tests/test_i18n.py
run it. The program shows these texts through ``_(value)``, so French comes from the same catalog.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from typing import IO, Any

Extracted = tuple[int, str, str, list[str]]


def _strings(data: Any, keys: set[str], under: str = "") -> Iterator[str]:
    if isinstance(data, Mapping):
        for key, value in data.items():
            yield from _strings(value, keys, key)
    elif isinstance(data, list):
        for item in data:
            yield from _strings(item, keys, under)
    elif isinstance(data, str) and under in keys and data.strip():
        yield data


def extract_toml(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Mapping[str, str]
) -> Iterator[Extracted]:
    """Every string under one of ``options["keys"]`` (space-separated), with its line number."""
    text = fileobj.read().decode("utf-8")
    data = tomllib.loads(text)
    keys = set(options.get("keys", "").split())
    lines = text.splitlines()
    for value in _strings(data, keys):
        first = value.splitlines()[0][:40]
        # TOML escapes quotes; the line is only a pointer for translators, so a near match is enough.
        line = next((n for n, raw in enumerate(lines, start=1) if first.replace('"', '\\"') in raw), 0)
        yield line, "_", value, []
