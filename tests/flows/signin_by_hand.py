"""The flow contract for sites where optout-bot never types a password (X, ChatGPT).

On those sites (``password_sign_in = false``) a person signs in once with ``login --interactive``.
The two password tests of ``FlowContract`` do not apply; in their place: a stored password is never
typed, and an expired session is reported as needing a person, with no sign-in attempt.
"""

from __future__ import annotations

from typing import Any

from optout_bot.model.outcomes import ExitStatus
from tests.contract import FlowContract
from tests.fake import Creds, MemoryStore, signed_in_store


class HandSignInContract(FlowContract):
    """``FlowContract`` for a site that is signed in to by hand only."""

    # Not applicable: these sites never get a password typed by the tool.
    test_signs_in_once_when_the_session_is_missing = None  # type: ignore[assignment]
    test_wrong_password_is_tried_once_and_reported = None  # type: ignore[assignment]

    def test_never_types_a_stored_password(self, session: Any) -> None:
        site = self._site(on=True)
        report = self._run(session, site, store=MemoryStore(), creds=Creds())
        (outcome,) = report.outcomes
        assert outcome.error == "LoginRequired"
        assert outcome.remedy is not None
        assert "login --interactive" in outcome.remedy
        assert report.exit_status is ExitStatus.NEEDS_HUMAN
        assert site.login_attempts == 0
        assert site.saves == []

    def test_an_expired_session_needs_a_person(self, session: Any) -> None:
        site = self._site(on=True)
        store = signed_in_store(site)
        site.expire_sessions()
        report = self._run(session, site, store=store, creds=Creds())
        assert report.outcomes[0].error == "LoginRequired"
        assert report.exit_status is ExitStatus.NEEDS_HUMAN
        assert site.login_attempts == 0
        assert site.saves == []
        assert site.state(self.key) is True
