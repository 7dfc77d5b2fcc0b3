"""Around a run: the health-check pings, the HTML report and the alerts its outcomes call for.

``run_with_hooks`` calls these before and after ``runner.execute`` for every command that runs
(``disable``, ``check``, ``status``, ``demo``, ``replay``, ``setup``); the runner itself never
reports, so the report and the alerts depend on the run's result types and not the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any

from optout_bot.app import notify, report, runner
from optout_bot.app.render import with_account
from optout_bot.errors import OptoutBotError, RunLocked
from optout_bot.model.outcomes import ExitStatus

if TYPE_CHECKING:
    from optout_bot.app.request import RunDeps, RunRequest, RunResult
    from optout_bot.store.config import Config

# Only ``check`` pings the health-check URL: it is what schedulers run, and a manual ``disable``
# must not tell the dead-man's switch that the schedule is alive (or that it failed).
PINGED_COMMANDS: frozenset[str] = frozenset({"check"})
# A run that read the setting, or learnt that the account has none, did its job: it pings success.
_PING_SUCCESS = frozenset({ExitStatus.OK, ExitStatus.UNAVAILABLE})


def before_run(request: RunRequest, config: Config) -> list[str]:
    """Ping the health-check URL's ``start`` for a scheduled-style run; problems as lines, never raises."""
    if request.command not in PINGED_COMMANDS or request.fake_site:
        return []
    problem = notify.ping(config.notify, "start")
    return [problem] if problem else []


def after_run(result: RunResult, config: Config) -> list[str]:
    """Write the run's HTML report, send the alerts its outcomes call for, ping success or fail.

    Returns problems as one-line strings: a failed alert never changes a run's outcome.
    """
    problems: list[str] = []
    if result.run_dir is not None and result.run_dir.exists():
        report.write_report(result)
    if result.request.fake_site or result.report.interrupted:
        return problems  # a person pressed Ctrl-C: nobody needs an alert about it
    for outcome in result.outcomes:
        alert = notify.alert_for(
            outcome, result.request.account, result.site_title, scheduled=result.request.scheduled
        )
        if alert is not None:
            problems += notify.send(alert, config.notify)
    if result.request.command in PINGED_COMMANDS:
        event: notify.PingEvent = "success" if result.report.exit_status in _PING_SUCCESS else "fail"
        problem = notify.ping(config.notify, event)
        problems += [problem] if problem else []
    return problems


def run_failed(request: RunRequest, config: Config, error: BaseException) -> list[str]:
    """Ping ``fail`` when a run stopped before it could report (no browser, no keyring, ...).

    A run that found another holding the account's lock pings nothing: that run reports for itself.
    """
    if request.command not in PINGED_COMMANDS or request.fake_site or isinstance(error, RunLocked):
        return []
    problem = notify.ping(config.notify, "fail")
    return [problem] if problem else []


def run_with_hooks(
    request: RunRequest,
    deps: RunDeps | None,
    config: Config,
    warn: Callable[[list[str]], None],
    during: AbstractContextManager[Any] | None = None,
) -> RunResult:
    """Ping start, run ``request`` with ``deps`` (inside ``during``, e.g. a progress display), then write the report,
    alert and ping the end; each hook's problems go to ``warn`` as lines. An error is re-raised with
    its remedy naming the request's account."""
    warn(before_run(request, config))
    try:
        with during or nullcontext():
            result = runner.execute(request, deps)
    except OptoutBotError as exc:
        warn(run_failed(request, config, exc))
        exc.remedy = with_account(exc.remedy, request.account)  # the hint must act on this account
        raise
    warn(after_run(result, config))
    return result
