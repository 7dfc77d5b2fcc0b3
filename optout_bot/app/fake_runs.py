"""Runs on a fake site (``demo``, ``replay``): a throwaway account, a session kept in memory only,
nothing recorded in the history, alerted or pinged."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from optout_bot.app.request import RunDeps, RunRequest
    from optout_bot.testing import FakeSite

#: How long a fake site's switch is waited for: the fake answers at once, a broken page fails fast.
SWITCH_TIMEOUT_MS = 5_000


class MemoryStore:
    """A saved session that lives only as long as the run (nothing written to disk)."""

    def __init__(self) -> None:
        self.state: dict[str, Any] | None = None

    def load(self) -> dict[str, Any] | None:
        return self.state

    def save(self, storage_state: dict[str, Any]) -> None:
        self.state = storage_state


def on_fake_site(
    request: RunRequest, deps: RunDeps, site: FakeSite, account: str, url: str | None, signed_in: bool
) -> tuple[RunRequest, RunDeps]:
    """``request`` aimed at ``site`` (served at ``url``, or routed when ``None``) as its first account,
    with that account's password in memory and, when ``signed_in``, a session already open."""
    from pydantic import SecretStr

    from optout_bot.store.credentials import Credentials, CredentialSource

    email, password = next(iter(site.scenario.accounts.items()))
    store = MemoryStore()
    if signed_in:
        store.save({"cookies": site.session_cookies(email, url=url), "origins": []})
    request = replace(
        request,
        account=account,
        options=replace(request.options, site_url=url, switch_timeout_ms=SWITCH_TIMEOUT_MS),
        allow_password=True,
        record_history=False,
        fake_site=True,
    )
    credentials = Credentials(email, SecretStr(password), CredentialSource.PROMPT)
    return request, replace(deps, credentials=credentials, store=store)
