"""Serve a FakeSite at its real URL inside a Playwright context (``route.fulfill``)."""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING

from optout_bot.testing.redirects import follow, show_url

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Route

    from optout_bot.testing.site import FakeSite


def _abort(route: Route) -> None:
    route.abort("blockedbyclient")


def _wait(route: Route, ms: int) -> None:
    """Delay an answer without blocking Playwright: other requests are still served meanwhile."""
    from playwright.sync_api import Error as PlaywrightError

    # No frame (a worker's request) or the page went away: answer at once. Sleeping here instead
    # would stall every other request of the browser for the whole delay.
    with suppress(PlaywrightError):
        route.request.frame.wait_for_timeout(ms)


def attach_routes(context: BrowserContext, site: FakeSite) -> None:
    """Abort every request, except those to the site's base URL, which ``site.handle`` answers.

    The catch-all is registered first: Playwright tries the newest route first, so the site wins
    for its own URLs and everything else (CDNs, trackers, other hosts) never reaches the network.
    Redirects are followed here (see ``redirects``). Nothing is recorded here: ``site`` does it.
    """
    context.route("**/*", _abort)

    def serve_route(route: Route) -> None:
        request = route.request
        response, final_url = follow(
            site, request.method, request.url, request.all_headers(), request.post_data_buffer
        )
        if response.delay_ms:
            _wait(route, response.delay_ms)
        body = response.body
        content_type = response.header("content-type") or ""
        if final_url != request.url and "html" in content_type:
            body = show_url(body, final_url)
        headers: dict[str, str] = {}
        for name, value in response.headers:
            if name.lower() == "content-length":
                continue
            # Chromium splits newline-joined values: several Set-Cookie headers all land.
            headers[name] = f"{headers[name]}\n{value}" if name in headers else value
        route.fulfill(status=response.status, headers=headers, body=body)

    context.route(f"{site.base_url}/**", serve_route)
