"""The fake LinkedIn: sessions, sign-in, checkpoints, switch state, languages, variants, both adapters.

Browser tests use pytest-playwright's ``context``/``page`` (system Chromium, see conftest.py) and
check the pages against the selectors of the real flow files, so the fake and the flows can't drift
apart unnoticed. Unit tests call ``FakeSite.handle`` directly.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from optout_bot import errors
from optout_bot.app.capture import replay_site
from optout_bot.cli.main import raw_main
from optout_bot.model.flowspec import FlowSpec, SiteSpec
from optout_bot.model.loader import load_catalog
from optout_bot.model.outcomes import ExitStatus
from optout_bot.model.resources import fixtures_dir
from optout_bot.testing import FakeSite, FixtureError, Response, Scenario, attach_routes, serve
from optout_bot.testing.rewrite import RenderSpec, render

BASE = "https://www.linkedin.com"
SETTING = "/mypreferences/d/settings/data-for-ai-improvement"
PRIVACY = "/mypreferences/d/categories/privacy"
KEY = "allowDataForGenerativeAI"
SAVE = f"/mysettings-api/settingsApiSettings/{KEY}"
EMAIL, PASSWORD = "demo@example.com", "demo-password-123"
LABEL = "Use my data for training content creation AI models"
WORDS = {"en": "On", "fr": "Oui", "de": "Ein", "es": "Sí", "it": "Sì", "nl": "Aan", "pt": "Ativado"}
OFF_WORDS = {"en": "Off", "de": "Aus", "fr": "Non"}


@pytest.fixture(scope="module")
def spec() -> SiteSpec:
    return load_catalog().site("linkedin")


@pytest.fixture(scope="module")
def flow() -> FlowSpec:
    return load_catalog().flow("linkedin.data-for-ai-improvement")


def routed(context: BrowserContext, signed_in: bool = False, **scenario: object) -> FakeSite:
    site = FakeSite(Scenario.model_validate(scenario))
    attach_routes(context, site)
    if signed_in:
        context.add_cookies(site.session_cookies())
    return site


def cookie_header(site: FakeSite) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{c['name']}={c['value']}" for c in site.session_cookies())}


def barrier_kind(page: Page, spec: SiteSpec) -> str | None:
    """Which barrier of flows/linkedin/site.toml the page shows (the engine checks the same way)."""
    path = urlsplit(page.url).path
    for barrier in spec.barriers:
        if any(path.startswith(p) for p in barrier.path_prefixes):
            return barrier.kind
        if any(page.locator(css).count() > 0 for css in barrier.css):
            return barrier.kind
    return None


def signed_in(page: Page, spec: SiteSpec) -> bool:
    return any(page.locator(css).count() > 0 for css in spec.signed_in_css)


def submit_password(page: Page, spec: SiteSpec, email: str = EMAIL, password: str = PASSWORD) -> None:
    """Fill and submit whichever sign-in layout is shown, using only the flow file's selectors."""
    page.locator(", ".join(spec.login.username)).locator("visible=true").first.fill(email)
    page.locator(", ".join(spec.login.password)).locator("visible=true").first.fill(password)
    before = page.url
    page.locator(", ".join(spec.login.submit)).locator("visible=true").first.click()
    page.wait_for_url(lambda url: url != before)


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


# ----- unit: FakeSite.handle ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "path", "param"),
    [
        ("login", "/login", "session_redirect"),
        ("authwall", "/authwall", "sessionRedirect"),
        ("rememberme", "/checkpoint/lg/login-submit", "session_redirect"),
    ],
)
def test_signed_out_private_page_redirects_to_the_scenarios_sign_in_page(
    kind: str, path: str, param: str
) -> None:
    site = FakeSite(Scenario(signed_out_page=kind))  # type: ignore[arg-type]
    response = site.handle("GET", f"{BASE}{SETTING}?x=1", {}, None)
    assert response.status == 303
    location = urlsplit(response.header("location") or "")
    assert not location.scheme, "relative, so the routed and the local server both work"
    assert location.path == path
    assert parse_qs(location.query)[param] == [f"{SETTING}?x=1"]
    page = site.handle("GET", response.header("location") or "", {}, None)
    assert page.status == 200
    assert f'value="{SETTING}?x=1"' in page.body.decode(), "the return path reaches the sign-in form"


