"""Locating links, buttons and switches: stable attributes first, names as a fallback, never ambiguous."""

from __future__ import annotations

from playwright.sync_api import Page

from optout_bot.flowspec import SwitchSpec, Target
from optout_bot.locate import resolve, switch_candidates, target_candidates

ME = Target(role="button", names={"en": ["Me"], "de": ["Ich"]})


def test_menu_name_may_carry_the_member_name_in_front(page: Page) -> None:
    page.set_content("<button>Messaging</button><button>Alex Example Me</button>")
    found = resolve(target_candidates(page, ME))
    assert found is not None
    assert found[1].inner_text() == "Alex Example Me"


def test_name_must_end_the_label(page: Page) -> None:
    page.set_content("<button>Messaging</button><button>Meet</button>")
    assert resolve(target_candidates(page, ME)) is None


def test_switch_by_key_wins_over_names_and_ignores_other_switches(page: Page) -> None:
    page.set_content(
        '<span id="a">Other</span><input type="checkbox" role="switch" aria-labelledby="a" checked>'
        '<span id="k">Use my data</span><input type="checkbox" role="switch" aria-labelledby="k">'
    )
    spec = SwitchSpec(labelledby="k", names={"en": ["Other"]}, fallback_css=["input[role=switch]"])
    label, locator = resolve(switch_candidates(page, spec)) or ("", None)
    assert label == "labelledby=k"
    assert locator is not None
    assert locator.is_checked() is False


def test_ambiguous_fallback_is_never_used(page: Page) -> None:
    page.set_content('<input type="checkbox" role="switch"><input type="checkbox" role="switch">')
    assert resolve(switch_candidates(page, SwitchSpec(fallback_css=["input[role=switch]"]))) is None
