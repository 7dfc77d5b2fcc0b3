"""A form's press is written into the history before it happens (app/sendings.py), so no death of the
run between the press and its own record, and no disk that fills up then, can make a later run send the
form again; a press that cannot be written down does not happen."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from optout_bot.app import sendings
from optout_bot.app.runner import RunDeps, RunRequest, RunResult, execute
from optout_bot.engine.browser import BrowserSession
from optout_bot.engine.options import RunOptions
from optout_bot.errors import StateDirError
from optout_bot.model.outcomes import ExitStatus, Result
from optout_bot.store import history
from optout_bot.testing import FakeSite, attach_routes
from tests.contract import FAST
from tests.fake import fake, signed_in_store

FLOW = "meta.facebook-ai-objection"
ACCOUNT = "me"


def _entry(result: Result, action: history.Action = "none", sending: Any = None) -> history.HistoryEntry:
    return history.HistoryEntry(
        account=ACCOUNT, site="meta", flow=FLOW, command="disable", dry_run=False, before=None,
        after=None, action=action, result=result, exit_status=0, sending=sending,
    )  # fmt: skip


STARTED = ("sent-form", Result.UNCONFIRMED, "started")
WITHDRAWN = ("none", Result.NOT_SENT, "withdrawn")
SENT = ("sent-form", Result.SENT, None)
FAILED = ("none", Result.FAILED, None)


@pytest.mark.parametrize(
    ("records", "remembered"),
    [
        ([STARTED], Result.UNCONFIRMED),  # the run died after the press: never sent again blindly
        ([STARTED, SENT], Result.SENT),
        ([STARTED, FAILED], Result.UNCONFIRMED),  # a failure after the press says nothing about it
        ([STARTED, WITHDRAWN, FAILED], None),  # the press never happened
        ([SENT, STARTED, WITHDRAWN, FAILED], Result.SENT),  # memory only grows
        ([STARTED, WITHDRAWN, STARTED], Result.UNCONFIRMED),  # a withdrawal covers only its own press
    ],
)
def test_what_the_records_around_a_press_make_history_remember(
    records: list[tuple[Any, Result, Any]], remembered: Result | None
) -> None:
    for action, result, sending in records:
        history.append(_entry(result, action, sending))
    assert history.remembered_sending(ACCOUNT, FLOW) is remembered


def test_a_history_line_written_before_the_field_existed_still_loads() -> None:
    line = _entry(Result.SENT, "sent-form").model_dump_json(exclude={"sending"})
    history.history_file().parent.mkdir(parents=True, exist_ok=True)
    history.history_file().write_text(line + "\n")
    (entry,) = history.read()
    assert entry.sending is None
    assert history.remembered_sending(ACCOUNT, FLOW) is Result.SENT


@pytest.fixture
def run_form(session: BrowserSession, tmp_path: Path) -> Any:
    """The form flow through ``runner.execute`` on the shared browser, with what the history said at
    the moment the site received the form."""

    @contextmanager
    def launch(
        configured: str | None = None, headless: bool = True, local_copy: bool = False
    ) -> Iterator[BrowserSession]:
        yield session

    def execute_on(
        site: FakeSite, memory_at_send: list[Result | None], script: str = "", **options: Any
    ) -> RunResult:
        def prepare(context: Any) -> None:
            attach_routes(context, site)
            if script:
                context.add_init_script(script=script)

            def on_request(request: Any) -> None:
                if request.method == "POST" and "/help/contact/" in request.url:
                    memory_at_send.append(history.remembered_sending(ACCOUNT, FLOW))

            context.on("request", on_request)

        request = RunRequest(
            command="disable",
            account=ACCOUNT,
            site="meta",
            flows=(FLOW,),
            options=RunOptions(**{**FAST, **options}),
        )
        deps = RunDeps(
            store=signed_in_store(site), prepare_context=prepare, launch=launch, runs_root=tmp_path
        )
        return execute(request, deps)

    return execute_on


def test_the_press_is_in_the_history_before_the_form_reaches_the_site(run_form: Any) -> None:
    site = fake(site="meta")
    at_send: list[Result | None] = []
    result = run_form(site, at_send)
    assert result.outcomes[0].result is Result.SENT
    assert len(site.submissions) == 1
    assert at_send == [Result.UNCONFIRMED]  # had the run died here, no later run would send it again
    records = [(e.action, e.result, e.sending) for e in history.read(account=ACCOUNT)]
    assert records == [STARTED, SENT]
    assert history.remembered_sending(ACCOUNT, FLOW) is Result.SENT


def test_a_press_that_cannot_be_written_down_does_not_happen(
    run_form: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_append = history.append

    def disk_full_at_the_press(entry: history.HistoryEntry) -> None:
        if entry.sending == "started":
            raise StateDirError("cannot append to history.jsonl: No space left on device")
        real_append(entry)

    monkeypatch.setattr(sendings.history, "append", disk_full_at_the_press)
    site = fake(site="meta")
    result = run_form(site, [])
    (outcome,) = result.outcomes
    assert outcome.result is Result.FAILED
    assert outcome.exit_status is ExitStatus.SETUP
    assert outcome.submitted is False
    assert "No space left" in outcome.message
    assert site.submissions == []
    assert history.remembered_sending(ACCOUNT, FLOW) is None  # nothing was sent: a later run may send it


# Typing into the form disables every button on the page: the send button cannot be pressed.
BUTTONS_OFF_ON_TYPING = """
document.addEventListener("input", () => {
  document.querySelectorAll("button, input[type=submit]").forEach((b) => { b.disabled = true; });
}, true);
"""


def test_a_press_that_did_not_happen_is_withdrawn_and_a_later_run_may_send(run_form: Any) -> None:
    site = fake(site="meta")
    result = run_form(site, [], script=BUTTONS_OFF_ON_TYPING, timeout_ms=3_000)
    (outcome,) = result.outcomes
    assert (outcome.result, outcome.submitted) == (Result.FAILED, False)
    assert outcome.exit_status is ExitStatus.SITE_CHANGED
    assert site.submissions == []
    records = [(e.action, e.result, e.sending) for e in history.read(account=ACCOUNT)]
    assert records == [STARTED, WITHDRAWN, FAILED]
    assert history.remembered_sending(ACCOUNT, FLOW) is None