def test_right_password_starts_a_session_and_never_records_the_password() -> None:
    site = FakeSite()
    body = (
        f"session_key={EMAIL}&session_password={PASSWORD}&session_redirect=%2Fmypreferences%2Fd%2F".encode()
    )
    response = site.handle("POST", f"{BASE}/checkpoint/lg/login-submit", {}, body)
    assert response.status == 303
    assert response.header("location") == "/mypreferences/d/"
    cookies = [v for k, v in response.headers if k == "Set-Cookie"]
    li_at = next(c for c in cookies if c.startswith("li_at="))
    assert "HttpOnly" in li_at
    assert "Secure" in li_at
    assert any(re.match(r'JSESSIONID="ajax:\d+"', c) for c in cookies)
    assert site.login_attempts == 1
    assert site.requests[-1].body is None
    assert PASSWORD not in repr(site.requests)
    jar = "; ".join(c.split(";")[0] for c in cookies)
    assert site.handle("GET", f"{BASE}/feed/", {"Cookie": jar}, None).status == 200


def test_wrong_password_rerenders_the_login_page_with_the_error() -> None:
    site = FakeSite()
    body = f"session_key={EMAIL}&session_password=nope&session_redirect=%2Ffeed%2F".encode()
    response = site.handle("POST", "/uas/login-submit", {}, body)
    text = response.body.decode()
    assert response.status == 200
    assert re.search(r'id="error-for-password"[^>]*>That\'s not the right password', text)
    assert f'value="{EMAIL}"' in text
    assert 'value="/feed/"' in text
    assert site.login_attempts == 1
    assert not any(h.startswith("li_at") for k, h in response.headers if k == "Set-Cookie")


def test_return_path_never_leaves_the_site() -> None:
    site = FakeSite()
    body = f"session_key={EMAIL}&session_password={PASSWORD}&session_redirect=https%3A%2F%2Fevil.example%2Fx".encode()
    assert site.handle("POST", "/uas/login-submit", {}, body).header("location") == "/x"
    body = f"session_key={EMAIL}&session_password={PASSWORD}&session_redirect=%2F%2Fevil.example".encode()
    assert site.handle("POST", "/uas/login-submit", {}, body).header("location") == "/feed/"


def test_pin_challenge_completes_only_with_the_right_pin() -> None:
    site = FakeSite(Scenario(challenge="email-pin"))
    body = f"session_key={EMAIL}&session_password={PASSWORD}&session_redirect=%2Ffeed%2F".encode()
    first = site.handle("POST", "/checkpoint/lg/login-submit", {}, body)
    assert first.status == 303
    assert first.header("location") == "/checkpoint/challenge/AgFakeEmailPin"
    pending = {"Cookie": (first.header("set-cookie") or "").split(";")[0]}
    wrong = site.handle("POST", "/checkpoint/challenge/verify", pending, b"pin=000000")
    assert wrong.status == 200
    assert "isn't valid" in wrong.body.decode()
    right = site.handle("POST", "/checkpoint/challenge/verify", pending, b"pin=424242")
    assert right.status == 303
    assert right.header("location") == "/feed/"
    assert any(v.startswith("li_at=") for k, v in right.headers if k == "Set-Cookie")
    assert site.pin_attempts == 2
    assert all(r.body is None for r in site.requests if r.method == "POST")


