"""Every platform that trains AI on its users' data, and what optout-bot can do about each.

The data lives in ``platforms.toml`` next to this module (it ships in the wheel). A platform is
"automated" only when flow files exist for it; ``check_against`` keeps the two in step, and the
CLI (``optout-bot platforms``, ``optout-bot guide <platform>``) only prints what is here.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from optout_bot.errors import ConfigError, UsageError
from optout_bot.i18n import N_, _

if TYPE_CHECKING:
    from collections.abc import Mapping

    from optout_bot.model.flowspec import FlowSpec, SiteSpec
    from optout_bot.model.loader import Catalog

PLATFORMS_FILE = Path(__file__).with_name("platforms.toml")

Capability = Literal["automated", "verify-only", "manual", "nothing"]

CAPABILITY_WORDS: dict[Capability, str] = {
    "automated": N_("automated"),
    "verify-only": N_("verify-only"),
    "manual": N_("manual guide"),
    "nothing": N_("nothing"),
}
"""How each capability reads in a table (English; shown through ``_()``)."""

CAPABILITY_MEANING: dict[Capability, str] = {
    "automated": N_(
        "optout-bot does it for you: a switch is turned off and read back after a reload, "
        "a form is sent once and proven by its confirmation"
    ),
    "verify-only": N_("nothing to switch off (it is opt-in and off by default); check it by hand"),
    "manual": N_("optout-bot cannot do it for you; follow these steps"),
    "nothing": N_("there is no opt-out to give; this is what is left"),
}


Basis = Literal["captured", "public-code", "inferred"]

BASIS_WORDS: dict[Basis, str] = {
    "captured": N_("captured page"),
    "public-code": N_("public code"),
    "inferred": N_("inferred"),
}
"""How each selector basis reads in a table."""

BASIS_MEANING: dict[Basis, str] = {
    "captured": N_("its selectors come from a capture of the real page ('optout-bot capture')"),
    "public-code": N_(
        "its key selectors are the ones public code uses on the real page; the rest of our copy of "
        "the page is reconstructed, and no real page was captured"
    ),
    "inferred": N_(
        "its selectors are inferred from descriptions of the page: no real page was captured or seen "
        "in code; run it with --dry-run first"
    ),
}


class Platform(BaseModel):
    """One platform: its opt-out mechanism and the honest manual path."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    """Short lower-case name used on the command line."""
    name: str
    aliases: list[str] = Field(default_factory=list)
    can: Capability
    """What optout-bot can do for it."""
    sites: list[str] = Field(default_factory=list)
    """Folders under ``flows/`` whose flows belong to this platform (only for ``automated``)."""
    selectors: Basis | None = None
    """What the flows' selectors rest on (only for ``automated``): a captured real page, the selectors of
    public code that drives the real page, or inference."""
    selectors_source: str = ""
    """Where that basis is written down (docs/evidence/…)."""
    mechanism: str
    default: str
    region: str
    steps: list[str]
    """The manual path, one action per item."""
    notes: list[str] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _sites_only_when_automated(self) -> Platform:
        if (self.can == "automated") != bool(self.sites):
            raise ValueError("sites must be set exactly when can = 'automated'")
        if (self.can == "automated") != (self.selectors is not None):
            raise ValueError("selectors must be set exactly when can = 'automated'")
        if self.selectors is not None and not self.selectors_source:
            raise ValueError("selectors_source must say where the basis is written down")
        if not self.steps:
            raise ValueError("steps must describe the manual path")
        return self

    def names(self) -> set[str]:
        """Every lower-case name this platform answers to."""
        return {self.key, self.name.lower(), *(a.lower() for a in self.aliases)}


class PlatformFile(BaseModel):
    """The whole file: ``[[platform]]`` tables."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    platform: list[Platform]

    @model_validator(mode="after")
    def _unique_names(self) -> PlatformFile:
        seen: dict[str, str] = {}
        for platform in self.platform:
            for name in sorted(platform.names()):
                if name in seen and seen[name] != platform.key:
                    raise ValueError(f"'{name}' names both {seen[name]} and {platform.key}")
                seen[name] = platform.key
        return self


def load_platforms(path: Path | None = None) -> list[Platform]:
    """Every platform, in the file's order (most automatable first)."""
    path = path or PLATFORMS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return PlatformFile.model_validate(data).platform
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(_("{path}: cannot be read: {reason}").format(path=path, reason=exc)) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{path}: {where}: {first['msg'].removeprefix('Value error, ')}") from None


def find_platform(platforms: list[Platform], name: str) -> Platform:
    """The platform called ``name`` (key, name or alias; any case), or a one-line ``UsageError``."""
    wanted = name.strip().lower()
    for platform in platforms:
        if wanted in platform.names():
            return platform
    known = ", ".join(p.key for p in platforms)
    raise UsageError(_("unknown platform '{name}'; known: {known}").format(name=name, known=known))


