"""Knowing the site's save from its beacons: which answer after a click is the setting being saved.

Settings pages fire tracking requests next to the real save (LinkedIn: ``/li/track``, ``/sensorCollect``,
``/rest/trackObserveApi/…`` beside ``PUT /mysettings-api/settingsApiSettings/<key>``; docs/evidence/
linkedin.md). The site file declares its save (method + path pattern) and its beacons; the answer to
the declared save is awaited, else the first non-GET to the site's own host that is no beacon. A
5xx/429 answer (or a network failure) of the save ends the wait at once: the run reports a temporary
failure instead of waiting out the page timeout.
"""

from __future__ import annotations

import fnmatch
import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from optout_bot.errors import TransientError
from optout_bot.i18n import _
from optout_bot.model.flowspec import SiteSpec

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request, Response

log = logging.getLogger(__name__)

FALLBACK_GRACE_MS = 1_500
"""How long an undeclared save candidate waits for the declared save to show up before it is taken."""

QUIET_MS = 700
"""A site that declares no save: its possible saves are over when none is in flight and none was answered
for this long. Taking the first answer instead lets an undeclared beacon pass for a debounced save
(drift seed 74: a beacon answered at once, the save 0.4 s later), and the reload then reads the old state."""


@dataclass
class SaveWatch:
    """Listens to the page's requests from just before the click until the save is answered."""

    page: Page
    site: SiteSpec
    host: str
    declared: list[tuple[int, float]] = field(default_factory=list)
    others: list[tuple[int, float]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    in_flight: set[Request] = field(default_factory=set)

    def __enter__(self) -> SaveWatch:
        self.page.on("request", self._on_request)
        self.page.on("response", self._on_response)
        self.page.on("requestfailed", self._on_failed)
        return self

    def __exit__(self, *_: object) -> None:
        self.page.remove_listener("request", self._on_request)
        self.page.remove_listener("response", self._on_response)
        self.page.remove_listener("requestfailed", self._on_failed)

    def kind(self, request: Request) -> str | None:
        """``declared``, ``other`` (a possible save) or None (a read, a beacon, another host)."""
        parts = urlsplit(request.url)
        if request.method in ("GET", "HEAD", "OPTIONS") or parts.hostname != self.host:
            return None
        path = parts.path or "/"
        if any(
            fnmatch.fnmatchcase(path, pattern) or path.startswith(pattern) for pattern in self.site.beacons
        ):
            return None
        save = self.site.save
        if save is not None and request.method == save.method and fnmatch.fnmatchcase(path, save.path):
            return "declared"
        return "other"

    def _on_request(self, request: Request) -> None:
        if self.kind(request) == "other":
            self.in_flight.add(request)

    def _on_response(self, response: Response) -> None:
        self.in_flight.discard(response.request)
        kind = self.kind(response.request)
        if kind is not None:
            (self.declared if kind == "declared" else self.others).append((response.status, time.monotonic()))

    def _on_failed(self, request: Request) -> None:
        self.in_flight.discard(request)
        if self.kind(request) is not None and request.resource_type in ("fetch", "xhr"):
            self.failed.append(urlsplit(request.url).path)

    def wait(self, timeout_ms: float, what: str) -> int | None:
        """The save's HTTP status; None when no save was seen in time. Raises ``TransientError`` on a
        5xx/429 answer or a failed save request."""
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            status = self._answer()
            if status is not None:
                if status >= 500 or status == 429:
                    raise TransientError(
                        _("the site could not save the change to '{setting}' (HTTP {status})").format(
                            setting=_(what), status=status
                        )
                    )
                return status
            if self.failed:
                raise TransientError(
                    _("the change to '{setting}' did not reach the site (network error)").format(
                        setting=_(what)
                    )
                )
            if time.monotonic() >= deadline:
                log.warning("no save request was seen after the click on '%s'", what)
                return None
            self.page.wait_for_timeout(50)

    def _answer(self) -> int | None:
        if self.declared:
            return self.declared[0][0]
        if not self.others:
            return None
        now = time.monotonic()
        if self.site.save is not None:
            # A declared save that never shows: the first other answer, after a grace period.
            status, seen = self.others[0]
            return status if (now - seen) * 1000 >= FALLBACK_GRACE_MS else None
        if self.in_flight or (now - self.others[-1][1]) * 1000 < QUIET_MS:
            return None
        # Any failing answer among them may be the save: the run then reports a temporary failure.
        failing = [status for status, _seen in self.others if status >= 500 or status == 429]
        return failing[0] if failing else self.others[-1][0]
