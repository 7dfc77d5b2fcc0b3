"""The scrubber on purpose-made pages full of fake personal data: nothing personal survives, the switch does.

Every planted value is first asserted to be in the page, so a test cannot pass because a value
was misspelt; then it must be gone from the scrubbed page in any spelling (plain, URL-encoded).
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from optout_bot.engine.recorder import scrub_html
from optout_bot.engine.scrub import learn, scrub_page
from optout_bot.model.outcomes import Result
from optout_bot.model.resources import fixtures_dir
from tests.fake import fake, run

DATA = Path(__file__).parent / "data" / "scrub"
KEY = "allowDataForGenerativeAI"
LABEL = "Use my data for training content creation AI models"

PLANTED: dict[str, list[str]] = {
    "settings-page.html": [
        "Zelda",
        "Quintanilla-Brightwater",
        "zelda.qb@mailbox-example.org",
        "zelda-qb-8841a2b7",  # profile slug
        "Chief Llama Whisperer",  # headline
        "Glimmerfen",
        "771234509",  # member id
        "ACoAABq9fakeXw7KpLmN0",  # fsd_profile id
        "urn:li:member",
        "urn:li:fsd_profile",
        "4471938204417719931",  # JSESSIONID-like CSRF value
        "AQEDAR9xVb5kQ3TzAAABjL2u7nQ",  # li_at cookie value in an inline script
        "Hq3x9LmRT0a8Zk1vWc5Ppw",  # trackingId
        "d3b07384-d9a0-4f1c-9c2e-8b1a77f2c0de",  # page instance id in a meta tag
        "9f8e7d6c5b4a39281706f5e4d3c2b1a0",  # session id in a form action's query
        "7946 0958",  # phone, international
        "555-0172",  # phone, US
        "0612345678",  # phone, plain digits
        "C4E03AQH7fakePhotoId",  # photo URL
        "Wx8kFakeSignatureQ",
        "nav_account_sub_nav_settings",  # trk parameter
        "d_flagship3",
        "static.licdn.com",
        "media.licdn.com",
        "banner-zelda",
    ],
    "login-page.html": [
        "Ottilie",
        "Farnsworth-Beck",
        "ottilie.farnsworth-beck@quillmail-example.net",
        "quillmail-example.net",  # the masked e-mail of the saved-account chooser
        "8812734650092213377",
        "4e9d2b1c-7a6f-4b3e-9d8c-1f2e3d4c5b6a",  # loginCsrfParam
        "0f9e8d7c-6b5a-4948-3726-15a4b3c2d1e0",  # sIdString
        "eyJmcCI6Ik90dGlsaWVGaW5nZXJwcmludDk4NzY1NDMyMSJ9",  # fp_data
        "Hunter2-Ottilie-Secret",  # a typed password
        "555-0143",
        "b3f1c8e2a9d04e7f8a6b5c4d3e2f1a0b9c8d7e6f",  # CSRF meta tag
        "Rk9PYmFyQmF6UXV4MTIzNDU2",  # script nonce
        "OtTiLiEsIgNaTuRe1234567890abcdEF",
        "D4E35AQGottiliePhoto9",
        "ottilie-prefill",
        "9912834",  # tracking pixel id
        "GUEST_HOME",
    ],
    "feed-page.html": [
        "Bartholomew",
        "Nakagawa-Olsen",
        "b.nakagawa.olsen@windhollow-example.com",
        "windhollow-example.com",
        "bartholomew-no-4417",
        "Principal Kite Aerodynamicist",
        "Windhollow Labs",
        "58820417",
        "ACoAAD3bartholomewXYZ123",
        "7123456789012345678",  # activity urn
        "Zx81mQpL0aRtY7uVw3sNbg",
        "AAYF2mQpL0aRtY7uVw3sNbg",
        "3307719924458810021",
        "BartholomewSessionCookieValue",
        "BartholomewBanner7",
        "BartholomewPhoto",
        "PhOtOsIg123abcXYZ",
        "901820-77",
        "qX9%2BzK1vR3m8Tn2pQw",
        "utm_source",
    ],
}


def _page(name: str) -> str:
    return (DATA / name).read_text("utf-8")


def _scrubbed(name: str) -> str:
    return scrub_page(_page(name), keep_ids={KEY}, keep_attrs={"data-litms-control-urn"})


class _Elements(HTMLParser):
    """Every element's tag and attributes, plus the text directly under each id."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text_of: dict[str, str] = {}
        self._ids: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag not in ("img", "input", "meta", "br", "link"):
            self._ids.append(dict(attrs).get("id"))

    def handle_endtag(self, tag: str) -> None:
        if self._ids:
            self._ids.pop()

    def handle_data(self, data: str) -> None:
        if self._ids and self._ids[-1]:
            self.text_of[self._ids[-1]] = self.text_of.get(self._ids[-1], "") + data


