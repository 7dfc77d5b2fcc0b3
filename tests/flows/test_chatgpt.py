"""ChatGPT's "Improve the model for everyone" against the fake ChatGPT, beyond the flow contract
(tests/contract.py).

The switch has no page of its own: it sits in a dialog reached through the profile menu, the
settings dialog and its Data controls tab, so every run and every verification clicks that way.
"""

from __future__ import annotations

from typing import Any

from optout_bot.engine.options import RunOptions
from optout_bot.model.loader import load_catalog
from optout_bot.model.outcomes import ExitStatus, Result
from optout_bot.model.resources import fixtures_dir
from optout_bot.testing import FakeRequest, Response
from tests.contract import FAST
from tests.fake import fake, run

KEY = "improveModelForEveryone"
FLOW = "chatgpt.improve-model"


def test_the_flow_is_reached_by_steps_only() -> None:
    flow = load_catalog().flow(FLOW)
    assert flow.reach == "steps"
    assert [s.name for s in flow.steps] == ["data-controls", "improve-model"]
    assert [f.name for f in load_catalog().profile("ai", "chatgpt")] == [FLOW]


def test_verification_opens_the_dialog_again_on_a_fresh_page(session: Any) -> None:
    site = fake(site="chatgpt", settings={KEY: True})
    (outcome,) = run(session, site, RunOptions(**FAST), flows=[FLOW]).outcomes
    assert outcome.result is Result.CHANGED
    assert outcome.verified is True
    # Two loads of the home page: one to switch it off, one to read it back.
    assert [r.path for r in site.requests if r.method == "GET" and r.path == "/"] == ["/", "/"]


def test_verification_fails_when_the_site_does_not_keep_the_change(session: Any) -> None:
    site = fake(site="chatgpt", settings={KEY: True})

    def forget(request: FakeRequest, response: Response) -> Response:
        if request.method == "POST" and request.path == site.manifest.settings_api:
            site.set_state(KEY, True)  # accepted, then quietly turned back on
        return response

    site.response_hooks.append(forget)
    report = run(session, site, RunOptions(**FAST), flows=[FLOW])
    assert report.outcomes[0].error == "NotVerified"
    assert report.exit_status is ExitStatus.SITE_CHANGED


def test_cloudflare_check_needs_a_person(session: Any) -> None:
    site = fake(site="chatgpt", settings={KEY: True})
    page = (fixtures_dir() / "chatgpt" / "checkpoint" / "cloudflare.html").read_text(encoding="utf-8")

    def challenge(request: FakeRequest) -> Response | None:
        return Response.html(page, 403) if request.path == "/" else None

    site.intercepts.append(challenge)
    report = run(session, site, RunOptions(**FAST), flows=[FLOW])
    assert report.outcomes[0].error == "NeedsHuman"
    assert report.exit_status is ExitStatus.NEEDS_HUMAN
    assert site.saves == []
