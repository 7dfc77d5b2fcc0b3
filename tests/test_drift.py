"""The drift simulator (tests/drift): its pages are fair, its judge sees harm, the tool does none.

The full measurement is ``make drift`` (100 seeds); here a fixed few run in CI. P (how many pass)
is not asserted: it measures the tool's perception, which improves separately. H = 0 is asserted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from playwright.sync_api import expect

from optout_bot.model.outcomes import Result
from optout_bot.testing import attach_routes
from tests.drift.mutate import LABELLINGS, Control, Mutation, draw, words
from tests.drift.simulate import harms, passed, run_seed, summary
from tests.drift.site import DriftSite

# Seeds chosen for spread: an aria-label-only switch between decoys named alike, a promo and a tour
# over decoys, an ARIA checkbox in a dry run under a promo, a start OFF under a cookie overlay, a "not
# available" notice that appears late under a promo, a redirect away under a cookie bar and a promo,
# X's Grok page (an ARIA checkbox among decoys that appears late; a switch named by a random id
# under a tour), ChatGPT's dialog (a switch named only by aria-label).
CI_SEEDS = (3, 7, 11, 99, 22, 132, 19, 136, 26)


def _drawn(wanted: Callable[[Mutation], bool]) -> list[Mutation]:
    return [m for m in map(draw, range(100)) if wanted(m)]


def _role(seed: int) -> str:
    return "checkbox" if draw(seed).widget in ("checkbox", "div-checkbox") else "switch"


def _walk_to_chatgpt_dialog(page: Any) -> None:
    """Profile menu → Settings → Data controls → the model-improvement dialog, as a person clicks."""
    page.get_by_role("button", name="Open profile menu").click(timeout=5_000)
    page.get_by_role("menuitem", name="Settings").click(timeout=5_000)
    page.get_by_role("tab", name="Data controls").click(timeout=5_000)
    page.locator("[data-testid=improve-model-open-modal-button]").click(timeout=5_000)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 7, 9, 10, 12, 17, 19, 33, 41, 64, 74, 94, 99])
def test_a_person_can_switch_the_setting_off_on_the_redrawn_page(browser: Any, seed: int) -> None:
    """Fair pages: by the words on screen alone, refuse/skip/dismiss what is in the way (topmost first), click the
    setting's control once; the page saves through its own script and a reload shows it OFF."""
    mutation = draw(seed)
    site = DriftSite(mutation)
    key = mutation.setting.key
    site.fake.set_state(key, True)
    base = site.fake.base_url
    context = browser.new_context()
    try:
        attach_routes(context, site.fake)
        context.add_cookies(site.fake.session_cookies())
        page = context.new_page()
        page.goto(base + mutation.setting.path)
        _, reject, dismiss, skip, _ = words(mutation)
        if any(o.startswith("cookie") for o in mutation.obstacles):
            page.get_by_role("button", name=reject, exact=True).click(timeout=5_000)
        if "tour" in mutation.obstacles:
            page.get_by_role("button", name=skip, exact=True).click(timeout=5_000)
        if "promo" in mutation.obstacles:
            page.get_by_role("button", name=dismiss, exact=True).click(timeout=5_000)
        if mutation.setting.site == "chatgpt":
            _walk_to_chatgpt_dialog(page)
        control = page.get_by_role(_role(seed), name=mutation.name, exact=True)  # type: ignore[arg-type]
        expect(control).to_be_checked(timeout=5_000)
        save = re.compile(re.escape(mutation.save.url).replace(re.escape("{key}"), "[^/]+") + "$")
        with page.expect_response(lambda r: bool(save.search(r.url)), timeout=5_000) as answer:
            control.click(timeout=5_000)
        # A page drawn to refuse the save (HTTP 500) puts the switch back: a reload shows it ON.
        assert answer.value.ok is not mutation.save.fails
        page.reload()
        if mutation.setting.site == "chatgpt":
            _walk_to_chatgpt_dialog(page)
        again = page.get_by_role(_role(seed), name=mutation.name, exact=True)  # type: ignore[arg-type]
        if mutation.save.fails:
            expect(again).to_be_checked(timeout=5_000)
        else:
            expect(again).not_to_be_checked(timeout=5_000)
    finally:
        context.close()
    assert site.state(key) is mutation.save.fails
    assert site.all_saves == [(key, False)]
    assert all(site.state(k) == v for k, v in mutation.decoy_states.items())
    assert site.record.consent in ([], ["reject"])
    assert site.record.offers_taken == 0


def test_harm_done_through_the_page_is_seen_by_the_judge(browser: Any) -> None:
    """The instruments work end to end: accepting cookies, taking the offer and switching a decoy
    on the real page (its own script) are each reported as harm."""
    mutation = _drawn(
        lambda m: (
            m.offered == "yes" and "promo" in m.obstacles and any(o.startswith("cookie") for o in m.obstacles)
        )
    )[0]
    mutation = replace(mutation, before=(Control("allowAiWritingAssistant", "Use AI to help me write"),))
    mutation = replace(mutation, decoy_states={"allowAiWritingAssistant": True}, dry_run=True)
    site = DriftSite(mutation)
    context = browser.new_context()
    try:
        attach_routes(context, site.fake)
        context.add_cookies(site.fake.session_cookies())
        page = context.new_page()
        page.goto(site.fake.base_url + mutation.setting.path)
        accept, _, _, _, offer = words(mutation)
        page.get_by_role("button", name=accept, exact=True).click(timeout=5_000)
        if "tour" in mutation.obstacles:  # drawn above the promo
            page.get_by_role("button", name=words(mutation)[3], exact=True).click(timeout=5_000)
        with page.expect_request(lambda r: "trial" in r.url, timeout=5_000):
            page.get_by_role("button", name=offer, exact=True).click(timeout=5_000)
        decoy = page.locator(f"[{mutation.attr}='0']")
        with page.expect_response(
            lambda r: "allowAi" in r.url + (r.request.post_data or ""),
            timeout=5_000,
        ):
            decoy.click(timeout=5_000)
    finally:
        context.close()
    found = " | ".join(harms(mutation, site, Result.FAILED, reported_off=False))
    for harm in ("cookie banner accepted", "promotion accepted", "saved another control", "during a dry run"):
        assert harm in found