def test_settings_api_checks_session_and_csrf() -> None:
    site = FakeSite()
    headers = cookie_header(site)
    token = headers["Cookie"].split("JSESSIONID=")[1].strip('"')
    body = json.dumps({"key": KEY, "enabled": False}).encode()
    assert site.handle("PUT", SAVE, headers, body).status == 401  # no header
    bad = {**headers, "csrf-token": "ajax:1"}
    assert site.handle("PUT", SAVE, bad, body).status == 401
    assert site.state(KEY) is True
    good = {**headers, "csrf-token": token}
    response = site.handle("PUT", SAVE, good, body)
    assert response.status == 200
    assert json.loads(response.body) == {"key": KEY, "enabled": False}
    assert site.state(KEY) is False
    assert [(s.key, s.enabled, s.accepted) for s in site.saves] == [
        (None, None, False),
        (None, None, False),
        (KEY, False, True),
    ]
    recorded = site.requests[-1]
    assert "cookie" not in recorded.headers
    assert recorded.headers["csrf-token"] == "<redacted>"
    site.expire_sessions()
    assert site.handle("PUT", SAVE, good, body).status == 401


def test_settings_start_from_the_scenario_and_default_to_on() -> None:
    site = FakeSite(Scenario(settings={KEY: False}))
    assert site.state(KEY) is False
    assert site.state("allowAnonymizedDataResearch") is True
    site.set_state(KEY, True)
    page = site.handle("GET", PRIVACY, cookie_header(site), None).body.decode()
    assert re.search(r'data-fake-state-of="allowDataForGenerativeAI">On<', page)


def test_intercepts_answer_first_and_response_hooks_apply_last() -> None:
    site = FakeSite()
    site.intercepts.append(lambda req: Response(999) if req.path == "/feed/" else None)
    site.response_hooks.append(
        lambda req, resp: Response(resp.status, [*resp.headers, ("X-Hooked", "1")], resp.body)
    )
    response = site.handle("GET", "/feed/", cookie_header(site), None)
    assert response.status == 999
    assert response.header("x-hooked") == "1"
    assert site.requests[-1].status == 999


def test_unknown_paths_and_logout() -> None:
    site = FakeSite()
    headers = cookie_header(site)
    missing = site.handle("GET", "/no/such/page", headers, None)
    assert missing.status == 404
    assert "doesn't exist" in missing.body.decode()
    assert site.handle("GET", "/no/such/page", {}, None).status == 303, "signed out: sign in first"
    assert site.handle("GET", "/mypreferences/d/", headers, None).header("location") == (
        "/mypreferences/d/categories/account"
    )
    assert site.handle("GET", "/m/logout/", headers, None).header("location") == "/login"
    assert site.handle("GET", "/feed/", headers, None).status == 303


def test_render_keys_on_attributes_and_leaves_other_markup_alone() -> None:
    page = (
        "<!-- c --><div class='x artdeco-toggle'><span class='artdeco-toggle__text'>On</span>"
        '<button role="switch" aria-labelledby="k1" aria-checked="true"></button></div>'
        '<input role=switch aria-labelledby="k2" type=checkbox><p data-fake-state-of="k1">?</p>'
        "<input type=hidden name=session_redirect value=''><p>caf&eacute; &amp; &#233;</p></body>"
    )
    out = render(
        page,
        RenderSpec(
            state=lambda k: k == "k2",
            words=("Ein", "Aus"),
            wrapper_class="artdeco-toggle",
            toggled_class="artdeco-toggle--toggled",
            text_class="artdeco-toggle__text",
            fill={"session_redirect": "/a?b=<c>"},
            inject="<script>x</script>",
        ),
    )
    assert '<button role="switch" aria-labelledby="k1" aria-checked="false">' in out
    assert "<span class='artdeco-toggle__text'>Aus</span>" in out, "untouched tags keep their raw text"
    assert '<div class="x artdeco-toggle">' in out, "k1 is OFF: no toggled class"
    assert '<input role="switch" aria-labelledby="k2" type="checkbox" aria-checked="true" checked>' in out
    assert '<p data-fake-state-of="k1">Aus</p>' in out
    assert 'value="/a?b=&lt;c&gt;"' in out
    assert out.startswith("<!-- c -->")
    assert out.endswith("<p>caf&eacute; &amp; &#233;</p><script>x</script></body>")
    plain = "<!DOCTYPE html><html><body><p class=a>Hi &amp; bye</p></body></html>"
    assert render(plain, RenderSpec(lambda k: True, ("On", "Off"), "w", "t", "x")) == plain


