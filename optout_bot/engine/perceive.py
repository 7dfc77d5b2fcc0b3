"""Finding a setting's control as a person would: by what it says, not by where it sits.

Every switch and checkbox on the page (``role=switch``, ``role=checkbox``, native checkboxes) is read
in one browser round trip with its accessible name, its description (``aria-describedby``) and the text
of its own row. A control is the flow's when its stable key (``labelledby``/``css``) or its name matches
(meaning.py: a similarity of at least ``NAME_THRESHOLD`` to a known name in any language); the flow acts
only when exactly one control matches AND its name, description or row speaks of the flow's topic.
Position, ordinal ids and "the only control on the page" never decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from optout_bot.engine.meaning import NAME_THRESHOLD, mentions, similarity, speaks_of
from optout_bot.errors import SiteChanged
from optout_bot.model.flowspec import SwitchSpec

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

CONTROLS = 'input[type="checkbox"], [role="switch"], [role="checkbox"]'
"""Everything a person would call a switch or a checkbox."""

# One round trip: for every control, what a screen reader would announce, plus its own row's text.
_READ_CONTROLS = """
(els, args) => {
  const [key, cssList, selector] = args;
  const textOf = (ids) => (ids || "").split(/\\s+/).filter(Boolean)
    .map((id) => document.getElementById(id)).filter(Boolean)
    .map((n) => (n.innerText || n.textContent || "").trim()).join(" ");
  const shown = (el) => !!el && el.getClientRects().length > 0 &&
    getComputedStyle(el).visibility !== "hidden";
  const matches = (el, css) => { try { return el.matches(css); } catch (e) { return false; } };
  return els.map((el) => {
    let name = textOf(el.getAttribute("aria-labelledby")) || (el.getAttribute("aria-label") || "").trim();
    const labels = el.labels ? Array.from(el.labels) : [];
    if (!name && labels.length) name = labels.map((l) => (l.innerText || l.textContent || "").trim()).join(" ");
    if (!name && el.tagName !== "INPUT") name = (el.innerText || el.textContent || "").trim();
    if (!name) name = (el.getAttribute("title") || "").trim();
    // The row: the largest ancestor that holds this control and no other (capped, not a whole page).
    let row = el;
    while (row.parentElement && row.parentElement !== document.body &&
           row.parentElement.querySelectorAll(selector).length === 1 &&
           (row.parentElement.innerText || "").length <= 600) row = row.parentElement;
    const visibleLabel = labels.find(shown);
    return {
      name: name.replace(/\\s+/g, " "),
      description: textOf(el.getAttribute("aria-describedby")).replace(/\\s+/g, " "),
      row: (row === el ? "" : (row.innerText || "")).replace(/\\s+/g, " ").slice(0, 600),
      keyed: (!!key && (el.getAttribute("aria-labelledby") || "").split(/\\s+/).includes(key))
        || cssList.some((css) => matches(el, css)),
      shown: shown(el),
      viaLabel: !shown(el) && !!visibleLabel,
    };
  });
}
"""


@dataclass(frozen=True)
class Control:
    """One switch or checkbox as the page presents it."""

    index: int
    """Its place among ``CONTROLS`` right now: only to point at it again, never to choose it."""
    name: str
    description: str
    row: str
    keyed: bool
    shown: bool
    via_label: bool

    def score(self, spec: SwitchSpec) -> float:
        """How well this control's words match the flow's known names (0–100)."""
        known = [n for names in spec.names.values() for n in names]
        best = max(similarity(self.name, known), similarity(self.description, known))
        if not self.name and not self.description:
            best = mentions(self.row, known)  # an unlabelled control: read the text beside it
        return best

    def matches(self, spec: SwitchSpec) -> bool:
        """Its key or its words say it is the flow's control."""
        return self.keyed or self.score(spec) >= NAME_THRESHOLD

    def on_topic(self, spec: SwitchSpec) -> bool:
        """Its name or description speaks of the flow's topic in a known language. The row's text counts
        only for a control with neither: a row may reach up to the page's own question, which speaks of
        the topic whatever the control beside it is."""
        words = [w for ws in spec.topic.values() for w in ws]
        own = f"{self.name} {self.description}".strip()
        return speaks_of(own or self.row, words)

    @property
    def label(self) -> str:
        """How to name it in logs and messages."""
        return self.name or self.description or self.row[:80] or "(no name)"


def read_controls(page: Page, spec: SwitchSpec) -> list[Control]:
    """Every switch and checkbox a person could use now (shown, or shown through its label)."""
    raw: list[dict[str, Any]] = page.locator(CONTROLS).evaluate_all(
        _READ_CONTROLS, [spec.labelledby or "", list(spec.css), CONTROLS]
    )
    found = [
        Control(i, r["name"], r["description"], r["row"], r["keyed"], r["shown"], r["viaLabel"])
        for i, r in enumerate(raw)
    ]
    return [c for c in found if c.shown or c.via_label]


def choose(controls: list[Control], spec: SwitchSpec, title: str) -> Control | None:
    """The flow's control, or None when none matches yet. A match must be the only control whose key
    or name matches AND whose words speak of the topic; several such controls, or a matching one that
    says nothing of the topic, raise (a person should look: nothing is touched)."""
    matching = [c for c in controls if c.matches(spec)]
    if not matching:
        return None
    on_topic = [c for c in matching if c.on_topic(spec)]
    if len(on_topic) > 1:
        names = "; ".join(f"'{c.label[:60]}'" for c in on_topic[:3])
        raise SiteChanged(f"several controls could be '{title}' ({names}); none was touched")
    if not on_topic:
        raise SiteChanged(
            f"the control '{matching[0].label[:80]}' looks like '{title}' but nothing on it speaks of the "
            "setting's topic; it was not touched"
        )
    return on_topic[0]


def locator_for(page: Page, control: Control) -> Locator:
    """The element to read (the control itself)."""
    return page.locator(CONTROLS).nth(control.index)


def click_target(page: Page, control: Control) -> Locator:
    """What a person clicks: the control, or its visible label when the control itself is hidden."""
    element = locator_for(page, control)
    if control.via_label:
        label_id = element.get_attribute("id")
        if label_id:
            return page.locator(f'label[for="{label_id}"]').locator("visible=true").first
        return element.locator("xpath=ancestor::label[1]")
    return element


def page_mentions(page: Page, spec: SwitchSpec) -> float:
    """How well the page's visible text carries one of the control's known names (0–100)."""
    known = [n for names in spec.names.values() for n in names]
    return mentions(page.locator("body").inner_text(timeout=2_000), known) if known else 0.0
