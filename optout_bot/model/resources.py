"""Where the flow files and the fake site's fixtures are, installed or in a checkout."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # optout_bot/, where a wheel keeps _data/
_CHECKOUT = _PACKAGE.parent


def _find(name: str, env_var: str) -> Path:
    override = os.environ.get(env_var)
    if override:
        return Path(override)
    # A wheel carries copies under _data/ (pyproject's force-include); a checkout or an editable
    # install uses the top-level folders directly.
    for candidate in (_PACKAGE / "_data" / name, _CHECKOUT / name):
        if candidate.is_dir():
            return candidate
    return _CHECKOUT / name


def flows_dir() -> Path:
    """The folder of flow files (``OPTOUT_BOT_FLOWS_DIR`` overrides)."""
    return _find("flows", "OPTOUT_BOT_FLOWS_DIR")


def fixtures_dir() -> Path:
    """The folder of fake-site fixtures (``OPTOUT_BOT_FIXTURES_DIR`` overrides)."""
    return _find("fixtures", "OPTOUT_BOT_FIXTURES_DIR")