def test_the_format_is_generic_overlays_and_strict_manifest(tmp_path: Path) -> None:
    site_dir = tmp_path / "demo"
    shutil.copytree(fixtures_dir() / "linkedin", site_dir)
    (site_dir / "lang" / "de" / "pages" / "extra.html").write_text("<p>de</p>", encoding="utf-8")
    (site_dir / "pages" / "extra.html").write_text("<p>en</p>", encoding="utf-8")
    for name, with_file in (("v1", True), ("v2", False)):
        variant = site_dir / "variants" / name
        (variant / "pages").mkdir(parents=True)
        if with_file:
            (variant / "pages" / "extra.html").write_text("<p>variant</p>", encoding="utf-8")
        (variant / "site.toml").write_text('absent = ["/feed/"]\n[pages]\n"/extra" = "pages/extra.html"\n')

    def served(**kw: object) -> str:
        site = FakeSite(Scenario.model_validate({"site": "demo", "fixtures_root": tmp_path, **kw}))
        return site.handle("GET", "/extra", cookie_header(site), None).body.decode()

    assert served(language="de", variant="v1").startswith("<p>variant</p>")
    assert served(language="de", variant="v2").startswith("<p>de</p>")
    assert served(language="fr", variant="v2").startswith("<p>en</p>")
    assert "doesn't exist" in served(language="de"), "without the variant there is no such page"
    site = FakeSite(Scenario(site="demo", fixtures_root=tmp_path, variant="v1"))
    assert site.handle("GET", "/feed/", cookie_header(site), None).status == 404
    with pytest.raises(FixtureError, match="unknown variant 'nope'"):
        FakeSite(Scenario(site="demo", fixtures_root=tmp_path, variant="nope"))
    (site_dir / "site.toml").write_text('surprise = "x"\n' + (site_dir / "site.toml").read_text())
    with pytest.raises(FixtureError, match="surprise: Extra inputs are not permitted"):
        FakeSite(Scenario(site="demo", fixtures_root=tmp_path))


