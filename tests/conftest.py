"""Shared test set-up: isolation from the real user's files and keyring, and the system browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Tests read the English messages unless they ask for French: the language is chosen once per process
# from the locale (and the config), so pin both for this process and every subprocess it starts.
for _var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_var, None)
os.environ["LANG"] = "C.UTF-8"

import keyring  # noqa: E402 (after the locale is pinned)
import pytest  # noqa: E402
from keyrings.alt.file import PlaintextKeyring  # noqa: E402

from optout_bot import i18n  # noqa: E402
from optout_bot.cli.main import register_commands  # noqa: E402
from optout_bot.engine.browser import BrowserSession, find_browser  # noqa: E402
from tests.fake import session_for  # noqa: E402
from tests.memkeyring import MemoryKeyring  # noqa: E402

i18n.set_language("en")
# A command's help texts are translated when its module is first imported, as in a real process that
# speaks one language from start to end. A test that runs a command in French in-process would
# otherwise, when it happens to come first on a pytest-xdist worker, leave French help behind for
# every later test there: import them all now, in English.
register_commands()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--live", action="store_true", help="run tests marked live (real site; never in CI)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--live"):
        return
    skip = pytest.mark.skip(reason="talks to the real site; pass --live to run")
    for item in items:
        if "live" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every per-user directory at tmp_path so no test touches the real user's files."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME_OPTOUT", "cache"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    for var in list(os.environ):
        if var.startswith("OPTOUT_BOT_") and var not in ("OPTOUT_BOT_CHROMIUM_PATH",):
            monkeypatch.delenv(var)
    return home


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """An empty in-memory keyring for each test; the previous backend is restored after."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def file_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[PlaintextKeyring]:
    """A keyring this process and the optout-bot processes it starts share: keyrings.alt's plain-text
    file under $XDG_DATA_HOME (tmp_path). The tool accepts that backend only when it is named."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    previous = keyring.get_keyring()
    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def no_installed_optout_bot(monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of optout-bot installed on the developer's PATH (pipx) must not change what tests
    schedule: entries start this interpreter with -m optout_bot unless a test says otherwise."""
    from optout_bot.schedule import entry

    monkeypatch.setattr(entry, "find_program", lambda name: None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright has no --executable-path: launch whatever optout-bot itself would find."""
    return {**browser_type_launch_args, "executable_path": str(find_browser(local_copy=True).path)}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """Routes must see every request, so service workers are blocked in every test context."""
    return {**browser_context_args, "service_workers": "block", "locale": "en-US"}


@pytest.fixture
def session(playwright: Any, browser: Any) -> BrowserSession:
    """pytest-playwright's browser (one per test process) as optout-bot's BrowserSession; each run
    opens its own context in it, so nothing of one test's cookies or routes reaches another."""
    return session_for(playwright, browser)
