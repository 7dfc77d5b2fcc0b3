"""Running the engine against the fake site in-process, on pytest-playwright's shared browser."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from pydantic import SecretStr

from optout_bot.engine.browser import BrowserChoice, BrowserSession, find_browser
from optout_bot.engine.flow import run_account
from optout_bot.engine.job import AccountJob, RunReport
from optout_bot.engine.options import RunOptions
from optout_bot.engine.recorder import NullRecorder
from optout_bot.engine.signin import SignInPolicy
from optout_bot.model.loader import load_catalog
from optout_bot.store import history
from optout_bot.testing import FakeSite, Scenario, attach_routes

EMAIL = "demo@example.com"
PASSWORD = "demo-password-123"


@dataclass(frozen=True)
class Creds:
    """Test credentials matching the fake site's default account."""

    email: str = EMAIL
    password: SecretStr = field(default_factory=lambda: SecretStr(PASSWORD))


class MemoryStore:
    """A session store that keeps the storage state in memory."""

    def __init__(self, state: dict[str, Any] | None = None) -> None:
        self.state = state
        self.saves = 0
        self.deletes = 0

    def load(self) -> dict[str, Any] | None:
        return self.state

    def save(self, storage_state: dict[str, Any]) -> None:
        self.state = storage_state
        self.saves += 1

    def delete(self) -> bool:
        had, self.state = self.state is not None, None
        self.deletes += 1
        return had


def signed_in_store(site: FakeSite) -> MemoryStore:
    """A store holding a valid session of the fake site's default account."""
    return MemoryStore({"cookies": site.session_cookies(EMAIL), "origins": []})


def session_for(playwright: Any, browser: Any) -> BrowserSession:
    """Wrap pytest-playwright's browser as optout-bot's BrowserSession."""
    return BrowserSession(playwright, browser, BrowserChoice(find_browser(local_copy=True).path, "test"))


def run(
    session: BrowserSession,
    site: FakeSite,
    options: RunOptions | None = None,
    *,
    flows: list[str] | None = None,
    store: MemoryStore | None = None,
    creds: Creds | None = None,
    allow_password: bool = True,
    ask_pin: Any = None,
    recorder: Any = None,
    routed: bool = True,
) -> RunReport:
    """Run flows (default: the AI flow) for one account against ``site``; ``routed=False``: the
    caller serves it over HTTP and passes ``site_url`` in the options (real redirects, real hosts)."""
    catalog = load_catalog()
    names = flows or ["linkedin.data-for-ai-improvement"]
    job = AccountJob(
        account="test",
        site=catalog.site(site.scenario.site),
        flows=[catalog.flow(n) for n in names],
        signin=SignInPolicy(creds, allow_password, ask_pin),
        remembered=partial(history.remembered_sending, "test"),
        store=store if store is not None else signed_in_store(site),
    )
    options = options or RunOptions(switch_timeout_ms=4_000, timeout_ms=10_000)
    prepare = (lambda c: attach_routes(c, site)) if routed else None
    return run_account(session, job, options, recorder or NullRecorder(), prepare)


def fake(**scenario: Any) -> FakeSite:
    """A fake site with the given scenario fields."""
    return FakeSite(Scenario(**scenario))
