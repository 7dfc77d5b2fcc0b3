"""Meta's AI objection form against the fake Facebook: sent once, proven, remembered, never typed a password."""

from __future__ import annotations

from typing import Any

import pytest

from optout_bot import history
from optout_bot.engine import AccountJob, RunOptions, run_account
from optout_bot.fakesite import FakeRequest, FakeSite, Response, attach_routes
from optout_bot.loader import load_catalog
from optout_bot.outcomes import ExitStatus, Result
from optout_bot.recorder import NullRecorder
from optout_bot.render import outcome_line
from optout_bot.signin import SignInPolicy
from tests.contract import FAST
from tests.fake import EMAIL, Creds, MemoryStore, fake, run, session_for, signed_in_store

FLOW = "meta.facebook-ai-objection"
FORM_PATH = "/help/contact/712876720715583"


@pytest.fixture
def session(playwright: Any, browser: Any) -> Any:
    return session_for(playwright, browser)


def _run(
    session: Any,
    site: FakeSite,
    sent_before: Any = None,
    store: MemoryStore | None = None,
    creds: Creds | None = None,
    **options: Any,
) -> Any:
    catalog = load_catalog()
    job = AccountJob(
        account="test",
        site=catalog.site("meta"),
        flows=[catalog.flow(FLOW)],
        signin=SignInPolicy(creds, True, None),
        store=store if store is not None else signed_in_store(site),
        sent_before=sent_before or (lambda flow: False),
    )
    recorder = NullRecorder()
    report = run_account(
        session, job, RunOptions(**{**FAST, **options}), recorder, lambda c: attach_routes(c, site)
    )
    return report, [s.name for s in recorder.steps]


def test_fills_and_sends_once_and_sees_the_confirmation(session: Any) -> None:
    site = fake(site="meta")
    report, steps = _run(session, site)
    (outcome,) = report.outcomes
    assert outcome.result is Result.SENT
    assert outcome.verified is True
    assert report.exit_status is ExitStatus.OK
    (sent,) = site.submissions
    assert sent.email == EMAIL
    assert sent.fields["email"] == EMAIL  # the pre-filled address went out unchanged
    assert "Art. 21" in sent.fields["reason"]
    assert steps[-2:] == ["form-filled", "confirmation"]
    assert site.login_attempts == 0
    assert "objection sent (confirmation seen)" in outcome_line("Facebook", outcome)


def test_dry_run_fills_the_form_but_sends_nothing(session: Any) -> None:
    site = fake(site="meta")
    report, steps = _run(session, site, dry_run=True)
    (outcome,) = report.outcomes
    assert outcome.result is Result.WOULD_SEND
    assert report.exit_status is ExitStatus.OK
    assert steps[-1] == "form-filled"
    assert site.submissions == []
    assert [r for r in site.requests if r.method == "POST"] == []


def test_a_remembered_objection_is_not_sent_again(session: Any) -> None:
    site = fake(site="meta")
    asked: list[str] = []

    def sent_before(flow: str) -> bool:
        asked.append(flow)
        return True

    report, _ = _run(session, site, sent_before=sent_before)
    (outcome,) = report.outcomes
    assert outcome.result is Result.ALREADY_SENT
    assert report.exit_status is ExitStatus.OK
    assert asked == [FLOW]
    assert site.submissions == []
    assert FORM_PATH not in [r.path for r in site.requests]  # the form was not even opened


def test_the_second_run_reads_the_first_runs_history(session: Any) -> None:
    """No hook: the default lookup reads history.jsonl, as the runner writes it after a real run."""
    site = fake(site="meta")
    first, _ = _run(session, site)
    assert first.outcomes[0].result is Result.SENT
    history.append(
        history.HistoryEntry(
            account="test", site="meta", flow=FLOW, command="disable", dry_run=False, before=None,
            after=None, action="none", result=Result.SENT, exit_status=0,
        )
    )  # fmt: skip
    catalog = load_catalog()
    job = AccountJob("test", catalog.site("meta"), [catalog.flow(FLOW)], SignInPolicy(None, True, None))
    job.store = signed_in_store(site)
    second = run_account(session, job, RunOptions(**FAST), NullRecorder(), lambda c: attach_routes(c, site))
    assert second.outcomes[0].result is Result.ALREADY_SENT
    assert len(site.submissions) == 1


def test_a_form_the_site_says_was_received_is_not_sent_again(session: Any) -> None:
    site = fake(site="meta")
    _run(session, site)
    report, steps = _run(session, site)  # history not consulted: the site's own notice decides
    (outcome,) = report.outcomes
    assert outcome.result is Result.ALREADY_SENT
    assert outcome.verified is True
    assert steps == ["already-sent"]
    assert len(site.submissions) == 1


def test_status_and_check_never_send(session: Any) -> None:
    site = fake(site="meta")
    status, _ = _run(session, site, mode="status")
    check, _ = _run(session, site, mode="check")
    assert status.outcomes[0].result is Result.NOT_SENT
    assert status.exit_status is ExitStatus.OK
    assert check.outcomes[0].result is Result.NOT_SENT
    assert check.exit_status is ExitStatus.DRIFT
    assert site.submissions == []


def test_a_sign_in_page_needs_a_person_and_no_password_is_typed(session: Any) -> None:
    site = fake(site="meta")
    report, _ = _run(session, site, store=MemoryStore(), creds=Creds())
    (outcome,) = report.outcomes
    assert outcome.error == "LoginRequired"
    assert "login --interactive" in outcome.remedy
    assert report.exit_status is ExitStatus.NEEDS_HUMAN
    assert site.login_attempts == 0
    assert site.submissions == []


def test_a_checkpoint_needs_a_person(session: Any) -> None:
    site = fake(site="meta")

    def checkpoint(request: FakeRequest) -> Response | None:
        return Response.redirect("/checkpoint/") if request.path == FORM_PATH else None

    site.faults.append(checkpoint)
    report, _ = _run(session, site)
    assert report.outcomes[0].error == "NeedsHuman"
    assert report.exit_status is ExitStatus.NEEDS_HUMAN
    assert site.submissions == []


def test_no_confirmation_is_a_failure_not_a_success(session: Any) -> None:
    site = fake(site="meta", variant="no-confirmation")
    report, steps = _run(session, site)
    (outcome,) = report.outcomes
    assert outcome.result is Result.FAILED
    assert outcome.error == "SiteChanged"
    assert "no confirmation" in outcome.message
    assert "do not send it again" in outcome.remedy
    assert report.exit_status is ExitStatus.SITE_CHANGED
    assert len(site.submissions) == 1  # sent once, never retried
    assert "confirmation" not in steps


def test_the_flow_runs_through_the_usual_run_helper(session: Any) -> None:
    """tests.fake.run (no hook, empty history in the isolated state dir) sends it too."""
    site = fake(site="meta")
    report = run(session, site, RunOptions(**FAST), flows=[FLOW])
    assert report.outcomes[0].result is Result.SENT
    assert len(site.submissions) == 1


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
    from optout_bot.flowspec import FlowSpec
    from optout_bot.loader import parse_file

    path = tmp_path / "t.toml"
    path.write_text(body)
    with pytest.raises(FlowInvalid) as caught:
        parse_file(path, FlowSpec)
    assert problem in caught.value.message


def test_every_bundled_flow_has_one_kind() -> None:
    kinds = {f.name: f.kind for f in load_catalog().flows.values()}
    assert kinds[FLOW] == "form"
    assert kinds["linkedin.data-for-ai-improvement"] == "switch"