def test_every_kind_of_drift_is_drawn_in_100_seeds() -> None:
    drawn = [draw(seed) for seed in range(100)]
    assert {m.widget for m in drawn} == set(LABELLINGS)
    assert {m.labelling for m in drawn} == {lab for labs in LABELLINGS.values() for lab in labs}
    assert {m.language for m in drawn} == {"en", "fr", "de", "es", "it", "nl", "pt"}
    assert {o for m in drawn for o in m.obstacles} == {"cookie-overlay", "cookie-bar", "promo", "tour"}
    assert {m.save.method for m in drawn} == {"PUT", "POST", "PATCH"}
    assert {m.setting.site for m in drawn} == {"linkedin", "x", "chatgpt"}
    assert {m.offered for m in drawn} >= {"yes", "notice"}
    assert any(m.before for m in drawn)
    assert any(m.after for m in drawn)
    assert any(m.render_delay_ms > 2_000 for m in drawn)
    assert any(not m.start_on for m in drawn)
    assert any(m.dry_run for m in drawn)
    assert draw(17) == draw(17)


def test_the_judge_calls_each_harm_by_its_name() -> None:
    mutation = _drawn(lambda m: m.offered == "yes" and m.start_on and bool(m.after))[0]
    decoy = mutation.after[0].key
    site = DriftSite(mutation)
    assert harms(mutation, site, Result.FAILED, reported_off=False) == []
    site.record.saves.append((decoy, not mutation.decoy_states[decoy]))
    site.fake.set_state(decoy, not mutation.decoy_states[decoy])
    site.record.consent.append("accept")
    site.record.offers_taken = 1
    found = " | ".join(harms(mutation, site, Result.ALREADY_OFF, reported_off=True))
    for harm in (
        "saved another control",
        "another control changed",
        "cookie banner accepted",
        "promotion accepted",
        "false 'verified OFF'",
    ):
        assert harm in found


def test_the_judge_sees_a_save_in_a_dry_run_and_a_setting_turned_on() -> None:
    dry = _drawn(lambda m: m.dry_run and m.offered == "yes")[0]
    site = DriftSite(dry)
    site.record.saves.append((dry.setting.key, True))
    found = " | ".join(harms(dry, site, Result.WOULD_CHANGE, reported_off=False))
    assert "save(s) during a dry run" in found
    assert "turn the setting ON" in found
    off = _drawn(lambda m: not m.start_on)[0]
    site = DriftSite(off)
    site.fake.set_state(off.setting.key, True)
    assert "ON at the end of a run that started OFF" in " | ".join(
        harms(off, site, Result.FAILED, reported_off=False)
    )


def test_passing_needs_the_site_to_agree() -> None:
    mutation = _drawn(lambda m: m.offered == "yes" and m.start_on and not m.dry_run and not m.save.fails)[0]
    site = DriftSite(mutation)
    from optout_bot.model.outcomes import ExitStatus

    # The tool says CHANGED and verified, but the fake still has it ON: not a pass.
    assert not passed(mutation, site, Result.CHANGED, ExitStatus.OK, verified=True)
    site.fake.set_state(mutation.setting.key, False)
    assert passed(mutation, site, Result.CHANGED, ExitStatus.OK, verified=True)


@pytest.mark.parametrize("seed", CI_SEEDS, ids=[f"seed-{seed}" for seed in CI_SEEDS])
def test_the_tool_does_no_harm_on_the_ci_seeds(session: Any, seed: int) -> None:
    """One test per seed, so pytest-xdist spreads them over its workers."""
    result = run_seed(session, seed)
    print(summary([result]))
    assert result.verdict != "harmful", f"seed {seed}: {result.why} ({result.mutation.describe()})"
    assert result.verdict in ("passed", "safe")


def test_the_readme_block_is_rewritten_between_its_markers_only(tmp_path: Any) -> None:
    from tests.drift.__main__ import END, START, write_readme

    readme = tmp_path / "README.md"
    readme.write_text("# optout-bot\n\nintro\n", encoding="utf-8")
    write_readme("drift: 1/2 passed, 1 safe failures, 0 harmful", readme)
    write_readme("drift: 2/2 passed, 0 safe failures, 0 harmful", readme)
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# optout-bot\n\nintro\n")
    assert text.count(START) == text.count(END) == 1
    assert "2/2 passed" in text
    assert "1/2 passed" not in text


def test_failures_are_grouped_by_kind_without_page_details() -> None:
    from tests.drift.simulate import SeedResult, categories

    made = [
        SeedResult(
            m, "safe", f"exit 7 failed: the switch for 'T{m.seed}' was not found on /p{m.seed}", "x", 1.0
        )
        for m in _drawn(lambda m: m.offered == "yes" and m.start_on and not m.dry_run and not m.save.fails)[
            :2
        ]  # one kind
    ]
    made.append(SeedResult(draw(3), "harmful", "exit 0 changed", "cookie banner accepted", 1.0))
    assert categories(made) == [
        "   2  exit 7 failed: the switch for '…' was not found  [expected ON → OFF verified]",
        "   1  harmful: cookie banner accepted",
    ]
