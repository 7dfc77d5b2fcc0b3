"""Following the fake's redirects inside the route adapter.

Playwright never routes the request that follows a redirect: a 3xx answered with
``route.fulfill`` sends the next request to the real network (the route handler "is only called
for the first url if the response is a redirect"), and behind our catch-all that request fails.
So the adapter follows the chain itself, carrying cookies set along the way, fulfills the final
page, and puts the final URL in the address bar with ``history.replaceState`` (a reload then
GETs the final URL, exactly as after a real 303).
"""

from __future__ import annotations

import json
import re
from typing import Protocol
from urllib.parse import urljoin

from optout_bot.testing.model import Response

REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_HOPS = 10
_HEAD = re.compile(rb"<head(\s[^>]*)?>", re.IGNORECASE)


class Handler(Protocol):
    def handle(self, method: str, url: str, headers: dict[str, str], body: bytes | None) -> Response: ...


def _with_cookies(headers: dict[str, str], set_cookies: list[str]) -> dict[str, str]:
    jar: dict[str, str] = {}
    cookie_header = next((v for k, v in headers.items() if k.lower() == "cookie"), "")
    for part in cookie_header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            jar[name] = value
    for line in set_cookies:
        first, *attrs = line.split(";")
        name, _, value = first.strip().partition("=")
        if any(a.strip().lower() == "max-age=0" for a in attrs):
            jar.pop(name, None)
        else:
            jar[name] = value
    rest = {k: v for k, v in headers.items() if k.lower() != "cookie"}
    if jar:
        rest["cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
    return rest


def follow(
    site: Handler, method: str, url: str, headers: dict[str, str], body: bytes | None
) -> tuple[Response, str]:
    """The final response of a redirect chain (with every Set-Cookie of the chain) and its URL."""
    set_cookies: list[str] = []
    delay = 0
    for _ in range(MAX_HOPS):
        response = site.handle(method, url, headers, body)
        delay += response.delay_ms
        new = [v for k, v in response.headers if k.lower() == "set-cookie"]
        set_cookies += new
        location = response.header("location")
        if response.status not in REDIRECTS or location is None:
            break
        url = urljoin(url, location)
        if response.status in (301, 302, 303):
            method, body = "GET", None
        headers = _with_cookies(headers, new)
    else:
        # Chromium would fail with net::ERR_TOO_MANY_REDIRECTS, which a fulfilled route cannot produce:
        # 508 Loop Detected says the same in HTTP (navigate.check_response treats both alike).
        return Response.html("<h1>fake site: too many redirects</h1>", 508), url
    kept = [(k, v) for k, v in response.headers if k.lower() != "set-cookie"]
    final = Response(response.status, kept + [("Set-Cookie", c) for c in set_cookies], response.body, delay)
    return final, url


def show_url(body: bytes, url: str) -> bytes:
    """The HTML page with a first script that makes ``url`` the document's URL."""
    target = json.dumps(url).replace("</", "<\\/")
    tag = f"<script data-fake-url>history.replaceState(null, '', {target});</script>".encode()
    match = _HEAD.search(body)
    if match is None:
        return tag + body
    return body[: match.end()] + tag + body[match.end() :]
