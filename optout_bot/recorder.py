"""Step evidence through one observer: the engine calls ``step``; flows never take screenshots.

``NullRecorder`` records nothing. ``ScreenshotRecorder`` writes numbered, masked screenshots and a
``steps.json`` into a private run folder (0700, files 0600); the HTML report is built from that
file. Failures always keep a screenshot and the page's HTML with secrets removed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from optout_bot.navigate import path_of
from optout_bot.paths import write_private
from optout_bot.scrub import scrub_page

if TYPE_CHECKING:
    from playwright.sync_api import Page

MASK_COLOR = "#000000"


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


class Recorder(Protocol):
    """What the engine reports to while it works."""

    def step(self, name: str, page: Page, title: str, note: str = "") -> None:
        """A step happened on ``page`` (``name`` is a slug, ``title`` a human sentence)."""

    def failure(self, name: str, page: Page, message: str) -> list[str]:
        """A step failed; return the paths of what was kept (screenshot, scrubbed HTML)."""


class NullRecorder:
    """Records nothing; the default for library use and quiet runs."""

    steps: list[StepRecord]

    def __init__(self) -> None:
        self.steps = []

    def step(self, name: str, page: Page, title: str, note: str = "") -> None:
        self.steps.append(StepRecord(len(self.steps) + 1, name, title, path_of(page.url), note))

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

    def _shoot(self, page: Page, stem: str) -> str | None:
        from playwright.sync_api import Error as PlaywrightError

        masks = [page.locator(css) for css in self.mask_css]
        try:
            png = page.screenshot(mask=masks, mask_color=MASK_COLOR, full_page=True, animations="disabled")
        except PlaywrightError:
            return None  # a closed or crashed page must not turn a result into a crash
        name = f"{stem}.png"
        write_private(self.folder / name, png)
        return name

    @classmethod
    def for_run(
        cls, folder: Path, mask_css: list[str], *, evidence: bool, dry_run: bool
    ) -> ScreenshotRecorder:
        """The recorder of a run: a dry run shoots every step a person would take; a real run with
        ``evidence`` keeps the before/after proof (``EVIDENCE_STEPS``); failures are always kept."""
        return cls(folder, mask_css, keep_steps=evidence or dry_run, only=None if dry_run else EVIDENCE_STEPS)

    def step(self, name: str, page: Page, title: str, note: str = "") -> None:
        number = len(self.steps) + 1
        prefix = f"{self.label}-" if self.label else ""
        wanted = self.keep_steps and (self.only is None or name in self.only)
        shot = self._shoot(page, f"{number:02d}-{prefix}{name}") if wanted else None
        self.steps.append(StepRecord(number, name, title, path_of(page.url), note, shot))
        if self.keep_steps:
            self._write_index()

    def failure(self, name: str, page: Page, message: str) -> list[str]:
        from playwright.sync_api import Error as PlaywrightError

        kept: list[str] = []
        number = len(self.steps) + 1
        prefix = f"{self.label}-" if self.label else ""
        stem = f"{number:02d}-{prefix}failed-{name}"
        shot = self._shoot(page, stem)
        if shot:
            kept.append(str(self.folder / shot))
        try:
            html = scrub_html(page.content())
        except PlaywrightError:
            html = ""
        if html:
            write_private(self.folder / f"{stem}.html", html.encode("utf-8"))
            kept.append(str(self.folder / f"{stem}.html"))
        self.steps.append(StepRecord(number, f"failed-{name}", message, path_of(page.url), "", shot))
        self._write_index()
        return kept

    def _write_index(self) -> None:
        data = json.dumps([asdict(s) for s in self.steps], indent=2).encode("utf-8")
        write_private(self.folder / "steps.json", data)
