"""The one place that finds a Chromium, launches it and makes browser contexts.

Three kinds of browser are supported, tried in this order: the executable named by the
``OPTOUT_BOT_CHROMIUM_PATH`` setting; Playwright's own Chromium (``playwright install chromium``);
a system Chrome or Chromium (Debian's ``/usr/bin/chromium``, Google Chrome, Edge-free paths on
macOS and Windows). Playwright is imported lazily so ``--help`` stays fast.

A headless run against a copy of a site on this machine (the demo, a replay, the tests, the bench)
first looks for a *headless shell* (Playwright's ``chromium-headless-shell`` download, Debian's
``chromium-headless-shell`` package): the build Playwright itself launches for headless runs, which
starts a page with far less CPU than a full Chromium. The real sites always get the full browser: the
shell tells every page it is ``HeadlessChrome`` in its client hints and shows no plug-ins, where the
full browser's headless mode looks like a person's Chrome (docs/evidence/tooling.md §13).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optout_bot.engine.browser_errors import browser_stopped
from optout_bot.errors import BrowserNotFound, SetupError
from optout_bot.i18n import _

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Playwright

log = logging.getLogger(__name__)

ENV_PATH = "OPTOUT_BOT_CHROMIUM_PATH"

SYSTEM_CANDIDATES: dict[str, tuple[str, ...]] = {
    "linux": (
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
        "/usr/bin/google-chrome-stable",
        "/opt/google/chrome/chrome",
        "/snap/bin/chromium",
    ),
    "darwin": (
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
    ),
    "win32": (
        r"C:\Program Files\Google\Chrome\Application\chrome.exe",
        r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
    ),
}
# Where a Playwright download keeps its executable, per browser name in its browsers.json, inside the
# folder ``<name with "_" for "-">-<revision>`` (docs/evidence/tooling.md §13).
BUNDLED_EXECUTABLES: dict[str, tuple[str, ...]] = {
    "chromium": (
        "chrome-linux64/chrome",
        "chrome-linux/chrome",
        "chrome-mac/Chromium.app/Contents/MacOS/Chromium",
        "chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
        "chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
        "chrome-win64/chrome.exe",
        "chrome-win/chrome.exe",
    ),
    "chromium-headless-shell": (
        "chrome-headless-shell-linux64/chrome-headless-shell",
        "chrome-headless-shell-linux-arm64/chrome-headless-shell",
        "chrome-headless-shell-mac-x64/chrome-headless-shell",
        "chrome-headless-shell-mac-arm64/chrome-headless-shell",
        "chrome-headless-shell-win64/chrome-headless-shell.exe",
    ),
}
# Headless shells: Chromium without a window, for headless runs on local copies (docs/evidence/tooling.md §13).
SYSTEM_SHELLS: dict[str, tuple[str, ...]] = {
    "linux": ("/usr/lib/chromium/chromium-headless-shell",),
}
SHELL_NAMES = ("chromium-headless-shell", "chrome-headless-shell")
# Playwright drives other Chromium versions only within a few majors of its bundled one.
MAX_MAJOR_DISTANCE = 6


@dataclass(frozen=True)
class BrowserChoice:
    """The executable to launch and where it was found (``setting``, ``playwright``, ``system``)."""

    path: Path
    source: str
    headless_shell: bool = False
    """True for a headless shell, which cannot open a window."""


def bundled_executable(headless_shell: bool = False) -> Path | None:
    """Playwright's own Chromium (or its headless shell) if it was downloaded, found without
    starting Playwright."""
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if root in (None, "", "0"):
        if sys.platform == "darwin":
            base = Path.home() / "Library" / "Caches" / "ms-playwright"
        elif sys.platform == "win32":
            base = Path(os.environ.get("LOCALAPPDATA", Path.home())) / "ms-playwright"
        else:
            base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ms-playwright"
    else:
        base = Path(root)
    name = "chromium-headless-shell" if headless_shell else "chromium"
    revision = _bundled_info(name).get("revision")
    if not revision:
        return None
    folder = base / f"{name.replace('-', '_')}-{revision}"
    for relative in BUNDLED_EXECUTABLES[name]:
        if (folder / relative).is_file():
            return folder / relative
    return None


def _bundled_info(name: str = "chromium") -> dict[str, Any]:
    try:
        import playwright
    except ImportError:  # pragma: no cover - playwright is a dependency
        return {}
    manifest = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    try:
        browsers = json.loads(manifest.read_text(encoding="utf-8"))["browsers"]
    except (OSError, ValueError, KeyError):
        return {}
    return next((b for b in browsers if b.get("name") == name), {})


def find_browser(configured: str | None = None, local_copy: bool = False) -> BrowserChoice:
    """Pick the browser to launch, or raise ``BrowserNotFound`` with the remedy. The configured one
    always wins; otherwise a headless run on a ``local_copy`` of a site takes a headless shell when
    there is one."""
    configured = configured or os.environ.get(ENV_PATH)
    if configured:
        path = Path(configured).expanduser()
        if path.is_file() and os.access(path, os.X_OK):
            return BrowserChoice(path, "setting")
        raise BrowserNotFound(
            _("the configured browser {path} does not exist or is not executable").format(path=path)
        )
    shell = _headless_shell() if local_copy else None
    if shell:
        return shell
    bundled = bundled_executable()
    if bundled:
        return BrowserChoice(bundled, "playwright")
    for candidate in SYSTEM_CANDIDATES.get(sys.platform, ()):
        if Path(candidate).is_file():
            return BrowserChoice(Path(candidate), "system")
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return BrowserChoice(Path(found), "system")
    raise BrowserNotFound(_("no Chrome or Chromium found"))


def _headless_shell() -> BrowserChoice | None:
    bundled = bundled_executable(headless_shell=True)
    if bundled:
        return BrowserChoice(bundled, "playwright", headless_shell=True)
    for candidate in SYSTEM_SHELLS.get(sys.platform, ()):
        if os.access(candidate, os.X_OK) and Path(candidate).is_file():
            return BrowserChoice(Path(candidate), "system", headless_shell=True)
    for name in SHELL_NAMES:
        found = shutil.which(name)
        if found:
            return BrowserChoice(Path(found), "system", headless_shell=True)
    return None


def check_version(version: str) -> str | None:
    """A warning when ``version`` is too far from the Chromium this Playwright was built for."""
    bundled = str(_bundled_info().get("browserVersion", ""))
    try:
        distance = abs(int(version.split(".")[0]) - int(bundled.split(".")[0]))
    except ValueError:
        return None
    if distance > MAX_MAJOR_DISTANCE:
        return f"Chromium {version} is {distance} versions from Playwright's {bundled}; it may misbehave"
    return None


@dataclass
class BrowserSession:
    """A launched browser; makes isolated contexts (one per account)."""

    playwright: Playwright
    browser: Browser
    choice: BrowserChoice

    @property
    def user_agent(self) -> str:
        """The user agent of a headed Chrome of this version: never ``HeadlessChrome`` (identity.py)."""
        from optout_bot.engine.identity import user_agent_for

        return user_agent_for(self.browser.version)

    def new_context(self, storage_state: dict[str, Any] | None = None, **options: Any) -> BrowserContext:
        """A fresh context: service workers blocked (routes must see every request), English locale,
        and one user agent for headless and headed runs (``user_agent=`` to reuse a session's own)."""
        defaults: dict[str, Any] = {
            "service_workers": "block",
            "locale": "en-US",
            "viewport": {"width": 1280, "height": 900},
        }
        defaults.update({k: v for k, v in options.items() if v is not None})
        defaults.setdefault("user_agent", self.user_agent)
        if storage_state is not None:
            # A dict, never a path: the session is decrypted in memory only (state.py).
            defaults["storage_state"] = storage_state
        return self.browser.new_context(**defaults)


@contextmanager
def launch(
    configured: str | None = None, headless: bool = True, local_copy: bool = False
) -> Iterator[BrowserSession]:
    """Start Playwright and the chosen browser; close both on exit. ``local_copy``: the run's site is a
    copy on this machine, so a headless shell is welcome; a window always needs the full browser."""
    choice = find_browser(configured, local_copy=local_copy and headless)
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        manager = sync_playwright().start()
    except Exception as exc:  # noqa: BLE001 - Playwright's driver would not start: a set-up problem
        raise SetupError(
            f"Playwright's driver would not start: {_first_line(exc)}",
            remedy="run it again; if it keeps failing, reinstall optout-bot (it brings Playwright's driver)",
        ) from None
    with _stopping(manager) as playwright:
        try:
            # handle_sigint=False: on Ctrl-C the run, not the driver, decides what happens to the browser
            # (it records what it already did before closing it).
            browser = playwright.chromium.launch(
                executable_path=str(choice.path), headless=headless, handle_sigint=False
            )
        except Exception as exc:  # noqa: BLE001 - PlaywrightError, or the driver dying during the launch
            raise BrowserNotFound(
                _("{path} ({source}) would not start: {first_line}").format(
                    path=choice.path, source=choice.source, first_line=_first_line(exc)
                )
            ) from None
        log.info("browser: %s %s (%s)", choice.path, browser.version, _described(choice))
        warning = check_version(browser.version)
        if warning:
            log.warning(warning)
        try:
            yield BrowserSession(playwright, browser, choice)
        finally:
            try:
                browser.close()
            except PlaywrightError as exc:  # already gone: the run has reported that
                if not browser_stopped(exc):
                    raise


def _described(choice: BrowserChoice) -> str:
    return f"{choice.source}, headless shell" if choice.headless_shell else choice.source


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


@contextmanager
def _stopping(playwright: Playwright) -> Iterator[Playwright]:
    try:
        yield playwright
    finally:
        playwright.stop()


def _main(argv: list[str]) -> int:
    """``python -m optout_bot.engine.browser``: say which browser would be used (set-up scripts call it)."""
    quiet = "--quiet" in argv
    try:
        window = find_browser()
        local = find_browser(local_copy=True)
    except BrowserNotFound as exc:
        if not quiet:
            print(f"error: {exc}; {exc.remedy}", file=sys.stderr)
        return 10
    if not quiet:
        print(f"{window.path} ({_described(window)})")
        if local != window:
            print(f"{local.path} ({_described(local)}) for headless runs on local copies")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
