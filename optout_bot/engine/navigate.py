"""Page loads with the one retry policy, and the click-through path a person would take."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from optout_bot.engine.browser_errors import STOPPED, browser_stopped
from optout_bot.engine.locate import resolve, target_candidates, wait_for_any
from optout_bot.engine.retry import MAX_SECONDS, RetryAfter, parse_retry_after
from optout_bot.errors import Blocked, BrowserStopped, RedirectLoop, SiteChanged, TransientError
from optout_bot.i18n import _
from optout_bot.model.pagespec import Step

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page, Request, Response
    from tenacity import Retrying


def path_of(url: str) -> str:
    """The path of ``url``, never its query (queries can hold tokens; they stay out of reports)."""
    return urlsplit(url).path or "/"


def check_response(response: Response | None, where: str, blocked: list[int]) -> None:
    """Turn a bad HTTP status into ``Blocked`` (never retried) or a ``TransientError`` (retried)."""
    if response is None:
        return
    status = response.status
    if status == 508:  # "Loop Detected": a redirect loop answered by a server or proxy, not a passing fault
        raise RedirectLoop(f"{where} redirects in a loop (HTTP 508; the saved session is stale)")
    if status in blocked:
        raise Blocked(
            _("the site refused the request for {where} (HTTP {status})").format(where=where, status=status)
        )
    if status in (429, 503):
        seconds = parse_retry_after(response.headers.get("retry-after"))
        if seconds is not None and seconds > MAX_SECONDS:
            # Longer than this run may wait in all (retry.MAX_SECONDS): left to a later run (issue #5).
            raise Blocked(
                _(
                    "the site asked to wait {seconds:.0f} s before loading {where} again (HTTP {status})"
                ).format(seconds=seconds, where=where, status=status),
                remedy=_(
                    "wait at least {seconds:.0f} min before the next run; scheduled runs retry on their own"
                ).format(seconds=seconds / 60),
            )
        if seconds is not None:
            raise RetryAfter(
                _("the site asked to slow down on {where} (HTTP {status})").format(
                    where=where, status=status
                ),
                seconds,
            )
        raise TransientError(
            _("the site answered HTTP {status} for {where}").format(status=status, where=where)
        )
    if status == 408 or status >= 500:
        raise TransientError(
            _("the site answered HTTP {status} for {where}").format(status=status, where=where)
        )


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
                _abandon_load(page, timeout_ms)
                raise TransientError(
                    _("{where} did not load within {seconds:.0f} s").format(
                        where=where, seconds=timeout_ms / 1000
                    )
                ) from None
            except PlaywrightError as exc:
                if browser_stopped(exc):
                    raise BrowserStopped(STOPPED) from None
                reason = next((w for w in str(exc).split() if w.startswith("net::")), "a browser error")
                if reason.startswith("net::"):  # also before a loop's reload without the stale session
                    _settle_on_error_page(page, timeout_ms)
                if reason == "net::ERR_TOO_MANY_REDIRECTS":  # a stale session, not a passing failure
                    raise RedirectLoop(f"{where} redirects in a loop (the saved session is stale)") from None
                raise TransientError(
                    _("{where} could not be loaded ({reason})").format(where=where, reason=reason)
                ) from None
            check_response(response, where, blocked)


def _abandon_load(page: Page, timeout_ms: float) -> None:
    """Give up a load that timed out: Chromium keeps it pending, and a retry started while it is
    still pending can fail at once with ``net::ERR_ABORTED`` (seen with short back-offs, issue #5).
    """
    from playwright.sync_api import Error as PlaywrightError

    with suppress(PlaywrightError):
        page.goto("about:blank", timeout=min(timeout_ms, 2_000))


def _settle_on_error_page(page: Page, timeout_ms: float) -> None:
    """Let Chromium commit its error page after a failed load, so a retry is not interrupted by it.

    Without this, a retry that starts at once (a short back-off) fails with "interrupted by another
    navigation to chrome-error://chromewebdata/" and the retries run out on a fault that had passed.
    """
    from playwright.sync_api import Error as PlaywrightError

    # No error page (it came and went, or another browser): nothing to wait for.
    with suppress(PlaywrightError):
        page.wait_for_url(lambda url: url.startswith("chrome-error:"), timeout=min(timeout_ms, 2_000))


def reload(page: Page, policy: Retrying, blocked: list[int], timeout_ms: float) -> None:
    """Reload the current page under the same policy (a fresh read from the server)."""
    goto(page, page.url, policy, blocked, timeout_ms)


def same_address(url: str, target: str) -> bool:
    """``url`` and ``target`` name the same document (host, path, query; a fragment or a trailing
    slash aside)."""
    a, b = urlsplit(url), urlsplit(target)
    return (a.scheme, a.netloc, a.path.rstrip("/"), a.query) == (
        b.scheme,
        b.netloc,
        b.path.rstrip("/"),
        b.query,
    )


class Landings:
    """The main frame's document responses while open: where a sign-in's redirects left the page.

    After signing in, LinkedIn is expected to send the browser back to the page it asked for: its
    sign-in address carries ``session_redirect`` (REPORTED, docs/evidence/linkedin.md §5.1); that the
    answer then lands on exactly that page is INFERRED. Loading it once more would fetch the same
    document again (issue 16). ``arrived`` says when the page already holds a good answer for the
    target, so the caller loads it only when it does not: landing anywhere else (the feed, a question,
    an error) means the usual load, which tests/test_page_loads.py checks.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.responses: list[Response] = []

    def _on_response(self, response: Response) -> None:
        if response.request.is_navigation_request() and response.frame == self.page.main_frame:
            self.responses.append(response)

    def __enter__(self) -> Landings:
        self.page.on("response", self._on_response)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.page.remove_listener("response", self._on_response)

    def arrived(self, target: str, blocked: list[int]) -> bool:
        """The page is at ``target`` and the last load of it answered without an error status (any
        doubt, a 5xx, a refusal, another address: False, and the caller loads ``target`` the usual way)."""
        if not self.responses or not same_address(self.page.url, target):
            return False
        last = self.responses[-1]
        if not same_address(last.url, target) or last.status >= 400:
            return False
        try:
            check_response(last, path_of(target), blocked)
        except (Blocked, RedirectLoop, TransientError):
            return False
        return True


def take_step(
    page: Page,
    step: Step,
    timeout_ms: float,
    blocked: list[int] | None = None,
    stop_at: Sequence[str] = (),
    before_click: Callable[[Locator, str], None] | None = None,
    find_ms: float | None = None,
) -> None:
    """Click one step of the way (opening its menu first) and wait to arrive at ``expect_path``.

    The page the click lands on is checked like a ``goto``: a refused or failed load is ``Blocked``
    or a ``TransientError``, never mistaken for a changed site (issue #5).
    """
    if step.open is not None:
        opener = target_candidates(page, step.open)
        wait_for_any(opener, find_ms or timeout_ms)
        found = resolve(opener, visible_only=True)
        if found is None:
            raise SiteChanged(_("step '{name}': the menu to open was not found").format(name=step.name))
        if before_click is not None:
            before_click(found[1], _("the menu of step '{step}'").format(step=step.name))
        found[1].click(timeout=timeout_ms)
    candidates = target_candidates(page, step.click)
    wait_for_any(candidates, find_ms or timeout_ms)
    found = resolve(candidates, visible_only=True)
    if found is None:
        raise SiteChanged(
            _("step '{name}': the link to click was not found on {path}").format(
                name=step.name, path=path_of(page.url)
            )
        )
    if before_click is not None:
        before_click(found[1], _("the link of step '{step}'").format(step=step.name))
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    asked: list[Request] = []
    landed: list[Response] = []

    def on_request(request: Request) -> None:
        if request.is_navigation_request() and request.frame == page.main_frame:
            asked.append(request)

    def on_response(response: Response) -> None:
        if response.request.is_navigation_request() and response.frame == page.main_frame:
            landed.append(response)

    page.on("request", on_request)
    page.on("response", on_response)
    try:
        found[1].click(timeout=timeout_ms)
        # Landing on a sign-in or security page (``stop_at``) ends the wait at once: the caller
        # deals with it, instead of waiting out the timeout for a page that will not come.
        page.wait_for_url(
            lambda url: path_of(url).startswith((step.expect_path, *stop_at)), timeout=timeout_ms
        )
    except PlaywrightTimeout:
        if len(asked) > len(landed):  # the click did navigate; the answer never came
            raise TransientError(
                _("{path} did not load within {seconds:.0f} s").format(
                    path=step.expect_path, seconds=timeout_ms / 1000
                )
            ) from None
        raise SiteChanged(
            _("step '{name}': expected {path}, still on {current}").format(
                name=step.name, path=step.expect_path, current=path_of(page.url)
            )
        ) from None
    except PlaywrightError as exc:
        reason = next((w for w in str(exc).split() if w.startswith("net::")), None)
        if reason is None:
            raise
        if reason == "net::ERR_TOO_MANY_REDIRECTS":
            raise RedirectLoop(
                f"{step.expect_path} redirects in a loop (the saved session is stale)"
            ) from None
        raise TransientError(
            _("{path} could not be loaded ({reason})").format(path=step.expect_path, reason=reason)
        ) from None
    finally:
        page.remove_listener("request", on_request)
        page.remove_listener("response", on_response)
    check_response(landed[-1] if landed else None, path_of(page.url), blocked or [])
    page.wait_for_load_state("load", timeout=timeout_ms)
