"""FlowContract: what every flow must do against its fake site. Each flow's test subclasses it.

A subclass names the flow, the switch key the fake site stores, and the site. The tests drive the
real engine on a real browser against the fake site and assert on what the *site* saw (saves,
sign-ins) as well as on the outcome, so a flow cannot pass by reporting without acting.
"""

from __future__ import annotations

from typing import Any, ClassVar

from optout_bot.engine.options import RunOptions
from optout_bot.model.outcomes import ExitStatus, Result
from tests.fake import Creds, MemoryStore, fake, run

FAST = {"switch_timeout_ms": 4_000, "timeout_ms": 10_000}


class FlowContract:
    """Mixin: set ``flow``, ``key`` (the fake's switch key) and optionally ``site``/``scenario``."""

    flow: ClassVar[str]
    key: ClassVar[str]
    site: ClassVar[str] = "linkedin"
    scenario: ClassVar[dict[str, Any]] = {}

    def _site(self, on: bool, **extra: Any) -> Any:
        return fake(site=self.site, settings={self.key: on}, **{**self.scenario, **extra})

    def _run(self, session: Any, site: Any, **options: Any) -> Any:
        kwargs = {k: options.pop(k) for k in ("store", "creds", "allow_password") if k in options}
        return run(session, site, RunOptions(**{**FAST, **options}), flows=[self.flow], **kwargs)

    def test_switches_on_to_off_and_verifies_after_reload(self, session: Any) -> None:
        site = self._site(on=True)
        report = self._run(session, site)
        (outcome,) = report.outcomes
        assert outcome.result is Result.CHANGED
        assert (outcome.before, outcome.after, outcome.verified) == (True, False, True)
        assert [s.enabled for s in site.saves] == [False]
        assert site.state(self.key) is False
        assert report.exit_status is ExitStatus.OK

    def test_leaves_an_already_off_switch_untouched(self, session: Any) -> None:
        site = self._site(on=False)
        (outcome,) = self._run(session, site).outcomes
        assert outcome.result is Result.ALREADY_OFF
        assert site.saves == []
        assert site.state(self.key) is False

    def test_dry_run_never_sends_a_save(self, session: Any) -> None:
        site = self._site(on=True)
        (outcome,) = self._run(session, site, dry_run=True).outcomes
        assert outcome.result is Result.WOULD_CHANGE
        assert site.saves == []
        assert site.state(self.key) is True

    def test_check_reports_drift_without_changing(self, session: Any) -> None:
        site = self._site(on=True)
        report = self._run(session, site, mode="check")
        assert report.outcomes[0].result is Result.DRIFT
        assert report.exit_status is ExitStatus.DRIFT
        assert site.saves == []

    def test_check_fix_switches_it_off_again(self, session: Any) -> None:
        site = self._site(on=True)
        report = self._run(session, site, mode="check", fix=True)
        assert report.outcomes[0].result is Result.CHANGED
        assert site.state(self.key) is False

    def test_signs_in_once_when_the_session_is_missing(self, session: Any) -> None:
        site = self._site(on=True)
        store = MemoryStore()
        report = self._run(session, site, store=store, creds=Creds())
        assert report.outcomes[0].result is Result.CHANGED
        assert site.login_attempts == 1
        assert store.saves == 1
        assert store.state is not None

    def test_sign_in_wall_without_password_needs_a_human(self, session: Any) -> None:
        site = self._site(on=True)
        report = self._run(session, site, store=MemoryStore(), creds=None)
        assert report.outcomes[0].error == "LoginRequired"
        assert report.exit_status is ExitStatus.NEEDS_HUMAN
        assert site.login_attempts == 0
        assert site.saves == []

    def test_wrong_password_is_tried_once_and_reported(self, session: Any) -> None:
        site = self._site(on=True)
        creds = Creds(password=__import__("pydantic").SecretStr("not-the-password"))
        report = self._run(session, site, store=MemoryStore(), creds=creds)
        assert report.exit_status is ExitStatus.LOGIN_FAILED
        assert site.login_attempts == 1
        assert "not-the-password" not in repr(report)
