"""Finds, parses and validates flow files; rejects duplicates; raises ``FlowNotFound``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from optout_bot.errors import FlowInvalid, FlowNotFound
from optout_bot.model.flowspec import FlowSpec, SiteSpec
from optout_bot.model.resources import flows_dir

SITE_FILE = "site.toml"
Model = TypeVar("Model", bound=BaseModel)


def format_validation_error(source: str, error: ValidationError) -> str:
    """``file: path.to.field: message`` for the first problem, pydantic's prefixes removed."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(top level)"
    message = first["msg"].removeprefix("Value error, ")
    more = f" (+{error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{source}: {where}: {message}{more}"


def parse_file(path: Path, model: type[Model]) -> Model:
    """Read one TOML file into ``model``, or raise ``FlowInvalid`` naming file and field."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise FlowInvalid(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise FlowInvalid(f"{path}: cannot read: {exc.strerror}") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise FlowInvalid(format_validation_error(str(path), exc)) from None


@dataclass(frozen=True)
class Catalog:
    """Every site and flow found under one folder."""

    sites: dict[str, SiteSpec]
    flows: dict[str, FlowSpec]
    files: dict[str, Path]

    def flow(self, name: str) -> FlowSpec:
        """The flow called ``name``, or ``FlowNotFound`` listing close names."""
        try:
            return self.flows[name]
        except KeyError:
            known = ", ".join(sorted(self.flows)) or "none"
            raise FlowNotFound(f"no flow named '{name}' (known: {known})") from None

    def site(self, name: str) -> SiteSpec:
        """The site called ``name``."""
        try:
            return self.sites[name]
        except KeyError:
            raise FlowNotFound(f"no site named '{name}' (known: {', '.join(sorted(self.sites))})") from None

    def profile(self, profile: str, site: str | None = None) -> list[FlowSpec]:
        """The flows in ``profile`` (optionally of one site), in a stable order."""
        chosen = [
            f for f in self.flows.values() if profile in f.profiles and (site is None or f.site == site)
        ]
        if not chosen:
            raise FlowNotFound(f"no flow belongs to profile '{profile}'", remedy="use --profile ai or strict")
        return sorted(chosen, key=lambda f: f.name)


_Signature = tuple[tuple[str, int, int], ...]
_parsed: dict[Path, tuple[_Signature, Catalog]] = {}
"""The last catalog read per folder, with the name, size and time of every file it was read from."""


def _signature(root: Path) -> _Signature:
    files = sorted(root.glob("*/*.toml"))
    return tuple((str(f), (st := f.stat()).st_size, st.st_mtime_ns) for f in files)


def load_catalog(root: Path | None = None) -> Catalog:
    """Walk ``root`` (default: the bundled ``flows/``): one folder per site, one file per flow.

    A run asks for the catalog several times (the flows to run, the sign-in address, the report's
    words); the files are parsed and validated once per process while none of them changes (the
    specs are frozen; each caller gets its own dicts).
    """
    root = root or flows_dir()
    if not root.is_dir():
        raise FlowInvalid(
            f"{root}: flow folder not found", remedy="set OPTOUT_BOT_FLOWS_DIR to the flows folder"
        )
    signature = _signature(root)
    key = root.resolve()
    cached = _parsed.get(key)
    if cached is None or cached[0] != signature:
        cached = _parsed[key] = (signature, _read_catalog(root))
    catalog = cached[1]
    return Catalog(sites=dict(catalog.sites), flows=dict(catalog.flows), files=dict(catalog.files))


def _read_catalog(root: Path) -> Catalog:
    sites: dict[str, SiteSpec] = {}
    flows: dict[str, FlowSpec] = {}
    files: dict[str, Path] = {}
    for site_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        site_file = site_dir / SITE_FILE
        if not site_file.is_file():
            continue
        site = parse_file(site_file, SiteSpec)
        sites[site.name] = site
        for flow_file in sorted(site_dir.glob("*.toml")):
            if flow_file.name == SITE_FILE:
                continue
            flow = parse_file(flow_file, FlowSpec)
            if flow.site != site.name:
                raise FlowInvalid(f"{flow_file}: site: '{flow.site}' but the file is in '{site.name}/'")
            if flow.name in flows:
                raise FlowInvalid(
                    f"{flow_file}: name: '{flow.name}' is already defined in {files[flow.name]}"
                )
            flows[flow.name] = flow
            files[flow.name] = flow_file
    return Catalog(sites=sites, flows=flows, files=files)
