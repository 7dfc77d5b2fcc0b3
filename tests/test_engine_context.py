"""The actions see only their context: no action reaches the runner, the job, the credentials or the store.

A switch or a form gets an ``ActionContext`` (engine/context.py). If one imported flow.py, job.py or the
sign-in modules again it could read the credentials or mutate the runner, and the engine's import circle
would be back; the memory of forms already sent comes from the app layer, never from the store.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from optout_bot.engine.flow import ACTIONS
from optout_bot.model.loader import load_catalog

ENGINE = Path(__file__).resolve().parent.parent / "optout_bot" / "engine"
ACTION_MODULES = ["switches", "forms", "arrival", "context"]
OFF_LIMITS = {
    "optout_bot.engine.flow",
    "optout_bot.engine.job",
    "optout_bot.engine.password",
    "optout_bot.engine.signin",
}


def _imports(module: str) -> set[str]:
    tree = ast.parse((ENGINE / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):  # TYPE_CHECKING imports count too: they are a dependency all the same
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("module", ACTION_MODULES)
def test_an_action_imports_neither_the_runner_nor_the_credentials_nor_the_store(module: str) -> None:
    imported = _imports(module)
    assert not imported & OFF_LIMITS, module
    assert not [name for name in imported if name.startswith("optout_bot.store")], module


def test_the_navigator_knows_nothing_of_the_runner() -> None:
    # It signs in (signin.py), so it may import that; never the runner or the job that built it.
    assert not _imports("navigator") & {"optout_bot.engine.flow", "optout_bot.engine.job"}


def test_the_actions_read_no_credentials() -> None:
    for module in ("switches", "forms", "arrival"):
        assert "credentials" not in (ENGINE / f"{module}.py").read_text(encoding="utf-8"), module


def test_every_flow_of_the_catalog_has_an_action_for_its_kind() -> None:
    kinds = {flow.kind for flow in load_catalog().flows.values()}
    assert kinds == set(ACTIONS) == {"switch", "form"}
