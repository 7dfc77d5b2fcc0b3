"""Something that appears over an objection form's send button after the form was filled (a consent
layer, a "before you go" dialog) is handled like a cover over a switch: closed by its own refusal or
close button, never accepted; a cover that cannot be closed stops the run with its name, and the form
is not sent (engine/forms.py, obstacles.py)."""

from __future__ import annotations

import json
from typing import Any

from optout_bot.engine.context import Contact
from optout_bot.engine.flow import run_account
from optout_bot.engine.job import AccountJob, RunReport
from optout_bot.engine.options import RunOptions
from optout_bot.engine.recorder import NullRecorder
from optout_bot.engine.signin import SignInPolicy
from optout_bot.model.loader import load_catalog
from optout_bot.model.outcomes import ExitStatus, Result
from optout_bot.testing import FakeSite, attach_routes
from tests.contract import FAST
from tests.fake import Creds, fake, signed_in_store

FLOW = "meta.facebook-ai-objection"
CONTACT = Contact(email="contact@example.org", phone="+4915112345678")

# Typing into the form makes a layer appear over the whole page, the way a late consent layer would.
COVER_ON_TYPING = """
(() => {
  const buttons = %s;
  let shown = false;
  document.addEventListener("input", () => {
    if (shown) return;
    shown = true;
    const layer = document.createElement("div");
    layer.setAttribute("style", "position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.5)");
    const dialog = document.createElement("div");
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-label", "Before you send");
    dialog.setAttribute("style", "background:#fff;margin:20vh auto;padding:24px;max-width:360px");
    dialog.append("Get the app for a better experience. ");
    for (const [text, aria] of buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = text;
      if (aria) button.setAttribute("aria-label", aria);
      button.addEventListener("click", () => {
        window.reportPress(text || aria);
        layer.remove();
      });
      dialog.append(button);
    }
    layer.append(dialog);
    document.body.append(layer);
  }, true);
})();
"""


def _run_with_cover(
    session: Any, buttons: list[tuple[str, str | None]]
) -> tuple[RunReport, FakeSite, list[str]]:
    site = fake(site="meta")
    pressed: list[str] = []

    def prepare(context: Any) -> None:
        attach_routes(context, site)
        context.expose_function("reportPress", lambda text: pressed.append(text))
        context.add_init_script(script=COVER_ON_TYPING % json.dumps(buttons))

    catalog = load_catalog()
    job = AccountJob(
        account="test",
        site=catalog.site("meta"),
        flows=[catalog.flow(FLOW)],
        signin=SignInPolicy(Creds(), True, None),
        remembered=lambda flow: None,
        store=signed_in_store(site),
        contact=CONTACT,
    )
    report = run_account(session, job, RunOptions(**FAST), NullRecorder(), prepare)
    return report, site, pressed


def test_a_dialog_over_the_send_button_is_closed_and_the_form_is_sent_once(session: Any) -> None:
    report, site, pressed = _run_with_cover(session, [("Open the app", None), ("", "Close")])
    (outcome,) = report.outcomes
    assert (outcome.result, outcome.verified) == (Result.SENT, True), outcome.message
    assert len(site.submissions) == 1
    assert pressed == ["Close"]


def test_a_cover_that_only_accepts_stops_the_run_and_nothing_is_sent(session: Any) -> None:
    report, site, pressed = _run_with_cover(session, [("Accept all", None), ("Agree", None)])
    (outcome,) = report.outcomes
    assert outcome.result is Result.FAILED
    assert report.exit_status is ExitStatus.NEEDS_HUMAN
    assert "Before you send" in outcome.message
    assert outcome.submitted is False
    assert site.submissions == []
    assert pressed == []
