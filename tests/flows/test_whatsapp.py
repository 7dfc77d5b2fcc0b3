"""WhatsApp's AI objection form against its fake: no sign-in; the account is the configured phone number."""

from __future__ import annotations

from typing import Any

import pytest

from optout_bot.engine.context import Contact
from optout_bot.model.loader import load_catalog
from optout_bot.model.outcomes import ExitStatus, Result
from tests.fake import Creds
from tests.form_contract import CONTACT_EMAIL, PHONE, FormContract


class TestWhatsAppObjection(FormContract):
    flow = "whatsapp.whatsapp-ai-objection"
    site = "whatsapp"
    form_path = "/contact/forms/382532939919295/"
    reason_field = "message"
    signs_in = False

    def test_sends_the_configured_phone_and_address_without_any_session(self, session: Any) -> None:
        site = self._fake()
        report = self._run(session, site, creds=Creds())
        assert report.outcomes[0].result is Result.SENT
        (sent,) = site.submissions
        assert sent.email is None  # nobody is signed in on whatsapp.com
        assert (sent.fields["phone_number"], sent.fields["email"]) == (PHONE, CONTACT_EMAIL)
        assert site.login_attempts == 0

    def test_the_contact_forms_thanks_is_a_confirmation_too(self, session: Any) -> None:
        site = self._fake("thanks-wording")
        assert self._run(session, site).outcomes[0].result is Result.SENT

    def test_a_captcha_needs_a_person_and_nothing_is_typed_or_sent(self, session: Any) -> None:
        site = self._fake("captcha")
        steps: list[str] = []
        report = self._run(session, site, steps=steps)
        (outcome,) = report.outcomes
        assert outcome.error == "NeedsHuman"
        assert "CAPTCHA" in outcome.message
        assert report.exit_status is ExitStatus.NEEDS_HUMAN
        assert "form-filled" not in steps
        assert site.submissions == []

    def test_no_configured_phone_stops_before_the_form_is_opened(self, session: Any) -> None:
        site = self._fake()
        report = self._run(session, site, contact=Contact(email=CONTACT_EMAIL))
        (outcome,) = report.outcomes
        assert outcome.error == "UsageError"
        assert "phone" in outcome.remedy
        assert "[accounts.test]" in outcome.remedy
        assert report.exit_status is ExitStatus.USAGE
        assert site.requests == []

    def test_no_configured_address_is_a_usage_error_and_nothing_is_sent(self, session: Any) -> None:
        site = self._fake()
        report = self._run(session, site, contact=Contact(phone=PHONE))
        assert report.outcomes[0].error == "UsageError"
        assert report.exit_status is ExitStatus.USAGE
        assert site.submissions == []


def test_the_site_has_no_sign_in_and_masks_what_is_typed() -> None:
    site = load_catalog().site("whatsapp")
    assert site.login is None
    assert not site.has_accounts
    assert {"input[type='tel']", "input[type='email']"} <= set(site.private_css)


@pytest.mark.parametrize("phone", ["+49 151 1234-5678", "+1 (555) 010-0199"])
def test_the_config_takes_a_phone_number_as_people_write_it(phone: str) -> None:
    from optout_bot.store.config import AccountConfig

    assert AccountConfig(phone=phone).phone == "".join(c for c in phone if c == "+" or c.isdigit())


@pytest.mark.parametrize("phone", ["015112345678", "+0123456", "+49 abc", "+1234"])
def test_the_config_refuses_a_number_without_country_code(phone: str) -> None:
    from pydantic import ValidationError

    from optout_bot.store.config import AccountConfig

    with pytest.raises(ValidationError, match="country code"):
        AccountConfig(phone=phone)
