"""An installed wheel still finds its flow files, its fake site and its platform list."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# One worker builds the wheel once for the whole module (pytest-xdist, --dist loadgroup in the Makefile).
pytestmark = pytest.mark.xdist_group("wheel")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel ``pip wheel`` builds from the clone, built once for every test here."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("optout_bot-*.whl")
    return built


@pytest.fixture(scope="module")
def unpacked_wheel(wheel: Path) -> Path:
    site = wheel.parent / "site"
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
        "optout_bot/model/platforms.toml",
        "optout_bot/testing/behaviour.js",
        "optout_bot/py.typed",
        "optout_bot/i18n/locales/fr/LC_MESSAGES/optout_bot.po",
    ],
)
def test_wheel_carries(unpacked_wheel: Path, member: str) -> None:
    assert (unpacked_wheel / member).is_file()


def test_the_wheel_ships_the_fake_site_but_no_test_machinery(unpacked_wheel: Path) -> None:
    """The demo's fake site is in the wheel; the fault injection and the rest of tests/ are not."""
    modules = sorted(p.relative_to(unpacked_wheel).as_posix() for p in unpacked_wheel.rglob("*.py"))
    assert "optout_bot/testing/site.py" in modules
    assert [m for m in modules if not m.startswith("optout_bot/")] == []
    machinery = re.compile(r"FaultPlan|class \w*Fault\b|data-fake-fault")
    injecting = [m for m in modules if machinery.search((unpacked_wheel / m).read_text("utf-8"))]
    assert injecting == [], "fault injection lives in tests/fault_site.py, never in the product"


def test_installed_package_finds_its_flows_and_fixtures(unpacked_wheel: Path) -> None:
    code = (
        "from optout_bot.model.resources import flows_dir, fixtures_dir;"
        "from optout_bot.model.loader import load_catalog;"
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


def test_the_wheel_installs_as_an_application_and_runs_the_demo(
    wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """What 'pipx install' / 'uv tool install' do, without the network: a fresh environment holding
    the wheel and its console script, run from a folder that is not the clone.

    The dependencies (Playwright and the rest) cannot be downloaded here, so the fresh environment
    sees this test environment's site-packages through a .pth line; .pth files inside that folder
    are not run, so the clone's editable install stays invisible and optout_bot comes from the wheel.
    """
    out = tmp_path_factory.mktemp("app")
    venv = out / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    fresh_python = venv / "bin" / "python"
    fresh_site = Path(
        subprocess.run(
            [str(fresh_python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()
    )
    ours = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    (fresh_site / "_test_dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable, "-m", "pip", "--python", str(fresh_python), "install", "--quiet",
            "--no-deps", "--no-index", str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    home = out / "home"
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(home),
        "OPTOUT_BOT_STATE_DIR": str(home / "state"),
        "OPTOUT_BOT_CONFIG": str(home / "config.toml"),
    }
    where = subprocess.run(
        [str(fresh_python), "-c", "import optout_bot; print(optout_bot.__file__)"],
        capture_output=True, text=True, check=True, timeout=60, env=env, cwd=out,
    ).stdout.strip()  # fmt: skip
    assert Path(where).is_relative_to(venv)
    demo = subprocess.run(
        [str(venv / "bin" / "optout-bot"), "demo", "--quiet"],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=out,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert demo.returncode == 0, demo.stderr
    assert "ON → OFF (verified after reload)" in demo.stderr
