"""Signing in on the pages of 2026 (issue 13): the sign-in contract per layout, finding a form by
name on pages unlike ours, one browser identity, own hosts only, and by-hand sites never typed into."""

from __future__ import annotations

import time
from typing import Any, ClassVar

import pytest
from pydantic import SecretStr

from optout_bot.engine.identity import Hosts, cookie_alive, split_identity, user_agent_for, with_identity
from optout_bot.engine.loginform import find_form, says_with
from optout_bot.engine.signin import SignIn, SignInPolicy
from optout_bot.errors import ForeignHost, LoginFailed
from optout_bot.model.flowspec import SiteSpec
from optout_bot.model.loader import load_catalog
from optout_bot.model.outcomes import ExitStatus
from tests.fake import PASSWORD, Creds, MemoryStore, fake, run, signed_in_store
from tests.signin_contract import SignInContract, password_sites

AI = "linkedin.data-for-ai-improvement"
KEY = "allowDataForGenerativeAI"


class TestClassicLogin(SignInContract):
    flow = AI
    key = KEY


class TestFormlessLogin(SignInContract):
    flow = AI
    key = KEY
    scenario: ClassVar[dict[str, Any]] = {"login_layout": "formless"}


class TestReactLogin(SignInContract):
    """The React /login of 2026: no form, «r0» ids, hidden duplicates, Apple/Google buttons first."""

    flow = AI
    key = KEY
    scenario: ClassVar[dict[str, Any]] = {"login_layout": "react"}


class TestAuthwallLogin(SignInContract):
    """The sign-in wall: a join form with its own "Email or phone number" field beside the sign-in form."""

    flow = AI
    key = KEY
    scenario: ClassVar[dict[str, Any]] = {"signed_out_page": "authwall"}


CONTRACTS = [TestClassicLogin, TestFormlessLogin, TestReactLogin, TestAuthwallLogin]


def test_every_site_with_a_password_sign_in_passes_the_contract() -> None:
    assert password_sites() == {c.site for c in CONTRACTS}
    assert {c.scenario.get("login_layout", "classic") for c in CONTRACTS} == {"classic", "formless", "react"}


BY_HAND = sorted(
    (s.name, next(f.name for f in load_catalog().flows.values() if f.site == s.name))
    for s in load_catalog().sites.values()
    if s.login is not None and not s.password_sign_in
)


BY_HAND_REMEDY = "run 'optout-bot login --interactive' to sign in yourself; later runs reuse that session"


def test_every_site_signed_in_to_by_hand_is_checked() -> None:
    assert {name for name, _ in BY_HAND} == {"x", "chatgpt", "meta", "instagram"}


@pytest.mark.parametrize(("site_name", "flow"), BY_HAND)
def test_sites_signed_in_to_by_hand_never_get_a_password(session: Any, site_name: str, flow: str) -> None:
    site = fake(site=site_name)
    report = run(session, site, flows=[flow], store=MemoryStore(), creds=Creds())
    (outcome,) = report.outcomes
    assert outcome.error == "LoginRequired", outcome.message
    assert outcome.message.endswith("asks to sign in; optout-bot never types a password there")
    assert outcome.remedy == BY_HAND_REMEDY
    assert report.exit_status is ExitStatus.NEEDS_HUMAN
    assert site.login_attempts == 0
    assert [r.path for r in site.requests if r.method not in ("GET", "HEAD")] == []  # no save, no form


@pytest.mark.parametrize(("site_name", "flow"), BY_HAND)
def test_an_expired_session_on_a_by_hand_site_needs_a_person(session: Any, site_name: str, flow: str) -> None:
    site = fake(site=site_name)
    store = signed_in_store(site)
    site.expire_sessions()
    report = run(session, site, flows=[flow], store=store, creds=Creds())
    (outcome,) = report.outcomes
    assert outcome.error == "LoginRequired", outcome.message
    assert outcome.remedy == BY_HAND_REMEDY
    assert report.exit_status is ExitStatus.NEEDS_HUMAN
    assert site.login_attempts == 0
    assert [r.path for r in site.requests if r.method not in ("GET", "HEAD")] == []  # no save, no form


# --- finding the form on pages we did not write ---------------------------------------------------

SIGN_IN = {
    "en": "Sign in",
    "fr": "S’identifier",
    "de": "Einloggen",
    "es": "Iniciar sesión",
    "it": "Accedi",
    "nl": "Inloggen",
    "pt": "Entrar",
}
WITH = {"en": "with", "fr": "avec", "de": "mit", "es": "con", "it": "con", "nl": "met", "pt": "com"}


def _page(session: Any, html: str) -> Any:
    context = session.new_context()
    page = context.new_page()
    page.set_content(html)
    return page


