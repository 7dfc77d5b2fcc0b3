"""Flow files: the bundled ones validate; broken ones are reported by file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from optout_bot.errors import FlowInvalid, FlowNotFound
from optout_bot.model.loader import load_catalog

SITE = Path(__file__).resolve().parent.parent / "flows" / "linkedin" / "site.toml"


def _site_dir(tmp_path: Path) -> Path:
    site = tmp_path / "flows" / "linkedin"
    site.mkdir(parents=True)
    (site / "site.toml").write_text(SITE.read_text(encoding="utf-8"), encoding="utf-8")
    return site


def test_bundled_flows_validate() -> None:
    catalog = load_catalog()
    flow = catalog.flow("linkedin.data-for-ai-improvement")
    assert flow.switch.labelledby == "allowDataForGenerativeAI"
    assert flow.desired == "off"
    assert catalog.profile("ai", "linkedin") == [flow]


def test_unknown_flow_names_the_known_ones() -> None:
    with pytest.raises(FlowNotFound, match="known: .*linkedin.data-for-ai-improvement"):
        load_catalog().flow("linkedin.nope")


def test_unknown_key_is_reported_by_file_and_field(tmp_path: Path) -> None:
    site = _site_dir(tmp_path)
    (site / "x.toml").write_text(
        'name = "linkedin.x"\nsite = "linkedin"\ntitle = "X"\npath = "/x"\ncolour = "red"\n'
        "[switch]\nlabelledby = 'k'\n",
        encoding="utf-8",
    )
    with pytest.raises(FlowInvalid) as caught:
        load_catalog(tmp_path / "flows")
    assert str(caught.value) == f"{site / 'x.toml'}: colour: Extra inputs are not permitted"


def test_desired_on_is_rejected(tmp_path: Path) -> None:
    site = _site_dir(tmp_path)
    (site / "x.toml").write_text(
        'name = "linkedin.x"\nsite = "linkedin"\ntitle = "X"\npath = "/x"\ndesired = "on"\n'
        "[switch]\nlabelledby = 'k'\n",
        encoding="utf-8",
    )
    with pytest.raises(FlowInvalid, match=r"x.toml: desired: Input should be 'off'"):
        load_catalog(tmp_path / "flows")


def test_duplicate_flow_names_are_rejected(tmp_path: Path) -> None:
    site = _site_dir(tmp_path)
    body = 'name = "linkedin.x"\nsite = "linkedin"\ntitle = "X"\npath = "/x"\n[switch]\nlabelledby = "k"\n'
    (site / "a.toml").write_text(body, encoding="utf-8")
    (site / "b.toml").write_text(body, encoding="utf-8")
    with pytest.raises(FlowInvalid, match="b.toml: name: 'linkedin.x' is already defined in .*a.toml"):
        load_catalog(tmp_path / "flows")


def test_bad_toml_is_reported(tmp_path: Path) -> None:
    site = _site_dir(tmp_path)
    (site / "a.toml").write_text("name = \n", encoding="utf-8")
    with pytest.raises(FlowInvalid, match="a.toml: not valid TOML"):
        load_catalog(tmp_path / "flows")


def test_the_catalog_is_parsed_once_per_process_until_a_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run asks for the catalog three times (issue 16); only a changed or new file is read again."""
    from optout_bot.model import loader

    site = _site_dir(tmp_path)
    flow = site / "ai.toml"
    flow.write_text(
        'name = "linkedin.ai"\nsite = "linkedin"\ntitle = "AI"\npath = "/ai"\n[switch]\nlabelledby = "k"\n',
        encoding="utf-8",
    )
    parsed: list[str] = []
    real = loader.parse_file
    monkeypatch.setattr(
        loader, "parse_file", lambda path, model: parsed.append(path.name) or real(path, model)
    )
    first = load_catalog(tmp_path / "flows")
    second = load_catalog(tmp_path / "flows")
    assert parsed == ["site.toml", "ai.toml"]
    assert second.flows == first.flows
    assert second.flows is not first.flows  # each caller its own dicts
    flow.write_text(flow.read_text(encoding="utf-8").replace('"AI"', '"AI training"'), encoding="utf-8")
    assert load_catalog(tmp_path / "flows").flow("linkedin.ai").title == "AI training"
    assert parsed == ["site.toml", "ai.toml", "site.toml", "ai.toml"]
