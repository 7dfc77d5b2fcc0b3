"""Meta's AI objection form against the fake Facebook: sent once, proven, remembered, never typed a password."""

from __future__ import annotations

from typing import Any

import pytest

from optout_bot.app.render import outcome_line
from optout_bot.engine.options import RunOptions
from optout_bot.model.loader import load_catalog
from optout_bot.model.outcomes import ExitStatus, Result
from optout_bot.store import history
from tests.contract import FAST
from tests.fake import fake, run
from tests.form_contract import SignedInFormContract

FLOW = "meta.facebook-ai-objection"
FORM_PATH = "/help/contact/712876720715583"


class TestFacebookObjection(SignedInFormContract):
    flow = FLOW
    site = "meta"
    form_path = FORM_PATH
    reason_field = "reason"
    checkpoint_path = "/checkpoint/"

    # The 2024 form e-mailed a code after sending (docs/evidence/meta.md): variant email-code.

    def test_a_person_at_a_terminal_answers_the_emailed_code(self, session: Any) -> None:
        site = self._fake("email-code")
        asked: list[str] = []

        def ask_pin(message: str) -> str:
            asked.append(message)
            return site.scenario.pin

        steps: list[str] = []
        report = self._run(session, site, ask_pin=ask_pin, steps=steps)
        (outcome,) = report.outcomes
        assert (outcome.result, outcome.verified) == (Result.SENT, True)
        assert len(asked) == 1
        assert "Meta e-mailed a code" in asked[0]
        assert len(site.submissions) == 1  # the code answers the sending; nothing is sent twice
        assert steps[-1] == "confirmation"

    def test_an_emailed_code_nobody_can_answer_is_sent_but_unconfirmed(self, session: Any) -> None:
        site = self._fake("email-code")
        report = self._run(session, site)  # no ask_pin: a scheduled run
        (outcome,) = report.outcomes
        assert (outcome.result, outcome.submitted) == (Result.UNCONFIRMED, True)
        assert outcome.error == "NeedsHuman"
        assert "sent but not confirmed" in outcome.message
        assert "--resend" in outcome.remedy
        assert report.exit_status is ExitStatus.NEEDS_HUMAN
        assert len(site.submissions) == 1

    def test_a_wrong_code_is_not_retried(self, session: Any) -> None:
        site = self._fake("email-code")
        asked: list[str] = []

        def ask_pin(message: str) -> str:
            asked.append(message)
            return "000000"

        report = self._run(session, site, ask_pin=ask_pin)
        (outcome,) = report.outcomes
        assert outcome.result is Result.UNCONFIRMED
        assert "not accepted" in outcome.message
        assert report.exit_status is ExitStatus.NEEDS_HUMAN
        assert len(asked) == 1
        assert len(site.submissions) == 1


def test_the_second_run_reads_the_first_runs_history(session: Any) -> None:
    """No hook: the default lookup reads history.jsonl, as the runner writes it after a real run."""
    site = fake(site="meta")
    first = run(session, site, RunOptions(**FAST), flows=[FLOW])
    assert first.outcomes[0].result is Result.SENT
    history.append(
        history.HistoryEntry(
            account="test", site="meta", flow=FLOW, command="disable", dry_run=False, before=None,
            after=None, action="sent-form", result=Result.SENT, exit_status=0,
        )
    )  # fmt: skip
    second = run(session, site, RunOptions(**FAST), flows=[FLOW])
    assert second.outcomes[0].result is Result.ALREADY_SENT
    assert second.outcomes[0].verified is False  # from memory: the form was not opened
    assert len(site.submissions) == 1


def test_the_line_says_what_happened(session: Any) -> None:
    report = run(session, fake(site="meta"), RunOptions(**FAST), flows=[FLOW])
    assert "objection sent (confirmation seen)" in outcome_line("Facebook", report.outcomes[0])


BASE = 'name = "meta.t"\nsite = "meta"\ntitle = "T"\npath = "/t"\n'
FORM = '[form]\nconfirmation = ["text=ok"]\n[form.submit]\ncss = ["button"]\n'


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (BASE, "exactly one of [switch] or [form]"),
        (BASE + "[switch]\nlabelledby = 'k'\n" + FORM, "exactly one of [switch] or [form]"),
        (BASE + FORM.replace('["text=ok"]', "[]"), "form.confirmation"),
        (
            BASE + FORM + '[[form.fill]]\nname = "r"\ncss = ["textarea"]\nsource = "text"\n',
            "needs a non-empty",
        ),
    ],
)
def test_a_flow_is_a_switch_or_a_form_never_both(tmp_path: Any, body: str, problem: str) -> None:
    from optout_bot.errors import FlowInvalid
    from optout_bot.model.flowspec import FlowSpec
    from optout_bot.model.loader import parse_file

    path = tmp_path / "t.toml"
    path.write_text(body)
    with pytest.raises(FlowInvalid) as caught:
        parse_file(path, FlowSpec)
    assert problem in caught.value.message


def test_every_bundled_flow_has_one_kind() -> None:
    forms = {f.name for f in load_catalog().flows.values() if f.form is not None}
    assert FLOW in forms
    assert "linkedin.data-for-ai-improvement" not in forms
