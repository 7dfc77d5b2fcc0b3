"""Capture a flow's pages, scrubbed, as a fake-site folder that replays offline (issue #8).

``capture`` runs the flow read-only (``status`` with the click-through walk) and keeps each step's
HTML in memory through ``CaptureRecorder``; nothing unscrubbed is ever written. ``write_capture``
then learns the member's name across all pages, scrubs each page (``scrub.scrub_page``) and writes
the fixture format of fixtures/README.md: ``site.toml``, ``pages/*.html`` and ``capture.json``.
``replay_site`` turns such a folder back into a ``FakeSite``.
"""

from __future__ import annotations

import json
import re
import tomllib
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from optout_bot import __version__
from optout_bot.app.request import RunDeps, RunRequest, RunResult
from optout_bot.engine.navigate import path_of
from optout_bot.engine.recorder import StepRecord
from optout_bot.engine.scrub import learn, scrub_page
from optout_bot.errors import ConfigError, UsageError
from optout_bot.i18n import PAGE_LANGUAGES, _
from optout_bot.model.flowspec import FlowSpec, SiteSpec
from optout_bot.model.resources import fixtures_dir
from optout_bot.store.paths import write_private

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from optout_bot.testing import FakeSite

FORMAT = 1
NOT_FOUND = "pages/404.html"
_NOT_FOUND_PAGE = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not captured</title></head>\n<body><h1>This page was not captured</h1></body></html>\n"  # fmt: skip
_LANG = re.compile(r"<html\b[^>]*\blang=[\"']?([A-Za-z]{2,3})", re.I)
_CSS_ATTR = re.compile(r"\[\s*([\w:-]+)")
# The steps where a flow has read what it came for: a switch, a form, or the form's "received" notice.
_FLOW_READ = frozenset({"switch-read", "form-read", "already-sent"})


@dataclass
class CaptureRecorder:
    """A ``Recorder`` that keeps the HTML of every page a step ends on (raw, in memory only)."""

    pages: dict[str, str] = field(default_factory=dict)
    steps: list[StepRecord] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    walk: bool = True
    """False while the second, direct pass opens a setting page the walk never reached."""
    _segment: list[str] = field(default_factory=list)

    def _keep(self, page: Page) -> str:
        from playwright.sync_api import Error as PlaywrightError

        path = path_of(page.url)
        with suppress(PlaywrightError):  # a closed page: keep what earlier steps saw
            self.pages[path] = page.content()  # the latest visit wins: it has the most hydrated markup
        return path

    def begin(self, flow: str) -> None:
        """Pages are kept by path, whichever flow visits them."""

    def step(self, name: str, page: Page, title: str, note: str = "", focus: Locator | None = None) -> None:
        """Keep the page; a read switch (or form) ends one flow's walk."""
        path = self._keep(page)
        self.steps.append(StepRecord(len(self.steps) + 1, name, title, path, note))
        self._segment = [] if name in _FLOW_READ else [*self._segment, name]

    def failure(self, name: str, page: Page, message: str) -> list[str]:
        """Keep the page the flow failed on and which step it failed at."""
        path = self._keep(page)
        self.failures.append(
            {
                "flow": name,
                "path": path,
                "message": message,
                "after": ",".join(self._segment),
                "walk": self.walk,
            }
        )
        self._segment = []
        return []


def _failed_step(expected: list[str], failure: dict[str, Any], flow_path: str) -> str:
    """The first step of the flow's way that was not recorded before it failed."""
    if not failure["walk"]:
        return "switch-read" if failure["path"].rstrip("/") == flow_path.rstrip("/") else "open"
    done = set(failure["after"].split(",")) if failure["after"] else set()
    return next((n for n in expected if n not in done), expected[-1])


