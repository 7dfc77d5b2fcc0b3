"""X's Grok-training and business-partner checkboxes against the fake X, beyond the flow contract (tests/contract.py)."""

from __future__ import annotations

from typing import Any

from optout_bot.engine.options import RunOptions
from optout_bot.model.loader import load_catalog
from optout_bot.model.outcomes import ExitStatus, Result
from optout_bot.testing import FakeRequest, Response
from tests.contract import FAST
from tests.fake import fake, run

GROK = "allowGrokTraining"
PARTNERS = "allowBusinessPartnerSharing"
PERSONALIZATION = "allowGrokPersonalization"  # the Grok page's other checkbox: never touched


def test_both_x_flows_are_in_the_ai_profile() -> None:
    names = [f.name for f in load_catalog().profile("ai", "x")]
    assert names == ["x.data-sharing-with-business-partners", "x.grok-training"]


def test_grok_flow_leaves_the_pages_other_checkbox_alone(session: Any) -> None:
    site = fake(site="x", settings={GROK: True, PERSONALIZATION: True})
    (outcome,) = run(session, site, RunOptions(**FAST), flows=["x.grok-training"]).outcomes
    assert outcome.result is Result.CHANGED
    assert [(s.key, s.enabled) for s in site.saves] == [(GROK, False)]
    assert site.state(PERSONALIZATION) is True


def test_grok_flow_finds_the_checkbox_by_its_label_when_ids_move(session: Any) -> None:
    """The positional CHECKBOX_1_LABEL id may point at another checkbox: the label decides."""
    site = fake(site="x", settings={GROK: True, PERSONALIZATION: False})

    def swap_ids(request: FakeRequest, response: Response) -> Response:
        if request.path == "/settings/grok_settings":
            body = response.body.decode()
            body = body.replace("CHECKBOX_1_LABEL", "TMP").replace("CHECKBOX_2_LABEL", "CHECKBOX_1_LABEL")
            response.body = body.replace("TMP", "CHECKBOX_2_LABEL").encode()
        return response

    site.response_hooks.append(swap_ids)
    (outcome,) = run(session, site, RunOptions(mode="status", **FAST), flows=["x.grok-training"]).outcomes
    assert outcome.result is Result.ON  # the training box (ON), not the personalization box (OFF)


def test_both_flows_run_in_one_context(session: Any) -> None:
    site = fake(site="x", settings={GROK: True, PARTNERS: True})
    report = run(session, site, RunOptions(**FAST), flows=[f.name for f in load_catalog().profile("ai", "x")])
    assert [o.result for o in report.outcomes] == [Result.CHANGED, Result.CHANGED]
    assert site.state(GROK) is False
    assert site.state(PARTNERS) is False


def test_dry_run_walks_through_more_settings_and_privacy(session: Any) -> None:
    site = fake(site="x", settings={GROK: True})
    (outcome,) = run(session, site, RunOptions(dry_run=True, **FAST), flows=["x.grok-training"]).outcomes
    assert outcome.result is Result.WOULD_CHANGE
    visited = [r.path for r in site.requests if r.method == "GET"]
    order = ["/home", "/settings/account", "/settings/privacy_and_safety", "/settings/grok_settings"]
    assert [p for p in visited if p in order] == order
    assert site.saves == []


def test_a_locked_account_needs_a_person(session: Any) -> None:
    site = fake(site="x", settings={GROK: True})

    def locked(request: FakeRequest) -> Response | None:
        return Response.redirect("/account/access") if request.path.startswith("/settings/") else None

    site.intercepts.append(locked)
    report = run(session, site, RunOptions(**FAST), flows=["x.grok-training"])
    assert report.outcomes[0].error == "NeedsHuman"
    assert "locked" in (report.outcomes[0].message or "")
    assert report.exit_status is ExitStatus.NEEDS_HUMAN
    assert site.saves == []