def flows_for(platform: Platform, catalog: Catalog) -> list[FlowSpec]:
    """The flows optout-bot has for ``platform``, sorted by name."""
    return sorted((f for f in catalog.flows.values() if f.site in platform.sites), key=lambda f: f.name)


def check_against(platforms: list[Platform], catalog: Catalog) -> list[str]:
    """Problems between the platform list and the flow files (empty when they agree)."""
    problems = []
    claimed = {site for p in platforms for site in p.sites}
    for site in sorted(set(catalog.sites) - claimed):
        problems.append(f"flows/{site}/ belongs to no platform in {PLATFORMS_FILE.name}")
    for platform in platforms:
        for site in platform.sites:
            if site not in catalog.sites:
                problems.append(f"{platform.key}: sites names '{site}', but flows/{site}/ does not exist")
        if platform.can == "automated" and not flows_for(platform, catalog):
            problems.append(f"{platform.key}: 'automated' but it has no flow")
    return problems


def platform_json(platform: Platform, catalog: Catalog) -> dict[str, Any]:
    """One platform as plain JSON types, with its flows."""
    return {
        "key": platform.key,
        "name": platform.name,
        "can": platform.can,
        "can_means": CAPABILITY_MEANING[platform.can],
        "selectors": platform.selectors,
        "selectors_mean": BASIS_MEANING[platform.selectors] if platform.selectors else None,
        "selectors_source": platform.selectors_source or None,
        "mechanism": platform.mechanism,
        "default": platform.default,
        "region": platform.region,
        "flows": [
            {
                "name": f.name,
                "title": f.title,
                "profiles": f.profiles,
                "url": catalog.sites[f.site].base_url + f.path,
            }
            for f in flows_for(platform, catalog)
        ],
        "steps": platform.steps,
        "notes": platform.notes,
        "links": platform.links,
    }


def guide_text(platform: Platform, flows: list[FlowSpec], sites: Mapping[str, SiteSpec] | None = None) -> str:
    """The manual path for ``platform`` as plain text, plus the commands when flows exist."""
    lines = [
        f"{platform.name}: {_(CAPABILITY_WORDS[platform.can])} ({_(CAPABILITY_MEANING[platform.can])})",
        _("Mechanism: {mechanism}. Default: {default}. Region: {region}.").format(
            mechanism=_(platform.mechanism), default=_(platform.default), region=_(platform.region)
        ),
        "",
        _("By hand:"),
        *(f"  {n}. {_(step)}" for n, step in enumerate(platform.steps, start=1)),
    ]
    if platform.notes:
        lines += ["", _("Good to know:"), *(f"  - {_(note)}" for note in platform.notes)]
    if platform.selectors is not None:
        sure = _("How sure optout-bot is of these pages: {basis} — {meaning} (see {source}).").format(
            basis=_(BASIS_WORDS[platform.selectors]),
            meaning=_(BASIS_MEANING[platform.selectors]),
            source=platform.selectors_source,
        )
        lines += ["", sure]
    for site in sorted({f.site for f in flows}):
        site_flows = [f for f in flows if f.site == site]
        lines += ["", *_commands(site, site_flows, (sites or {}).get(site))]
    if platform.links:
        lines += ["", _("Links:"), *(f"  {link}" for link in platform.links)]
    return "\n".join(lines)


def _commands(site: str, flows: list[FlowSpec], spec: SiteSpec | None) -> list[str]:
    """The numbered optout-bot commands for one site's flows (what the config needs, sign-in, runs)."""
    sources = {field.source for f in flows if f.form is not None for field in f.form.fill}
    config = _('[accounts.{site}] with site = "{site}"').format(site=site)
    if "account-phone" in sources:
        config += ', phone = "+<country code><number>"'
    if "account-email" in sources:
        config += ', email = "you@example.com" ' + _("(for a form that does not fill it in)")
    steps = [_("In the config file (optout-bot config path): {config}").format(config=config)]
    if spec is None or spec.has_accounts:
        steps.append(f"optout-bot login --interactive --account {site}    " + _("(sign in yourself, once)"))
    profiles = sorted({p for f in flows for p in f.profiles})
    # --profile only where it changes what runs (LinkedIn's 'strict' adds switches); a form or a site
    # whose flows are in every profile alike would only be confused by it.
    choice = (
        f" [--profile {'|'.join(profiles)}]" if len({tuple(sorted(f.profiles)) for f in flows}) > 1 else ""
    )
    steps += [
        f"optout-bot disable --account {site} --dry-run      " + _("(see what it would do)"),
        f"optout-bot disable --account {site}{choice}",
    ]
    head = _("With optout-bot (flows: {flows}):").format(flows=", ".join(f.name for f in flows))
    return [head, *(f"  {n}. {step}" for n, step in enumerate(steps, start=1))]
