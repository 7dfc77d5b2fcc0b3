"""Writing the config file without losing what a person wrote in it (comments, order, other keys).

``setup`` adds accounts here; it never rewrites an existing account, so running it again loses
nothing. tomlkit keeps the file's own formatting; the result is validated by ``config.load_config``
before it replaces the file, so a bad value never reaches the disk.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from optout_bot.errors import ConfigError
from optout_bot.paths import write_private

HEADER = (
    "optout-bot's settings (written by 'optout-bot setup'; edit freely, comments are kept).\n"
    "Every key: README.md, 'Use it on your account'. 'optout-bot config show' prints the effective values."
)


def _read(path: Path) -> tomlkit.TOMLDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        document = tomlkit.document()
        for line in HEADER.splitlines():
            document.add(tomlkit.comment(line))
        document.add(tomlkit.nl())
        return document
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    try:
        return tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def accounts(path: Path) -> dict[str, dict[str, Any]]:
    """The accounts the file holds now, as plain values."""
    table = _read(path).get("accounts", {})
    return {str(name): dict(values) for name, values in table.items()}


def add_account(path: Path, name: str, values: dict[str, Any], comment: str = "") -> bool:
    """Add ``[accounts.<name>]`` with ``values``; False (and nothing written) when it exists already."""
    from optout_bot.config import load_config

    document = _read(path)
    if "accounts" not in document:
        document.add("accounts", tomlkit.table(is_super_table=True))
    table = document["accounts"]
    assert isinstance(table, dict)  # noqa: S101 - tomlkit's Table is a dict; for the type checker
    if name in table:
        return False
    entry = tomlkit.table()
    if comment:
        entry.comment(comment)
    for key, value in values.items():
        entry.add(key, value)
    table[name] = entry
    text = tomlkit.dumps(document)
    # Validate before replacing the file: a temporary sibling, checked by the real loader.
    trial = path.with_name(f".{path.name}.{os.getpid()}.check")
    write_private(trial, text.encode("utf-8"))
    try:
        load_config(trial, env={})
    finally:
        trial.unlink(missing_ok=True)
    write_private(path, text.encode("utf-8"))
    return True
