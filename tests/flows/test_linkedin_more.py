"""LinkedIn's related switches (docs/evidence/linkedin.md §9) together: the strict profile in one
context, two switches of one page, the way there. Each flow alone goes through the flow contract
(tests/contract.py, tests/flows/test_switch_flows.py)."""

from __future__ import annotations

from typing import Any

from optout_bot.engine.options import RunOptions
from optout_bot.model.loader import load_catalog
from optout_bot.model.outcomes import ExitStatus, Result
from tests.contract import FAST, SWITCHES
from tests.fake import fake, run

AI = "linkedin.data-for-ai-improvement"
ALL_KEYS = {row.flow: row.key for row in SWITCHES if row.site == "linkedin"}
RELATED = {flow: key for flow, key in ALL_KEYS.items() if flow != AI}
STRICT = sorted(ALL_KEYS)


def test_the_table_covers_every_strict_linkedin_flow() -> None:
    strict = [f.name for f in load_catalog().profile("strict", "linkedin")]
    assert strict == STRICT
    assert [f.name for f in load_catalog().profile("ai", "linkedin")] == [AI]


def test_every_flow_has_steps_from_a_category_to_its_own_page() -> None:
    catalog = load_catalog()
    for name in RELATED:
        flow = catalog.flow(name)
        assert [s.name for s in flow.steps][-1] == "setting", name
        assert flow.steps[0].expect_path in (
            "/mypreferences/d/categories/privacy",
            "/mypreferences/d/categories/ads",
        )
        assert flow.steps[-1].expect_path == flow.path


def test_strict_profile_turns_everything_off_in_one_context(session: Any) -> None:
    site = fake(settings=dict.fromkeys(ALL_KEYS.values(), True))
    report = run(session, site, RunOptions(**FAST), flows=STRICT)
    assert [o.flow for o in report.outcomes] == STRICT
    assert all(o.result is Result.CHANGED and o.verified for o in report.outcomes), [
        (o.flow, o.result, o.message) for o in report.outcomes
    ]
    assert sorted(s.key for s in site.saves if s.key) == sorted(ALL_KEYS.values())
    assert all(site.state(key) is False for key in ALL_KEYS.values())
    assert report.exit_status is ExitStatus.OK


def test_one_switch_of_the_promotions_page_leaves_the_other_alone(session: Any) -> None:
    marketing, tips = (
        RELATED["linkedin.promotions-marketing-ads"],
        RELATED["linkedin.promotions-tips-by-email"],
    )
    site = fake(settings={marketing: True, tips: True})
    (outcome,) = run(session, site, RunOptions(**FAST), flows=["linkedin.promotions-tips-by-email"]).outcomes
    assert outcome.result is Result.CHANGED
    assert [(s.key, s.enabled) for s in site.saves] == [(tips, False)]
    assert site.state(marketing) is True


def test_status_reads_every_strict_setting_without_saving(session: Any) -> None:
    on = {"allowAdsByAge", "tipsForUsingLinkedinViaEmail"}
    site = fake(settings={key: key in on for key in ALL_KEYS.values()})
    report = run(session, site, RunOptions(mode="status", **FAST), flows=STRICT)
    results = {o.flow: o.result for o in report.outcomes}
    assert {f for f, r in results.items() if r is Result.ON} == {
        "linkedin.ads-by-age",
        "linkedin.promotions-tips-by-email",
    }
    assert all(r in (Result.ON, Result.ALREADY_OFF) for r in results.values())
    assert site.saves == []


def test_dry_run_walks_from_the_feed_through_the_category(session: Any) -> None:
    site = fake(settings={"allowUseOfThirdPartyData": True})
    (outcome,) = run(
        session, site, RunOptions(dry_run=True, **FAST), flows=["linkedin.ads-interactions-with-business"]
    ).outcomes
    assert outcome.result is Result.WOULD_CHANGE
    visited = [r.path for r in site.requests if r.method == "GET"]
    assert visited.index("/mypreferences/d/categories/ads") < visited.index(
        "/mypreferences/d/settings/ads-interactions-with-business"
    )
    assert site.saves == []
