"""SignInContract: what signing in with the stored password must do on every layout of a site.

Every site that signs in with a stored password (``password_sign_in = true``) has one subclass per
sign-in layout its fake serves (classic, form-less, the React page of 2026, …). The tests assert on
what the *site* received (credential posts, prompt answers, requests per host, saves), so a sign-in
cannot pass by reporting without doing, nor by doing more than it may.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

import pytest
from pydantic import SecretStr

from optout_bot.engine.identity import USER_AGENT_KEY
from optout_bot.engine.options import RunOptions
from optout_bot.engine.recorder import ScreenshotRecorder
from optout_bot.model.loader import load_catalog
from optout_bot.model.outcomes import ExitStatus, Result
from optout_bot.testing import FakeSite, serve
from tests.fake import EMAIL, PASSWORD, Creds, MemoryStore, fake, run

FAST = RunOptions(switch_timeout_ms=4_000, timeout_ms=8_000)


def _nothing_retried(caplog: pytest.LogCaptureFixture) -> None:
    """A loop's error page was let commit before the page was loaded again without the stale session:
    that load was not interrupted by it, retried after a wait, and the person told the site was down."""
    assert [r.getMessage() for r in caplog.records if r.name == "optout_bot.engine.retry"] == []


class SignInContract:
    """Mixin: set ``flow``, ``key`` (the fake's switch key), ``site`` and the ``scenario`` of a layout."""

    flow: ClassVar[str]
    key: ClassVar[str]
    site: ClassVar[str] = "linkedin"
    scenario: ClassVar[dict[str, Any]] = {}
    sso_paths: ClassVar[tuple[str, ...]] = ("/fake-sso/",)
    """Where the page's single sign-on buttons lead: never followed."""

    def _site(self, **extra: Any) -> FakeSite:
        return fake(site=self.site, settings={self.key: True}, **{**self.scenario, **extra})

    def _run(self, session: Any, site: FakeSite, **kwargs: Any) -> Any:
        kwargs.setdefault("store", MemoryStore())
        kwargs.setdefault("creds", Creds())
        return run(session, site, FAST, flows=[self.flow], **kwargs)

    def _posts(self, site: FakeSite) -> int:
        submit = set(site.manifest.auth.login_submit)
        return sum(1 for r in site.requests if r.method == "POST" and r.path in submit)

    def test_signs_in_and_the_opt_out_finishes(self, session: Any) -> None:
        site = self._site()
        store = MemoryStore()
        report = self._run(session, site, store=store)
        (outcome,) = report.outcomes
        assert outcome.result is Result.CHANGED, outcome.message
        assert site.state(self.key) is False
        assert site.login_attempts == 1
        assert self._posts(site) == 1
        assert not [r for r in site.requests if r.path.startswith(self.sso_paths)]
        assert store.saves == 1
        assert store.state is not None
        assert site.manifest.auth.session_cookie in {c["name"] for c in store.state["cookies"]}
        # One browser identity: the session is kept with the user agent it was made with.
        agent = store.state[USER_AGENT_KEY]
        assert "HeadlessChrome" not in agent
        assert f"Chrome/{session.browser.version.split('.')[0]}." in agent
        agents = {r.headers.get("user-agent") for r in site.requests}
        assert agents == {agent}

    def test_no_stored_password_needs_a_person_and_nothing_is_typed(self, session: Any) -> None:
        site = self._site()
        report = self._run(session, site, creds=None)
        (outcome,) = report.outcomes
        assert outcome.error == "LoginRequired", outcome.message
        assert outcome.message.endswith("asks to sign in and no password is stored")
        assert report.exit_status is ExitStatus.NEEDS_HUMAN
        assert site.login_attempts == 0
        assert [r.path for r in site.requests if r.method not in ("GET", "HEAD")] == []  # no save, no form
        assert site.state(self.key) is True

    def test_wrong_password_exits_5_after_exactly_one_submission(self, session: Any) -> None:
        site = self._site()
        creds = Creds(password=SecretStr("not-the-password"))
        report = self._run(session, site, creds=creds)
        assert report.exit_status is ExitStatus.LOGIN_FAILED, report.outcomes[0].message
        assert site.login_attempts == 1
        assert self._posts(site) == 1
        assert site.saves == []
        assert "not-the-password" not in repr(report)

    @pytest.mark.parametrize("prompt", ["remember-me", "add-phone", "manage-account"])
    def test_a_question_after_the_password_is_declined_never_accepted(
        self, session: Any, prompt: str
    ) -> None:
        site = self._site(prompt=prompt)
        report = self._run(session, site)
        assert report.outcomes[0].result is Result.CHANGED, report.outcomes[0].message
        assert site.prompt_answers == [(prompt, "declined")]
        assert site.login_attempts == 1

    def test_a_question_without_a_safe_answer_stops_for_a_person(self, session: Any, tmp_path: Path) -> None:
        site = self._site(prompt="add-phone-required")
        recorder = ScreenshotRecorder(tmp_path / "run", [])
        report = self._run(session, site, recorder=recorder)
        (outcome,) = report.outcomes
        assert report.exit_status is ExitStatus.NEEDS_HUMAN, outcome.message
        assert "phone" in outcome.message
        assert site.prompt_answers == []
        assert site.saves == []
        assert any(e.endswith(".png") for e in outcome.evidence)  # the person sees what stopped it

    def test_a_redirect_loop_drops_the_session_and_signs_in_afresh_once(
        self, session: Any, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.INFO, logger="optout_bot")
        site = self._site()
        with serve(site) as url:
            store = MemoryStore({"cookies": site.session_cookies(EMAIL, url=url), "origins": []})
            site.stale_sessions()
            report = run(
                session,
                site,
                replace(FAST, site_url=url),
                flows=[self.flow],
                store=store,
                creds=Creds(),
                routed=False,
            )
        assert report.outcomes[0].result is Result.CHANGED, report.outcomes[0].message
        assert report.exit_status is ExitStatus.OK  # never TRANSIENT: a loop is no passing fault
        assert site.login_attempts == 1
        assert store.deletes == 1
        assert store.saves == 1
        assert store.state is not None  # the fresh session replaced the stale one
        _nothing_retried(caplog)

    def test_a_redirect_loop_under_routes_is_no_passing_fault_either(self, session: Any) -> None:
        site = self._site()
        store = MemoryStore({"cookies": site.session_cookies(EMAIL), "origins": []})
        site.stale_sessions()  # routed: the chain ends in 508 Loop Detected (fixtures/README.md)
        report = self._run(session, site, store=store, creds=Creds())
        assert report.outcomes[0].result is Result.CHANGED, report.outcomes[0].message
        assert site.login_attempts == 1
        assert store.deletes == 1

    def test_a_redirect_loop_without_a_password_needs_a_person(
        self, session: Any, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.INFO, logger="optout_bot")
        site = self._site()
        with serve(site) as url:
            store = MemoryStore({"cookies": site.session_cookies(EMAIL, url=url), "origins": []})
            site.stale_sessions()
            report = run(
                session,
                site,
                replace(FAST, site_url=url),
                flows=[self.flow],
                store=store,
                creds=Creds(),
                allow_password=False,
                routed=False,
            )
        assert report.exit_status is ExitStatus.NEEDS_HUMAN, report.outcomes[0].message
        assert site.login_attempts == 0
        assert site.state(self.key) is True
        _nothing_retried(caplog)

    def test_a_foreign_sign_in_host_gets_no_password(self, session: Any) -> None:
        site = self._site(login_host="localhost")
        with serve(site) as url:
            report = run(
                session,
                site,
                replace(FAST, site_url=url),
                flows=[self.flow],
                store=MemoryStore(),
                creds=Creds(),
                routed=False,
            )
        (outcome,) = report.outcomes
        foreign = [r for r in site.requests if r.host.startswith("localhost")]
        assert foreign, "the fake never sent the browser to the other host: the test proves nothing"
        assert [r for r in foreign if r.method == "POST"] == []
        assert site.login_attempts == 0
        assert report.exit_status is ExitStatus.NEEDS_HUMAN, outcome.message
        assert "localhost" in outcome.message
        assert "typed nothing" in outcome.message
        assert site.state(self.key) is True
        assert PASSWORD not in repr(report)


def password_sites() -> set[str]:
    """Sites of the catalog where optout-bot may type a stored password."""
    catalog = load_catalog()
    return {s.name for s in catalog.sites.values() if s.login is not None and s.password_sign_in}
