"""Page loads with the one retry policy, and the click-through path a person would take."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from optout_bot.errors import Blocked, SiteChanged, TransientError
from optout_bot.flowspec import Step
from optout_bot.locate import resolve, target_candidates, wait_for_any
from optout_bot.retry import RetryAfter, parse_retry_after

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response
    from tenacity import Retrying


def path_of(url: str) -> str:
    """The path of ``url``, never its query (queries can hold tokens; they stay out of reports)."""
    return urlsplit(url).path or "/"


def check_response(response: Response | None, where: str, blocked: list[int]) -> None:
    """Turn a bad HTTP status into ``Blocked`` (never retried) or a ``TransientError`` (retried)."""
    if response is None:
        return
    status = response.status
    if status in blocked:
        raise Blocked(f"the site refused the request for {where} (HTTP {status})")
    if status in (429, 503):
        seconds = parse_retry_after(response.headers.get("retry-after"))
        if seconds is not None:
            raise RetryAfter(f"the site asked to slow down on {where} (HTTP {status})", seconds)
        raise TransientError(f"the site answered HTTP {status} for {where}")
    if status == 408 or status >= 500:
        raise TransientError(f"the site answered HTTP {status} for {where}")


def goto(page: Page, url: str, policy: Retrying, blocked: list[int], timeout_ms: float) -> None:
    """Load ``url``; retry timeouts, network errors, 408/429/5xx; stop on ``blocked`` statuses."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    where = path_of(url)
    for attempt in policy:
        with attempt:
            try:
                response = page.goto(url, wait_until="load", timeout=timeout_ms)
            except PlaywrightTimeout:
                raise TransientError(f"{where} did not load within {timeout_ms / 1000:.0f} s") from None
            except PlaywrightError as exc:
                reason = next((w for w in str(exc).split() if w.startswith("net::")), "a browser error")
                raise TransientError(f"{where} could not be loaded ({reason})") from None
            check_response(response, where, blocked)


def reload(page: Page, policy: Retrying, blocked: list[int], timeout_ms: float) -> None:
    """Reload the current page under the same policy (a fresh read from the server)."""
    goto(page, page.url, policy, blocked, timeout_ms)


def take_step(page: Page, step: Step, timeout_ms: float) -> None:
    """Click one step of the way (opening its menu first) and wait to arrive at ``expect_path``."""
    if step.open is not None:
        opener = target_candidates(page, step.open)
        wait_for_any(opener, timeout_ms)
        found = resolve(opener, visible_only=True)
        if found is None:
            raise SiteChanged(f"step '{step.name}': the menu to open was not found")
        found[1].click(timeout=timeout_ms)
    candidates = target_candidates(page, step.click)
    wait_for_any(candidates, timeout_ms)
    found = resolve(candidates, visible_only=True)
    if found is None:
        raise SiteChanged(f"step '{step.name}': the link to click was not found on {path_of(page.url)}")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    found[1].click(timeout=timeout_ms)
    try:
        page.wait_for_url(lambda url: path_of(url).startswith(step.expect_path), timeout=timeout_ms)
    except PlaywrightTimeout:
        raise SiteChanged(
            f"step '{step.name}': expected {step.expect_path}, still on {path_of(page.url)}"
        ) from None
    page.wait_for_load_state("load", timeout=timeout_ms)
