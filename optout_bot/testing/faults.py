"""Injectable faults for the fake site (issue #5): the ways a real site fails, on purpose and countably.

A fault is plain data on ``Scenario.faults``. It matches a request by path glob (``fnmatch``; ``*``
also matches ``/``) and method, lets the first ``after`` matching requests through, then fires
``times`` times (``None``: for good), so a test can make a retry succeed or run out. Some kinds only
ever consider the requests they make sense for: save faults the settings API, page faults (overlay,
vanishing switch) HTML pages answered 200, checkpoints private pages.

``FaultPlan`` is the runtime side: ``FakeSite`` installs its ``before`` as the first fault hook and
its ``after`` as the first response hook, and counts every match in ``seen``/``fired``. A
``NetworkFailure`` needs the browser's side of the wire: inside Playwright, ``attach`` adds a route
that aborts the request (``route.abort("timedout")``); over real HTTP the answer is held back for
``hang_ms`` instead. Requests aborted this way are recorded in ``FakeSite.requests`` with status 0.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from optout_bot.errors import ConfigError

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Route

    from optout_bot.testing.model import FakeRequest, Response
    from optout_bot.testing.site import FakeSite


class _Fault(BaseModel):
    """Which requests a fault applies to, and how often it fires."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = "*"
    """fnmatch pattern of the request path (no query)."""
    method: str | None = None
    """Only requests with this method (e.g. ``GET``); None: any."""
    after: int = Field(default=0, ge=0)
    """Let this many matching requests through first (e.g. 1: "after the first page load")."""
    times: int | None = Field(default=None, ge=1)
    """Then fire this many times; None: on every later match."""


class HttpError(_Fault):
    """Answer with an error status instead of the page: 5xx, 429 (with Retry-After), LinkedIn's 999."""

    kind: Literal["http"] = "http"
    status: int = Field(default=500, ge=400, le=999)
    retry_after: str | None = None
    """Value of a ``Retry-After`` header (seconds or an HTTP date)."""


class NetworkFailure(_Fault):
    """No answer at all: the browser sees ``net::ERR_TIMED_OUT`` (or another network error)."""

    kind: Literal["network"] = "network"
    error: Literal["timedout", "failed", "connectionreset", "connectionrefused"] = "timedout"
    hang_ms: int = Field(default=60_000, ge=0)
    """Over real HTTP (no route to abort): how long the answer is held back."""


class Slow(_Fault):
    """The answer comes, late. Longer than the client's timeout, it is a timeout too."""

    kind: Literal["slow"] = "slow"
    delay_ms: int = Field(ge=0)


class SaveFails(_Fault):
    """The settings API answers an error; the page's script shows a toast and puts the switch back."""

    kind: Literal["save-fails"] = "save-fails"
    status: int = Field(default=500, ge=400, le=599)


class SaveNotPersisted(_Fault):
    """The settings API answers success but keeps nothing: a reload shows the old state."""

    kind: Literal["save-not-persisted"] = "save-not-persisted"


class SessionExpires(_Fault):
    """Every session ends at this request, which is then answered as signed out."""

    kind: Literal["session-expires"] = "session-expires"


class Checkpoint(_Fault):
    """A private page redirects to a security check (the check itself needs a person)."""

    kind: Literal["checkpoint"] = "checkpoint"
    challenge: str = "email-pin"
    """A key of ``challenges.kinds`` in the site manifest."""


class SwitchVanishes(_Fault):
    """Every switch on the page is removed the moment the pointer reaches it (read works, click can't)."""

    kind: Literal["switch-vanishes"] = "switch-vanishes"


class Overlay(_Fault):
    """A consent dialog covers the whole page; nothing under it can be clicked."""

    kind: Literal["overlay"] = "overlay"


Fault = Annotated[
    HttpError
    | NetworkFailure
    | Slow
    | SaveFails
    | SaveNotPersisted
    | SessionExpires
    | Checkpoint
    | SwitchVanishes
    | Overlay,
    Field(discriminator="kind"),
]
"""One fault; ``kind`` says which."""

_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)
_VANISH = (
    "<script data-fake-fault='switch-vanishes'>(function () {"
    "function gone(e) { var sw = e.target.closest && e.target.closest('[role=\"switch\"]');"
    " if (sw) sw.remove(); }"
    "['pointerover', 'pointermove', 'mouseover', 'pointerdown'].forEach(function (t) {"
    " document.addEventListener(t, gone, true); });"
    "})();</script>"
)
_OVERLAY = (
    "<div data-fake-fault='overlay' class='artdeco-modal-overlay' style='position:fixed;inset:0;"
    "z-index:2147483647;background:rgba(0,0,0,.6);display:flex;align-items:center;justify-content:center'>"
    "<div role='dialog' aria-modal='true' aria-labelledby='fake-consent-title' "
    "style='background:#fff;padding:24px;max-width:420px'>"
    "<h2 id='fake-consent-title'>Your privacy choices</h2>"
    "<p>We and our partners use cookies to run this site.</p>"
    "<button type='button'>Accept</button> <button type='button'>Reject</button></div></div>"
)


def _inject(body: bytes, html: str) -> bytes:
    text = body.decode("utf-8", "replace")
    ends = list(_BODY_END.finditer(text))
    if not ends:
        return (text + html).encode("utf-8")
    at = ends[-1].start()
    return (text[:at] + html + text[at:]).encode("utf-8")


