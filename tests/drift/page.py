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


def _classes(mutation: Mutation) -> dict[str, str]:
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


def _obstacles(mutation: Mutation, cookie_decided: bool, cls: dict[str, str]) -> str:
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
CSRF = {"linkedin": ("JSESSIONID", "csrf-token"), "x": ("ct0", "x-csrf-token")}
# Tracking calls around the click: on load, on pointer down, with the change, after the save.
TRACKERS = {
    "linkedin": ("/sensorCollect", "/li/track", "/rest/trackObserveApi/{id}", "/li/track"),
    "x": (
        "/1.1/jot/ces/p2",
        "/i/api/1.1/jot/client_event.json",
        "/i/api/1.1/jot/client_event.json",
        "/1.1/jot/ces/p2",
    ),
}


def render_page(mutation: Mutation, state: dict[str, bool], cookie_decided: bool) -> str:
    """The page as served now: ``state`` maps each control's key to ON?"""
    cls = _classes(mutation)
    setting, lang = mutation.setting, mutation.language
    title = setting.title.get(lang) or setting.title["en"]
    ids = _Ids(mutation.seed)
    controls = [*mutation.before]
    if mutation.offered == "yes":
        controls.append(Control(setting.key, mutation.name))
    controls += mutation.after
    rows = "".join(_control(mutation, i, c, state[c.key], ids, cls) for i, c in enumerate(controls))
    if mutation.offered == "notice":
        rows = f'<p role="status">{escape(mutation.notice)}</p>' + rows
    if mutation.render_delay_ms and rows:
        rows = f'<template {mutation.attr}-later="{mutation.render_delay_ms}">{rows}</template>'
    body = _wrap(f'<div class="{cls["rows"]}">{rows}</div>', mutation.wrapper_depth, cls)
    question = setting.question.get(lang, "")
    config = {
        "attr": mutation.attr,
        "keys": [c.key for c in controls],
        "method": mutation.save.method,
        "url": mutation.save.url,
        "encoding": mutation.save.encoding,
        "debounce": mutation.save.debounce_ms,
        "beacons": mutation.beacons,
        "words": list(STATE_WORDS[lang]),
        "promoEveryLoad": mutation.promo_every_load,
        "escapeCloses": mutation.escape_closes,
        "csrf": CSRF[setting.site],
        "track": [
            t.replace("{id}", hashlib.sha256(f"t{mutation.seed}".encode()).hexdigest()[:10])
            for t in TRACKERS[setting.site]
        ],
    }
    data = json.dumps(config).replace("</", "<\\/")
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
{body}
</main>
{_obstacles(mutation, cookie_decided, cls)}
<script>window.__page = {data};</script>
<script>{SCRIPT}</script>
</body>
</html>"""


SCRIPT = r"""
(function () {
  "use strict";
  var C = window.__page, A = C.attr;
  function cookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) return parts[i].slice(eq + 1);
    }
    return "";
  }
  function post(path, body) {
    try { fetch(path, { method: "POST", body: body || "{}", keepalive: true, credentials: "same-origin" }); } catch (e) {}
  }
  function beacon(n) { if (C.beacons) post(C.track[n], JSON.stringify({ t: Date.now() })); }
  function isOn(el) { return el.tagName === "INPUT" ? el.checked : el.getAttribute("aria-checked") === "true"; }
  function show(el, on) {
    if (el.tagName === "INPUT") el.checked = on;
    if (el.hasAttribute("aria-checked")) el.setAttribute("aria-checked", String(on));
    var word = document.querySelector("[" + A + "-word='" + el.getAttribute(A) + "']");
    if (word) word.textContent = on ? C.words[0] : C.words[1];
  }
  function save(el, key, on, before) {
    var headers = {};
    headers[C.csrf[1]] = cookie(C.csrf[0]).replace(/^"|"$/g, "");
    var body;
    if (C.url.indexOf("{key}") < 0) { headers["Content-Type"] = "application/json"; body = JSON.stringify({ key: key, enabled: on }); }
    else if (C.encoding === "json") { headers["Content-Type"] = "application/json"; body = JSON.stringify({ value: on }); }
    else { headers["Content-Type"] = "application/x-www-form-urlencoded"; body = "value=" + on; }
    fetch(C.url.replace("{key}", encodeURIComponent(key)), { method: C.method, headers: headers, body: body, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); beacon(3); })
      .catch(function () { show(el, before); });
  }
  function toggle(el) {
    var key = C.keys[parseInt(el.getAttribute(A), 10)];
    var before = el.tagName === "INPUT" ? !el.checked : isOn(el);
    var on = el.tagName === "INPUT" ? el.checked : !before;
    show(el, on);
    beacon(2);
    setTimeout(function () { save(el, key, on, before); }, C.debounce);
  }
  document.addEventListener("pointerdown", function (e) {
    if (e.target.closest && e.target.closest("[" + A + "]")) beacon(1);
  }, true);
  document.addEventListener("click", function (e) {
    var el = e.target.closest("[" + A + "]");
    if (el && el.tagName !== "INPUT") toggle(el);
  });
  document.addEventListener("change", function (e) {
    if (e.target.tagName === "INPUT" && e.target.hasAttribute(A)) toggle(e.target);
  });
  document.addEventListener("keydown", function (e) {
    var el = e.target.closest && e.target.closest("div[" + A + "]");
    if (el && (e.key === " " || e.key === "Enter")) { e.preventDefault(); toggle(el); }
    if (e.key === "Escape" && C.escapeCloses) {
      ["promo", "tour"].forEach(function (k) { close(k); });
    }
  });
  function close(kind) {
    var box = document.querySelector("[" + A + "-act-box='" + kind + "']");
    if (box) box.remove();
    if (kind === "tour") localStorage.setItem("tour-done", "1");
  }
  var step = 1;
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[" + A + "-act]");
    if (!b) return;
    var act = b.getAttribute(A + "-act");
    if (act === "accept" || act === "reject") {
      document.cookie = "li_gc=" + act + "; path=/";
      post("/cookie-consent/", "choice=" + act);
      close("cookie");
    } else if (act === "offer") {
      post("/premium/trial/start", "{}");
      close("promo");
    } else if (act === "dismiss") {
      close("promo");
    } else if (act === "skip") {
      close("tour");
    } else if (act === "next") {
      step += 1;
      if (step > 3) close("tour");
      else document.querySelector("[" + A + "-act-step]").textContent = step + " / 3";
    }
  });
  if (localStorage.getItem("tour-done")) close("tour");
  if (!C.promoEveryLoad) {
    if (sessionStorage.getItem("promo-seen")) close("promo");
    sessionStorage.setItem("promo-seen", "1");
  }
  beacon(0);
  document.querySelectorAll("template[" + A + "-later]").forEach(function (tpl) {
    setTimeout(function () { tpl.replaceWith(tpl.content.cloneNode(true)); }, parseInt(tpl.getAttribute(A + "-later"), 10));
  });
})();
"""
