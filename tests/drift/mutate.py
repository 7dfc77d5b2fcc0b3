"""One seed → one redrawn setting page: every choice the mutator makes, drawn from ``random.Random(seed)``.

A ``Mutation`` is plain data; ``page.py`` turns it into HTML and ``site.py`` serves it. The same seed
always gives the same page, so a failure is reproduced with ``python -m tests.drift --seed N``.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Literal

from tests.drift.catalogue import (
    AI,
    CHATGPT,
    CHATGPT_DECOYS,
    DECOYS,
    GROK,
    NOT_AVAILABLE,
    OBSTACLES,
    OTHERS,
    X_DECOYS,
    Setting,
)

Widget = Literal["input-switch", "button-switch", "checkbox", "div-checkbox", "aria-label-switch"]
Labelling = Literal["key", "random-id", "label-for", "label-wrap", "aria-label"]
Obstacle = Literal["cookie-overlay", "cookie-bar", "promo", "tour"]
Offered = Literal["yes", "notice", "redirect"]

# Which ways of naming a control each widget kind can have (a <label> names only native controls).
LABELLINGS: dict[Widget, tuple[Labelling, ...]] = {
    "input-switch": ("key", "random-id", "label-for", "label-wrap"),
    "button-switch": ("key", "random-id", "label-for"),
    "checkbox": ("label-for", "label-wrap", "random-id"),
    "div-checkbox": ("random-id", "key"),
    "aria-label-switch": ("aria-label",),
}


@dataclass(frozen=True)
class Save:
    """How the page's own script saves a change."""

    method: Literal["PUT", "POST", "PATCH"]
    url: str
    """``{key}`` is replaced by the setting's key."""
    encoding: Literal["json", "form"]
    latency_ms: int
    debounce_ms: int
    """The page waits this long after the click before sending the save (as some pages do)."""
    fails: bool = False
    """The site answers the save with HTTP 500 (the change does not stick)."""


@dataclass(frozen=True)
class Control:
    key: str
    name: str


@dataclass(frozen=True)
class Mutation:
    seed: int
    setting: Setting
    language: str
    start_on: bool
    dry_run: bool
    offered: Offered
    widget: Widget
    labelling: Labelling
    name: str
    """The target's name as drawn (a wording of its meaning)."""
    hashed_classes: bool
    wrapper_depth: int
    before: tuple[Control, ...]
    after: tuple[Control, ...]
    decoy_states: dict[str, bool]
    render_delay_ms: int
    obstacles: tuple[Obstacle, ...]
    promo_every_load: bool
    escape_closes: bool
    save: Save
    beacons: bool
    state_text: bool
    notice: str
    attr: str = field(default="")
    """A page-private attribute name the page script finds its controls by (like a framework's)."""

    @property
    def expected(self) -> str:
        """What a correct run does here."""
        if self.offered != "yes":
            return "exit 6 (not offered)"
        if not self.start_on:
            return "already OFF, untouched"
        if self.dry_run:
            return "would turn OFF, nothing sent"
        return "exit 8 (the site refused the save), still ON" if self.save.fails else "ON → OFF verified"

    def describe(self) -> str:
        """The mutations in one short line, for the failure table."""
        parts = [self.setting.flow.removeprefix("linkedin."), self.language]
        parts.append("start-ON" if self.start_on else "start-OFF")
        if self.dry_run:
            parts.append("dry-run")
        if self.offered != "yes":
            parts.append(f"not-offered:{self.offered}")
        else:
            parts += [self.widget, f"name-by:{self.labelling}"]
            if self.name != self.setting.labels[self.language][0]:
                parts.append(f"wording:{self.name!r}")
        if self.hashed_classes:
            parts.append("hashed-classes")
        if self.wrapper_depth:
            parts.append(f"wrappers:{self.wrapper_depth}")
        if self.before or self.after:
            parts.append(f"decoys:{len(self.before)}before/{len(self.after)}after")
        if self.render_delay_ms:
            parts.append(f"delay:{self.render_delay_ms}ms")
        parts += list(self.obstacles)
        if self.save.debounce_ms or self.save.latency_ms:
            parts.append(f"save-wait:{self.save.debounce_ms}+{self.save.latency_ms}ms")
        parts.append(f"save:{self.save.method} {self.save.url} {self.save.encoding}")
        if self.save.fails:
            parts.append("save-answers-500")
        if self.beacons:
            parts.append("beacons")
        return " ".join(parts)


