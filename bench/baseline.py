"""The bare minimum: a hand-written Playwright script doing only the irreducible work.

    python bench/baseline.py disable|check STORAGE_STATE_JSON CHROMIUM SETTING_URL [SETTING_URL ...]

``disable``: launch → one context with the saved cookies → for each setting: open its page → read
the switch → click → wait for the save → reload → read. ``check``: launch → context → open → read.
Prints one JSON line (states and the browser version); exits 0 when every switch ends OFF, 3 when
``check`` reads one ON, 1 when one is still ON after switching it off. No retries, sign-in
handling, barrier checks, evidence, history, locking or encryption: that is everything optout-bot
adds, and what bench/run.py measures.
"""

from __future__ import annotations

import json
import sys

from playwright.sync_api import sync_playwright

# Each fake settings page has exactly one switch; the fake saves it under its aria-labelledby key.
SWITCH = "[role=switch][aria-labelledby]"
SAVE = "/mysettings-api/settingsApiSettings/"  # flows/linkedin/site.toml [save]


def main(argv: list[str]) -> int:
    """Run one baseline pass; see the module docstring."""
    mode, storage_state, chromium, *urls = argv
    states: list[tuple[bool, bool]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True)
        context = browser.new_context(storage_state=storage_state)
        page = context.new_page()
        for url in urls:
            page.goto(url)
            switch = page.locator(SWITCH)
            before = after = switch.is_checked()
            if mode == "disable" and before:
                # A correct script must wait for the save to land before reloading to verify it: the
                # settings API's answer (PUT), not one of the tracking POSTs the page sends beside it.
                with page.expect_response(lambda r: r.request.method == "PUT" and SAVE in r.url):
                    switch.click()
                page.reload()
                after = switch.is_checked()
            states.append((before, after))
        print(json.dumps({"states": states, "browser": browser.version}))
        browser.close()
    if any(after for _, after in states):
        return 3 if mode == "check" else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
