"""Which pages a run loads (issue 16): no page twice where once is enough, and the reload that
verifies a change always. Counted on the fake over real HTTP, where the browser says what each
request is for (``Sec-Fetch-Dest: document`` for a page load; an icon or a script is not one)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from optout_bot.engine.options import RunOptions
from optout_bot.model.outcomes import Result
from optout_bot.testing import FakeSite, serve
from tests.fake import Creds, MemoryStore, fake, run

FAST = RunOptions(switch_timeout_ms=4_000, timeout_ms=10_000)
AI = "linkedin.data-for-ai-improvement"
KEY = "allowDataForGenerativeAI"
SETTING = "/mypreferences/d/settings/data-for-ai-improvement"
SIGN_IN = [("GET", "/login", 200), ("POST", "/checkpoint/lg/login-submit", 303)]


def documents(site: FakeSite) -> list[tuple[str, str, int]]:
    """Every page load the site answered, in order: method, path (never the query), status."""
    return [
        (r.method, r.path, r.status) for r in site.requests if r.headers.get("sec-fetch-dest") == "document"
    ]


def first_run(session: Any, site: FakeSite, flows: list[str], **options: Any) -> list[Result]:
    """A run with no saved session and a stored password, over real HTTP (real redirects)."""
    with serve(site) as url:
        report = run(
            session,
            site,
            replace(FAST, site_url=url, **options),
            flows=flows,
            store=MemoryStore(),
            creds=Creds(),
            routed=False,
        )
    return [o.result for o in report.outcomes]


def test_disable_signs_in_once_and_loads_the_setting_once_then_reloads_it_to_verify(session: Any) -> None:
    site = fake(settings={KEY: True})
    assert first_run(session, site, [AI]) == [Result.CHANGED]
    assert documents(site) == [
        ("GET", SETTING, 303),  # signed out: sent to sign in, back here afterwards
        *SIGN_IN,
        ("GET", SETTING, 200),  # where the sign-in's redirect lands: read, clicked
        ("GET", SETTING, 200),  # the reload that proves the change (never dropped)
    ]
    assert [s.enabled for s in site.saves] == [False]


def test_the_browser_s_own_requests_never_reach_the_sign_in_page(session: Any) -> None:
    """The icon the browser fetches by itself used to be sent to /login: a second sign-in page."""
    site = fake(settings={KEY: True})
    first_run(session, site, [AI])
    assert [r.path for r in site.requests if r.path == "/login"] == ["/login"]


def test_check_signs_in_once_and_reads_the_setting_once(session: Any) -> None:
    site = fake(settings={KEY: False})
    assert first_run(session, site, [AI], mode="check") == [Result.ALREADY_OFF]
    assert documents(site) == [("GET", SETTING, 303), *SIGN_IN, ("GET", SETTING, 200)]


def test_a_dry_run_walks_from_the_home_page_it_signed_in_to_without_loading_it_again(session: Any) -> None:
    site = fake(settings={KEY: True})
    assert first_run(session, site, [AI], dry_run=True) == [Result.WOULD_CHANGE]
    assert documents(site) == [
        ("GET", "/feed/", 303),
        *SIGN_IN,
        ("GET", "/feed/", 200),
        ("GET", "/mypreferences/d/", 303),  # the site's own redirect, as a click on "Settings" meets it
        ("GET", "/mypreferences/d/categories/account", 200),
        ("GET", "/mypreferences/d/categories/privacy", 200),
        ("GET", SETTING, 200),
    ]
    assert site.saves == []


def test_two_settings_after_one_sign_in_each_load_once_and_reload_once(session: Any) -> None:
    other = "/mypreferences/d/settings/ads-by-age"
    site = fake(settings={KEY: True, "allowAdsByAge": True})
    assert first_run(session, site, [AI, "linkedin.ads-by-age"]) == [Result.CHANGED, Result.CHANGED]
    assert documents(site) == [
        ("GET", SETTING, 303),
        *SIGN_IN,
        ("GET", SETTING, 200),
        ("GET", SETTING, 200),
        ("GET", other, 200),
        ("GET", other, 200),
    ]


def test_a_question_declined_on_the_way_back_lands_on_the_setting_once(session: Any) -> None:
    site = fake(settings={KEY: True}, prompt="remember-me")
    assert first_run(session, site, [AI]) == [Result.CHANGED]
    assert site.prompt_answers == [("remember-me", "declined")]
    assert documents(site) == [
        ("GET", SETTING, 303),
        ("GET", "/login", 200),
        ("POST", "/checkpoint/lg/login-submit", 200),  # "Remember this browser?" asked in place
        ("POST", "/checkpoint/lg/fake-remember-me/not-now", 303),  # "Not now", then back to the setting
        ("GET", SETTING, 200),
        ("GET", SETTING, 200),  # the verifying reload
    ]


def test_a_landing_elsewhere_after_signing_in_loads_the_setting_itself(session: Any) -> None:
    """A site that sends the browser to its home page after the password: the setting is opened."""
    site = fake(settings={KEY: True})
    site.manifest.auth.redirect_params.clear()  # the sign-in page forgets where it was asked from
    assert first_run(session, site, [AI]) == [Result.CHANGED]
    assert documents(site) == [
        ("GET", SETTING, 303),
        *SIGN_IN,
        ("GET", "/feed/", 200),  # not the page asked for
        ("GET", SETTING, 200),  # so it is opened
        ("GET", SETTING, 200),
    ]
