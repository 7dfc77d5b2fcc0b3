"""Dry-run evidence and the run report: every step shot, masked, private, readable offline."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from optout_bot.engine.options import RunOptions
from optout_bot.engine.recorder import ScreenshotRecorder
from optout_bot.model.loader import load_catalog
from optout_bot.model.outcomes import Result
from tests.fake import EMAIL, PASSWORD, Creds, MemoryStore, fake, run
from tests.test_cli import cli

KEY = "allowDataForGenerativeAI"
STEPS = ["signed-in", "settings", "data-privacy", "setting", "switch-read", "would-switch-off"]


def _run_folder(state: Path) -> Path:
    (folder,) = [p for p in (state / "runs").iterdir() if p.is_dir()]
    return folder


def test_demo_dry_run_writes_a_report_a_person_can_read(tmp_path: Path, page: Page) -> None:
    state = tmp_path / "state"
    result = cli("demo", "--dry-run", "--json", env={"OPTOUT_BOT_STATE_DIR": str(state)})
    assert result.returncode == 0, result.stderr
    folder = _run_folder(state)
    assert json.loads(result.stdout)["run_folder"] == str(folder)
    assert f"Run folder: {folder / 'index.html'}" in result.stderr
    steps = json.loads((folder / "steps.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in steps] == STEPS
    assert all((folder / s["screenshot"]).is_file() for s in steps)

    page.goto((folder / "index.html").as_uri())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dry run: nothing was changed")
    items = page.get_by_role("listitem")
    expect(items).to_have_count(len(STEPS))
    expect(items.nth(4)).to_contain_text("The switch reads ON")
    expect(items.nth(5)).to_contain_text("Dry run: would turn OFF 'Data for Generative AI Improvement'")
    page.get_by_text("Technical details").click()
    expect(page.get_by_role("cell", name="would-change")).to_be_visible()
    images = page.get_by_role("img")
    expect(images).to_have_count(len(STEPS))
    loaded = page.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    assert loaded, "every screenshot in the report loads offline"


def test_a_real_run_keeps_the_before_and_after_screenshots_in_a_private_folder(tmp_path: Path) -> None:
    """Not a dry run: every step is listed, but only the state as read and as read back are shot;
    the run folder is the person's alone (0700, its files 0600)."""
    state = tmp_path / "state"
    result = cli("demo", "--quiet", env={"OPTOUT_BOT_STATE_DIR": str(state)})
    assert result.returncode == 0, result.stderr
    folder = _run_folder(state)
    steps = json.loads((folder / "steps.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in steps] == ["switch-read", "switched-off", "verified"]
    assert [s["name"] for s in steps if s["screenshot"]] == ["switch-read", "verified"]
    assert sorted(p.name for p in folder.glob("*.png")) == [
        "01-switch-read.png",
        "03-verified.png",
    ]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_no_password_email_or_cookie_in_anything_a_run_writes(session: Any, tmp_path: Path) -> None:
    """Sign-in, evidence, a failure capture and the report: search every byte for secrets."""
    site = fake(settings={KEY: True})
    store = MemoryStore()
    mask = load_catalog().site("linkedin").private_css
    recorder = ScreenshotRecorder(tmp_path / "run", mask)
    report = run(
        session,
        site,
        RunOptions(dry_run=True, switch_timeout_ms=3_000),
        store=store,
        creds=Creds(),
        recorder=recorder,
    )
    assert report.outcomes[0].result is Result.WOULD_CHANGE
    failing = fake(variant="changed", settings={KEY: True})
    failed = run(
        session,
        failing,
        RunOptions(switch_timeout_ms=1_000),
        store=MemoryStore(store.state),
        recorder=ScreenshotRecorder(tmp_path / "failed", mask),
    )
    assert failed.outcomes[0].evidence, "a failure keeps a screenshot and the scrubbed page"
    assert store.state is not None
    cookie_values = [c["value"] for c in store.state["cookies"] if len(c["value"]) >= 8]
    assert cookie_values, "the run signed in and has session cookies to look for"
    secrets = [PASSWORD, EMAIL, *cookie_values]
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in written)
    assert any(p.suffix == ".png" for p in written)
    for path in written:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"{secret[:4]}… found in {path.name}"
    text = repr(report) + repr(failed)
    assert not any(secret in text for secret in secrets)


@pytest.mark.parametrize(
    ("path", "private"),
    [
        ("/login", ["#username", "#password"]),
        ("/feed/", ["img.global-nav__me-photo", "[data-test-member-name]"]),
    ],
)
def test_screenshot_masks_cover_sign_in_fields_and_the_member(
    page: Page, path: str, private: list[str]
) -> None:
    from optout_bot.testing import attach_routes

    site = fake()
    if path != "/login":
        page.context.add_cookies(site.session_cookies())
    attach_routes(page.context, site)
    page.goto(f"https://www.linkedin.com{path}")
    mask = ", ".join(load_catalog().site("linkedin").private_css)
    masked = page.locator(mask)
    for css in private:
        element = page.locator(css).first
        expect(element).to_be_attached()
        covered = element.evaluate("(el, sel) => el.matches(sel) || el.closest(sel) !== null", mask)
        assert covered, f"{css} is not masked"
    assert masked.count() >= len(private)


def test_trace_is_opt_in_private_and_never_holds_the_password(tmp_path: Path) -> None:
    state = tmp_path / "state"
    result = cli("demo", "--trace", "--quiet", env={"OPTOUT_BOT_STATE_DIR": str(state)})
    assert result.returncode == 0, result.stderr
    trace = _run_folder(state) / "trace.zip"
    assert f"Trace: {trace}" in result.stderr
    assert "session cookie" in result.stderr
    assert stat.S_IMODE(trace.stat().st_mode) == 0o600
    import zipfile

    with zipfile.ZipFile(trace) as archive:
        content = b"".join(archive.read(name) for name in archive.namelist())
    assert PASSWORD.encode() not in content
    assert os.fsencode("allowDataForGenerativeAI") in content, "the trace did record the signed-in pages"