def _slug(path: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-").lower()
    return f"pages/{slug or 'index'}.html"


def to_toml(data: dict[str, Any]) -> str:
    """The manifest as TOML (tomlkit, the same writer as the config file's)."""
    import tomlkit

    return tomlkit.dumps(data)


def flow_selectors(site: SiteSpec, flows: list[FlowSpec]) -> set[str]:
    """Attribute names the flows select on, so the scrubber keeps them (``[data-litms-control-urn]``)."""
    text = json.dumps([site.model_dump(mode="json"), *(f.model_dump(mode="json") for f in flows)])
    return set(_CSS_ATTR.findall(text))


def template_manifest(site: str, fixtures_root: Path | None = None) -> dict[str, Any]:
    """The bundled fake's manifest of ``site``: cookie names, sign-in paths, switch markup."""
    path = (fixtures_root or fixtures_dir()) / site / "site.toml"
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError:
        raise ConfigError(
            _("no bundled fake site for {site!r} ({path} is missing)").format(site=site, path=path)
        ) from None


@dataclass(frozen=True)
class CaptureSummary:
    """What ``write_capture`` wrote."""

    folder: Path
    pages: dict[str, str]
    info: dict[str, Any]


def check_out(out: Path) -> None:
    """Refuse a folder that holds anything but an earlier capture (checked before the browser starts)."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / "capture.json").is_file())):
        raise UsageError(
            _("{out} is not empty and holds no earlier capture; choose another --out").format(out=out)
        )


def _prepare(out: Path) -> None:
    check_out(out)
    for old in (out / "pages").glob("*.html") if out.is_dir() else []:
        old.unlink()


def write_capture(
    out: Path,
    recorder: CaptureRecorder,
    site: SiteSpec,
    flows: list[FlowSpec],
    *,
    outcomes: list[dict[str, Any]] | None = None,
    known: set[str] | None = None,
    same_site: set[str] | None = None,
    template: dict[str, Any] | None = None,
) -> CaptureSummary:
    """Scrub every kept page and write ``out`` in the fixture format, plus ``capture.json``."""
    _prepare(out)
    everywhere = set(known or ())
    for html in recorder.pages.values():
        everywhere |= learn(html)  # a name seen on one page is removed from all of them
    keep_ids = {f.switch.labelledby for f in flows if f.switch.labelledby}
    hosts = {*(same_site or ()), *site.allowed_hosts, urlsplit(site.base_url).netloc}
    keep_attrs = flow_selectors(site, flows)
    pages: dict[str, str] = {}
    today = datetime.now(UTC).date().isoformat()
    for path, html in recorder.pages.items():
        pages[path] = _slug(path)
        clean = scrub_page(html, keep_ids=keep_ids, known=everywhere, keep_attrs=keep_attrs, same_site=hosts)
        # Like the hand-made fixtures, each page says what it is a copy of (fixtures/README.md).
        note = f"<!-- Captured: {path} of {site.title}, {today}, optout-bot {__version__}; scrubbed. -->\n"
        write_private(out / pages[path], (note + clean).encode("utf-8"))
    write_private(out / NOT_FOUND, _NOT_FOUND_PAGE.encode("utf-8"))

    manifest = dict(template or template_manifest(site.name))
    manifest.update(base_url=site.base_url, not_found=NOT_FOUND, pages=pages)
    manifest["redirects"] = {k: v for k, v in manifest.get("redirects", {}).items() if k not in pages}
    auth = dict(manifest["auth"])
    login = next((p for p in pages if any(p.startswith(x) for x in ("/login", "/uas/login"))), None)
    auth["error_page"] = pages[login] if login else NOT_FOUND
    manifest["auth"] = auth
    header = f"# A capture of {site.title} by optout-bot {__version__} (scrubbed; see capture.json).\n"
    write_private(out / "site.toml", (header + to_toml(manifest)).encode("utf-8"))

    first = next(iter(recorder.pages.values()), "")
    match = _LANG.search(first)
    expected = {f.name.split(".")[-1]: ["signed-in", *(s.name for s in site.nav), *(s.name for s in f.steps), "switch-read" if f.form is None else "form-read"] for f in flows}  # fmt: skip
    paths = {f.name.split(".")[-1]: f.path for f in flows}
    failures = [
        {
            "flow": f["flow"],
            "path": f["path"],
            "walk": f["walk"],
            "failed_step": _failed_step(expected.get(f["flow"], ["?"]), f, paths.get(f["flow"], "")),
            "message": f["message"],
        }
        for f in recorder.failures
    ]
    signed_out = "authwall" if "/authwall" in pages else "rememberme" if "/checkpoint/lg/login-submit" in pages else "login"  # fmt: skip
    info: dict[str, Any] = {
        "format": FORMAT,
        "captured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tool_version": __version__,
        "site": site.name,
        "language": match.group(1).lower() if match else "en",
        "flows": [{"name": f.name, "switch": f.switch.labelledby} for f in flows],
        "signed_in": any(s.name == "signed-in" for s in recorder.steps),
        "signed_out_page": signed_out,
        "steps": [
            {"name": s.name, "path": s.url_path, "file": pages.get(s.url_path)} for s in recorder.steps
        ],
        "failures": failures,
        "outcomes": outcomes or [],
    }
    write_private(
        out / "capture.json", (json.dumps(info, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    )
    return CaptureSummary(out, pages, info)


def capture(
    request: RunRequest, out: Path, *, known: set[str] | None = None, deps: RunDeps | None = None
) -> tuple[CaptureSummary, list[RunResult]]:
    """Run ``request`` read-only along the click-through path and write the scrubbed capture.

    When the walk breaks before a setting page (the menu changed, say), a second pass opens that
    page by its URL, so the capture holds both where the walk broke and the setting itself.
    """
    from optout_bot.app.render import outcome_json
    from optout_bot.app.runner import chosen_flows, execute

    site, flows = chosen_flows(request)
    check_out(out)
    recorder = CaptureRecorder()
    deps = replace(deps or RunDeps(), recorder_factory=lambda folder, mask: recorder)
    # Read-only whatever the caller built: a capture never clicks a switch. ignore_memory: a form
    # history remembers as sent is still opened (and, in status, never sent).
    options = replace(request.options, mode="status", walk=True, dry_run=False, fix=False, ignore_memory=True)
    walk = replace(request, command="status", options=options, record_history=False, evidence=False)
    results = [execute(walk, deps)]
    missing = tuple(f.name for f in flows if f.path not in recorder.pages)
    if missing and any(s.name == "signed-in" for s in recorder.steps):
        recorder.walk = False
        results.append(execute(replace(walk, flows=missing, options=replace(options, walk=False)), deps))
    outcomes = [
        {**outcome_json(o), "walk": index == 0}
        for index, result in enumerate(results)
        for o in result.outcomes
    ]
    hosts = {urlsplit(options.site_url).netloc} if options.site_url else set()
    summary = write_capture(out, recorder, site, flows, outcomes=outcomes, known=known, same_site=hosts)
    return summary, results


def load_info(folder: Path) -> dict[str, Any]:
    """``capture.json`` of a capture folder (a ``UsageError`` when it is not one)."""
    try:
        info: dict[str, Any] = json.loads((folder / "capture.json").read_text("utf-8"))
    except (OSError, ValueError):
        raise UsageError(
            _("{folder} is not a capture (no readable capture.json)").format(folder=folder)
        ) from None
    if info.get("format") != FORMAT:
        raise UsageError(
            _("{folder}: capture format {found!r} is not supported (want {wanted})").format(
                folder=folder, found=info.get("format"), wanted=FORMAT
            )
        )
    return info


def replay_site(folder: Path, start_on: bool = True) -> FakeSite:
    """A fake site that serves the capture in ``folder``; its switches start ON (or OFF)."""
    from optout_bot.testing import FakeSite, FixtureError, Scenario

    folder = folder.resolve()
    info = load_info(folder)
    language = info.get("language", "en")
    scenario = Scenario(
        site=folder.name,
        fixtures_root=folder.parent,
        settings={f["switch"]: start_on for f in info.get("flows", []) if f.get("switch")},
        language=language if language in PAGE_LANGUAGES else "en",
        signed_out_page=info.get("signed_out_page", "login"),
    )
    try:
        return FakeSite(scenario)
    except FixtureError as exc:  # a capture folder edited by hand, or cut short
        raise UsageError(
            _("{folder} cannot be replayed: {problem}").format(folder=folder, problem=exc),
            _("capture the site again with 'optout-bot capture'"),
        ) from None
