"""The fake site (LinkedIn or X) serving one redrawn setting page, and recording everything that could be harm.

Built on ``FakeSite`` through its public hook list (``intercepts``): the redrawn page replaces the
fixture at the setting's URL, its save endpoint (whatever the mutation chose) changes the fake's
state, beacons and consent posts are answered. Every other page (feed, menus, sign-in) is the
bundled fixture in the seed's language. Nothing of this reaches the product.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from urllib.parse import unquote

from optout_bot.testing import FakeRequest, FakeSite, Response, Scenario
from tests.drift.mutate import Mutation
from tests.drift.page import render_page

BEACONS = (
    "/li/track",
    "/sensorCollect",
    "/rest/trackObserveApi/*",
    "/1.1/jot/*",
    "/i/api/1.1/jot/*",
    "/ces/*",
    "/backend-api/lat/*",
)


@dataclass
class Record:
    """What the page saw the tool do."""

    saves: list[tuple[str | None, bool | None]] = field(default_factory=list)
    """Every save attempt (key, value), accepted or not, on any endpoint."""
    consent: list[str] = field(default_factory=list)
    """Cookie-banner choices: "accept" / "reject"."""
    offers_taken: int = 0
    beacons: int = 0
    page_loads: int = 0


class DriftSite:
    """A ``FakeSite`` whose setting page is ``mutation``'s redraw."""

    def __init__(self, mutation: Mutation) -> None:
        self.mutation = mutation
        target = mutation.setting.key
        self.initial = {target: mutation.start_on, **mutation.decoy_states}
        scenario = Scenario.model_validate(
            {
                "site": mutation.setting.site,
                "language": mutation.language,
                "settings": self.initial,
                "save_delay_ms": mutation.save.latency_ms,
            }
        )
        self.fake = FakeSite(scenario)
        self.record = Record()
        self.keys = [c.key for c in (*mutation.before, *mutation.after)] + [target]
        pattern = re.escape(mutation.save.url).replace(re.escape("{key}"), "([^/?]+)")
        self._save_url = re.compile(f"^{pattern}$")
        self.fake.intercepts.append(self._answer)

    def state(self, key: str) -> bool:
        return self.fake.state(key)

    @property
    def all_saves(self) -> list[tuple[str | None, bool | None]]:
        """Saves on the page's own endpoint plus those on the fake's (its JSON endpoint)."""
        return self.record.saves + [(s.key, s.enabled) for s in self.fake.saves]

    def _answer(self, req: FakeRequest) -> Response | None:
        m = self.mutation
        if req.path == m.setting.path and req.method in ("GET", "HEAD"):
            return self._page(req)
        if req.method == "POST" and any(fnmatchcase(req.path, b) for b in BEACONS):
            self.record.beacons += 1
            return Response(204)
        if req.method == "POST" and req.path == "/cookie-consent/":
            self.record.consent.append(req.form().get("choice", "?"))
            return Response(204)
        if req.method == "POST" and req.path == "/premium/trial/start":
            self.record.offers_taken += 1
            return Response(204)
        found = self._save_url.match(req.path)
        if found and req.method in ("PUT", "POST", "PATCH"):
            return self._save(req, unquote(found.group(1)) if found.groups() else None)
        return None

    def _page(self, req: FakeRequest) -> Response | None:
        if self.fake._sessions.email(req) is None:  # noqa: SLF001 - signed out: the fake's sign-in answers
            return None
        self.record.page_loads += 1
        if self.mutation.offered == "redirect":
            return Response.redirect(self.mutation.setting.back, 302)
        decided = req.cookies.get("li_gc")
        if decided == "accept" and "accept" not in self.record.consent:
            self.record.consent.append("accept")
        state = {key: self.fake.state(key) for key in self.keys}
        return Response.html(render_page(self.mutation, state, cookie_decided=decided is not None))

    def _save(self, req: FakeRequest, key: str | None) -> Response:
        sessions = self.fake._sessions  # noqa: SLF001
        value: bool | None = None
        if req.headers.get("content-type", "").startswith("application/json"):
            try:
                data = json.loads(req.body or b"")
                if key is None:  # a settings endpoint: {key, enabled}
                    key = data.get("key") if isinstance(data.get("key"), str) else None
                raw = data.get("enabled" if "enabled" in data else "value")
                value = raw if isinstance(raw, bool) else None
            except (ValueError, AttributeError):
                value = None
        else:
            value = {"true": True, "false": False}.get(req.form().get("value", ""))
        self.record.saves.append((key, value))
        if sessions.email(req) is None or not sessions.csrf_ok(req):
            return Response.json({"status": 401}, 401)
        if key not in self.keys or value is None:
            return Response.json({"status": 400}, 400)
        if self.mutation.save.fails:
            failed = Response.json({"status": 500, "message": "Internal error"}, 500)
            failed.delay_ms = self.mutation.save.latency_ms
            return failed
        self.fake.set_state(key, value)
        response = Response.json({"key": key, "value": value})
        response.delay_ms = self.mutation.save.latency_ms
        return response
