"""Finding the control by meaning, and getting past banners, on hand-written markup a real page could use.

Each page here is how the real page could differ from our fixtures (issue 12): the widget kind, how the
label is tied to it, what else sits beside it, what lies over it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from optout_bot.engine.obstacles import Obstacles
from optout_bot.engine.perceive import choose, click_target, locator_for, read_controls
from optout_bot.engine.recorder import NullRecorder
from optout_bot.errors import NeedsHuman, SiteChanged
from optout_bot.model.flowspec import SiteSpec, SwitchSpec
from optout_bot.model.loader import load_catalog
from optout_bot.model.pagespec import ObstacleSpec

AI = load_catalog().flow("linkedin.data-for-ai-improvement").switch
GROK = load_catalog().flow("x.grok-training").switch
LABEL = "Use my data for training content creation AI models"
TRAINING = "Allow your public data as well as your interactions, inputs, and results with Grok and xAI to be used for training and fine-tuning"


def _found(page: Page, spec: SwitchSpec) -> str | None:
    control = choose(read_controls(page, spec), spec, "the setting")
    if control is None:
        return None
    return locator_for(page, control).evaluate("el => el.id")


@pytest.mark.parametrize(
    "markup",
    [
        f'<span id="l">{LABEL}</span><input id="it" type="checkbox" role="switch" aria-labelledby="l" checked>',
        f'<input id="it" type="checkbox" checked><label for="it">{LABEL}</label>',
        f'<label><input id="it" type="checkbox" checked> {LABEL}</label>',
        f'<input id="it" type="checkbox" aria-label="{LABEL}" checked>',
        f'<div id="it" role="checkbox" aria-checked="true" tabindex="0">{LABEL}</div>',
        f'<button id="it" role="switch" aria-checked="true" aria-label="{LABEL}"></button>',
        f'<span id="d">{LABEL}</span><input id="it" type="checkbox" aria-describedby="d" checked>',
        # No name at all: the text beside it in its own row.
        f'<div class="row"><input id="it" type="checkbox" checked><span>{LABEL}</span></div><p>Other</p><input type="checkbox">',
        # Hidden native input, styled label (the usual custom switch).
        f'<input id="it" type="checkbox" style="display:none" checked><label for="it">{LABEL}</label>',
    ],
)
def test_every_widget_kind_is_found_by_its_words(page: Page, markup: str) -> None:
    page.set_content(f"<main>{markup}</main>")
    assert _found(page, AI) == "it"


def test_a_hidden_input_is_clicked_through_its_label(page: Page) -> None:
    page.set_content(
        f'<input id="it" type="checkbox" style="display:none" checked><label for="it">{LABEL}</label>'
    )
    (control,) = read_controls(page, AI)
    click_target(page, control).click()
    assert locator_for(page, control).is_checked() is False


def test_wording_drift_within_the_meaning_still_matches(page: Page) -> None:
    page.set_content(
        '<label><input id="it" type="checkbox" checked>Usar mis datos para entrenar modelos de IA de creación de contenido</label>'
    )
    assert _found(page, AI) == "it"


def test_the_only_control_on_the_page_is_not_taken_for_the_setting(page: Page) -> None:
    page.set_content(
        '<label><input id="it" type="checkbox" checked>Show my profile photo to everyone</label>'
    )
    assert _found(page, AI) is None


def test_position_never_decides_x_personalization_first(page: Page) -> None:
    page.set_content(
        '<label for="c1"><span id="CHECKBOX_1_LABEL">Allow X to personalize your experience with Grok</span></label>'
        '<input id="c1" type="checkbox" aria-describedby="CHECKBOX_1_LABEL">'
        f'<label for="c2"><span id="CHECKBOX_2_LABEL">{TRAINING}</span></label>'
        '<input id="c2" type="checkbox" aria-describedby="CHECKBOX_2_LABEL" checked>'
    )
    assert _found(page, GROK) == "c2"


def test_a_look_alike_that_does_not_speak_of_the_topic_is_refused(page: Page) -> None:
    spec = SwitchSpec(names={"en": [LABEL]}, topic={"en": ["cookies"]})
    page.set_content(f'<label><input type="checkbox" checked>{LABEL}</label>')
    with pytest.raises(SiteChanged, match="nothing on it speaks of the setting's topic"):
        _found(page, spec)


def test_two_controls_that_both_fit_are_never_guessed_between(page: Page) -> None:
    page.set_content(
        f'<label><input type="checkbox" checked>{LABEL}</label><label><input type="checkbox">{LABEL}.</label>'
    )
    with pytest.raises(SiteChanged, match="several controls"):
        _found(page, AI)


def test_a_key_points_at_its_control_even_among_look_alikes_of_another_topic(page: Page) -> None:
    """LinkedIn's ads-by-age and ads-by-gender labels differ by one word: key and topic decide."""
    age = load_catalog().flow("linkedin.ads-by-age").switch
    page.set_content(
        '<span id="g">Use my inferred gender to show me ads</span><input id="gender" type="checkbox" role="switch" aria-labelledby="g" checked>'
        '<span id="allowAdsByAge">Use my inferred age to show me ads</span><input id="age" type="checkbox" role="switch" aria-labelledby="allowAdsByAge" checked>'
    )
    assert _found(page, age) == "age"


