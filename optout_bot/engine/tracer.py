"""The optional Playwright trace of a run (``--trace``), kept to signed-in pages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext


class Tracer:
    """A Playwright trace that only ever covers signed-in pages.

    Started after the first page that needed no sign-in; stopped for good before any credential
    is typed, because a trace keeps typed values and request bodies (docs/evidence/tooling.md §11).
    """

    def __init__(self, context: BrowserContext, path: Path | None) -> None:
        self.context = context
        self.path = path
        self.running = False
        self.done = path is None

    def start(self) -> None:
        """Start once, if a trace was asked for and sign-in is behind us."""
        if not self.done and not self.running:
            self.context.tracing.start(screenshots=True, snapshots=True)
            self.running = True

    def stop(self) -> None:
        """Write a running trace (mode 0600); once written, it never starts again in this run."""
        if self.running and self.path is not None:
            self.context.tracing.stop(path=self.path)
            self.path.chmod(0o600)
            self.running = False
            self.done = True
