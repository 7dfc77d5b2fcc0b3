"""Issue 15, item 4: a report a person trusts, read in a real browser by roles and text.

The outcome in plain words, local time with its zone, the setting's way in words, the switch
outlined in a close-up, codes only in a details block; a form's typed values partly masked, and the
whole phone number or e-mail address in no file and no output (scanned byte by byte).
"""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from optout_bot.cli.demo import DEMO_PHONE
from tests.test_cli import cli

WAY = "Me → Settings & Privacy → Data privacy → Data for Generative AI Improvement"
TITLE = "Data for Generative AI Improvement"
DEMO_EMAIL = "demo@example.com"


def _demo(tmp_path: Path, *args: str) -> tuple[Path, dict[str, object], str]:
    state = tmp_path / "state"
    result = cli("demo", "--json", *args, env={"OPTOUT_BOT_STATE_DIR": str(state), "TZ": "Europe/Paris"})
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    folder = Path(str(document["run_folder"]))
    return folder, document, result.stdout + result.stderr


def _png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def test_dry_run_report_speaks_plainly_keeps_codes_in_details_and_crops_the_close_up(
    tmp_path: Path, page: Page
) -> None:
    folder, _, _ = _demo(tmp_path, "--dry-run")
    page.goto((folder / "index.html").as_uri())
    expect(page.get_by_role("heading", level=1)).to_have_text("LinkedIn: Dry run: nothing was changed")
    setting = page.get_by_role("region", name=TITLE)
    expect(setting.get_by_role("heading", level=2)).to_have_text(TITLE)
    expect(setting).to_contain_text(f"Dry run: would turn off “{TITLE}” (it is on now). Nothing was changed.")
    expect(setting).to_contain_text(f"Where it is: {WAY}")
    # Local time with its zone (the run had TZ=Europe/Paris): CET in winter, CEST in summer.
    expect(page.get_by_text(re.compile(r"CES?T \(UTC\+0[12]:00\)")).first).to_be_visible()
    # The codes exist, but only inside the closed details block.
    details = page.locator("details")
    expect(details.get_by_role("cell", name="would-change")).to_be_hidden()
    expect(page.get_by_text("would-change", exact=True)).to_be_hidden()
    page.get_by_text("Technical details").click()
    expect(details.get_by_role("cell", name="would-change")).to_be_visible()
    expect(details.get_by_role("cell", name="0 (OK)")).to_be_visible()
    close_up = setting.get_by_role("img", name="The switch reads ON")
    expect(close_up).to_be_visible()
    expect(setting.get_by_role("figure").filter(has_text="the switch is outlined")).to_have_count(2)
    loaded = page.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    assert loaded, "every screenshot in the report loads offline"
    _a_close_up_is_cropped_around_the_switch(folder)  # the same run: one demo process, not two


def _a_close_up_is_cropped_around_the_switch(folder: Path) -> None:
    steps = {s["name"]: s for s in json.loads((folder / "steps.json").read_text("utf-8"))}
    assert steps["switch-read"]["close_up"] is True
    assert steps["signed-in"]["close_up"] is False
    width, height = _png_size(folder / steps["switch-read"]["screenshot"])
    full_width, full_height = _png_size(folder / steps["setting"]["screenshot"])
    assert width < full_width, (width, full_width)
    assert height < full_height / 2, (height, full_height)


def test_real_run_report_says_turned_off_and_checked_after_reload(tmp_path: Path, page: Page) -> None:
    folder, document, _ = _demo(tmp_path)
    page.goto((folder / "index.html").as_uri())
    expect(page.get_by_role("heading", level=1)).to_have_text("LinkedIn: Turning settings off")
    setting = page.get_by_role("region", name=TITLE)
    expect(setting).to_contain_text("Turned off, then checked again after reloading the page")
    expect(setting.get_by_role("img", name="After a reload the switch reads OFF")).to_be_visible()
    # --json lists the screenshots that were kept (it used to say "evidence": []).
    (outcome,) = document["outcomes"]  # type: ignore[misc]
    kept = sorted(Path(p).name for p in outcome["evidence"])
    assert kept == ["01-switch-read.png", "03-verified.png"]
    assert all(Path(p).is_file() for p in outcome["evidence"])


def test_already_off_says_nothing_was_changed(tmp_path: Path, page: Page) -> None:
    folder, _, _ = _demo(tmp_path, "--start", "off")
    page.goto((folder / "index.html").as_uri())
    expect(page.get_by_role("region", name=TITLE)).to_contain_text("Already off — nothing was changed.")


@pytest.mark.parametrize("dry_run", [True, False])
def test_form_report_shows_masked_values_and_never_the_whole_ones(
    tmp_path: Path, page: Page, dry_run: bool
) -> None:
    folder, _, output = _demo(tmp_path, "--site", "whatsapp", *(["--dry-run"] if dry_run else []))
    page.goto((folder / "index.html").as_uri())
    typed = page.get_by_text("What the form holds:")
    expect(typed).to_contain_text("Phone number: +15 ••• ••• 199")
    expect(typed).to_contain_text("E-mail address: d•••@example.com")
    digits = re.sub(r"\D", "", DEMO_PHONE)
    whole = [DEMO_PHONE, digits, digits[2:], DEMO_EMAIL, "demo@"]
    written = [p for p in (tmp_path / "state").rglob("*") if p.is_file()]
    assert any(p.name == "index.html" for p in written)
    for path in written:
        data = path.read_bytes()
        for value in whole:
            assert value.encode() not in data, f"{value} found in {path.name}"
    for value in whole:
        assert value not in output


def test_the_outline_is_taken_off_the_page_after_the_close_up(page: Page) -> None:
    from optout_bot.engine.recorder import close_up

    page.set_content(
        "<main><h1>Data for Generative AI Improvement</h1><div><span id='l'>Use my data for training"
        " content creation AI models</span> <input type='checkbox' role='switch' aria-labelledby='l'"
        " style='outline: 1px dotted blue' checked></div><p>Explanation.</p></main>"
    )
    switch = page.get_by_role("switch")
    png = close_up(page, switch, [])
    assert png is not None
    assert png.startswith(b"\x89PNG")
    width, height = struct.unpack(">II", png[16:24])
    viewport = page.viewport_size or {"width": 0, "height": 0}
    assert width < viewport["width"] or height < viewport["height"] / 2
    assert switch.evaluate("el => el.style.outline") == "blue dotted 1px"
    expect(switch).to_be_checked()  # a picture never changes the control
