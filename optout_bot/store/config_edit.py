"""Writing the config file without losing what a person wrote in it (comments, order, other keys).

``setup`` adds accounts here; it never rewrites an existing account, so running it again loses
nothing. tomlkit keeps the file's own formatting; the result is validated by ``config.load_config``
before it replaces the file, so a bad value never reaches the disk.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomlkit
from pydantic import ValidationError
from tomlkit.exceptions import TOMLKitError

from optout_bot.errors import ConfigError
from optout_bot.i18n import N_, _
from optout_bot.model.loader import format_validation_error
from optout_bot.store.config import Config
from optout_bot.store.paths import write_private

HEADER = N_(
    "optout-bot's settings, started by 'optout-bot setup'. Edit freely: comments are kept.\n"
    "'optout-bot config show' prints the values in effect."
)


def _read(path: Path) -> tomlkit.TOMLDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        document = tomlkit.document()
        for line in _(HEADER).splitlines():
            document.add(tomlkit.comment(line))
        document.add(tomlkit.nl())
        return document
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(_("{path}: cannot read: {reason}").format(path=path, reason=exc)) from None
    try:
        return tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigError(_("{path}: not valid TOML: {reason}").format(path=path, reason=exc)) from None


def accounts(path: Path) -> dict[str, dict[str, Any]]:
    """The accounts the file holds now, as plain values."""
    table = _read(path).get("accounts", {})
    return {str(name): dict(values) for name, values in table.items()}


def add_account(path: Path, name: str, values: dict[str, Any], comment: str = "") -> bool:
    """Add ``[accounts.<name>]`` with ``values``; False (and nothing written) when it exists already.

    The whole file is validated as ``config.load_config`` would before it is replaced, so a bad
    value (an e-mail address without @) never reaches the disk: ``ConfigError`` names the key.
    """
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
    try:
        Config.model_validate(tomllib.loads(text), strict=True)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(str(path), exc)) from None
    write_private(path, text.encode("utf-8"))
    return True
