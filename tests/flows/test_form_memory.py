"""Objection forms are remembered through the history file, as real runs write it (runner.execute).

A form has no state to read back, so memory is what stops a second sending: a sent form, and a form
sent once without a confirmation, are never sent again by a later run, whatever happened in between.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from optout_bot.app.runner import Command, RunDeps, RunRequest, RunResult, execute
from optout_bot.engine.browser import BrowserSession
from optout_bot.engine.options import RunOptions
from optout_bot.model.outcomes import ExitStatus, Result
from optout_bot.store import history
from optout_bot.testing import FakeSite, attach_routes
from tests.contract import FAST
from tests.fake import fake, signed_in_store
from tests.form_contract import NO_CONFIRMATION

FLOW = "meta.facebook-ai-objection"


Execute = Callable[..., RunResult]


@pytest.fixture
def run(session: BrowserSession) -> Execute:
    """``execute`` with the shared browser handed in (one Playwright per process)."""

    @contextmanager
    def launch(
        configured: str | None = None, headless: bool = True, local_copy: bool = False
    ) -> Iterator[BrowserSession]:
        yield session

    def execute_on(site: FakeSite, tmp_path: Path, command: Command = "disable", **options: Any) -> RunResult:
        request = RunRequest(
            command=command,
            account="me",
            site="meta",
            flows=(FLOW,),
            options=RunOptions(**{**FAST, **options}),
        )
        deps = RunDeps(
            store=signed_in_store(site),
            prepare_context=lambda context: attach_routes(context, site),
            launch=launch,
            runs_root=tmp_path,
        )
        return execute(request, deps)

    return execute_on


def _entry(result: Result, action: history.Action = "none", dry_run: bool = False) -> history.HistoryEntry:
    return history.HistoryEntry(
        account="me", site="meta", flow=FLOW, command="disable", dry_run=dry_run, before=None,
        after=None, action=action, result=result, exit_status=0,
    )  # fmt: skip


def test_an_unconfirmed_sending_is_never_repeated_by_a_later_run(tmp_path: Path, run: Execute) -> None:
    first_site = fake(site="meta", variant="no-confirmation")
    first = run(first_site, tmp_path, **NO_CONFIRMATION)
    assert first.outcomes[0].result is Result.UNCONFIRMED
    assert first.report.exit_status is ExitStatus.SITE_CHANGED
    # The press written down before it happened (app/sendings.py), then the run's own record.
    pressed, recorded = history.read(account="me")
    assert (pressed.action, pressed.result, pressed.sending) == ("sent-form", Result.UNCONFIRMED, "started")
    assert (recorded.action, recorded.result, recorded.sending) == ("sent-form", Result.UNCONFIRMED, None)
    # A site that does not show it as received (a fresh fake has no record of the first sending):
    second_site = fake(site="meta")
    second = run(second_site, tmp_path)
    (outcome,) = second.outcomes
    assert outcome.result is Result.UNCONFIRMED
    assert outcome.submitted is False
    assert "--resend" in outcome.remedy
    assert second.report.exit_status is ExitStatus.NEEDS_HUMAN
    assert second_site.submissions == []
    assert history.read(account="me")[-1].action == "none"


def test_the_sites_own_notice_settles_an_unconfirmed_sending(tmp_path: Path, run: Execute) -> None:
    site = fake(site="meta", variant="no-confirmation")
    run(site, tmp_path, **NO_CONFIRMATION)
    status = run(site, tmp_path, command="status")  # the same fake now shows "already received"
    assert status.outcomes[0].result is Result.ALREADY_SENT
    assert status.outcomes[0].verified is True
    assert history.remembered_sending("me", FLOW) is Result.ALREADY_SENT
    assert len(site.submissions) == 1


def test_resend_sends_once_more_when_asked(tmp_path: Path, run: Execute) -> None:
    run(fake(site="meta", variant="no-confirmation"), tmp_path, **NO_CONFIRMATION)
    site = fake(site="meta")
    again = run(site, tmp_path, ignore_memory=True)
    assert again.outcomes[0].result is Result.SENT
    assert len(site.submissions) == 1
    assert history.remembered_sending("me", FLOW) is Result.SENT


def test_resend_never_overrides_the_sites_notice(tmp_path: Path, run: Execute) -> None:
    site = fake(site="meta")
    run(site, tmp_path)
    again = run(site, tmp_path, ignore_memory=True)
    assert again.outcomes[0].result is Result.ALREADY_SENT
    assert len(site.submissions) == 1


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ([], None),
        ([_entry(Result.SENT, "sent-form")], Result.SENT),
        ([_entry(Result.SENT, "sent-form"), _entry(Result.FAILED)], Result.SENT),
        ([_entry(Result.SENT, "sent-form"), _entry(Result.NOT_SENT)], Result.SENT),
        ([_entry(Result.UNCONFIRMED, "sent-form"), _entry(Result.FAILED)], Result.UNCONFIRMED),
        ([_entry(Result.UNCONFIRMED, "sent-form"), _entry(Result.ALREADY_SENT)], Result.ALREADY_SENT),
        ([_entry(Result.WOULD_SEND, "would-send-form", dry_run=True)], None),
        ([_entry(Result.FAILED), _entry(Result.NOT_SENT)], None),
    ],
)
def test_memory_only_grows(entries: list[history.HistoryEntry], expected: Result | None) -> None:
    for entry in entries:
        history.append(entry)
    assert history.remembered_sending("me", FLOW) is expected
    assert history.remembered_sending("someone-else", FLOW) is None


def test_a_torn_last_line_never_makes_a_sent_form_look_unsent(tmp_path: Path, run: Execute) -> None:
    """Issue 14 D4: a crash left a line without its newline; the sending recorded after it must stay
    readable, so the next run does not send the form again."""
    path = history.history_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    torn = _entry(Result.NOT_SENT).model_dump_json().encode()[:70]  # cut mid-record, no newline
    path.write_bytes(torn)
    first_site = fake(site="meta")
    assert run(first_site, tmp_path).outcomes[0].result is Result.SENT
    assert len(first_site.submissions) == 1
    second_site = fake(site="meta")
    second = run(second_site, tmp_path)
    assert second.outcomes[0].result is Result.ALREADY_SENT
    assert second_site.submissions == []


def test_a_damaged_record_of_a_sending_still_stops_a_second_sending(tmp_path: Path, run: Execute) -> None:
    """The record of the sending itself was torn (disk full mid-write): remembered as unconfirmed."""
    path = history.history_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    sent = _entry(Result.SENT, action="sent-form").model_dump_json().encode()
    path.write_bytes(sent[: sent.index(b'"result"')] + b"\n")
    assert history.remembered_sending("me", FLOW) is Result.UNCONFIRMED
    site = fake(site="meta")
    assert run(site, tmp_path).outcomes[0].result is Result.UNCONFIRMED
    assert site.submissions == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw.replace(b'"dry_run":false', b'"dry_run":true'),
        lambda raw: raw.replace(b'"sent-form"', b'"none"'),
        lambda raw: raw.replace(b'"account":"me"', b'"account":"other"'),
    ],
    ids=["dry-run", "no-sending", "other-account"],
)
def test_a_damaged_line_that_rules_out_a_sending_is_not_one(damage: Any) -> None:
    path = history.history_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = damage(_entry(Result.SENT, action="sent-form").model_dump_json().encode())
    path.write_bytes(raw[: raw.index(b'"result"')] + b"\n")
    assert history.remembered_sending("me", FLOW) is None
