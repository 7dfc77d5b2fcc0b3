"""A ``Mutation`` drawn as HTML: the setting page, its switches, its obstacles and its own script.

The page behaves like the real thing: clicking the control shows the new state at once, the page's
script sends the save (its own method, URL and body; after its own debounce), beacons fly around the
click, and the fake keeps the state (``site.py``), so a reload shows what was saved. Controls carry a
page-private attribute (``Mutation.attr``) with their index, the way a framework marks its nodes; the
setting's key appears only where the drawn labelling keeps it (``aria-labelledby``).
"""

from __future__ import annotations

import hashlib
import json
import random
from html import escape
from pathlib import Path

from tests.drift.catalogue import OBSTACLES, STATE_WORDS
from tests.drift.mutate import Control, Mutation, words

ARTDECO = {
    "main": "settings-detail",
    "rows": "settings-detail__body",
    "row": "artdeco-toggle artdeco-toggle--32dp",
    "label": "artdeco-toggle__label-text",
    "word": "artdeco-toggle__text",
    "control": "input artdeco-toggle__button",
    "wrap": "pvs-list__item",
    "backdrop": "artdeco-modal-overlay",
    "dialog": "artdeco-modal",
}


def classes(mutation: Mutation) -> dict[str, str]:
    if not mutation.hashed_classes:
        return ARTDECO
    return {part: "_" + hashlib.sha256(f"{mutation.seed}{part}".encode()).hexdigest()[:7] for part in ARTDECO}


# An empty button or div draws nothing by itself; real toggles are drawn by CSS, here inline.
KNOB = "display:inline-block;width:40px;height:22px;border:1px solid #555;border-radius:11px;background:#eee"


