"""Signing in by hand: the tool types nothing, waits for the person, and keeps the session."""

from __future__ import annotations

from typing import Any

import pytest

from optout_bot.app.handlogin import interactive_login, sign_in_url
from optout_bot.engine.identity import USER_AGENT_KEY
from optout_bot.errors import NeedsHuman, UsageError
from optout_bot.model.loader import load_catalog
from optout_bot.testing import attach_routes
from tests.fake import EMAIL, PASSWORD, MemoryStore, fake

# Stands in for the person: types into the sign-in page a moment after it appears.
PERSON = """
window.addEventListener('load', () => setTimeout(() => {
  if (location.pathname !== '/login') return;
  document.querySelector('#username').value = %r;
  document.querySelector('#password').value = %r;
  document.querySelector('button[type=submit]').click();
}, 300));
"""


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


# --- issue 13: signed in means the session cookie, not the page's old markers ---------------------

BARE_FEED = b"<!DOCTYPE html><html><head><title>Feed | LinkedIn</title></head><body><main>Start a post</main></body></html>"


def test_ends_as_soon_as_the_session_cookie_exists_on_a_feed_without_the_old_markers(session: Any) -> None:
    import time

    site = fake()

    def bare_feed(req: Any, response: Any) -> Any:
        # The 2026 feed: none of the signed-in markers of signed_in_css.
        if req.path == "/feed/" and response.status == 200:
            response.body = BARE_FEED
        return response

    site.response_hooks.append(bare_feed)
    store = MemoryStore()

    def prepare(context: Any) -> None:
        attach_routes(context, site)
        context.add_init_script(PERSON % (EMAIL, PASSWORD))

    started = time.monotonic()
    interactive_login(session, load_catalog().site("linkedin"), store, timeout_s=30, prepare_context=prepare)
    assert time.monotonic() - started < 10  # not the whole timeout
    assert store.state is not None
    assert "li_at" in {c["name"] for c in store.state["cookies"]}
    assert "HeadlessChrome" not in store.state[USER_AGENT_KEY]


# The person's browser during a 2FA step: the nav shows before the session cookie is set.
TWO_STEP_LOGIN = "<html><body><script>setTimeout(() => location.assign('/feed/'), 100)</script></body></html>"
TWO_STEP_FEED = """<html><body><nav aria-label="Primary"><a href="/feed/">Home</a>
<button class="global-nav__primary-link-me-menu-trigger">Me</button></nav>
<script>setTimeout(() => { document.cookie = %s; }, 1500)</script></body></html>"""


def _two_step(context: Any, cookie: str) -> None:
    def serve(route: Any) -> None:
        path = route.request.url.split("linkedin.com", 1)[1].split("?")[0]
        body = TWO_STEP_FEED % repr(cookie) if path == "/feed/" else TWO_STEP_LOGIN
        route.fulfill(status=200, headers={"content-type": "text/html"}, body=body)

    context.route("https://www.linkedin.com/**", serve)


def test_the_nav_before_the_session_cookie_is_not_yet_a_sign_in(session: Any) -> None:
    import time

    store = MemoryStore()
    started = time.monotonic()
    interactive_login(
        session,
        load_catalog().site("linkedin"),
        store,
        timeout_s=15,
        prepare_context=lambda c: _two_step(c, "li_at=AQEDAR-fake; path=/"),
    )
    assert time.monotonic() - started >= 1.4  # waited for the cookie, not for the nav
    assert store.state is not None
    assert "li_at" in {c["name"] for c in store.state["cookies"]}


def test_a_session_cookie_the_site_deleted_is_no_sign_in(session: Any) -> None:
    store = MemoryStore()
    with pytest.raises(NeedsHuman):
        interactive_login(
            session,
            load_catalog().site("linkedin"),
            store,
            timeout_s=3,
            prepare_context=lambda c: _two_step(c, 'li_at="delete me"; path=/'),
        )
    assert store.saves == 0
