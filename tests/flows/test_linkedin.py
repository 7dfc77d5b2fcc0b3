"""The LinkedIn AI-training flow against the fake LinkedIn: the flow contract, both login layouts."""

from __future__ import annotations

from typing import Any, ClassVar

from tests.contract import FlowContract


class TestDataForAIImprovement(FlowContract):
    flow = "linkedin.data-for-ai-improvement"
    key = "allowDataForGenerativeAI"


class TestDataForAIImprovementFormlessLogin(FlowContract):
    """The 2026 form-less sign-in page (docs/evidence/linkedin.md §5.2)."""

    flow = "linkedin.data-for-ai-improvement"
    key = "allowDataForGenerativeAI"
    scenario: ClassVar[dict[str, Any]] = {"login_layout": "formless"}


class TestDataForAIImprovementAuthwall(FlowContract):
    """A signed-out request lands on the authwall instead of /login (§5.4)."""

    flow = "linkedin.data-for-ai-improvement"
    key = "allowDataForGenerativeAI"
    scenario: ClassVar[dict[str, Any]] = {"signed_out_page": "authwall"}