class _Ids:
    """Random-looking ids, the same for the same seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed * 31 + 5)  # noqa: S311

    def new(self) -> str:
        return f"ember{self.rng.randint(100, 9999)}"


def _control(
    mutation: Mutation, index: int, control: Control, on: bool, ids: _Ids, cls: dict[str, str]
) -> str:
    """One row: a name and a control of the drawn widget kind, named the drawn way."""
    widget, labelling = mutation.widget, mutation.labelling
    name = escape(control.name)
    label_id = control.key if labelling == "key" else ids.new()
    control_id = ids.new()
    mark = f'{mutation.attr}="{index}"'
    checked = " checked" if on else ""
    aria_checked = f'aria-checked="{"true" if on else "false"}"'
    naming = {
        "key": f'aria-labelledby="{label_id}"',
        "random-id": f'aria-labelledby="{label_id}"',
        "aria-label": f'aria-label="{name}"',
    }.get(labelling, "")
    if mutation.setting.site == "x":
        # X's own convention: every checkbox described by CHECKBOX_<position>_LABEL.
        naming += f' aria-describedby="CHECKBOX_{index + 1}_LABEL"'
        name = f'<span id="CHECKBOX_{index + 1}_LABEL">{name}</span>'
    if widget == "input-switch":
        element = f'<input type="checkbox" role="switch" id="{control_id}" class="{cls["control"]}" {mark} {aria_checked} {naming}{checked}>'
    elif widget == "checkbox":
        element = (
            f'<input type="checkbox" id="{control_id}" class="{cls["control"]}" {mark} {naming}{checked}>'
        )
    elif widget == "div-checkbox":
        element = f'<div role="checkbox" tabindex="0" class="{cls["control"]}" style="{KNOB}" {mark} {aria_checked} {naming}></div>'
    else:  # button-switch, aria-label-switch
        element = f'<button type="button" role="switch" id="{control_id}" class="{cls["control"]}" style="{KNOB}" {mark} {aria_checked} {naming}></button>'
    word = ""
    if mutation.state_text:
        on_word, off_word = STATE_WORDS[mutation.language]
        word = f'<span class="{cls["word"]}" aria-hidden="true" {mutation.attr}-word="{index}">{escape(on_word if on else off_word)}</span>'
    if labelling in ("key", "random-id"):
        text = f'<span id="{label_id}" class="{cls["label"]}">{name}</span>'
    elif labelling == "label-for":
        text = f'<label for="{control_id}" class="{cls["label"]}">{name}</label>'
    elif labelling == "label-wrap":
        return f'<div class="{cls["row"]}"><label class="{cls["label"]}">{name} {element}</label>{word}</div>'
    else:  # aria-label only: the visible words are not tied to the control
        text = f'<div class="{cls["label"]}">{name}</div>'
    return f'<div class="{cls["row"]}">{text}{word}{element}</div>'


def _wrap(html: str, depth: int, cls: dict[str, str]) -> str:
    for level in range(depth):
        html = f'<div class="{cls["wrap"]}-{level}">{html}</div>'
    return html


def obstacles(mutation: Mutation, cookie_decided: bool, cls: dict[str, str]) -> str:
    ob = OBSTACLES[mutation.language]
    accept, reject, dismiss, skip, offer = words(mutation)
    act = f"{mutation.attr}-act"
    backdrop = f'class="{cls["backdrop"]}" style="position:fixed;inset:0;background:rgba(0,0,0,.45);z-index:900;display:flex;align-items:center;justify-content:center"'
    box = f'class="{cls["dialog"]}" style="background:#fff;padding:24px;max-width:520px"'
    parts: list[str] = []
    if "promo" in mutation.obstacles:
        close = (
            f'<button type="button" {act}="dismiss" aria-label="{escape(dismiss)}">&times;</button>'
            if mutation.seed % 2
            else f'<button type="button" {act}="dismiss">{escape(dismiss)}</button>'
        )
        parts.append(
            f'<div {backdrop} {act}-box="promo"><div role="dialog" aria-modal="true" aria-labelledby="promo-h" {box}>'
            f'<h2 id="promo-h">{escape(ob.promo_title)}</h2><p>Premium</p>'
            f'<button type="button" {act}="offer">{escape(offer)}</button>{close}</div></div>'
        )
    if "tour" in mutation.obstacles:
        parts.append(
            f'<div {backdrop} {act}-box="tour"><div role="dialog" aria-modal="true" aria-labelledby="tour-h" {box}>'
            f'<h2 id="tour-h">{escape(ob.tour_title)}</h2><p {act}-step>1 / 3</p>'
            f'<button type="button" {act}="skip">{escape(skip)}</button>'
            f'<button type="button" {act}="next">{escape(ob.next)}</button></div></div>'
        )
    cookie = next((o for o in mutation.obstacles if o.startswith("cookie")), None)
    if cookie and not cookie_decided:
        buttons = (
            f'<p>{escape(ob.cookie_text)}</p><button type="button" {act}="accept">{escape(accept)}</button> '
            f'<button type="button" {act}="reject">{escape(reject)}</button>'
        )
        if cookie == "cookie-overlay":
            parts.append(
                f'<div {backdrop} {act}-box="cookie"><section role="dialog" aria-label="Cookies" {box}>{buttons}</section></div>'
            )
        else:
            parts.append(
                f'<section aria-label="Cookies" {act}-box="cookie" style="position:fixed;left:0;right:0;bottom:0;'
                f'background:#fff;border-top:1px solid #999;padding:16px;z-index:900">{buttons}</section>'
            )
    return "".join(parts)


# The signed-in frame each site keeps around its settings (the real sites' own markers).
FRAMES = {
    "linkedin": (
        '<header><nav aria-label="Primary"><ul style="display:flex;gap:16px;list-style:none">'
        '<li><a href="/feed/">Home</a></li><li><a href="/mynetwork/">My Network</a></li>'
        '<li><a href="/jobs/">Jobs</a></li></ul></nav></header>'
    ),
    "x": (
        '<header role="banner"><nav aria-label="Primary" role="navigation">'
        '<a href="/home" data-testid="AppTabBar_Home_Link" aria-label="Home">Home</a> '
        '<a href="/explore" aria-label="Search and explore">Explore</a></nav></header>'
    ),
}
CSRF = {
    "linkedin": ("JSESSIONID", "csrf-token"),
    "x": ("ct0", "x-csrf-token"),
    "chatgpt": ("fake-oai-csrf", "x-fake-csrf-token"),
}
# Tracking calls around the click: on load, on pointer down, with the change, after the save.
TRACKERS = {
    "linkedin": ("/sensorCollect", "/li/track", "/rest/trackObserveApi/{id}", "/li/track"),
    "x": (
        "/1.1/jot/ces/p2",
        "/i/api/1.1/jot/client_event.json",
        "/i/api/1.1/jot/client_event.json",
        "/1.1/jot/ces/p2",
    ),
    "chatgpt": ("/ces/v1/t", "/ces/v1/t", "/backend-api/lat/r", "/ces/v1/t"),
}
SCRIPT = Path(__file__).with_name("page.js").read_text(encoding="utf-8")


def _controls(mutation: Mutation) -> list[Control]:
    """The page's controls in order: decoys before, the setting (when offered), decoys after."""
    target = [Control(mutation.setting.key, mutation.name)] if mutation.offered == "yes" else []
    return [*mutation.before, *target, *mutation.after]


