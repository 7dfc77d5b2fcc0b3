"""The bare minimum: a hand-written Playwright script doing only the irreducible work.

    python bench/baseline.py disable|check SETTING_URL STORAGE_STATE_JSON CHROMIUM

``disable``: launch → context with the saved cookies → open the setting → read → click → wait for
the save → reload → read. ``check``: launch → context → open the setting → read. Prints one JSON
line (states and the browser version); exits 0 when the switch ends OFF, 3 when it reads ON and
1 when it is still ON after switching it off. No retries, no sign-in handling, no evidence, no
history, no encryption: that is everything optout-bot adds, and what bench/run.py measures.
"""

from __future__ import annotations

import json
import sys

from playwright.sync_api import sync_playwright

# The same switch the flow file names (flows/linkedin/data-for-ai-improvement.toml).
SWITCH = "[role=switch][aria-labelledby='allowDataForGenerativeAI']"


def main(argv: list[str]) -> int:
    """Run one baseline pass; see the module docstring."""
    mode, url, storage_state, chromium = argv
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True)
        context = browser.new_context(storage_state=storage_state)
        page = context.new_page()
        page.goto(url)
        switch = page.locator(SWITCH)
        before = switch.is_checked()
        after = before
        if mode == "disable" and before:
            # A correct script must wait for the save to land before reloading to verify it.
            with page.expect_response(lambda r: r.request.method == "POST"):
                switch.click()
            page.reload()
            after = switch.is_checked()
        print(json.dumps({"before": before, "after": after, "browser": browser.version}))
        browser.close()
    if mode == "check":
        return 3 if after else 0
    return 1 if after else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
