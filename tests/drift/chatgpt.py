"""ChatGPT's home redrawn: its switch lives in a dialog behind the profile menu, Settings, Data controls.

The way there keeps the site's own markers (the data-testid values public scripts rely on, which an
author of the real site keeps); what is redrawn is the "Improve the model" dialog: the control's
kind, name, classes, wrappers, toggles beside it (audio and video recordings: INFERRED, test data
only), a late render. A workspace that does not offer it shows no row but a notice instead.
"""

from __future__ import annotations

from html import escape

from tests.drift.mutate import Mutation
from tests.drift.page import obstacles, rows, scripts


def render_home(mutation: Mutation, state: dict[str, bool], cookie_decided: bool, cls: dict[str, str]) -> str:
    """ChatGPT's home with the settings dialogs, the switch drawn as ``mutation`` says."""
    key = mutation.setting.key
    if mutation.offered == "yes":
        word = "On" if state[key] else "Off"
        row = (
            '<div class="settings-row"><span>Improve the model for everyone</span> '
            '<button type="button" data-testid="improve-model-open-modal-button" aria-haspopup="dialog" '
            f'aria-expanded="false" aria-controls="improve-model-dialog"><span>{word}</span></button></div>'
        )
    else:
        row = f'<p role="status">{escape(mutation.notice)}</p>'
    dialog_rows = rows(mutation, state, cls) if mutation.offered == "yes" else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>ChatGPT</title>
<style>[hidden]{{display:none!important}} body{{font-family:system-ui,sans-serif;margin:0;display:flex;gap:16px}}
[role=dialog]{{border:1px solid #ccc;padding:12px;margin:8px;background:#fff}}</style></head>
<body>
<nav aria-label="Chat history"><a href="/">New chat</a>
<button type="button" data-testid="accounts-profile-button" aria-label="Open profile menu" aria-haspopup="menu"
 aria-expanded="false" aria-controls="profile-menu"><span class="truncate">Alex Example</span></button>
<div id="profile-menu" role="menu" aria-label="Profile" hidden>
<button type="button" role="menuitem" data-testid="settings-menu-item" aria-haspopup="dialog" aria-expanded="false"
 aria-controls="settings-dialog">Settings</button>
<a role="menuitem" href="/auth/logout">Log out</a></div></nav>
<main><h1>What's on your mind today?</h1><textarea aria-label="Message ChatGPT"></textarea></main>
<div id="settings-dialog" role="dialog" aria-modal="true" aria-labelledby="settings-title" hidden>
<h2 id="settings-title">Settings</h2>
<div role="tablist" aria-label="Settings sections">
<button type="button" role="tab" aria-selected="true" aria-controls="tab-general">General</button>
<button type="button" role="tab" aria-selected="false" aria-controls="tab-data-controls"
 data-testid="data-controls-tab">Data controls</button></div>
<div id="tab-general" role="tabpanel" aria-label="General"><p>Theme: System</p></div>
<div id="tab-data-controls" role="tabpanel" aria-label="Data controls" hidden>
{row}
<div class="settings-row"><span>Shared links</span> <button type="button">Manage</button></div></div></div>
<div id="improve-model-dialog" role="dialog" aria-modal="true" aria-labelledby="improve-title" hidden>
<h2 id="improve-title">{escape(mutation.setting.title["en"])}</h2>
{dialog_rows}
<p>{escape(mutation.setting.question["en"])}</p>
<button type="button" aria-controls="improve-model-dialog" aria-expanded="true">Done</button></div>
{obstacles(mutation, cookie_decided, cls)}
{scripts(mutation)}
</body>
</html>"""
