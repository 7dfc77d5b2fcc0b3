"""``optout-bot overview``: every account and platform at a glance; ``--html`` opened in a real browser."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from optout_bot.app.overview import build, pictures
from optout_bot.cli.main import raw_main
from optout_bot.model.platforms import load_platforms
from optout_bot.store import history
from optout_bot.store.config import load_config
from optout_bot.store.history import HistoryEntry
from tests.helpers import cli

AI = "linkedin.data-for-ai-improvement"
GROK = "x.grok-training"
CONFIG = '# my accounts\n[accounts.li]\nsite = "linkedin"\n\n[accounts.xme]\nsite = "x"\n\n[accounts.gpt]\nsite = "chatgpt"\n'


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("OPTOUT_BOT_STATE_DIR", str(tmp_path / "state"))
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def _entry(account: str, site: str, flow: str, **changes: Any) -> HistoryEntry:
    fields: dict[str, Any] = {
        "account": account,
        "site": site,
        "flow": flow,
        "command": "disable",
        "dry_run": False,
        "before": True,
        "after": False,
        "action": "switched-off",
        "result": "changed",
        "exit_status": 0,
    }
    return HistoryEntry(**{**fields, **changes})


def _run_folder(state: Path, name: str, shots: dict[str, bytes]) -> Path:
    folder = state / "runs" / name
    folder.mkdir(parents=True)
    steps = []
    for number, (step, png) in enumerate(shots.items(), start=1):
        (folder / f"{number:02d}-{step}.png").write_bytes(png)
        steps.append(
            {
                "number": number,
                "name": step,
                "title": step,
                "url_path": "/",
                "screenshot": f"{number:02d}-{step}.png",
            }
        )
    (folder / "steps.json").write_text(json.dumps(steps), encoding="utf-8")
    (folder / "index.html").write_text(
        "<!doctype html><title>run</title><h1>run report</h1>", encoding="utf-8"
    )
    return folder


def test_every_account_and_every_platform_has_a_row(world: Path) -> None:
    now = datetime.now(UTC)
    entries = [
        _entry("li", "linkedin", AI, time=now - timedelta(days=3), before=True, after=None, dry_run=True,
               action="would-switch-off", result="would-change"),
        _entry("li", "linkedin", AI, time=now),
        _entry("xme", "x", GROK, command="check", before=True, after=None, action="none", result="drift", exit_status=3),
    ]  # fmt: skip
    rows = build(load_config(), load_platforms(), entries, {AI: "Data for Generative AI Improvement"})
    by_account = {r.account: r for r in rows if r.account}
    assert by_account["li"].state == "Off"
    assert by_account["li"].tone == "good"
    assert by_account["li"].checked == now  # the newest entry wins over the older dry run
    assert "read again after reloading" in by_account["li"].how
    assert by_account["xme"].state == "On"
    assert by_account["xme"].next_step == "optout-bot disable --account xme"
    assert by_account["gpt"].state == "Not checked yet"
    others = {r.platform: r for r in rows if r.account is None}
    # Manual platforms from platforms.toml are listed too; the configured ones are not repeated.
    assert "LinkedIn" not in others
    assert others["Google Gemini"].next_step == "optout-bot guide gemini"
    assert len(rows) == 3 + len(load_platforms()) - 3


def test_a_failed_run_never_reads_as_off(world: Path) -> None:
    entries = [
        _entry("li", "linkedin", AI, before=None, after=None, action="none", result="failed", exit_status=7)
    ]
    (row,) = [r for r in build(load_config(), load_platforms(), entries, {}) if r.account == "li"]
    assert row.tone == "bad"
    assert row.state.startswith("Unknown")


def test_pictures_are_the_settings_own_before_and_after(tmp_path: Path) -> None:
    folder = _run_folder(
        tmp_path,
        "r1",
        {"switch-read": b"a", "other-setting-verified": b"b", "data-for-ai-improvement-x": b"c"},
    )
    assert pictures(folder, AI) == [folder / "03-data-for-ai-improvement-x.png"]
    assert pictures(folder, "linkedin.unknown") == [
        folder / "01-switch-read.png",
        folder / "03-data-for-ai-improvement-x.png",
    ]
    assert pictures(None, AI) == []


def test_the_terminal_table_names_every_account(
    world: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal: no cell is folded
    history.append(_entry("li", "linkedin", AI))
    assert raw_main(["overview"]) == 0
    out = capsys.readouterr().out
    for word in ("li", "xme", "gpt", "LinkedIn", "Off", "Not checked yet", "Google Gemini"):
        assert word in out
    assert "optout-bot disable --account xme --dry-run" in out


def test_the_html_page_in_a_real_browser(world: Path, page: Page, capsys: pytest.CaptureFixture[str]) -> None:
    page.set_content("<body style='background:#fff'><button role='switch' aria-checked='true'>On</button>")
    before = page.screenshot()
    page.set_content("<body style='background:#fff'><button role='switch' aria-checked='false'>Off</button>")
    after = page.screenshot()
    folder = _run_folder(world / "state", "2026-12-01-li", {"switch-read": before, "verified": after})
    history.append(_entry("li", "linkedin", AI, evidence=str(folder)))
    history.append(
        _entry("xme", "x", GROK, command="check", after=None, action="none", result="drift", exit_status=3)
    )
    target = world / "elsewhere" / "overview.html"
    assert raw_main(["overview", "--html", str(target)]) == 0
    assert str(target) in capsys.readouterr().err
    assert oct(target.stat().st_mode & 0o777) == "0o600"

    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(target.as_uri())
    expect(page.get_by_role("heading", name="Your accounts and platforms")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name="State")).to_be_visible()
    linkedin = table.get_by_role("row").filter(has_text="Data for Generative AI Improvement")
    expect(linkedin).to_contain_text("Off")
    expect(linkedin).to_contain_text("turned off, then read again after reloading the page")
    expect(table.get_by_role("row").filter(has_text="xme")).to_contain_text("On")
    expect(table.get_by_role("row").filter(has_text="Google Gemini")).to_contain_text(
        "optout-bot guide gemini"
    )
    for caption in ("Before", "After"):
        image = linkedin.get_by_role("img", name=f"{caption}: Data for Generative AI Improvement (li)")
        expect(image).to_be_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0") is True
    expect(linkedin.get_by_role("link", name="run report")).to_have_attribute(
        "href", "../state/runs/2026-12-01-li/index.html"
    )
    # One local page: nothing but the page itself and its pictures, all from the disk.
    assert requested
    assert all(url.startswith("file://") for url in requested), requested


def test_the_page_speaks_the_users_language(world: Path) -> None:
    from optout_bot import i18n
    from optout_bot.app import overview_html

    history.append(_entry("li", "linkedin", AI))
    rows_args = (load_config(), load_platforms(), history.read(), {})
    with i18n.speaking("fr"):
        page = overview_html.render(build(*rows_args), world / "o.html", datetime.now(UTC))
    assert "<html lang='fr'>" in page
    assert "Vos comptes et plateformes" in page
    assert "Désactivé" in page
    assert "Pas encore vérifié" in page  # the accounts never checked
    assert "Your accounts" not in page


def test_open_hands_the_page_to_the_web_browser(world: Path) -> None:

    # BROWSER is how Python's webbrowser (and xdg-open) pick a browser: a script stands in for it.
    opened = world / "opened.txt"
    browser = world / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{opened}"\n', encoding="utf-8")
    browser.chmod(0o755)
    target = world / "page.html"
    done = cli("overview", "--html", str(target), "--open", env={"BROWSER": f"{browser} %s"}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert opened.read_text(encoding="utf-8") == target.as_uri()