class FaultPlan:
    """The faults of one FakeSite, with their counters. Thread-safe (the HTTP server is threaded)."""

    def __init__(self, faults: Sequence[_Fault], site: FakeSite) -> None:
        self.faults = list(faults)
        self.site = site
        kinds = site.manifest.challenges.kinds
        for fault in self.faults:
            if isinstance(fault, Checkpoint) and fault.challenge not in kinds:
                raise ConfigError(f"checkpoint fault: site.toml has no challenges.kinds.{fault.challenge}")
        self.seen = [0] * len(self.faults)
        """Per fault: how many requests matched it."""
        self.fired = [0] * len(self.faults)
        """Per fault: how many times it fired."""
        self.routed = False
        """True once ``attach`` put a route in front: network failures are then aborted there."""
        self._lock = threading.Lock()

    @property
    def total_fired(self) -> int:
        """How many times any fault fired."""
        return sum(self.fired)

    def _take(self, index: int, method: str, path: str) -> bool:
        """Count a request against fault ``index``; True when the fault fires for it."""
        fault = self.faults[index]
        if fault.method is not None and fault.method.upper() != method.upper():
            return False
        if not fnmatchcase(path, fault.path):
            return False
        with self._lock:
            self.seen[index] += 1
            if self.seen[index] <= fault.after:
                return False
            if fault.times is not None and self.fired[index] >= fault.times:
                return False
            self.fired[index] += 1
            return True

    def _is_save(self, req: FakeRequest) -> bool:
        return self.site.manifest.is_save(req.method, req.path)

    def before(self, req: FakeRequest) -> Response | None:
        """The fault hook: an answer that replaces the site's, or None."""
        from optout_bot.testing.model import Response

        for index, fault in enumerate(self.faults):
            if isinstance(fault, NetworkFailure):
                if self.routed or not self._take(index, req.method, req.path):
                    continue
                held = Response.html(f"<h1>fake: no answer ({fault.error})</h1>", 504)
                held.delay_ms = fault.hang_ms
                return held
            if isinstance(fault, HttpError) and self._take(index, req.method, req.path):
                response = Response.html(f"<h1>HTTP {fault.status}</h1>", fault.status)
                if fault.retry_after is not None:
                    response.headers.append(("Retry-After", fault.retry_after))
                return response
            if isinstance(fault, SaveFails | SaveNotPersisted) and self._is_save(req):
                answer = self._save_answer(fault, req) if self._take(index, req.method, req.path) else None
                if answer is not None:
                    return answer
            if isinstance(fault, SessionExpires) and self._take(index, req.method, req.path):
                self.site.expire_sessions()  # then answered like any signed-out request
            if (
                isinstance(fault, Checkpoint)
                and not self.site.manifest.is_public(req.path)
                and self._take(index, req.method, req.path)
            ):
                return Response.redirect(self.site.manifest.challenges.kinds[fault.challenge].path)
        return None

    def _save_answer(self, fault: SaveFails | SaveNotPersisted, req: FakeRequest) -> Response | None:
        from optout_bot.testing.model import Response

        if isinstance(fault, SaveFails):
            return Response.json({"status": fault.status, "message": "fake: the save failed"}, fault.status)
        try:
            data = json.loads(req.body or b"")
            return Response.json({"key": data["key"], "enabled": data["enabled"]})
        except (ValueError, KeyError, TypeError):
            return None  # a malformed save is the site's to refuse

    def after(self, req: FakeRequest, response: Response) -> Response:
        """The response hook: slow answers down, bends HTML pages."""
        for index, fault in enumerate(self.faults):
            if isinstance(fault, Slow) and self._take(index, req.method, req.path):
                response.delay_ms += fault.delay_ms
            elif isinstance(fault, SwitchVanishes | Overlay):
                is_page = response.status == 200 and "html" in (response.header("content-type") or "")
                if is_page and self._take(index, req.method, req.path):
                    response.body = _inject(
                        response.body, _VANISH if isinstance(fault, SwitchVanishes) else _OVERLAY
                    )
        return response

    def abort_reason(self, method: str, url: str) -> str | None:
        """For the route: the network error to abort this request with, or None."""
        path = urlsplit(url).path or "/"
        for index, fault in enumerate(self.faults):
            if isinstance(fault, NetworkFailure) and self._take(index, method, path):
                return fault.error
        return None


def attach(context: BrowserContext, site: FakeSite) -> None:
    """``attach_routes`` plus a route in front that aborts the requests a ``NetworkFailure`` hits."""
    from optout_bot.testing.model import RecordedRequest
    from optout_bot.testing.routing import attach_routes

    attach_routes(context, site)
    plan = site.fault_plan
    plan.routed = True

    def faulty(route: Route) -> None:
        request = route.request
        reason = plan.abort_reason(request.method, request.url)
        if reason is None:
            route.fallback()
            return
        parts = urlsplit(request.url)
        site.requests.append(RecordedRequest(request.method, parts.path or "/", parts.query, {}, None, 0))
        route.abort(reason)

    # Registered last, so Playwright tries it first (newest route wins).
    context.route(f"{site.base_url}/**", faulty)
