"""How a run goes: the one place where ``disable``, ``check``, ``status`` and ``--dry-run`` differ."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class RunOptions:
    """How to run; ``disable``, ``check`` and ``--dry-run`` differ only here."""

    mode: Literal["apply", "check", "status"] = "apply"
    fix: bool = False
    """With ``check``: switch a drifted setting off again (verified like ``apply``)."""
    dry_run: bool = False
    walk: bool | None = None
    """Click through the settings like a person; default: only in dry runs."""
    site_url: str | None = None
    """Replaces the site's base URL (a local copy of the site)."""
    timeout_ms: float = 15_000
    switch_timeout_ms: float = 10_000
    trace_path: Path | None = None
    """Record a Playwright trace here, started only once signed in (a trace records typed passwords)."""
    ignore_memory: bool = False
    """Forms: act as if history remembered no sending (``disable --resend``; ``capture``, which must see
    the form). It never sends by itself: status, check and dry runs still never submit, and the site's
    own "already received" notice still stops a sending."""

    @property
    def may_change(self) -> bool:
        """True when this run is allowed to click a switch."""
        return not self.dry_run and (self.mode == "apply" or (self.mode == "check" and self.fix))
