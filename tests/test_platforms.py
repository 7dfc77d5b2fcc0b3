"""``platforms`` and ``guide``: every platform of the reference, honest capabilities, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from optout_bot.cli.main import raw_main
from optout_bot.errors import UsageError
from optout_bot.model.loader import load_catalog
from optout_bot.model.outcomes import ExitStatus
from optout_bot.model.platforms import (
    Platform,
    PlatformFile,
    check_against,
    find_platform,
    flows_for,
    guide_text,
    load_platforms,
)

# The platforms of docs/evidence/platforms.md §1 and §4, and what optout-bot can do for each.
EXPECTED = {
    "linkedin": "automated",
    "x": "automated",
    "chatgpt": "automated",
    "claude": "manual",
    "lechat": "manual",
    "copilot": "manual",
    "gemini": "manual",
    "pinterest": "manual",
    "adobe": "manual",
    "quora": "manual",
    "medium": "manual",
    "tumblr": "manual",
    "wordpress": "manual",
    "substack": "manual",
    "youtube": "verify-only",
    "facebook-instagram": "automated",
    "whatsapp": "automated",
    "snapchat": "manual",
    "slack": "manual",
    "tiktok": "nothing",
    "reddit": "nothing",
}


def _platform(**fields: Any) -> Platform:
    base: dict[str, Any] = {
        "key": "demo",
        "name": "Demo",
        "can": "manual",
        "mechanism": "toggle",
        "default": "on",
        "region": "everywhere",
        "steps": ["Switch it off."],
    }
    return Platform(**{**base, **fields})


def test_every_platform_of_the_reference_is_listed_with_its_capability() -> None:
    assert {p.key: p.can for p in load_platforms()} == EXPECTED


def test_the_list_and_the_flow_files_agree() -> None:
    assert check_against(load_platforms(), load_catalog()) == []


def test_a_site_folder_without_a_platform_is_reported() -> None:
    platforms = [p for p in load_platforms() if p.key != "x"]
    assert check_against(platforms, load_catalog()) == ["flows/x/ belongs to no platform in platforms.toml"]


def test_an_automated_platform_without_flows_is_reported() -> None:
    ghost = _platform(
        key="ghost",
        name="Ghost",
        can="automated",
        sites=["ghost"],
        selectors="inferred",
        selectors_source="docs/evidence/platforms.md",
    )
    problems = check_against([*load_platforms(), ghost], load_catalog())
    assert problems == [
        "ghost: sites names 'ghost', but flows/ghost/ does not exist",
        "ghost: 'automated' but it has no flow",
    ]


@pytest.mark.parametrize(
    "fields",
    [
        {"can": "automated"},
        {"can": "manual", "sites": ["linkedin"]},
        {"steps": []},
        {"can": "automated", "sites": ["linkedin"]},
        {"selectors": "inferred", "selectors_source": "docs/evidence/x.md"},
        {"can": "automated", "sites": ["linkedin"], "selectors": "inferred"},
        {"can": "automated", "sites": ["linkedin"], "selectors": "guessed", "selectors_source": "x"},
    ],
    ids=[
        "automated-without-sites",
        "manual-with-sites",
        "no-steps",
        "automated-without-selectors",
        "manual-with-selectors",
        "selectors-without-source",
        "unknown-basis",
    ],
)
def test_inconsistent_entries_are_rejected(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        _platform(**fields)


def test_a_name_used_by_two_platforms_is_rejected() -> None:
    with pytest.raises(ValidationError, match="'shared' names both"):
        PlatformFile(
            platform=[
                _platform(key="a", name="A", aliases=["shared"]),
                _platform(key="b", name="B", aliases=["Shared"]),
            ]
        )


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Twitter", "x"),
        ("instagram", "facebook-instagram"),
        ("WordPress.com", "wordpress"),
        (" ChatGPT ", "chatgpt"),
    ],
)
def test_platforms_are_found_by_key_name_or_alias(name: str, key: str) -> None:
    assert find_platform(load_platforms(), name).key == key


def test_an_unknown_platform_names_the_known_ones() -> None:
    with pytest.raises(UsageError) as caught:
        find_platform(load_platforms(), "myspace")
    assert caught.value.message.startswith("unknown platform 'myspace'; known: linkedin, x, chatgpt,")
    assert "\n" not in caught.value.message


def test_only_automated_platforms_have_flows() -> None:
    catalog = load_catalog()
    for platform in load_platforms():
        assert bool(flows_for(platform, catalog)) == (platform.can == "automated"), platform.key


def test_the_guide_offers_commands_only_where_flows_exist() -> None:
    catalog = load_catalog()
    platforms = load_platforms()
    x = find_platform(platforms, "x")
    text = guide_text(x, flows_for(x, catalog))
    assert "optout-bot disable --account x" in text
    assert "x.grok-training" in text
    meta = find_platform(platforms, "instagram")
    meta_guide = guide_text(meta, flows_for(meta, catalog))
    assert "meta.facebook-ai-objection" in meta_guide
    assert "instagram.instagram-ai-objection" in meta_guide
    whatsapp = find_platform(platforms, "whatsapp")
    wa_guide = guide_text(whatsapp, flows_for(whatsapp, catalog), catalog.sites)
    assert "whatsapp.whatsapp-ai-objection" in wa_guide
    assert 'phone = "+<country code><number>"' in wa_guide
    assert "login" not in wa_guide.split("With optout-bot")[1]  # nothing to sign in to
    snapchat = find_platform(platforms, "snapchat")
    assert "optout-bot disable" not in guide_text(snapchat, flows_for(snapchat, catalog))


def test_platforms_command_prints_one_row_per_platform(capsys: pytest.CaptureFixture[str]) -> None:
    assert raw_main(["platforms"]) == 0
    out = capsys.readouterr().out.splitlines()
    table = out[1 : out.index("")]  # the rows end at the blank line before the legend
    rows = {line.split()[0]: line for line in table}
    assert len(rows) == len(EXPECTED)
    strict = len(load_catalog().profile("strict", "linkedin"))
    assert rows["LinkedIn"].split()[1:3] == ["linkedin", "automated"]
    assert rows["LinkedIn"].endswith(f"{strict} (ai, strict)")
    assert "manual guide" in rows["Snapchat"]
    assert rows["Reddit"].split()[1:3] == ["reddit", "nothing"]
    assert rows["Reddit"].endswith(" -")


def test_platforms_json_lists_flows_and_capabilities(capsys: pytest.CaptureFixture[str]) -> None:
    assert raw_main(["platforms", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    by_key = {p["key"]: p for p in document["platforms"]}
    assert {k: p["can"] for k, p in by_key.items()} == EXPECTED
    assert [f["name"] for f in by_key["chatgpt"]["flows"]] == ["chatgpt.improve-model"]
    assert by_key["x"]["flows"][0]["url"].startswith("https://x.com/settings/")
    assert by_key["tiktok"]["flows"] == []


def test_guide_prints_the_manual_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert raw_main(["guide", "WhatsApp"]) == 0
    out = capsys.readouterr().out
    assert "https://www.whatsapp.com/contact/forms/382532939919295/" in out
    assert "EU/UK" in out


def test_guide_for_an_unknown_platform_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert raw_main(["guide", "myspace"]) == ExitStatus.USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith("error: unknown platform 'myspace'; known: linkedin, x, chatgpt")
    assert line.rstrip().endswith("reddit")


# Issue 15, item 7: per platform, what its flows' selectors rest on.
BASIS = {"linkedin": "public-code", "x": "public-code", "chatgpt": "public-code"}
BASIS |= {"facebook-instagram": "inferred", "whatsapp": "inferred"}


def test_every_automated_platform_says_what_its_selectors_rest_on() -> None:
    platforms = load_platforms()
    assert {p.key: p.selectors for p in platforms if p.selectors} == BASIS
    root = Path(__file__).resolve().parent.parent
    for platform in platforms:
        if platform.selectors:
            assert (root / platform.selectors_source).is_file(), platform.selectors_source


def test_platforms_shows_the_selector_basis(capsys: pytest.CaptureFixture[str]) -> None:
    assert raw_main(["platforms"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "SELECTORS" in out[0]
    rows = {line.split()[0]: line for line in out[1 : out.index("")]}
    assert "automated     public code" in rows["LinkedIn"]
    assert "automated     inferred" in rows["WhatsApp"]
    assert "manual guide  -" in rows["Claude"]
    assert raw_main(["platforms", "--json"]) == 0
    by_key = {p["key"]: p for p in json.loads(capsys.readouterr().out)["platforms"]}
    assert by_key["whatsapp"]["selectors"] == "inferred"
    assert "no real page" in by_key["whatsapp"]["selectors_mean"]
    assert by_key["chatgpt"]["selectors_source"] == "docs/evidence/chatgpt.md"
    assert by_key["copilot"]["selectors"] is None


@pytest.mark.parametrize(
    ("platform", "said"),
    [
        ("linkedin", "public code — its key selectors are the ones public code uses on the real page"),
        ("whatsapp", "inferred — its selectors are inferred from descriptions of the page"),
    ],
)
def test_the_guide_says_how_sure_optout_bot_is_of_the_pages(
    capsys: pytest.CaptureFixture[str], platform: str, said: str
) -> None:
    assert raw_main(["guide", platform]) == 0
    out = capsys.readouterr().out
    assert f"How sure optout-bot is of these pages: {said}" in out
    assert "docs/evidence/" in out


@pytest.mark.parametrize(
    ("name", "key", "label"),
    [
        ("Anthropic", "claude", "Help improve Claude"),
        ("mistral", "lechat", "Allow your interactions to be used to train our models"),
        ("Le Chat", "lechat", "Enable data sharing"),
        ("Microsoft", "copilot", "Model training on text"),
    ],
)
def test_claude_le_chat_and_copilot_have_a_way_by_hand(
    capsys: pytest.CaptureFixture[str], name: str, key: str, label: str
) -> None:
    assert raw_main(["guide", name]) == 0
    out = capsys.readouterr().out
    assert out.startswith(find_platform(load_platforms(), key).name + ": manual guide")
    assert label in out
    assert "With optout-bot" not in out  # no flow: it prints no command that would pretend otherwise
    assert "How sure optout-bot is" not in out


def test_the_new_platforms_facts_are_written_down_with_their_sources() -> None:
    evidence = (Path(__file__).resolve().parent.parent / "docs/evidence/platforms.md").read_text("utf-8")
    section = evidence.split("## 4. Claude, Mistral Le Chat, Microsoft Copilot")[1]
    for label in (
        "Help improve Claude",
        "Allow your interactions to be used to train our models",
        "Model training on text",
    ):
        assert label in section
    assert section.count("**CONFIRMED**") >= 3
    assert "**REPORTED**" in section
    assert "**UNKNOWN**" in section
