"""Live progress while a run works: a rich status line on a terminal, plain lines otherwise.

It wraps the real recorder, so the engine still calls one observer and never prints.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from optout_bot.engine.recorder import Recorder
from optout_bot.i18n import _

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page


class ProgressRecorder:
    """Forwards every call to ``inner`` and shows the step with the elapsed time."""

    def __init__(self, inner: Recorder, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.inner = inner
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.started = time.monotonic()
        self._status: Any = None
        if not quiet and self.stream.isatty():
            from rich.console import Console

            self._status = Console(file=self.stream).status(_("Starting the browser…"))
            self._status.start()

    @property
    def folder(self) -> Path | None:
        """The inner recorder's folder, if it has one."""
        return getattr(self.inner, "folder", None)

    def _show(self, text: str) -> None:
        if self.quiet:
            return
        line = f"[{time.monotonic() - self.started:5.1f}s] {text}"
        if self._status is not None:
            self._status.update(line)
        else:
            print(f"  {line}", file=self.stream, flush=True)

    def begin(self, flow: str) -> None:
        self.inner.begin(flow)

    def step(self, name: str, page: Page, title: str, note: str = "", focus: Locator | None = None) -> None:
        self.inner.step(name, page, title, note, focus)
        self._show(title)

    def failure(self, name: str, page: Page, message: str) -> list[str]:
        self._show(_("failed: {message}").format(message=message))
        return self.inner.failure(name, page, message)

    @property
    def live(self) -> bool:
        """True while the status line is drawn (and would overwrite anything typed)."""
        return self._status is not None and not self._paused

    _paused = False

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Stop redrawing the status line while a person is asked something, then carry on."""
        status = self._status
        if status is None or self._paused:
            yield
            return
        status.stop()
        self._paused = True
        try:
            yield
        finally:
            self._paused = False
            if self._status is status:
                status.start()

    def asking(self, ask: Callable[[str], str | None]) -> Callable[[str], str | None]:
        """``ask`` with the status line paused: a spinner redrawn over a prompt hides what is typed."""

        def ask_paused(message: str) -> str | None:
            with self.paused():
                return ask(message)

        return ask_paused

    def close(self) -> None:
        """Stop the live status line (call before printing the summary)."""
        if self._status is not None:
            self._status.stop()
            self._status = None