@pytest.mark.parametrize("lang", sorted(SIGN_IN))
def test_the_sign_in_button_is_found_by_its_localized_name_never_single_sign_on(
    session: Any, lang: str
) -> None:
    name, word = SIGN_IN[lang], WITH[lang]
    html = f"""
      <div style="display:none"><input type="email" autocomplete="username"><input type="password"></div>
      <button type="button">{name} {word} Apple</button>
      <button type="button" aria-label="{name} {word} Google">G</button>
      <label>Login <input id="«r0»" name="" autocomplete="username"></label>
      <label>Pw <input id="«r1»" name="" type="password"></label>
      <button type="button">Show</button>
      <button type="button" data-real>{name}</button>"""
    page = _page(session, html)
    form = find_form(page, load_catalog().site("linkedin").login)  # type: ignore[arg-type]
    assert form is not None
    assert form.submit.get_attribute("data-real") == ""
    assert form.username.get_attribute("id") == "«r0»"
    assert form.password.get_attribute("id") == "«r1»"
    page.context.close()


def test_a_page_with_only_single_sign_on_buttons_has_no_form(session: Any) -> None:
    html = """<input autocomplete="username"><input type="password">
      <button type="button">Sign in with Apple</button><button type="submit">Sign in with Google</button>"""
    page = _page(session, html)
    assert find_form(page, load_catalog().site("linkedin").login) is None  # type: ignore[arg-type]
    page.context.close()


def test_a_password_is_never_typed_into_a_field_that_shows_it(session: Any) -> None:
    html = """<label>Email or phone <input type="text"></label>
      <label>Password <input type="text" autocomplete="current-password"></label><button>Sign in</button>"""
    page = _page(session, html)
    assert find_form(page, load_catalog().site("linkedin").login) is None  # type: ignore[arg-type]
    page.context.close()


def test_single_sign_on_words() -> None:
    assert says_with("Sign in with Apple", ["with"])
    assert says_with("Entrar com o Google", ["com"])
    assert not says_with("Sign in", ["with"])
    assert not says_with("Continuer", ["con"])  # a word, not a prefix


# --- identity: cookie, hosts, user agent -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expires", "alive"),
    [
        ("AQEDAR-token", -1, True),
        ("delete me", -1, False),
        ('"delete me"', -1, False),
        ("", -1, False),
        ("AQEDAR-token", time.time() - 60, False),
        ("AQEDAR-token", time.time() + 3600, True),
    ],
    # Named, not numbered by the clock: every pytest-xdist worker must collect the same test ids.
    ids=["session", "deleted", "deleted-quoted", "empty", "expired", "expires-later"],
)
def test_a_killed_session_cookie_is_not_a_session(value: str, expires: float, alive: bool) -> None:
    assert cookie_alive({"name": "li_at", "value": value, "expires": expires}, ["delete me"]) is alive


def test_own_hosts_are_the_sites_or_the_local_copys() -> None:
    linkedin: SiteSpec = load_catalog().site("linkedin")
    real = Hosts(linkedin)
    assert real.is_own("https://www.linkedin.com/login")
    assert not real.is_own("https://evil.example/login")
    assert not real.is_own("https://www.linkedin.com.evil.example/login")
    local = Hosts(linkedin, "http://127.0.0.1:8123")
    assert local.is_own("http://127.0.0.1:8123/login")
    assert not local.is_own("http://127.0.0.1:9999/login")
    assert not local.is_own("http://localhost:8123/login")


def test_the_user_agent_never_says_headless_and_travels_with_the_session() -> None:
    agent = user_agent_for("156.0.8078.114", "linux")
    assert agent == (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
    )
    saved = with_identity({"cookies": [], "origins": []}, agent)
    assert split_identity(saved) == ({"cookies": [], "origins": []}, agent)
    assert split_identity({"cookies": [], "origins": []}) == ({"cookies": [], "origins": []}, None)


def test_a_run_reuses_the_user_agent_the_session_was_made_with(session: Any) -> None:
    site = fake(settings={KEY: False})
    made_with = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36"
    store = MemoryStore(with_identity({"cookies": site.session_cookies(), "origins": []}, made_with))
    run(session, site, store=store)
    assert {r.headers.get("user-agent") for r in site.requests} == {made_with}
    assert store.saves == 1  # saved again by the run, not the state this test put there
    assert store.state is not None
    assert split_identity(store.state)[1] == made_with


def test_a_session_the_site_killed_is_not_saved(session: Any) -> None:
    site = fake(settings={KEY: False})
    cookies = site.session_cookies()
    store = MemoryStore({"cookies": cookies, "origins": []})

    def kill(req: Any, response: Any) -> Any:
        if req.path.startswith("/mypreferences/"):
            response.headers.append(("Set-Cookie", 'li_at="delete me"; Path=/; Secure; HttpOnly'))
        return response

    site.response_hooks.append(kill)
    run(session, site, store=store)
    assert store.saves == 0


