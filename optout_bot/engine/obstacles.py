"""Getting past what stands in the way: cookie banners are refused, promos, dialogs and tours dismissed.

After each page load, and before each click, the page is searched (one round trip) for layers a person
would close first: dialogs and modal layers, fixed banners that speak of cookies, and the containers a
site declares in ``[[obstacles]]``. A cookie banner is answered only with its refusing button; anything
else only with a button whose whole name dismisses (Close, Skip, Not now… in seven languages), or the
Escape key. A button that agrees, allows, subscribes or adds a phone number is never pressed
(obstacle_words.py). Each dismissal is a step of the run's report. Before a click, what lies over the
control's centre (``elementFromPoint``) is the layer to close; if it stays, a person must look (exit 4).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from optout_bot.engine.meaning import contains_phrase, normalise
from optout_bot.engine.obstacle_words import CLOSE_SIGNS, COOKIE_WORDS, DISMISS, NEVER, REFUSE, TOUR_NOUNS
from optout_bot.errors import NeedsHuman
from optout_bot.i18n import _
from optout_bot.model.flowspec import SiteSpec

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from optout_bot.engine.recorder import Recorder

log = logging.getLogger(__name__)

MARK = "data-optout-layer"
"""Attribute put on a found layer so the same element can be pointed at again from Python."""
BUTTONS = 'button, [role="button"], input[type="button"], input[type="submit"], a[href]'
GENERIC_LAYERS = (
    '[role="dialog"], [role="alertdialog"], dialog[open], [aria-modal="true"], '
    '[id*="cookie" i], [class*="cookie" i], [id*="consent" i], [class*="consent" i]'
)
MAX_ROUNDS = 4

# Layers: visible, outermost first; a dialog that holds a switch or checkbox may be the setting
# itself and is left alone unless it speaks of cookies.
_FIND_LAYERS = """
([css, buttons, mark, cookieWords, declared]) => {
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden"
    && getComputedStyle(el).display !== "none";
  const found = [];
  let n = 0;
  // Banners without a role or a telling class: fixed boxes near the top of the document that speak of
  // cookies (a fixed header does not, and is left alone).
  const loose = Array.from(document.querySelectorAll("body > *, body > * > *")).filter((el) =>
    ["fixed", "sticky"].includes(getComputedStyle(el).position) &&
    cookieWords.some((w) => (el.innerText || "").toLowerCase().includes(w)));
  for (const el of [...document.querySelectorAll(css), ...loose]) {
    if (!shown(el) || found.some((f) => f.el.contains(el))) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;
    const text = (el.innerText || "").replace(/\\s+/g, " ").trim();
    const lower = text.toLowerCase();
    const cookie = cookieWords.some((w) => lower.includes(w)) ||
      declared.some(([kind, sel]) => kind === "cookie-banner" && el.matches(sel));
    const fixedOrModal = el.matches('[role="dialog"], [role="alertdialog"], dialog, [aria-modal="true"]') ||
      ["fixed", "sticky"].includes(getComputedStyle(el).position) ||
      declared.some(([kind, sel]) => el.matches(sel));
    if (!fixedOrModal) continue;  // a box in the page's flow covers nothing (the cookie switch's own row)
    if (!cookie && el.querySelector('input[type="checkbox"], [role="switch"], [role="checkbox"]')) continue;
    const id = "L" + (n++);
    el.setAttribute(mark, id);
    const label = (el.getAttribute("aria-label") ||
      (el.querySelector("h1, h2, h3, [role=heading]") || {}).innerText || text).slice(0, 80);
    const names = Array.from(el.querySelectorAll(buttons)).map((b) =>
      ((b.innerText || "").trim() || b.getAttribute("aria-label") || b.value || b.title || "").trim());
    found.push({ el, id, cookie, label: label.replace(/\\s+/g, " ").trim(), names });
  }
  return found.map(({ el, ...rest }) => rest);
}
"""

# What lies over the centre of ``el``, as the layer a person would close; null when nothing does.
_COVER = """
(el, [mark]) => {
  el.scrollIntoView({ block: "center", inline: "center" });
  const r = el.getBoundingClientRect();
  if (!r.width || !r.height) return null;
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  if (!hit || hit === el || el.contains(hit) || hit.contains(el)) return null;
  const label = hit.closest("label");
  if (label && (label.control === el || label.contains(el))) return null;
  // Only a layer over the page covers: a dialog, or a positioned box that does not hold the control
  // (a label or wrapper of the control's own row overlapping it is no obstacle).
  let layer = hit.closest('[role="dialog"], [role="alertdialog"], dialog, [aria-modal="true"]');
  if (!layer) {
    for (let a = hit; a && a !== document.body; a = a.parentElement) {
      if (["fixed", "sticky", "absolute"].includes(getComputedStyle(a).position)) layer = a;
    }
  }
  if (!layer || layer.contains(el)) return null;
  layer.setAttribute(mark, "cover");
  // Named as a person would: the dialog's own name (a backdrop usually holds the dialog), its heading,
  // else its text.
  const sel = '[role="dialog"], [role="alertdialog"], dialog, [aria-modal="true"]';
  const box = layer.matches(sel) ? layer : layer.querySelector(sel) || layer;
  const by = box.getAttribute("aria-labelledby");
  const named = by && document.getElementById(by.split(/\\s+/)[0]);
  const text = (box.getAttribute("aria-label") || layer.getAttribute("aria-label") ||
    (named && named.innerText) || (box.querySelector("h1, h2, h3, [role=heading]") || {}).innerText ||
    layer.innerText || layer.tagName);
  return text.replace(/\\s+/g, " ").trim().slice(0, 80);
}
"""


@dataclass(frozen=True)
class Layer:
    """A banner or dialog over the page, and the names of its buttons (in document order)."""

    id: str
    cookie: bool
    label: str
    names: list[str]


class Obstacles:
    """Refuses and dismisses what a site lays over its pages; see the module docstring."""

    def __init__(self, page: Page, site: SiteSpec, recorder: Recorder) -> None:
        self.page = page
        self.site = site
        self.recorder = recorder
        declared = [css for o in site.obstacles for css in o.css]
        self.css = ", ".join([GENERIC_LAYERS, *declared])
        self.declared = [[o.kind, css] for o in site.obstacles for css in o.css]
        self.extra_words = [w for o in site.obstacles for ws in o.press.values() for w in ws]
        self.press_css = [css for o in site.obstacles for css in o.press_css]

    def clear(self) -> list[str]:
        """Close every layer that can be closed; the labels of those that stay."""
        left: list[str] = []
        for _round in range(MAX_ROUNDS):
            layers = self._layers()
            if not layers:
                return []
            if not any(self._close(layer) for layer in layers):
                left = [layer.label for layer in layers]
                break
        return left

    def uncover(self, target: Locator, what: str) -> None:
        """Make sure a click on ``target`` reaches it; raise ``NeedsHuman`` when something stays over it."""
        from playwright.sync_api import Error as PlaywrightError

        for _round in range(MAX_ROUNDS):
            try:
                cover: str | None = target.evaluate(_COVER, [MARK])
            except PlaywrightError:
                return  # gone or detached: the click itself reports it
            if cover is None:
                return
            if not self._close_marked("cover", cover):
                break
        raise NeedsHuman(
            _("'{cover}' covers {what} and could not be closed safely; nothing was clicked").format(
                cover=cover, what=what
            ),
            kind="obstacle",
            remedy=_("open the page in a browser, close what covers it, then run again"),
        )

    # --- finding and closing ---------------------------------------------------------------------

    def _layers(self) -> list[Layer]:
        raw: list[dict[str, Any]] = self.page.evaluate(
            _FIND_LAYERS, [self.css, BUTTONS, MARK, COOKIE_WORDS, self.declared]
        )
        return [Layer(r["id"], r["cookie"], r["label"], r["names"]) for r in raw]

    def _close_marked(self, mark: str, label: str) -> bool:
        names: list[str] = (
            self.page.locator(f'[{MARK}="{mark}"]')
            .locator(BUTTONS)
            .evaluate_all(
                "bs => bs.map(b => ((b.innerText || '').trim() || b.getAttribute('aria-label') || b.value || '').trim())"
            )
        )
        text = self.page.locator(f'[{MARK}="{mark}"]').first.inner_text(timeout=2_000)
        cookie = contains_phrase(text, COOKIE_WORDS) is not None
        return self._close(Layer(mark, cookie, label, names))

    def _close(self, layer: Layer) -> bool:
        """Press the one safe button of ``layer`` (or Escape); True when the layer went away."""
        from playwright.sync_api import Error as PlaywrightError

        box = self.page.locator(f'[{MARK}="{layer.id}"]').first
        index = self._safe_button(layer)
        try:
            if index is not None:
                box.locator(BUTTONS).nth(index).click(timeout=2_000)
                how = f"'{layer.names[index]}'"  # the button's own words, as the page shows them
            elif not layer.cookie:
                self.page.keyboard.press("Escape")
                how = _("the Escape key")
            else:
                log.info("cookie banner '%s' has no refusing button", layer.label)
                return False
            box.wait_for(state="hidden", timeout=1_500)
        except PlaywrightError:
            return False
        if layer.cookie:
            title = _("Refused cookies on '{banner}' with {button}").format(banner=layer.label, button=how)
        else:
            title = _("Closed '{banner}' with {button}").format(banner=layer.label, button=how)
        self.recorder.step("refused-cookies" if layer.cookie else "dismissed", self.page, title)
        return True

    def _safe_button(self, layer: Layer) -> int | None:
        """The button to press: a refusal for a cookie banner, a dismissal otherwise; never one that agrees."""
        if self.press_css:
            box = self.page.locator(f'[{MARK}="{layer.id}"]').first
            for css in self.press_css:
                marked: list[bool] = box.locator(BUTTONS).evaluate_all(
                    "(bs, css) => bs.map(b => { try { return b.matches(css); } catch (e) { return false; } })",
                    css,
                )
                if any(marked):
                    return marked.index(True)
        for index, name in enumerate(layer.names):
            if _is_refusal(name, self.extra_words) if layer.cookie else _is_dismissal(name, self.extra_words):
                return index
        return None


def _is_refusal(name: str, extra: list[str]) -> bool:
    said = normalise(name)
    if not said or contains_phrase(said, ["accept all", "allow all", "agree", "subscribe", "phone"]):
        return False
    return contains_phrase(said, [*REFUSE, *extra]) is not None


def _is_dismissal(name: str, extra: list[str]) -> bool:
    if name.strip().lower() in CLOSE_SIGNS:
        return True
    said = normalise(name)
    if not said or contains_phrase(said, NEVER):
        return False
    dismissing = {normalise(w) for w in [*DISMISS, *extra]}
    if said in dismissing:
        return True
    # A dismissing word then what it dismisses ("Skip tour", "Ignorer la visite"), nothing else.
    return any(
        said == f"{d} {normalise(n)}" or said == f"{normalise(n)} {d}" for d in dismissing for n in TOUR_NOUNS
    )
