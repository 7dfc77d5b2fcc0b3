"""A fake site that injects faults (``tests/fault_kinds.py``), countably: the fault matrix's site.

``FaultySite`` is a ``FakeSite`` with a ``FaultPlan`` in front: the plan's ``before`` is its first
intercept (an answer that replaces the site's) and its ``after`` its first response hook, so hooks a
test appends still apply after the faults. The plan counts every match in ``seen``/``fired``.

A ``NetworkFailure`` needs the browser's side of the wire: inside Playwright, ``attach`` adds a route
that aborts the request (``route.abort("timedout")``); over real HTTP the answer is held back for
``hang_ms`` instead. Requests aborted this way are recorded in ``FakeSite.requests`` with status 0.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from optout_bot.testing import (
    FakeRequest,
    FakeSite,
    FixtureError,
    RecordedRequest,
    Response,
    Scenario,
    attach_routes,
)
from tests.fault_kinds import (
    Checkpoint,
    Fault,
    HttpError,
    NetworkFailure,
    Overlay,
    SaveFails,
    SaveNotPersisted,
    SessionExpires,
    Slow,
    SwitchVanishes,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Route

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

    def __init__(self, faults: Sequence[Fault], site: FakeSite) -> None:
        self.faults = list(faults)
        self.site = site
        kinds = site.manifest.challenges.kinds
        for fault in self.faults:
            if isinstance(fault, Checkpoint) and fault.challenge not in kinds:
                raise FixtureError(f"checkpoint fault: site.toml has no challenges.kinds.{fault.challenge}")
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
        """The intercept: an answer that replaces the site's, or None."""
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


class FaultySite(FakeSite):
    """A fake site whose ``faults`` fire before anything else answers (``fault_plan`` counts them)."""

    def __init__(self, scenario: Scenario | None = None, faults: Sequence[Fault] = ()) -> None:
        super().__init__(scenario)
        self.fault_plan = FaultPlan(faults, self)
        # The faults come first; hooks a test appends apply after them.
        self.intercepts.insert(0, self.fault_plan.before)
        self.response_hooks.insert(0, self.fault_plan.after)


def faulty_site(faults: Sequence[Fault] = (), **scenario: Any) -> FaultySite:
    """A ``FaultySite`` with the given scenario fields (a fault matrix row's ``scenario`` may hold
    ``faults`` beside them)."""
    return FaultySite(Scenario(**scenario), faults)


def attach(context: BrowserContext, site: FaultySite) -> None:
    """``attach_routes`` plus a route in front that aborts the requests a ``NetworkFailure`` hits."""
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
