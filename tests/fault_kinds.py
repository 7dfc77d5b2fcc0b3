"""The faults the fault matrix injects into the fake site (issue #5): the ways a real site fails, as data.

A fault matches a request by path glob (``fnmatch``; ``*`` also matches ``/``) and method, lets the
first ``after`` matching requests through, then fires ``times`` times (``None``: for good), so a test
can make a retry succeed or run out. Some kinds only ever consider the requests they make sense for:
save faults the settings API, page faults (overlay, vanishing switch) HTML pages answered 200,
checkpoints private pages. ``tests/fault_site.py`` makes a fake site that injects them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class FaultBase(BaseModel):
    """Which requests a fault applies to, and how often it fires."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = "*"
    """fnmatch pattern of the request path (no query)."""
    method: str | None = None
    """Only requests with this method (e.g. ``GET``); None: any."""
    after: int = Field(default=0, ge=0)
    """Let this many matching requests through first (e.g. 1: "after the first page load")."""
    times: int | None = Field(default=None, ge=1)
    """Then fire this many times; None: on every later match."""


class HttpError(FaultBase):
    """Answer with an error status instead of the page: 5xx, 429 (with Retry-After), LinkedIn's 999."""

    kind: Literal["http"] = "http"
    status: int = Field(default=500, ge=400, le=999)
    retry_after: str | None = None
    """Value of a ``Retry-After`` header (seconds or an HTTP date)."""


class NetworkFailure(FaultBase):
    """No answer at all: the browser sees ``net::ERR_TIMED_OUT`` (or another network error)."""

    kind: Literal["network"] = "network"
    error: Literal["timedout", "failed", "connectionreset", "connectionrefused"] = "timedout"
    hang_ms: int = Field(default=60_000, ge=0)
    """Over real HTTP (no route to abort): how long the answer is held back."""


class Slow(FaultBase):
    """The answer comes, late. Longer than the client's timeout, it is a timeout too."""

    kind: Literal["slow"] = "slow"
    delay_ms: int = Field(ge=0)


class SaveFails(FaultBase):
    """The settings API answers an error; the page's script shows a toast and puts the switch back."""

    kind: Literal["save-fails"] = "save-fails"
    status: int = Field(default=500, ge=400, le=599)


class SaveNotPersisted(FaultBase):
    """The settings API answers success but keeps nothing: a reload shows the old state."""

    kind: Literal["save-not-persisted"] = "save-not-persisted"


class SessionExpires(FaultBase):
    """Every session ends at this request, which is then answered as signed out."""

    kind: Literal["session-expires"] = "session-expires"


class Checkpoint(FaultBase):
    """A private page redirects to a security check (the check itself needs a person)."""

    kind: Literal["checkpoint"] = "checkpoint"
    challenge: str = "email-pin"
    """A key of ``challenges.kinds`` in the site manifest."""


class SwitchVanishes(FaultBase):
    """Every switch on the page is removed the moment the pointer reaches it (read works, click can't)."""

    kind: Literal["switch-vanishes"] = "switch-vanishes"


class Overlay(FaultBase):
    """A consent dialog covers the whole page; nothing under it can be clicked."""

    kind: Literal["overlay"] = "overlay"


Fault = Annotated[
    HttpError
    | NetworkFailure
    | Slow
    | SaveFails
    | SaveNotPersisted
    | SessionExpires
    | Checkpoint
    | SwitchVanishes
    | Overlay,
    Field(discriminator="kind"),
]
"""One fault; ``kind`` says which."""

FAULTS = TypeAdapter(list[Fault])
"""Validates a list of faults written as plain data (``{"kind": "http", "status": 502}``)."""