def _parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


@pytest.mark.parametrize(("page", "value"), [(p, v) for p, values in PLANTED.items() for v in values])
def test_no_planted_personal_value_survives(page: str, value: str) -> None:
    assert value.lower() in _page(page).lower() or quote(value).lower() in _page(page).lower(), "not planted"
    out = _scrubbed(page).lower()
    for spelling in {value.lower(), quote(value, safe="").lower(), value.lower().replace("@", "%40")}:
        assert spelling not in out


@pytest.mark.parametrize("page", ["settings-page.html", "feed-page.html"])
def test_no_email_phone_urn_or_script_of_any_kind_survives(page: str) -> None:
    out = _scrubbed(page)
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w+", out)
    assert not re.search(r"urn:li:(?!redacted)", out)
    assert "<script" not in out.lower()
    assert "<!--" not in out, "comments can hold anything"
    assert "ajax:" not in out.replace("ajax:redacted", "")


def test_the_switch_its_label_and_the_flow_markup_survive() -> None:
    parsed = _parse(_scrubbed("settings-page.html"))
    switches = [a for t, a in parsed.elements if a.get("role") == "switch"]
    assert len(switches) == 1
    (switch,) = switches
    assert switch["aria-labelledby"] == KEY
    assert switch["aria-checked"] == "true"
    assert "checked" in switch
    assert switch["id"] == "adToggle_ember101"
    assert "onclick" not in switch
    assert parsed.text_of[KEY] == LABEL
    classes = {c for _, a in parsed.elements for c in (a.get("class") or "").split()}
    assert {"artdeco-toggle", "artdeco-toggle--toggled", "artdeco-toggle__text"} <= classes
    links = {a.get("href") for t, a in parsed.elements if t == "a"}
    assert "/mypreferences/d/" in links, "the Settings link of the me menu, without its trk query"
    trigger = next(
        a for t, a in parsed.elements if "global-nav__primary-link-me-menu-trigger" in (a.get("class") or "")
    )
    assert trigger["aria-controls"] == "me-menu"


def test_flow_selectors_survive_on_the_sign_in_and_feed_pages() -> None:
    login = _parse(_scrubbed("login-page.html"))
    names = {a.get("name") for t, a in login.elements if t == "input"}
    assert {"session_key", "session_password", "session_redirect"} <= names
    submit = [a for t, a in login.elements if a.get("data-litms-control-urn") == "login-submit"]
    assert len(submit) == 1, "an attribute the flow selects on is kept when named"
    assert any(a.get("id") == "rememberme-div" for _, a in login.elements), "the barrier marker stays"
    assert all("value" not in a for t, a in login.elements if t == "input"), "no typed or hidden value"
    feed = _parse(_scrubbed("feed-page.html"))
    assert any(a.get("id") == "meMenuV2WideComponentRef" for _, a in feed.elements)
    # An id made of a urn is renamed, and the button that controls it follows the rename.
    button = next(a for t, a in feed.elements if t == "button")
    assert any(a.get("id") == button["aria-controls"] for _, a in feed.elements)


