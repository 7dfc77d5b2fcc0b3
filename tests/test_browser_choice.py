"""Which browser a run launches: the configured one always; otherwise a headless shell for headless runs
(docs/evidence/tooling.md §13) and a full browser for anything that opens a window."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from optout_bot.engine import browser
from optout_bot.engine.browser import BrowserChoice, find_browser
from optout_bot.errors import BrowserNotFound

REVISION = browser._bundled_info("chromium-headless-shell").get("revision")


def executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def nothing_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No Playwright download, no system browser, no setting: each test adds what it needs."""
    downloads = tmp_path / "ms-playwright"
    downloads.mkdir()
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(downloads))
    monkeypatch.delenv(browser.ENV_PATH, raising=False)
    monkeypatch.setitem(browser.SYSTEM_CANDIDATES, sys.platform, ())
    monkeypatch.setitem(browser.SYSTEM_SHELLS, sys.platform, ())
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    return downloads


def test_playwrights_headless_shell_for_headless_runs_and_its_chromium_for_a_window(
    nothing_installed: Path,
) -> None:
    assert REVISION, "this Playwright's browsers.json lists a chromium-headless-shell"
    shell = executable(
        nothing_installed
        / f"chromium_headless_shell-{REVISION}/chrome-headless-shell-linux64/chrome-headless-shell"
    )
    full = executable(nothing_installed / f"chromium-{REVISION}/chrome-linux64/chrome")
    assert find_browser(headless=True) == BrowserChoice(shell, "playwright", headless_shell=True)
    assert find_browser(headless=False) == BrowserChoice(full, "playwright")


def test_debians_headless_shell_before_any_full_browser(
    nothing_installed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shell = executable(tmp_path / "usr/lib/chromium/chromium-headless-shell")
    full = executable(tmp_path / "usr/bin/chromium")
    monkeypatch.setitem(browser.SYSTEM_SHELLS, sys.platform, (str(shell),))
    monkeypatch.setitem(browser.SYSTEM_CANDIDATES, sys.platform, (str(full),))
    assert find_browser() == BrowserChoice(shell, "system", headless_shell=True)
    assert find_browser(headless=False) == BrowserChoice(full, "system")


def test_a_shell_on_the_path_counts_too(nothing_installed: Path, tmp_path: Path) -> None:
    shell = executable(tmp_path / "bin/chrome-headless-shell")
    full = executable(tmp_path / "bin/chromium")
    assert find_browser().path == shell
    assert find_browser(headless=False).path == full


def test_without_a_shell_headless_runs_take_the_full_browser(nothing_installed: Path, tmp_path: Path) -> None:
    full = executable(tmp_path / "bin/google-chrome")
    assert find_browser() == find_browser(headless=False) == BrowserChoice(full, "system")


def test_the_configured_browser_wins_over_any_shell(
    nothing_installed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    executable(tmp_path / "bin/chromium-headless-shell")
    chosen = executable(tmp_path / "opt/chrome")
    monkeypatch.setenv(browser.ENV_PATH, str(chosen))
    assert find_browser() == find_browser(headless=False) == BrowserChoice(chosen, "setting")


def test_only_a_shell_and_a_window_wanted_is_one_clear_error(nothing_installed: Path, tmp_path: Path) -> None:
    executable(tmp_path / "bin/chromium-headless-shell")
    with pytest.raises(BrowserNotFound):
        find_browser(headless=False)


def test_launch_asks_for_a_browser_that_fits_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[bool] = []

    def no_browser(configured: str | None = None, headless: bool = True) -> BrowserChoice:
        asked.append(headless)
        raise BrowserNotFound("none")

    monkeypatch.setattr(browser, "find_browser", no_browser)
    for headless in (True, False):
        with pytest.raises(BrowserNotFound), browser.launch(None, headless=headless):
            pass
    assert asked == [True, False]


def test_the_set_up_check_names_both_browsers(
    nothing_installed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shell = executable(tmp_path / "bin/chromium-headless-shell")
    full = executable(tmp_path / "bin/chromium")
    assert browser._main([]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{full} (system)",
        f"{shell} (system, headless shell) for headless runs",
    ]