SAVE_URLS = {
    "linkedin": (
        ("PUT", "/mysettings-api/settingsApiSettings/{key}"),
        ("POST", "/mysettings-api/settingsApiSettings/{key}"),
        ("POST", "/voyager/api/psettings"),
        ("POST", "/psettings/save/{key}"),
    ),
    "chatgpt": (
        ("PATCH", "/backend-api/settings/account_user_setting/{key}"),
        ("POST", "/backend-api/settings/{key}"),
        ("POST", "/backend-api/user_settings"),
    ),
    "x": (
        ("POST", "/i/api/1.1/account/settings/{key}.json"),
        ("POST", "/i/api/graphql/Xq3b9fZ/UpdateSetting/{key}"),
        ("PUT", "/i/api/2/grok/settings/{key}"),
        ("POST", "/i/api/1.1/account/settings.json"),
    ),
}
# A URL without {key} is a settings endpoint that takes JSON {key, enabled} (as the fake's own does);
# the simulator answers every one of these itself, whatever the fake's manifest declares.


def draw(seed: int) -> Mutation:
    """The page of ``seed``."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible draw, not a secret
    pick = rng.random()
    setting = AI if pick < 0.55 else GROK if pick < 0.7 else rng.choice(OTHERS)
    if pick >= 0.7 and random.Random(seed * 17 + 9).random() < 0.35:  # noqa: S311 - own draw: others stay
        setting = CHATGPT
    language = rng.choice(setting.languages)
    offered: Offered = "yes"
    roll = rng.random()
    if roll < 0.04:
        offered = "notice"
    elif roll < 0.08:
        offered = "redirect"
    if setting.site == "chatgpt" and offered == "redirect":
        offered = "notice"  # everything is at "/": nowhere to be sent away to
    widget: Widget = rng.choice(list(LABELLINGS))
    labelling: Labelling = rng.choice(LABELLINGS[widget])
    decoys = list({"x": X_DECOYS, "chatgpt": CHATGPT_DECOYS}.get(setting.site, DECOYS)[language])
    rng.shuffle(decoys)
    count = rng.choice((0, 0, 1, 2, 3))
    chosen = [Control(k, n) for k, n in decoys[:count]]
    split = rng.randint(0, len(chosen))
    method, url = rng.choice(SAVE_URLS[setting.site])
    if "{key}" not in url:
        encoding: Literal["json", "form"] = "json"  # {key, enabled} in the body
    else:
        encoding = rng.choice(("json", "form"))
    obstacles: list[Obstacle] = []
    if rng.random() < 0.3:
        obstacles.append(rng.choice(("cookie-overlay", "cookie-bar")))
    if rng.random() < 0.2:
        obstacles.append("promo")
    if rng.random() < 0.15:
        obstacles.append("tour")
    return Mutation(
        seed=seed,
        setting=setting,
        language=language,
        # A page that does not offer the setting keeps it ON on the fake: any OFF claim is then false.
        start_on=rng.random() < 0.8 or offered != "yes",
        dry_run=rng.random() < 0.2,
        offered=offered,
        widget=widget,
        labelling=labelling,
        name=rng.choice(setting.labels[language]),
        hashed_classes=rng.random() < 0.6,
        wrapper_depth=rng.randint(0, 4),
        before=tuple(chosen[:split]),
        after=tuple(chosen[split:]),
        decoy_states={c.key: rng.random() < 0.7 for c in chosen},
        render_delay_ms=rng.choice((0, 0, 0, rng.randint(100, 3000))),
        obstacles=tuple(obstacles),
        promo_every_load=rng.random() < 0.5,
        escape_closes=rng.random() < 0.5,
        save=Save(
            method=method,  # type: ignore[arg-type]
            url=url,
            encoding=encoding,
            latency_ms=rng.choice((0, 0, rng.randint(50, 1500))),
            debounce_ms=rng.choice((0, 0, 0, rng.randint(100, 600))),
            # Its own draw, so adding it left every other choice of every seed as it was.
            fails=random.Random(seed * 13 + 3).random() < 0.08,  # noqa: S311
        ),
        beacons=rng.random() < 0.6,
        state_text=rng.random() < 0.5,
        notice=rng.choice(NOT_AVAILABLE[language]),
        attr="data-" + hashlib.sha256(f"attr{seed}".encode()).hexdigest()[:6],
    )


def words(mutation: Mutation) -> tuple[str, str, str, str, str]:
    """This page's accept, reject, dismiss and skip words and the promo's offer (drawn per seed)."""
    rng = random.Random(mutation.seed * 7 + 1)  # noqa: S311
    ob = OBSTACLES[mutation.language]
    return (
        rng.choice(ob.accept),
        rng.choice(ob.reject),
        rng.choice(ob.dismiss),
        rng.choice(ob.skip),
        ob.promo_offer,
    )
