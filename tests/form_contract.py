"""FormContract: what every objection-form flow must do against its fake site (the switches' is tests/contract.py).

A form has no switch to read back, so the contract is about sending: sent exactly once and reported
SENT only with the site's confirmation; a dry run fills and sends nothing; status and check never
send; a sending without a confirmation is reported and never repeated; history memory stops a second
sending before the form is even opened; and the site's barriers stop a run before anything is sent.
Assertions are on what the *fake site* received, not only on the outcome.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from optout_bot.engine.context import Contact
from optout_bot.engine.flow import run_account
from optout_bot.engine.job import AccountJob, RunReport
from optout_bot.engine.options import RunOptions
from optout_bot.engine.recorder import NullRecorder
from optout_bot.engine.signin import SignInPolicy
from optout_bot.model.loader import load_catalog
from optout_bot.model.outcomes import ExitStatus, Result
from optout_bot.testing import FakeRequest, FakeSite, Response, attach_routes
from tests.contract import FAST
from tests.fake import EMAIL, Creds, MemoryStore, fake, signed_in_store

PHONE = "+4915112345678"
CONTACT_EMAIL = "contact@example.org"
NO_CONFIRMATION: dict[str, Any] = {"timeout_ms": 4_000}
"""RunOptions for a sending the fake never confirms: the run waits ``timeout_ms`` for the confirmation
(FAST's 10 s), and the fake's pages load in under 2 s even on a loaded machine (tests/fault_matrix.py)."""


class FormContract:
    """Mixin: set ``flow``, ``site``, ``form_path`` and ``reason_field`` (the free-text field's name)."""

    flow: ClassVar[str]
    site: ClassVar[str]
    form_path: ClassVar[str]
    reason_field: ClassVar[str]
    signs_in: ClassVar[bool] = True
    """False for a site without accounts (WhatsApp): no session, nothing to sign in to."""
    contact: ClassVar[Contact] = Contact(email=CONTACT_EMAIL, phone=PHONE)

    def _run(
        self,
        session: Any,
        site: FakeSite,
        remembered: Any = None,
        store: MemoryStore | None = None,
        creds: Creds | None = None,
        contact: Contact | None = None,
        steps: list[str] | None = None,
        ask_pin: Any = None,
        **options: Any,
    ) -> RunReport:
        catalog = load_catalog()
        if store is None and self.signs_in:
            store = signed_in_store(site)
        job = AccountJob(
            account="test",
            site=catalog.site(self.site),
            flows=[catalog.flow(self.flow)],
            signin=SignInPolicy(creds, True, ask_pin),
            store=store,
            remembered=remembered or (lambda flow: None),
            contact=contact or self.contact,
        )
        recorder = NullRecorder()
        report = run_account(
            session, job, RunOptions(**{**FAST, **options}), recorder, lambda c: attach_routes(c, site)
        )
        if steps is not None:
            steps.extend(s.name for s in recorder.steps)
        return report

    def _fake(self, variant: str | None = None) -> FakeSite:
        return fake(site=self.site, variant=variant)

    def test_fills_sends_once_and_sees_the_confirmation(self, session: Any) -> None:
        site = self._fake()
        steps: list[str] = []
        report = self._run(session, site, steps=steps)
        (outcome,) = report.outcomes
        assert (outcome.result, outcome.verified, outcome.submitted) == (Result.SENT, True, True)
        assert report.exit_status is ExitStatus.OK
        (sent,) = site.submissions
        assert "Art. 21" in sent.fields[self.reason_field]
        assert steps[-2:] == ["form-filled", "confirmation"]
        assert site.login_attempts == 0

    def test_dry_run_fills_the_form_but_sends_nothing(self, session: Any) -> None:
        site = self._fake()
        steps: list[str] = []
        report = self._run(session, site, dry_run=True, steps=steps)
        assert report.outcomes[0].result is Result.WOULD_SEND
        assert report.exit_status is ExitStatus.OK
        assert steps[-1] == "form-filled"
        assert site.submissions == []
        assert [r for r in site.requests if r.method == "POST"] == []

    def test_status_and_check_never_send(self, session: Any) -> None:
        site = self._fake()
        status = self._run(session, site, mode="status")
        check = self._run(session, site, mode="check")
        assert (status.outcomes[0].result, status.exit_status) == (Result.NOT_SENT, ExitStatus.OK)
        assert (check.outcomes[0].result, check.exit_status) == (Result.NOT_SENT, ExitStatus.DRIFT)
        assert site.submissions == []

    def test_check_fix_sends_it(self, session: Any) -> None:
        site = self._fake()
        report = self._run(session, site, mode="check", fix=True)
        assert report.outcomes[0].result is Result.SENT
        assert len(site.submissions) == 1

    @pytest.mark.parametrize("memory", [Result.SENT, Result.ALREADY_SENT])
    def test_a_remembered_sending_is_not_repeated_nor_opened(self, session: Any, memory: Result) -> None:
        site = self._fake()
        asked: list[str] = []

        def remembered(flow: str) -> Result:
            asked.append(flow)
            return memory

        report = self._run(session, site, remembered=remembered)
        assert report.outcomes[0].result is Result.ALREADY_SENT
        assert report.exit_status is ExitStatus.OK
        assert asked == [self.flow]
        assert site.submissions == []
        assert self.form_path not in [r.path for r in site.requests]

    def test_no_confirmation_is_reported_and_not_repeated(self, session: Any) -> None:
        site = self._fake("no-confirmation")
        first = self._run(session, site, **NO_CONFIRMATION)
        (outcome,) = first.outcomes
        assert (outcome.result, outcome.submitted) == (Result.UNCONFIRMED, True)
        assert outcome.error == "SiteChanged"
        assert first.exit_status is ExitStatus.SITE_CHANGED
        assert "--resend" in outcome.remedy
        again = self._run(session, self._fake(), remembered=lambda flow: Result.UNCONFIRMED)
        assert again.outcomes[0].result is Result.UNCONFIRMED
        assert again.exit_status is ExitStatus.NEEDS_HUMAN
        assert len(site.submissions) == 1

    def test_resend_sends_an_unconfirmed_objection_again(self, session: Any) -> None:
        site = self._fake()
        report = self._run(session, site, remembered=lambda flow: Result.UNCONFIRMED, ignore_memory=True)
        assert report.outcomes[0].result is Result.SENT
        assert len(site.submissions) == 1


class SignedInFormContract(FormContract):
    """FormContract for a form behind a sign-in (Facebook, Instagram): the site knows the account."""

    email_field: ClassVar[str] = "email"
    checkpoint_path: ClassVar[str]

    def test_the_pre_filled_address_goes_out_unchanged(self, session: Any) -> None:
        site = self._fake()
        self._run(session, site)
        (sent,) = site.submissions
        assert sent.email == EMAIL
        assert sent.fields[self.email_field] == EMAIL  # not the config's CONTACT_EMAIL: the site knows best

    def test_a_form_the_site_says_was_received_is_not_sent_again(self, session: Any) -> None:
        site = self._fake()
        self._run(session, site)
        steps: list[str] = []
        report = self._run(session, site, steps=steps)  # no memory: the site's own notice decides
        (outcome,) = report.outcomes
        assert (outcome.result, outcome.verified) == (Result.ALREADY_SENT, True)
        assert steps == ["already-sent"]
        assert len(site.submissions) == 1

    def test_a_checkpoint_needs_a_person(self, session: Any) -> None:
        site = self._fake()
        form_path = self.form_path

        def checkpoint(request: FakeRequest) -> Response | None:
            return Response.redirect(self.checkpoint_path) if request.path == form_path else None

        site.intercepts.append(checkpoint)
        report = self._run(session, site)
        assert report.outcomes[0].error == "NeedsHuman"
        assert report.exit_status is ExitStatus.NEEDS_HUMAN
        assert site.submissions == []
