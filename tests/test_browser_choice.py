"""Which browser a run launches: the configured one always; a headless shell only for a headless run on a
copy of the site on this machine; the full browser for the real sites and for anything that opens a
window (docs/evidence/tooling.md §13)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from optout_bot.app import runner
from optout_bot.app.request import RunDeps, RunRequest
from optout_bot.engine import browser
from optout_bot.engine.browser import BrowserChoice, BrowserSession, find_browser
from optout_bot.engine.options import RunOptions
from optout_bot.errors import BrowserNotFound
from tests.fake import Creds, MemoryStore

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


def test_playwrights_headless_shell_for_a_local_copy_and_its_chromium_for_the_real_site(
    nothing_installed: Path,
) -> None:
    assert REVISION, "this Playwright's browsers.json lists a chromium-headless-shell"
    shell = executable(
        nothing_installed
        / f"chromium_headless_shell-{REVISION}/chrome-headless-shell-linux64/chrome-headless-shell"
    )
    full = executable(nothing_installed / f"chromium-{REVISION}/chrome-linux64/chrome")
    assert find_browser(local_copy=True) == BrowserChoice(shell, "playwright", headless_shell=True)
    assert find_browser() == BrowserChoice(full, "playwright")


def test_debians_headless_shell_before_any_full_browser(
    nothing_installed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shell = executable(tmp_path / "usr/lib/chromium/chromium-headless-shell")
    full = executable(tmp_path / "usr/bin/chromium")
    monkeypatch.setitem(browser.SYSTEM_SHELLS, sys.platform, (str(shell),))
    monkeypatch.setitem(browser.SYSTEM_CANDIDATES, sys.platform, (str(full),))
    assert find_browser(local_copy=True) == BrowserChoice(shell, "system", headless_shell=True)
    assert find_browser() == BrowserChoice(full, "system")


def test_a_shell_on_the_path_counts_too(nothing_installed: Path, tmp_path: Path) -> None:
    shell = executable(tmp_path / "bin/chrome-headless-shell")
    full = executable(tmp_path / "bin/chromium")
    assert find_browser(local_copy=True).path == shell
    assert find_browser().path == full


def test_without_a_shell_a_local_copy_takes_the_full_browser(nothing_installed: Path, tmp_path: Path) -> None:
    full = executable(tmp_path / "bin/google-chrome")
    assert find_browser(local_copy=True) == find_browser() == BrowserChoice(full, "system")


def test_the_configured_browser_wins_over_any_shell(
    nothing_installed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    executable(tmp_path / "bin/chromium-headless-shell")
    chosen = executable(tmp_path / "opt/chrome")
    monkeypatch.setenv(browser.ENV_PATH, str(chosen))
    assert find_browser(local_copy=True) == find_browser() == BrowserChoice(chosen, "setting")


def test_only_a_shell_and_the_real_site_is_one_clear_error(nothing_installed: Path, tmp_path: Path) -> None:
    executable(tmp_path / "bin/chromium-headless-shell")
    with pytest.raises(BrowserNotFound):
        find_browser()


def test_launch_takes_a_shell_only_for_a_headless_run_on_a_local_copy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[bool] = []

    def no_browser(configured: str | None = None, local_copy: bool = False) -> BrowserChoice:
        asked.append(local_copy)
        raise BrowserNotFound("none")

    monkeypatch.setattr(browser, "find_browser", no_browser)
    for headless, local_copy in ((True, True), (False, True), (True, False)):
        with pytest.raises(BrowserNotFound), browser.launch(None, headless=headless, local_copy=local_copy):
            pass
    assert asked == [True, False, False]


@pytest.mark.parametrize(
    ("site_url", "fake_site", "local_copy"),
    [
        (None, False, False),
        ("https://www.linkedin.com", False, False),
        ("http://192.168.1.20:8800", False, False),
        ("http://127.0.0.1:8800", False, True),
        ("http://localhost:8800", False, True),
        ("http://[::1]:8800", False, True),
        (None, True, True),
    ],
)
def test_a_run_on_a_local_copy_says_so_to_its_launcher(
    site_url: str | None, fake_site: bool, local_copy: bool
) -> None:
    asked: list[bool] = []

    @contextmanager
    def launcher(
        configured: str | None = None, headless: bool = True, local_copy: bool = False
    ) -> Iterator[BrowserSession]:
        asked.append(local_copy)
        raise BrowserNotFound("none")
        yield  # pragma: no cover - never reached

    request = RunRequest("check", fake_site=fake_site, options=RunOptions(site_url=site_url))
    deps = RunDeps(credentials=Creds(), store=MemoryStore(), launch=launcher)
    with pytest.raises(BrowserNotFound):
        runner.execute(request, deps)
    assert asked == [local_copy]


def test_the_set_up_check_names_both_browsers(
    nothing_installed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shell = executable(tmp_path / "bin/chromium-headless-shell")
    full = executable(tmp_path / "bin/chromium")
    assert browser._main([]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{full} (system)",
        f"{shell} (system, headless shell) for headless runs on local copies",
    ]


def _what_the_page_sees(playwright: Any, choice: BrowserChoice) -> tuple[str, str, str]:
    """The user agent header, the client-hint header and the brands a page of the real host sees, in
    ``choice`` launched headless and given optout-bot's context (on the test's own Playwright: a second
    one cannot start in this thread)."""
    launched = playwright.chromium.launch(executable_path=str(choice.path), headless=True)
    try:
        context = BrowserSession(playwright, launched, choice).new_context()
        headers: dict[str, str] = {}

        def answer(route: Any) -> None:
            headers.update(route.request.headers)
            route.fulfill(body="<html><body>a page</body></html>", content_type="text/html")

        context.route("https://www.linkedin.com/**", answer)
        page = context.new_page()
        page.goto("https://www.linkedin.com/feed/")
        brands = page.evaluate(
            "navigator.userAgentData ? JSON.stringify(navigator.userAgentData.brands) : ''"
        )
    finally:
        launched.close()
    return headers.get("user-agent", ""), headers.get("sec-ch-ua", ""), brands


def test_a_real_site_is_never_told_headless_chrome_and_that_is_why_the_shell_stays_local(
    playwright: Any,
) -> None:
    agent, hints, brands = _what_the_page_sees(playwright, find_browser())
    assert agent.startswith("Mozilla/5.0")
    assert "Chrome/" in agent
    assert "Headless" not in agent + hints + brands
    shell = find_browser(local_copy=True)
    if shell.headless_shell:  # the measured reason (docs/evidence/tooling.md §13)
        agent, hints, brands = _what_the_page_sees(playwright, shell)
        assert "Headless" not in agent
        assert "HeadlessChrome" in hints
        assert "HeadlessChrome" in brands
