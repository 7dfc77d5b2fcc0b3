"""Instagram's AI objection form (help.instagram.com) against its fake: the form contract, plus the address cases."""

from __future__ import annotations

from typing import Any

from optout_bot.engine.context import Contact
from optout_bot.model.flowspec import SiteSpec
from optout_bot.model.loader import load_catalog
from optout_bot.model.outcomes import ExitStatus, Result
from tests.fake import EMAIL, Creds
from tests.form_contract import CONTACT_EMAIL, SignedInFormContract


class TestInstagramObjection(SignedInFormContract):
    flow = "instagram.instagram-ai-objection"
    site = "instagram"
    form_path = "/contact/767264225370182"
    reason_field = "reason"
    checkpoint_path = "/challenge/"

    def test_an_empty_address_box_gets_the_configured_address(self, session: Any) -> None:
        site = self._fake("empty-email")
        report = self._run(session, site)
        assert report.outcomes[0].result is Result.SENT
        (sent,) = site.submissions
        assert sent.email == EMAIL  # the signed-in account sent it…
        assert sent.fields["contact_email"] == CONTACT_EMAIL  # …with the address from the config

    def test_an_empty_address_box_and_no_configured_address_gets_the_sign_in_address(
        self, session: Any
    ) -> None:
        # The engine gives the form its contact (flow.py), never the credentials: the address the
        # account signs in with is its e-mail when the config names none.
        site = self._fake("empty-email")
        report = self._run(session, site, contact=Contact(), creds=Creds())
        assert report.outcomes[0].result is Result.SENT
        (sent,) = site.submissions
        assert sent.fields["contact_email"] == EMAIL

    def test_an_empty_address_box_and_no_configured_address_is_a_usage_error(self, session: Any) -> None:
        site = self._fake("empty-email")
        report = self._run(session, site, contact=Contact(), creds=None)
        (outcome,) = report.outcomes
        assert outcome.error == "UsageError"
        assert "email" in outcome.remedy
        assert "[accounts.test]" in outcome.remedy
        assert report.exit_status is ExitStatus.USAGE
        assert site.submissions == []


def test_sign_in_starts_on_instagram_and_the_form_lives_on_the_help_centre() -> None:
    site: SiteSpec = load_catalog().site("instagram")
    assert site.base_url == "https://help.instagram.com"
    assert site.login is not None
    assert site.login.url == "https://www.instagram.com/accounts/login/"
    assert not site.password_sign_in
