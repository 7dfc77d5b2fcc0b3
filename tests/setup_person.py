"""``optout-bot`` as a person at a terminal runs it, for tests/test_setup.py (run as a script).

Two stand-ins, both for things a test machine lacks, neither inside the product:
- the sign-in window: there is no display here, so the window is a headless browser, and the
  "person" in it is a page script that types the fake site's account into the fake's own sign-in
  form and sends it; the product's own ``interactive_login`` then waits for the signed-in page and
  saves the session exactly as it does for a person;
- the OS scheduler: its commands go to a recorder (``scheduling.RUNNER``), as in every schedule test.

The person's e-mail and password come from ``SETUP_TEST_PERSON`` ("email password").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from optout_bot.app import handlogin, scheduling
from optout_bot.cli.main import raw_main

# Fills the first form holding a password field: the username-like field, then the password, then
# sends it, the way a person does once the page has loaded.
PERSON_JS = """
(([email, password]) => {
  const act = () => {
    const secret = document.querySelector("form input[type=password]");
    if (!secret) return;
    const form = secret.form;
    const name = form.querySelector("input[autocomplete=username], input[type=email], input[name=text]");
    if (!name) return;
    name.value = email; secret.value = password;
    form.submit();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", act);
  else act();
})(%s)
"""


def person_window(
    spec: Any, store: Any, site_url: str | None, chromium_path: str | None, timeout: float
) -> None:
    from optout_bot.app.handlogin import interactive_login
    from optout_bot.engine.browser import launch

    email, password = os.environ["SETUP_TEST_PERSON"].split(" ", 1)
    script = PERSON_JS % json.dumps([email, password])

    def person(context: Any) -> None:
        context.add_init_script(script=script)

    with launch(chromium_path, headless=True, local_copy=True) as session:
        interactive_login(session, spec, store, site_url, min(timeout, 30), prepare_context=person)


def scheduler(argv: list[str]) -> subprocess.CompletedProcess[str]:
    with Path(os.environ["SETUP_TEST_SCHEDULER_LOG"]).open("a", encoding="utf-8") as log:
        log.write(json.dumps(argv) + "\n")
    return subprocess.CompletedProcess(argv, 0, "", "")


if __name__ == "__main__":
    handlogin.WINDOW = person_window
    scheduling.RUNNER = scheduler
    sys.exit(raw_main(sys.argv[1:]))
