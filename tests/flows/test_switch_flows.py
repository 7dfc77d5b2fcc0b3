"""Every switch flow against its fake site, from one table (tests/contract.py): each command does
what it must, and the site, not only the report, shows it."""

from __future__ import annotations

import pytest

from optout_bot.engine.browser import BrowserSession
from optout_bot.engine.options import RunOptions
from optout_bot.model.loader import load_catalog
from optout_bot.model.outcomes import Result
from tests.contract import COMMANDS, FAST, SWITCHES, Command, SwitchFlow, contract_cases
from tests.fake import fake, run

CASES = contract_cases()


def test_the_table_has_every_switch_flow_of_the_catalog_once() -> None:
    catalog = {f.name for f in load_catalog().flows.values() if f.form is None}
    assert sorted(row.flow for row in SWITCHES) == sorted(catalog)
    per_site = {c.name for c in COMMANDS if not c.per_flow}
    for site in {row.site for row in SWITCHES}:
        assert {c.name for row, c in CASES if row.site == site and not c.per_flow} == per_site


@pytest.mark.parametrize(("row", "command"), CASES, ids=[f"{r.flow}-{c.name}" for r, c in CASES])
def test_the_command_does_to_the_switch_what_it_must(
    session: BrowserSession, row: SwitchFlow, command: Command
) -> None:
    site = fake(site=row.site, settings={row.key: command.starts_on})
    report = run(session, site, RunOptions(**{**FAST, **command.options}), flows=[row.flow])
    (outcome,) = report.outcomes
    assert outcome.result is command.result, outcome.message
    assert [s.enabled for s in site.saves] == list(command.saves)
    assert site.state(row.key) is command.ends_on
    assert report.exit_status is command.exit_status
    if command.result is Result.CHANGED:  # read back after a reload, never taken on trust
        assert (outcome.before, outcome.after, outcome.verified) == (True, False, True)