# --- an app that signs in without leaving the page at once ----------------------------------------

APP_LOGIN = """<!DOCTYPE html><html><body><main>
<div id="app"><label for="«r0»">Email or phone</label><input id="«r0»" name="" autocomplete="username">
<label for="«r1»">Password</label><input id="«r1»" name="" type="password">
<button type="button" id="go">Sign in</button></div><div id="msg"></div></main>
<script>
document.getElementById('go').addEventListener('click', () => {
  window.__clicks = (window.__clicks || 0) + 1;
  const right = document.getElementById('«r1»').value === %r;
  document.getElementById('app').style.display = 'none';   // the app shows a spinner while it asks
  setTimeout(() => {
    if (right) { document.cookie = 'li_at=AQEDAR-fake; path=/'; location.assign('/feed/'); }
    else { document.getElementById('app').style.display = '';
           const m = document.getElementById('msg'); m.setAttribute('role', 'alert');
           m.textContent = 'Wrong email or password. Try again.'; }
  }, 700);
});
</script></body></html>"""


def _app(session: Any) -> Any:
    context = session.new_context()

    def serve(route: Any) -> None:
        feed = route.request.url.endswith("/feed/")
        body = "<html><body><main>Start a post</main></body></html>" if feed else APP_LOGIN % PASSWORD
        route.fulfill(status=200, headers={"content-type": "text/html"}, body=body)

    context.route("https://www.linkedin.com/**", serve)
    page = context.new_page()
    page.goto("https://www.linkedin.com/login")
    return page


def test_an_app_that_hides_its_form_while_it_signs_in_is_waited_for(session: Any) -> None:
    page = _app(session)
    signin = SignIn(load_catalog().site("linkedin"), SignInPolicy(Creds(), True), 5_000)
    assert signin.clear(page) is True
    assert page.url == "https://www.linkedin.com/feed/"
    page.context.close()


def test_an_app_that_answers_a_wrong_password_in_place_fails_after_one_click(session: Any) -> None:
    page = _app(session)
    signin = SignIn(
        load_catalog().site("linkedin"), SignInPolicy(Creds(password=SecretStr("not-it")), True), 5_000
    )
    with pytest.raises(LoginFailed):
        signin.clear(page)
    assert page.evaluate("window.__clicks") == 1
    page.context.close()


# --- a page that would carry the password elsewhere -----------------------------------------------

FORM_TO = """<!DOCTYPE html><html><body><form method="post" action="%s">
<label for="u">Email or phone</label><input id="u" name="session_key" autocomplete="username">
<label for="p">Password</label><input id="p" name="session_password" type="password">
<button type="submit">Sign in</button></form>
<script>document.addEventListener('input', () => fetch('/typed', {method: 'POST'}));</script></body></html>"""


def _foreign(session: Any, linkedin_body: str) -> tuple[Any, list[str]]:
    context = session.new_context()
    seen: list[str] = []

    def linkedin(route: Any) -> None:
        seen.append(f"{route.request.method} {route.request.url}")
        route.fulfill(status=200, headers={"content-type": "text/html"}, body=linkedin_body)

    def evil(route: Any) -> None:
        seen.append(f"{route.request.method} {route.request.url}")
        body = FORM_TO % "/checkpoint/lg/login-submit"
        route.fulfill(status=200, headers={"content-type": "text/html"}, body=body)

    context.route("https://www.linkedin.com/**", linkedin)
    context.route("https://evil.example/**", evil)
    return context.new_page(), seen


def test_a_sign_in_page_moved_to_another_host_by_a_script_gets_nothing(session: Any) -> None:
    page, seen = _foreign(session, "<script>location.replace('https://evil.example/login')</script>")
    page.goto("https://www.linkedin.com/login")
    page.wait_for_url("https://evil.example/**")
    signin = SignIn(load_catalog().site("linkedin"), SignInPolicy(Creds(), True), 3_000)
    with pytest.raises(ForeignHost, match="evil.example"):
        signin.clear(page)
    assert not [s for s in seen if s.startswith("POST")]
    assert signin.submitted is False
    page.context.close()


def test_a_sign_in_form_posting_to_another_host_gets_nothing(session: Any) -> None:
    page, seen = _foreign(session, FORM_TO % "https://evil.example/checkpoint/lg/login-submit")
    page.goto("https://www.linkedin.com/login")
    signin = SignIn(load_catalog().site("linkedin"), SignInPolicy(Creds(), True), 3_000)
    with pytest.raises(ForeignHost, match="another site"):
        signin.clear(page)
    assert page.input_value("#p") == ""
    assert not [s for s in seen if s.startswith("POST")]
    page.context.close()