def test_a_scenario_the_fixtures_lack_is_a_fixture_error_naming_what_they_have() -> None:
    with pytest.raises(
        FixtureError, match="no security check 'sms-otp' on the fake linkedin; known: email-pin, sms-pin"
    ):
        FakeSite(Scenario(challenge="sms-otp"))
    with pytest.raises(
        FixtureError, match="no sign-in page 'rememberme' on the fake whatsapp; known: login$"
    ):
        FakeSite(Scenario(site="whatsapp", signed_out_page="rememberme"))
    with pytest.raises(FixtureError, match="at least one account"):
        FakeSite(Scenario(accounts={}))
    # A fixture bug is no mistake of the person using optout-bot: it never reads as their config's.
    assert not issubclass(FixtureError, errors.OptoutBotError)


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["demo", "--variant", "nope"], "unknown variant 'nope'; known: "),
        (
            ["serve", "--port", "0", "--challenge", "sms-otp"],
            "no security check 'sms-otp' on the fake linkedin; known: ",
        ),
    ],
)
def test_demo_and_serve_say_in_one_line_what_the_fake_lacks(
    argv: list[str], problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert raw_main(argv) == ExitStatus.USAGE
    err = capsys.readouterr().err
    assert f"the fake site cannot start: {problem}" in err
    assert "use one of the names it lists, or leave the option out" in err
    assert err.count("\n") == 1, err  # one line; no traceback, no "fix the config file"


def test_a_capture_folder_that_is_no_site_cannot_be_replayed(tmp_path: Path) -> None:
    folder = tmp_path / "linkedin-capture"
    folder.mkdir()
    (folder / "capture.json").write_text(json.dumps({"format": 1, "flows": []}), encoding="utf-8")
    with pytest.raises(
        errors.UsageError, match=r"cannot be replayed: no fake site at .*site\.toml missing"
    ) as err:
        replay_site(folder)
    assert not isinstance(err.value, errors.ConfigError)
    assert "optout-bot capture" in err.value.remedy


def test_every_fixture_page_says_what_it_imitates() -> None:
    pages = sorted((fixtures_dir() / "linkedin").rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert text.startswith("<!--"), page
        assert "RECONSTRUCTED" in text.split("-->")[0], page
        assert "<script" not in text.lower(), f"{page}: the fake injects its own behaviour"
        assert "http://" not in text.replace("http://www.w3.org/2000/svg", ""), page
        assert "https://" not in text, page


def test_every_fixture_page_of_every_site_says_how_sure_it_is_and_cites_the_evidence() -> None:
    pages = sorted(fixtures_dir().rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert text.startswith("<!--"), page
        header = text.split("-->")[0]
        assert re.search(r"Imitates|Variant", header), f"{page}: says which real page it stands for"
        assert re.search(r"RECONSTRUCTED|INFERRED", header), f"{page}: says what is made up"
        if re.search(r"CONFIRMED|CORROBORATED|REPORTED|SINGLE", header):
            assert "docs/evidence/" in header, f"{page}: a fact from a source cites docs/evidence/<site>.md"


# ----- browser: routed at https://www.linkedin.com --------------------------------------------


@pytest.mark.parametrize("kind", ["login", "authwall", "rememberme"])
def test_browser_signed_out_lands_on_a_recognised_barrier(
    context: BrowserContext, spec: SiteSpec, kind: str
) -> None:
    routed(context, signed_out_page=kind)
    page = context.new_page()
    page.goto(f"{BASE}{SETTING}")
    assert barrier_kind(page, spec) == kind
    assert not signed_in(page, spec)


@pytest.mark.parametrize("layout", ["classic", "formless"])
def test_browser_sign_in_sets_cookies_and_returns_to_the_page(
    context: BrowserContext, spec: SiteSpec, layout: str
) -> None:
    site = routed(context, login_layout=layout)
    page = context.new_page()
    page.goto(f"{BASE}{SETTING}")
    assert barrier_kind(page, spec) == "login"
    submit_password(page, spec)
    page.wait_for_url(f"{BASE}{SETTING}")
    assert signed_in(page, spec)
    assert barrier_kind(page, spec) is None
    cookies = {c["name"]: c for c in context.cookies()}
    assert cookies["li_at"]["httpOnly"]
    assert cookies["li_at"]["secure"]
    assert re.fullmatch(r'"ajax:\d+"', cookies["JSESSIONID"]["value"])
    assert site.login_attempts == 1
    page.reload()
    assert path_of(page) == SETTING, "a reload after the redirect GETs the final page"


def test_browser_wrong_password_shows_the_error_the_flow_looks_for(
    context: BrowserContext, spec: SiteSpec
) -> None:
    site = routed(context)
    page = context.new_page()
    page.goto(f"{BASE}/login")
    expect(page).to_have_title("LinkedIn Login, Sign in | LinkedIn")
    assert page.locator(", ".join(spec.login.error)).count() == 0
    submit_password(page, spec, password="wrong")
    expect(page.locator(", ".join(spec.login.error)).first).to_contain_text("not the right password")
    assert site.login_attempts == 1
    assert "li_at" not in {c["name"] for c in context.cookies()}


def test_browser_rememberme_leads_back_to_sign_in_with_the_return_path(
    context: BrowserContext, spec: SiteSpec
) -> None:
    routed(context, signed_out_page="rememberme")
    page = context.new_page()
    page.goto(f"{BASE}{PRIVACY}")
    page.locator("#rememberme-div button").first.click()
    page.wait_for_url(re.compile(r"/login\?"))
    submit_password(page, spec)
    page.wait_for_url(f"{BASE}{PRIVACY}")


@pytest.mark.parametrize(
    ("challenge", "completes"),
    [
        ("email-pin", True),
        ("sms-pin", True),
        ("app-approval", False),
        ("captcha", False),
        ("restricted", False),
    ],
)
def test_browser_challenges_are_recognised_and_only_pins_complete(
    context: BrowserContext, spec: SiteSpec, challenge: str, completes: bool
) -> None:
    site = routed(context, challenge=challenge)
    page = context.new_page()
    page.goto(f"{BASE}/login?session_redirect=%2Ffeed%2F")
    submit_password(page, spec)
    assert barrier_kind(page, spec) == challenge
    expect(page).to_have_title("Security Verification | LinkedIn")
    assert "li_at" not in {c["name"] for c in context.cookies()}
    if not completes:
        page.goto(f"{BASE}/feed/")
        assert barrier_kind(page, spec) == "login", "no session was started"
        return
    pin = next(p for p in spec.pins if p.kind == challenge)
    for code, expected in (("000000", challenge), (site.scenario.pin, None)):
        page.locator(", ".join(pin.input)).fill(code)
        before = page.url
        page.locator(", ".join(pin.submit)).click()
        page.wait_for_url(lambda url, before=before: url != before)  # type: ignore[misc]
        assert barrier_kind(page, spec) == expected
    assert path_of(page) == "/feed/"
    assert signed_in(page, spec)
    assert site.pin_attempts == 2


@pytest.mark.parametrize("on", [True, False])
def test_browser_switch_reads_the_accounts_state(context: BrowserContext, on: bool) -> None:
    routed(context, signed_in=True, settings={KEY: on})
    page = context.new_page()
    page.goto(f"{BASE}{SETTING}")
    switch = page.get_by_role("switch", name=LABEL, exact=True)
    expect(switch).to_be_checked(checked=on)
    expect(page.locator(".artdeco-toggle__text")).to_have_text("On" if on else "Off")
    toggled = page.locator(".artdeco-toggle.artdeco-toggle--toggled")
    expect(toggled).to_have_count(1 if on else 0)
    assert page.locator("form").count() == 0


def test_browser_click_saves_once_with_csrf_and_survives_reload(
    context: BrowserContext, spec: SiteSpec
) -> None:
    site = routed(context, signed_in=True)
    page = context.new_page()
    page.goto(f"{BASE}{SETTING}")
    switch = page.locator(f'[role="switch"][aria-labelledby="{KEY}"]')
    with page.expect_request("**/mysettings-api/settingsApiSettings/*") as info:
        switch.set_checked(False)
    request = info.value
    jsession = next(c["value"] for c in context.cookies() if c["name"] == "JSESSIONID")
    assert request.method == "PUT"
    assert request.post_data_json == {"key": KEY, "enabled": False}
    assert request.headers["csrf-token"] == jsession.strip('"')
    expect(page.locator(".artdeco-toggle__text")).to_have_text("Off")
    expect(switch).not_to_have_attribute("aria-busy", "true")
    assert [(s.key, s.enabled, s.accepted) for s in site.saves] == [(KEY, False, True)]
    page.reload()
    expect(switch).not_to_be_checked()
    page.goto(f"{BASE}{PRIVACY}")
    expect(page.locator(f'[data-fake-state-of="{KEY}"]')).to_have_text("Off")
    assert len(site.saves) == 1


def test_browser_failed_save_reverts_and_shows_a_toast(context: BrowserContext) -> None:
    site = routed(context, signed_in=True, save_delay_ms=300)
    page = context.new_page()
    page.goto(f"{BASE}{SETTING}")
    site.expire_sessions()
    switch = page.get_by_role("switch", name=LABEL)
    switch.click()
    expect(page.locator(".artdeco-toast-item")).to_be_visible()
    expect(switch).to_be_checked()
    assert site.state(KEY) is True
    assert [s.status for s in site.saves] == [401]


def test_browser_me_menu_is_hidden_until_clicked(context: BrowserContext, spec: SiteSpec) -> None:
    routed(context, signed_in=True)
    page = context.new_page()
    page.goto(f"{BASE}/feed/")
    expect(page).to_have_title("Feed | LinkedIn")
    settings = page.locator("a.global-nav__secondary-link[href*='/mypreferences/d']")
    expect(settings).to_be_hidden()
    page.locator(".global-nav__primary-link-me-menu-trigger").click()
    expect(settings).to_be_visible()
    settings.click()
    page.wait_for_url(f"{BASE}/mypreferences/d/categories/account")
    assert signed_in(page, spec)


@pytest.mark.parametrize("lang", ["en", "fr", "de", "es", "it", "nl", "pt"])
def test_browser_click_through_in_each_language(
    context: BrowserContext, spec: SiteSpec, flow: FlowSpec, lang: str
) -> None:
    """Me → Settings & Privacy → Data privacy → the setting, by the flow files' localized names."""
    routed(context, signed_in=True, language=lang)
    page = context.new_page()
    page.goto(f"{BASE}/feed/")
    assert page.locator("html").get_attribute("lang") == lang
    for step in [*spec.nav, *flow.steps]:
        if step.open is not None:
            page.get_by_role("button", name=step.open.names[lang][0], exact=True).click()  # type: ignore[index]
        names = step.click.names[lang]  # type: ignore[index]
        links = [page.get_by_role("link", name=n, exact=True) for n in names]
        link = next(loc for loc in links if loc.count() == 1)
        link.click()
        page.wait_for_url(lambda url, step=step: urlsplit(url).path.startswith(step.expect_path))  # type: ignore[misc]
    assert path_of(page) == SETTING
    matches = [page.get_by_role("switch", name=n, exact=True) for n in flow.switch.names[lang]]  # type: ignore[index]
    assert sum(m.count() for m in matches) == 1
    expect(page.locator(".artdeco-toggle__text")).to_have_text(WORDS[lang])


def test_browser_variant_absent_redirect(context: BrowserContext) -> None:
    routed(context, signed_in=True, variant="absent-redirect")
    page = context.new_page()
    page.goto(f"{BASE}{SETTING}")
    assert path_of(page) == PRIVACY
    expect(page.locator(f"a[href$='{SETTING}']")).to_have_count(0)
    expect(page.get_by_role("switch")).to_have_count(0)


def test_browser_variant_absent_notice(context: BrowserContext) -> None:
    routed(context, signed_in=True, variant="absent-notice")
    page = context.new_page()
    page.goto(f"{BASE}{SETTING}")
    expect(page.get_by_role("heading", name="Data for Generative AI Improvement")).to_be_visible()
    expect(page.locator("[data-test-setting-unavailable]")).to_contain_text(
        "isn't available for your account"
    )
    expect(page.get_by_role("switch")).to_have_count(0)


def test_browser_variant_disabled_and_no_text(context: BrowserContext) -> None:
    routed(context, signed_in=True, variant="disabled")
    page = context.new_page()
    page.goto(f"{BASE}{SETTING}")
    switch = page.get_by_role("switch", name=LABEL)
    expect(switch).to_be_disabled()
    expect(switch).to_be_checked()
    expect(page.locator(".artdeco-toggle--disabled")).to_have_count(1)
    page.close()
    other = context.browser.new_context()  # type: ignore[union-attr]
    try:
        routed(other, signed_in=True, variant="no-text", settings={KEY: False})
        page = other.new_page()
        page.goto(f"{BASE}{SETTING}")
        expect(page.get_by_role("switch", name=LABEL)).not_to_be_checked()
        expect(page.locator(".artdeco-toggle__text")).to_have_count(0)
    finally:
        other.close()


def test_browser_variant_slow_hydrates_after_two_seconds(context: BrowserContext) -> None:
    routed(context, signed_in=True, variant="slow")
    page = context.new_page()
    # Timed from before the navigation: a busy machine can only make the switch appear later, never
    # sooner (timed from the load's end, a slow load swallowed part of the 2 s and the check failed).
    started = time.monotonic()
    page.goto(f"{BASE}{SETTING}")
    switch = page.get_by_role("switch", name=LABEL)
    assert switch.count() == 0
    expect(switch).to_be_checked(timeout=5000)
    assert time.monotonic() - started >= 2.0


def test_browser_variant_two_switches(context: BrowserContext) -> None:
    site = routed(context, signed_in=True, variant="two-switches")
    page = context.new_page()
    page.goto(f"{BASE}{SETTING}")
    switches = page.get_by_role("switch")
    expect(switches).to_have_count(2)
    assert switches.first.get_attribute("aria-labelledby") == "allowAnonymizedDataResearch"
    page.locator(f'[role="switch"][aria-labelledby="{KEY}"]').set_checked(False)
    expect(page.get_by_role("switch", name=LABEL)).not_to_be_checked()
    expect(switches.first).to_be_checked()
    page.reload()
    expect(page.get_by_role("switch", name=LABEL)).not_to_be_checked()
    assert [(s.key, s.enabled) for s in site.saves] == [(KEY, False)]


def test_browser_variant_changed_has_no_switch(context: BrowserContext, flow: FlowSpec) -> None:
    routed(context, signed_in=True, variant="changed")
    page = context.new_page()
    page.goto(f"{BASE}{SETTING}")
    expect(page.get_by_text(LABEL)).to_be_visible()
    expect(page.get_by_role("switch")).to_have_count(0)
    for css in [f'[aria-labelledby="{KEY}"]', *flow.switch.css]:
        assert page.locator(css).count() == 0, css


def test_browser_variant_button_switch(context: BrowserContext) -> None:
    site = routed(context, signed_in=True, variant="button-switch")
    page = context.new_page()
    page.goto(f"{BASE}{SETTING}")
    switch = page.get_by_role("switch", name=LABEL, exact=True)
    assert switch.evaluate("el => el.tagName") == "BUTTON"
    expect(switch).to_be_checked()
    switch.set_checked(False)
    expect(page.locator(".artdeco-toggle__text")).to_have_text("Off")
    page.reload()
    expect(switch).not_to_be_checked()
    assert [(s.key, s.enabled) for s in site.saves] == [(KEY, False)]


def test_browser_everything_outside_the_site_is_aborted(context: BrowserContext) -> None:
    site = routed(context, signed_in=True)
    page = context.new_page()
    page.goto(f"{BASE}/feed/")
    outcome = page.evaluate("fetch('https://static.licdn.com/x.js').then(() => 'ok', e => 'failed: ' + e)")
    assert outcome.startswith("failed")
    with pytest.raises(PlaywrightError, match="ERR_BLOCKED_BY_CLIENT"):
        page.goto("https://example.com/")
    assert {r.host for r in site.requests} == {"www.linkedin.com"}  # nothing of the other hosts reached it


# ----- browser: real HTTP on 127.0.0.1 ----------------------------------------------------------


def test_local_http_server_behaves_the_same(context: BrowserContext, spec: SiteSpec) -> None:
    site = FakeSite()
    with serve(site) as base:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base)
        page = context.new_page()
        response = page.goto(f"{base}{SETTING}")
        assert response is not None
        assert response.request.redirected_from is not None, "a real 303"
        assert barrier_kind(page, spec) == "login"
        submit_password(page, spec)
        page.wait_for_url(f"{base}{SETTING}")
        cookies = {c["name"]: c for c in context.cookies(base)}
        assert cookies["li_at"]["httpOnly"]
        assert not cookies["li_at"]["secure"], "no Secure over plain http"
        switch = page.get_by_role("switch", name=LABEL)
        expect(switch).to_be_checked()
        switch.set_checked(False)
        expect(page.locator(".artdeco-toggle__text")).to_have_text("Off")
        page.reload()
        expect(switch).not_to_be_checked()
        page.goto(f"{base}/mypreferences/d/")
        assert path_of(page) == "/mypreferences/d/categories/account"
        assert [(s.key, s.enabled) for s in site.saves] == [(KEY, False)]
        assert site.login_attempts == 1
