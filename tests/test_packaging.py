"""An installed wheel still finds its flow files, its fake site and its platform list."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = out.glob("optout_bot-*.whl")
    site = out / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


@pytest.mark.parametrize(
    "member",
    [
        "optout_bot/_data/flows/linkedin/site.toml",
        "optout_bot/_data/flows/linkedin/data-for-ai-improvement.toml",
        "optout_bot/_data/fixtures/linkedin/site.toml",
        "optout_bot/_data/fixtures/linkedin/pages/data-for-ai-improvement.html",
        "optout_bot/platforms.toml",
        "optout_bot/fakesite/behaviour.js",
        "optout_bot/py.typed",
        "optout_bot/locales/fr/LC_MESSAGES/optout_bot.po",
    ],
)
def test_wheel_carries(unpacked_wheel: Path, member: str) -> None:
    assert (unpacked_wheel / member).is_file()


def test_installed_package_finds_its_flows_and_fixtures(unpacked_wheel: Path) -> None:
    code = (
        "from optout_bot.resources import flows_dir, fixtures_dir;"
        "from optout_bot.loader import load_catalog;"
        "print(flows_dir()); print(fixtures_dir());"
        "print(load_catalog().flow('linkedin.data-for-ai-improvement').title)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=unpacked_wheel,
        env={"PYTHONPATH": str(unpacked_wheel), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    flows, fixtures, title = result.stdout.splitlines()
    assert flows == str(unpacked_wheel / "optout_bot" / "_data" / "flows")
    assert fixtures == str(unpacked_wheel / "optout_bot" / "_data" / "fixtures")
    assert title == "Data for Generative AI Improvement"


def test_installed_package_speaks_french(unpacked_wheel: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "optout_bot", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=unpacked_wheel,
        env={"PYTHONPATH": str(unpacked_wheel), "PATH": "/usr/bin:/bin", "LANG": "fr_FR.UTF-8"},
        check=True,
    )
    assert "Désactive les paramètres" in result.stdout
