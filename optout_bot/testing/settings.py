"""The fake site's switches: their state per account, and the settings API that changes them.

Apart from ``site.py`` because this is the state the tests assert on (what the site now holds, every
save it was asked for), next to the one request that changes it.
"""

from __future__ import annotations

import json

from optout_bot.testing.model import FakeRequest, Response, Save, Scenario
from optout_bot.testing.sessions import Sessions


class Settings:
    """Switch states and the settings API of one ``FakeSite``. No lock of its own: the site holds one."""

    def __init__(self, scenario: Scenario, sessions: Sessions) -> None:
        self.scenario = scenario
        self.sessions = sessions
        self.saves: list[Save] = []
        """Every call to the settings API, accepted or not, in order."""
        self._states: dict[str, dict[str, bool]] = {}

    def state(self, email: str, key: str) -> bool:
        """Is switch ``key`` ON for ``email``? Unchanged switches are as the scenario starts them."""
        return self._states.get(email, {}).get(
            key, self.scenario.settings.get(key, self.scenario.default_state)
        )

    def set(self, email: str, key: str, value: bool) -> None:
        """Switch ``key`` of ``email`` to ``value``."""
        self._states.setdefault(email, {})[key] = value

    def save(self, req: FakeRequest) -> Response:
        """The settings API: ``{key, enabled}`` from a signed-in page with the CSRF token, else refused."""
        email = self.sessions.email(req)
        if email is None or not self.sessions.csrf_ok(req):
            self.saves.append(Save(None, None, email, accepted=False, status=401))
            return Response.json({"status": 401, "message": "not signed in or CSRF check failed"}, 401)
        try:
            data = json.loads(req.body or b"")
            key, enabled = data["key"], data["enabled"]
            if not isinstance(key, str) or not isinstance(enabled, bool):
                raise TypeError(key)
        except (ValueError, KeyError, TypeError):
            self.saves.append(Save(None, None, email, accepted=False, status=400))
            return Response.json({"status": 400, "message": "expected {key, enabled}"}, 400)
        self.set(email, key, enabled)
        self.saves.append(Save(key, enabled, email, accepted=True, status=200))
        response = Response.json({"key": key, "enabled": enabled})
        response.delay_ms = self.scenario.save_delay_ms
        return response
