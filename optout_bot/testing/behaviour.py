"""The script the fake injects into every page: menus, switches that save, form-less sign-in."""

from __future__ import annotations

import json
from pathlib import Path

from optout_bot.testing.manifest import SiteManifest

_SCRIPT = Path(__file__).with_name("behaviour.js")


def behaviour_script(manifest: SiteManifest, language: str) -> str:
    """An inline ``<script>``: the manifest's names as config, then behaviour.js."""
    config = {
        "csrfCookie": manifest.auth.csrf_cookie,
        "csrfHeader": manifest.auth.csrf_header,
        "settingsApi": manifest.settings_api,
        "settingsMethod": manifest.settings_method,
        "beacons": manifest.beacons,
        "wrapperClass": manifest.markup.wrapper_class,
        "toggledClass": manifest.markup.toggled_class,
        "textClass": manifest.markup.text_class,
        "toastClass": manifest.markup.toast_class,
        "saveError": manifest.markup.save_error,
        "words": list(manifest.words(language)),
        "loginSubmit": manifest.auth.login_submit[0] if manifest.auth.login_submit else None,
        "usernameField": manifest.auth.username_field,
        "passwordField": manifest.auth.password_field,
        "redirectField": manifest.auth.redirect_field,
        "formlessContainer": manifest.auth.formless_container,
    }
    data = json.dumps(config).replace("</", "<\\/")
    return f"<script data-fake-behaviour>window.__fakeSite = {data};\n{_SCRIPT.read_text('utf-8')}</script>"
