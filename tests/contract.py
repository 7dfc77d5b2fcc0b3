"""The flow contract as tables: every switch flow, and what each command must do to a switch.

``SWITCHES`` names every switch flow of the catalog with the key its fake site stores the switch
under; ``COMMANDS`` says what a command must do to a switch: the outcome, the saves the *site*
receives, the state it is left in and the exit status. ``tests/flows/test_switch_flows.py`` reads
both: each flow goes through every command whose work depends on the flow (its page, its way there,
its switch), one flow per site through those decided after the switch is read.

Sign-in is no flow's business: it is checked once per site and sign-in layout
(``tests/signin_contract.py`` for typed passwords, ``tests/test_signin.py`` for sites signed in to
by hand). A new switch flow is one row here, its flow file and its fixture page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from optout_bot.model.outcomes import ExitStatus, Result

FAST: dict[str, Any] = {"switch_timeout_ms": 4_000, "timeout_ms": 10_000}
"""RunOptions for the fake site: a missing element fails in seconds, not after 30."""


@dataclass(frozen=True)
class SwitchFlow:
    flow: str
    key: str
    """The key the fake site stores this switch's state under (its aria-labelledby, or the id)."""

    @property
    def site(self) -> str:
        return self.flow.split(".", 1)[0]


SWITCHES: tuple[SwitchFlow, ...] = (
    SwitchFlow("linkedin.data-for-ai-improvement", "allowDataForGenerativeAI"),
    # LinkedIn's related switches (docs/evidence/linkedin.md §9), the strict profile:
    SwitchFlow("linkedin.policy-and-academic-research", "allowAnonymizedDataResearch"),
    SwitchFlow("linkedin.share-data-with-select-partners", "shareDataWithTrustedPartners"),
    SwitchFlow("linkedin.promotions-marketing-ads", "allowProfileAndActivityDataForMarketingAds"),
    SwitchFlow("linkedin.promotions-tips-by-email", "tipsForUsingLinkedinViaEmail"),
    SwitchFlow("linkedin.ads-by-age", "allowAdsByAge"),
    SwitchFlow("linkedin.ads-by-gender", "allowAdsByGender"),
    SwitchFlow("linkedin.ads-inferred-location", "allowIpToPersonalizeAds"),
    SwitchFlow("linkedin.ads-beyond-linkedin", "allowLinkedInAudienceNetwork"),
    SwitchFlow("linkedin.ads-interactions-with-business", "allowUseOfThirdPartyData"),
    SwitchFlow("linkedin.ads-related-actions", "allowConversionTrackings"),
    SwitchFlow("linkedin.interest-categories", "adsPrivacyAllowInterestsAndBehaviors"),
    SwitchFlow("linkedin.member-cookies", "nonEssentialCookieConsent"),
    SwitchFlow("x.grok-training", "allowGrokTraining"),
    SwitchFlow("x.data-sharing-with-business-partners", "allowBusinessPartnerSharing"),
    SwitchFlow("chatgpt.improve-model", "improveModelForEveryone"),
)


@dataclass(frozen=True)
class Command:
    name: str
    starts_on: bool
    """The switch's state on the site before the run."""
    options: Mapping[str, Any]
    result: Result
    saves: tuple[bool, ...]
    """What the site receives: the value of each save, in order."""
    ends_on: bool
    exit_status: ExitStatus
    per_flow: bool = field(default=True)
    """True when the work depends on the flow (its page, its way there, reading its switch); False
    when it is decided after the switch is read, the same for every flow of a site."""


COMMANDS: tuple[Command, ...] = (
    Command("disable", True, {}, Result.CHANGED, (False,), False, ExitStatus.OK),
    # Never click one already in the wanted state:
    Command("disable-already-off", False, {}, Result.ALREADY_OFF, (), False, ExitStatus.OK),
    # A dry run walks the flow's own steps from the home page, as a person would:
    Command("dry-run", True, {"dry_run": True}, Result.WOULD_CHANGE, (), True, ExitStatus.OK),
    Command("check", True, {"mode": "check"}, Result.DRIFT, (), True, ExitStatus.DRIFT, per_flow=False),
    Command(
        "check-fix",
        True,
        {"mode": "check", "fix": True},
        Result.CHANGED,
        (False,),
        False,
        ExitStatus.OK,
        per_flow=False,
    ),  # fmt: skip
)


def contract_cases() -> list[tuple[SwitchFlow, Command]]:
    """Every flow with every per-flow command; the first flow of each site with the others."""
    first = {}
    for row in SWITCHES:
        first.setdefault(row.site, row)
    return [(row, c) for row in SWITCHES for c in COMMANDS if c.per_flow or first[row.site] is row]
