"""optout-bot: turns off AI-training data settings on your own accounts, and proves they stay off.

Besides its version, the package's root holds the one rule for where the program's own files live
(``state_dir``, ``config_file``). It sits here, below every layer, because the lowest layer needs it:
``i18n`` reads the config's ``language`` before anything else is loaded, and ``store.paths`` builds
every other path on it. Each imports it from here rather than one from the other (that was a circle:
errors -> i18n -> store.paths -> errors). It imports nothing of the package and nothing costly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__version__ = "0.1.0"

APP = "optout-bot"


def _platform_dir(kind: str) -> Path:
    # Imported here, not at the top: every module of the package loads this file first, and most
    # runs (--help, a run whose folders are overridden) never need platformdirs.
    import platformdirs

    getter = {"state": platformdirs.user_state_dir, "config": platformdirs.user_config_dir}[kind]
    return Path(getter(APP, appauthor=False))


def state_dir(env: Mapping[str, str] | None = None) -> Path:
    """Sessions, history, run evidence. ``OPTOUT_BOT_STATE_DIR`` overrides."""
    override = (os.environ if env is None else env).get("OPTOUT_BOT_STATE_DIR")
    return Path(override) if override else _platform_dir("state")


def config_file(env: Mapping[str, str] | None = None) -> Path:
    """The TOML config file. ``OPTOUT_BOT_CONFIG`` overrides."""
    override = (os.environ if env is None else env).get("OPTOUT_BOT_CONFIG")
    return Path(override) if override else _platform_dir("config") / "config.toml"