def test_a_flow_attribute_looking_like_tracking_is_dropped_unless_named() -> None:
    out = scrub_page(_page("login-page.html"), keep_ids={KEY})
    assert "data-litms-control-urn" not in out


@pytest.mark.parametrize("page", sorted(PLANTED))
def test_the_page_loads_offline(page: str) -> None:
    parsed = _parse(_scrubbed(page))
    tags = {t for t, _ in parsed.elements}
    assert not tags & {"script", "link", "iframe", "noscript", "object", "embed", "base"}
    for tag, attrs in parsed.elements:
        src = attrs.get("src")
        assert src is None or src.startswith("data:image/"), (tag, src)
        assert "srcset" not in attrs
        href = attrs.get("href") or attrs.get("action") or ""
        assert not href.startswith(("http:", "https:", "//")), href
        if tag == "meta":
            assert set(attrs) <= {"charset", "name", "content"}
            assert attrs.get("name") in (None, "viewport")
    assert not re.search(r"url\(\s*['\"]?(?!data:)", _scrubbed(page)), "no style fetches anything"
    assert "@import" not in _scrubbed(page)


@pytest.mark.parametrize("page", sorted(PLANTED))
def test_scrubbing_twice_changes_nothing(page: str) -> None:
    once = _scrubbed(page)
    assert scrub_page(once, keep_ids={KEY}, keep_attrs={"data-litms-control-urn"}) == once


def test_values_known_from_elsewhere_are_removed_everywhere() -> None:
    page = "<html><body><h1>Notes of Quentin Marchetti</h1><p title='by quentin'>Quentin wrote this</p></body></html>"
    assert "Quentin" in scrub_page(page, keep_ids=set())
    out = scrub_page(page, keep_ids=set(), known={"Quentin Marchetti", "Quentin"})
    assert "quentin" not in out.lower()
    assert "Notes of" in out
    assert "wrote this" in out


def test_names_are_learnt_from_markers_and_json_islands() -> None:
    found = learn(_page("feed-page.html"))
    assert {"Bartholomew", "Nakagawa-Olsen", "bartholomew-no-4417"} <= found
    assert "Principal Kite Aerodynamicist · Windhollow Labs" in found
    assert not {"Feed", "Home", "Me"} & found, "UI words are not names"


def test_ordinary_text_numbers_and_markup_are_left_alone() -> None:
    page = (
        '<html lang="de"><body><p>Since 2025-11-03, 24 of 1,204 settings.</p>'
        '<svg viewBox="0 0 1024 1024" width="24"><path d="M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10"/></svg>'
        '<a href="/help/linkedin/answer/a5538339#section">Learn more</a>'
        "<style>.a > .b { color: red; }</style></body></html>"
    )
    out = scrub_page(page, keep_ids=set())
    # The HTML parser lower-cases attribute names; browsers restore SVG's viewBox themselves.
    for kept in ("Since 2025-11-03, 24 of 1,204 settings.", 'viewbox="0 0 1024 1024"', "M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10",
                 'href="/help/linkedin/answer/a5538339#section"', ".a > .b { color: red; }", 'lang="de"'):  # fmt: skip
        assert kept in out


def test_failure_captures_of_runs_use_the_scrubber() -> None:
    out = scrub_html(_page("login-page.html"))
    assert "ottilie" not in out.lower()
    assert "8812734650092213377" not in out


def test_the_engine_still_works_on_a_scrubbed_page(session: Any, tmp_path: Path) -> None:
    """The fake site serves the scrubbed page as the setting page: found, read, switched, verified."""
    shutil.copytree(fixtures_dir() / "linkedin", tmp_path / "linkedin")
    target = tmp_path / "linkedin" / "pages" / "data-for-ai-improvement.html"
    target.write_text(_scrubbed("settings-page.html"), "utf-8")
    site = fake(fixtures_root=tmp_path, settings={KEY: True})
    report = run(session, site)
    assert report.outcomes[0].result is Result.CHANGED, report.outcomes[0].message
    assert site.state(KEY) is False
    assert [(s.key, s.enabled) for s in site.saves] == [(KEY, False)]
