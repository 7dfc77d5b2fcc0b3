"""Locating links, buttons and switches: stable attributes first, names as a fallback, never ambiguous."""

from __future__ import annotations

from playwright.sync_api import Page

from optout_bot.engine.locate import resolve, target_candidates
from optout_bot.model.pagespec import Target

ME = Target(role="button", names={"en": ["Me"], "de": ["Ich"]})


def test_menu_name_may_carry_the_member_name_in_front(page: Page) -> None:
    page.set_content("<button>Messaging</button><button>Alex Example Me</button>")
    found = resolve(target_candidates(page, ME))
    assert found is not None
    assert found[1].inner_text() == "Alex Example Me"


def test_name_must_end_the_label(page: Page) -> None:
    page.set_content("<button>Messaging</button><button>Meet</button>")
    assert resolve(target_candidates(page, ME)) is None
