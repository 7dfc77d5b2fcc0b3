"""A fake of a site, served from plain files in ``fixtures/<site>/`` (the fixtures are the site).

Use it in a Playwright context at the real URL (``attach_routes``) or over real HTTP on a local
port (``serve``). Tests read what the browser did from ``FakeSite.requests``, ``saves`` and
``login_attempts``. The fixture format is described in fixtures/README.md. A fixture or scenario that
does not make a site raises ``FixtureError``. Fault injection lives with the tests (tests/fault_site.py).
"""

from optout_bot.testing.errors import FixtureError
from optout_bot.testing.model import (
    FakeRequest,
    Intercept,
    RecordedRequest,
    Response,
    ResponseHook,
    Save,
    Scenario,
    Submission,
)
from optout_bot.testing.routing import attach_routes
from optout_bot.testing.server import serve
from optout_bot.testing.site import FakeSite

__all__ = [
    "FakeRequest",
    "FakeSite",
    "FixtureError",
    "Intercept",
    "RecordedRequest",
    "Response",
    "ResponseHook",
    "Save",
    "Scenario",
    "Submission",
    "attach_routes",
    "serve",
]
