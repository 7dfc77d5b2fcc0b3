"""``platforms`` and ``guide``: every platform of the reference, honest capabilities, one-line errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from optout_bot.cli import raw_main
from optout_bot.errors import UsageError
from optout_bot.loader import load_catalog
from optout_bot.outcomes import ExitStatus
from optout_bot.platforms import (
    Platform,
    PlatformFile,
    check_against,
    find_platform,
    flows_for,
    guide_text,
    load_platforms,
)

# The platforms of shared/reference/other-platforms.md §1, and what optout-bot can do for each.
EXPECTED = {
    "linkedin": "automated",
    "x": "automated",
    "chatgpt": "automated",
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
    ghost = _platform(key="ghost", name="Ghost", can="automated", sites=["ghost"])
    problems = check_against([*load_platforms(), ghost], load_catalog())
    assert problems == [
        "ghost: sites names 'ghost', but flows/ghost/ does not exist",
        "ghost: 'automated' but it has no flow",
    ]


@pytest.mark.parametrize(
    "fields",
    [{"can": "automated"}, {"can": "manual", "sites": ["linkedin"]}, {"steps": []}],
    ids=["automated-without-sites", "manual-with-sites", "no-steps"],
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
    rows = {line.split()[0]: line for line in out[1:] if line.strip() and not line.startswith("'")}
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
