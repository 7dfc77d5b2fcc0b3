"""Step evidence through one observer: the engine calls ``step``; flows never take screenshots.

``NullRecorder`` records nothing. ``ScreenshotRecorder`` writes numbered, masked screenshots and a
``steps.json`` into a private run folder (0700, files 0600); the HTML report is built from that
file. Failures always keep a screenshot and the page's HTML with secrets removed.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from optout_bot.engine.navigate import path_of
from optout_bot.engine.scrub import scrub_page
from optout_bot.errors import StateDirError
from optout_bot.i18n import _
from optout_bot.store.paths import write_private

if TYPE_CHECKING:
    from playwright._impl._api_structures import Clip
    from playwright.sync_api import Locator, Page

log = logging.getLogger(__name__)

MASK_COLOR = "#000000"
# The control a step is about is outlined in this colour in its screenshot (a style set only for the
# shot and removed right after; the page's own state is never touched).
OUTLINE = "3px solid #d1157a"
# Around the control: the row that holds its label, plus a margin that shows its neighbours (the
# question above it, the explanation below).
MARGIN_X, MARGIN_Y = 24, 100
MAX_ROW_HEIGHT = 360

_OUTLINE_JS = """(el, outline) => {
  const was = [el.style.outline, el.style.outlineOffset];
  el.style.outline = outline; el.style.outlineOffset = '3px';
  return was;
}"""
_RESTORE_JS = "(el, was) => { el.style.outline = was[0]; el.style.outlineOffset = was[1]; }"
# The control's row: the nearest ancestor whose content (text included, measured with a Range so a
# full-width block counts only as wide as what it shows) is wide enough to hold a label; viewport
# coordinates, or null when none fits.
_ROW_JS = """(el, maxHeight) => {
  for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (r.height > maxHeight) break;
    if (r.width >= 280) return {x: r.x, y: r.y, width: r.width, height: r.height};
  }
  return null;
}"""


@dataclass
class StepRecord:
    """One step of a run as a person would read it."""

    number: int
    name: str
    title: str
    url_path: str
    note: str = ""
    screenshot: str | None = None
    time: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    flow: str = ""
    """The flow the step belongs to ("" before the first flow)."""
    close_up: bool = False
    """The screenshot is a close-up of the control, outlined."""


class Recorder(Protocol):
    """What the engine reports to while it works."""

    def begin(self, flow: str) -> None:
        """The steps from now on belong to ``flow`` (its name)."""

    def step(self, name: str, page: Page, title: str, note: str = "", focus: Locator | None = None) -> None:
        """A step happened on ``page`` (``name`` is a slug, ``title`` a human sentence; ``focus``: the
        control it is about, outlined and shown close up)."""

    def failure(self, name: str, page: Page, message: str) -> list[str]:
        """A step failed; return the paths of what was kept (screenshot, scrubbed HTML)."""


class NullRecorder:
    """Records nothing; the default for library use and quiet runs."""

    steps: list[StepRecord]

    def __init__(self) -> None:
        self.steps = []
        self.flow = ""

    def begin(self, flow: str) -> None:
        self.flow = flow

    def step(self, name: str, page: Page, title: str, note: str = "", focus: Locator | None = None) -> None:
        self.steps.append(
            StepRecord(len(self.steps) + 1, name, title, path_of(page.url), note, flow=self.flow)
        )

    def failure(self, name: str, page: Page, message: str) -> list[str]:
        return []


def scrub_html(html: str) -> str:
    """Page HTML without scripts, personal data, tokens or anything it would fetch (see ``scrub``)."""
    return scrub_page(html, keep_ids=())


# The before/after proof of a real run: the state as read, the state read back after the reload, and
# for forms the filled form and the site's answer. The click itself proves nothing a reload does not,
# and each full-page screenshot costs about a tenth of a second (bench/run.py, issue 6).
EVIDENCE_STEPS = frozenset({"switch-read", "verified", "form-filled", "confirmation", "already-sent"})


class ScreenshotRecorder:
    """Masked, numbered screenshots in ``folder``; failure captures; a ``steps.json`` index."""

    def __init__(
        self,
        folder: Path,
        mask_css: list[str],
        keep_steps: bool = True,
        label: str = "",
        only: frozenset[str] | None = None,
    ) -> None:
        """``keep_steps``: screenshot the steps at all; ``only``: just these step names (None: every step)."""
        # The folder is created on the first write, so a clean read-only run leaves nothing behind.
        self.folder = folder
        self.mask_css = mask_css
        self.keep_steps = keep_steps
        self.only = only
        self.label = label
        self.steps: list[StepRecord] = []
        self.flow = ""

    def begin(self, flow: str) -> None:
        self.flow = flow

    def _shoot(self, page: Page, stem: str, focus: Locator | None = None) -> tuple[str | None, bool]:
        """The masked screenshot's file name (None when the page cannot be shot) and whether it is a
        close-up of ``focus``."""
        from playwright.sync_api import Error as PlaywrightError

        masks = [page.locator(css) for css in self.mask_css]
        png = close_up(page, focus, masks) if focus is not None else None
        closer = png is not None
        if png is None:
            try:
                png = page.screenshot(
                    mask=masks, mask_color=MASK_COLOR, full_page=True, animations="disabled"
                )
            except PlaywrightError:
                return None, False  # a closed or crashed page must not turn a result into a crash
        name = f"{stem}.png"
        if not self._write(name, png):
            return None, False
        return name, closer

    def _write(self, name: str, data: bytes) -> bool:
        """Evidence is kept when it can be: a full disk must not turn a result into a failure."""
        try:
            write_private(self.folder / name, data)
        except StateDirError as exc:
            log.warning(
                "%s",
                _("A screenshot could not be kept: {why}").format(why=exc.message),
                extra={"plain": True},
            )
            return False
        return True

    @classmethod
    def for_run(
        cls, folder: Path, mask_css: list[str], *, evidence: bool, dry_run: bool
    ) -> ScreenshotRecorder:
        """The recorder of a run: a dry run shoots every step a person would take; a real run with
        ``evidence`` keeps the before/after proof (``EVIDENCE_STEPS``); failures are always kept."""
        return cls(folder, mask_css, keep_steps=evidence or dry_run, only=None if dry_run else EVIDENCE_STEPS)

    def step(self, name: str, page: Page, title: str, note: str = "", focus: Locator | None = None) -> None:
        number = len(self.steps) + 1
        prefix = f"{self.label}-" if self.label else ""
        wanted = self.keep_steps and (self.only is None or name in self.only)
        shot, closer = self._shoot(page, f"{number:02d}-{prefix}{name}", focus) if wanted else (None, False)
        self.steps.append(
            StepRecord(number, name, title, path_of(page.url), note, shot, flow=self.flow, close_up=closer)
        )
        if self.keep_steps:
            self._write_index()

    def failure(self, name: str, page: Page, message: str) -> list[str]:
        from playwright.sync_api import Error as PlaywrightError

        kept: list[str] = []
        number = len(self.steps) + 1
        prefix = f"{self.label}-" if self.label else ""
        stem = f"{number:02d}-{prefix}failed-{name}"
        shot, _ = self._shoot(page, stem)
        if shot:
            kept.append(str(self.folder / shot))
        try:
            html = scrub_html(page.content())
        except PlaywrightError:
            html = ""
        if html and self._write(f"{stem}.html", html.encode("utf-8")):
            kept.append(str(self.folder / f"{stem}.html"))
        self.steps.append(
            StepRecord(number, f"failed-{name}", message, path_of(page.url), "", shot, flow=self.flow)
        )
        self._write_index()
        return kept

    def _write_index(self) -> None:
        data = json.dumps([asdict(s) for s in self.steps], indent=2).encode("utf-8")
        self._write("steps.json", data)


def close_up(page: Page, focus: Locator, masks: list[Locator]) -> bytes | None:
    """A masked screenshot of ``focus`` outlined, cropped to it and its row or card; None when the
    control cannot be shown (then the caller shoots the whole page)."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        focus.scroll_into_view_if_needed(timeout=2_000)
        box = focus.bounding_box(timeout=2_000)
        viewport = page.viewport_size or page.evaluate("({width: innerWidth, height: innerHeight})")
        if box is None or not box["width"]:
            return None
        # Its row when one is found, else a fixed margin that holds a label beside it.
        near = focus.evaluate(_ROW_JS, MAX_ROW_HEIGHT) or {
            "x": box["x"] - 400,
            "y": box["y"],
            "width": box["width"] + 800,
            "height": box["height"],
        }
        x = max(0.0, min(box["x"], near["x"]) - MARGIN_X)
        y = max(0.0, min(box["y"], near["y"]) - MARGIN_Y)
        right = max(box["x"] + box["width"], near["x"] + near["width"]) + MARGIN_X
        bottom = max(box["y"] + box["height"], near["y"] + near["height"]) + MARGIN_Y
        clip: Clip = {
            "x": x,
            "y": y,
            "width": min(viewport["width"], right) - x,
            "height": min(viewport["height"], bottom) - y,
        }
        if clip["width"] < 8 or clip["height"] < 8:
            return None
        was = focus.evaluate(_OUTLINE_JS, OUTLINE)
        try:
            return page.screenshot(clip=clip, mask=masks, mask_color=MASK_COLOR, animations="disabled")
        finally:
            focus.evaluate(_RESTORE_JS, was)  # the page looks as it did before the shot
    except PlaywrightError:
        return None