# --- obstacles ---------------------------------------------------------------------------------

SITE = load_catalog().site("linkedin")


def _clear(page: Page, site: SiteSpec = SITE) -> tuple[list[str], list[str]]:
    page.evaluate("window.pressed = []")
    page.evaluate(
        "document.querySelectorAll('button').forEach(b => b.addEventListener('click', () => "
        "{ window.pressed.push(b.innerText || b.getAttribute('aria-label')); "
        "if (!b.dataset.stay) b.closest('[data-box]').remove(); }))"
    )
    page.evaluate(
        "document.addEventListener('keydown', e => { if (e.key === 'Escape') "
        "document.querySelectorAll('[data-escape]').forEach(b => b.remove()); })"
    )
    recorder = NullRecorder()
    left = Obstacles(page, site, recorder).clear()
    return page.evaluate("window.pressed"), left


@pytest.mark.parametrize(
    ("buttons", "pressed"),
    [
        (["Accept all", "Reject all"], ["Reject all"]),
        (["Accept", "Manage", "Only essential cookies"], ["Only essential cookies"]),
        (["Tout accepter", "Continuer sans accepter"], ["Continuer sans accepter"]),
        (["Alle akzeptieren", "Ablehnen"], ["Ablehnen"]),
        (["Accept"], []),  # no way to refuse: never accepted, left for the click check to report
    ],
)
def test_cookie_banners_are_refused_and_never_accepted(
    page: Page, buttons: list[str], pressed: list[str]
) -> None:
    html = "".join(f'<button data-stay="{"1" if b == "Manage" else ""}">{b}</button>' for b in buttons)
    page.set_content(f'<div role="dialog" data-box><p>We use cookies.</p>{html}</div><main>Page</main>')
    done, _ = _clear(page)
    assert done == pressed


@pytest.mark.parametrize(
    ("markup", "pressed"),
    [
        ('<button data-stay="1">Try Premium</button><button>Not now</button>', ["Not now"]),
        ('<button data-stay="1">Next</button><button>Skip tour</button>', ["Skip tour"]),
        ('<button aria-label="Dismiss">×</button>', ["×"]),
        ('<button data-stay="1">Add phone number</button><button data-stay="1">Close account</button>', []),
        ('<button data-stay="1">I agree to the new terms</button>', []),
    ],
)
def test_dialogs_are_dismissed_only_by_a_dismissing_button(
    page: Page, markup: str, pressed: list[str]
) -> None:
    page.set_content(
        f'<div role="dialog" aria-modal="true" data-box><h2>News</h2>{markup}</div><main>Page</main>'
    )
    done, _ = _clear(page)
    assert done == pressed


def test_a_dialog_without_a_safe_button_gets_the_escape_key(page: Page) -> None:
    page.set_content(
        '<div role="dialog" data-box data-escape><h2>Subscribe!</h2><button data-stay="1">Subscribe</button></div>'
    )
    done, left = _clear(page)
    assert done == []
    assert left == []
    assert page.locator("[role=dialog]").count() == 0


def test_a_dialog_that_holds_a_switch_may_be_the_setting_and_is_left_open(page: Page) -> None:
    page.set_content(
        f'<div role="dialog" data-box><label><input type="checkbox">{LABEL}</label><button>Close</button></div>'
    )
    done, _ = _clear(page)
    assert done == []


def test_a_site_declared_obstacle_and_its_button(page: Page) -> None:
    site = SITE.model_copy(
        update={
            "obstacles": [ObstacleSpec(kind="promo", css=[".upsell"], press={"fr": ["Plus tard, merci"]})]
        }
    )
    page.set_content(
        '<div class="upsell" style="position:fixed;top:0" data-box><button data-stay="1">Essayer</button><button>Plus tard, merci</button></div>'
    )
    done, _ = _clear(page, site)
    assert done == ["Plus tard, merci"]


def test_something_over_the_switch_that_stays_stops_for_a_person_naming_it(page: Page) -> None:
    page.set_content(
        f'<label><input id="it" type="checkbox" checked>{LABEL}</label>'
        '<div style="position:fixed;inset:0;background:#0008"><h2>Verify your phone number</h2>'
        "<button>Add phone number</button></div>"
    )
    (control,) = read_controls(page, AI)
    with pytest.raises(NeedsHuman, match="Verify your phone number"):
        Obstacles(page, SITE, NullRecorder()).uncover(click_target(page, control), "the switch")
    assert page.locator("input").is_checked()


def test_a_label_over_its_own_control_is_no_obstacle(page: Page) -> None:
    page.set_content(
        f'<div style="position:relative"><input id="it" type="checkbox" checked style="position:absolute;opacity:0">'
        f'<label for="it" style="position:relative">{LABEL}</label></div>'
    )
    (control,) = read_controls(page, AI)
    Obstacles(page, SITE, NullRecorder()).uncover(click_target(page, control), "the switch")
