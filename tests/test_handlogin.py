"""Signing in by hand: the tool types nothing, waits for the person, and keeps the session."""

from __future__ import annotations

from typing import Any

import pytest

from optout_bot.errors import NeedsHuman, UsageError
from optout_bot.fakesite import attach_routes
from optout_bot.handlogin import interactive_login, sign_in_url
from optout_bot.loader import load_catalog
from tests.fake import EMAIL, PASSWORD, MemoryStore, fake, session_for

# Stands in for the person: types into the sign-in page a moment after it appears.
PERSON = """
window.addEventListener('load', () => setTimeout(() => {
  if (location.pathname !== '/login') return;
  document.querySelector('#username').value = %r;
  document.querySelector('#password').value = %r;
  document.querySelector('button[type=submit]').click();
}, 300));
"""


@pytest.fixture
def session(playwright: Any, browser: Any) -> Any:
    return session_for(playwright, browser)


def test_waits_for_the_person_and_saves_the_session(session: Any) -> None:
    site = fake()
    store = MemoryStore()

    def prepare(context: Any) -> None:
        attach_routes(context, site)
        context.add_init_script(PERSON % (EMAIL, PASSWORD))

    interactive_login(session, load_catalog().site("linkedin"), store, timeout_s=20, prepare_context=prepare)
    assert store.saves == 1
    assert store.state is not None
    assert "li_at" in {c["name"] for c in store.state["cookies"]}
    assert site.login_attempts == 1


def test_a_person_who_never_signs_in_gets_needs_human(session: Any) -> None:
    site = fake()
    store = MemoryStore()
    with pytest.raises(NeedsHuman, match="no sign-in to LinkedIn was completed"):
        interactive_login(
            session,
            load_catalog().site("linkedin"),
            store,
            timeout_s=1,
            prepare_context=lambda context: attach_routes(context, site),
        )
    assert store.saves == 0
    assert site.login_attempts == 0


def test_sign_in_starts_where_the_site_signs_in() -> None:
    catalog = load_catalog()
    instagram = catalog.site("instagram")
    assert sign_in_url(instagram) == "https://www.instagram.com/accounts/login/"  # not the Help Centre
    assert sign_in_url(instagram, "http://127.0.0.1:8000") == "http://127.0.0.1:8000/accounts/login/"
    assert sign_in_url(catalog.site("linkedin")) == "https://www.linkedin.com/login"


def test_a_site_without_sign_in_has_nothing_to_sign_in_to() -> None:
    with pytest.raises(UsageError, match="WhatsApp has no sign-in"):
        sign_in_url(load_catalog().site("whatsapp"))