def rows(mutation: Mutation, state: dict[str, bool], cls: dict[str, str]) -> str:
    """The block of switches (or the notice), late when the mutation says so, in its wrappers."""
    ids = _Ids(mutation.seed)
    html = "".join(
        _control(mutation, i, c, state[c.key], ids, cls) for i, c in enumerate(_controls(mutation))
    )
    if mutation.offered == "notice":
        html = f'<p role="status">{escape(mutation.notice)}</p>' + html
    if mutation.render_delay_ms and html:
        html = f'<template {mutation.attr}-later="{mutation.render_delay_ms}">{html}</template>'
    return _wrap(f'<div class="{cls["rows"]}">{html}</div>', mutation.wrapper_depth, cls)


def scripts(mutation: Mutation) -> str:
    """The page's configuration and its own script (page.js)."""
    site = mutation.setting.site
    track_id = hashlib.sha256(f"t{mutation.seed}".encode()).hexdigest()[:10]
    config = {
        "attr": mutation.attr,
        "keys": [c.key for c in _controls(mutation)],
        "method": mutation.save.method,
        "url": mutation.save.url,
        "encoding": mutation.save.encoding,
        "debounce": mutation.save.debounce_ms,
        "beacons": mutation.beacons,
        "words": list(STATE_WORDS[mutation.language]),
        "promoEveryLoad": mutation.promo_every_load,
        "escapeCloses": mutation.escape_closes,
        "csrf": CSRF[site],
        "track": [t.replace("{id}", track_id) for t in TRACKERS[site]],
    }
    data = json.dumps(config).replace("</", "<\\/")
    return f"<script>window.__page = {data};</script>\n<script>{SCRIPT}</script>"


def render_page(mutation: Mutation, state: dict[str, bool], cookie_decided: bool) -> str:
    """The page as served now: ``state`` maps each control's key to ON?"""
    cls = classes(mutation)
    setting, lang = mutation.setting, mutation.language
    if setting.site == "chatgpt":
        from tests.drift.chatgpt import render_home

        return render_home(mutation, state, cookie_decided, cls)
    title = setting.title.get(lang) or setting.title["en"]
    question = setting.question.get(lang, "")
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><title>{escape(title)} | {"X" if setting.site == "x" else "LinkedIn"}</title>
<style>[hidden]{{display:none!important}} body{{font-family:system-ui,sans-serif;margin:0}}
.{cls["row"].split()[0]}{{display:flex;gap:8px;align-items:center;padding:8px 0}}</style></head>
<body>
{FRAMES[setting.site]}
<main class="{cls["main"]}">
<a href="{setting.back}" aria-label="Back">&larr;</a>
<h1>{escape(title)}</h1>
<p>{escape(question)}</p>
{rows(mutation, state, cls)}
</main>
{obstacles(mutation, cookie_decided, cls)}
{scripts(mutation)}
</body>
</html>"""
