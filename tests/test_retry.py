"""The retry policy: bounded, transient-only, Retry-After honoured and capped; waits recorded, not slept."""

from __future__ import annotations

import pytest

from optout_bot.engine.retry import RetryAfter, navigation_policy, parse_retry_after
from optout_bot.errors import Blocked, LoginFailed, TransientError


def _run(policy_errors: list[Exception]) -> tuple[list[float], int]:
    waits: list[float] = []
    calls = 0
    policy = navigation_policy(sleep=waits.append)

    def attempts() -> None:
        nonlocal calls
        for attempt in policy:
            with attempt:
                calls += 1
                raise policy_errors[min(calls - 1, len(policy_errors) - 1)]

    with pytest.raises(type(policy_errors[-1])):
        attempts()
    return waits, calls


def test_transient_errors_are_retried_three_times_then_reraised() -> None:
    waits, calls = _run([TransientError("HTTP 503")])
    assert calls == 3
    assert len(waits) == 2
    assert all(0 < w <= 32 for w in waits)


@pytest.mark.parametrize("error", [Blocked("HTTP 999"), LoginFailed("wrong password")])
def test_blocked_and_login_failures_are_never_retried(error: Exception) -> None:
    waits, calls = _run([error])
    assert calls == 1
    assert waits == []


def test_retry_after_is_honoured_and_a_longer_one_stops_the_retries() -> None:
    waits, calls = _run([RetryAfter("429", 7), RetryAfter("429", 10_000), TransientError("x")])
    assert waits == [7]
    assert calls == 2


@pytest.mark.parametrize(("value", "expected"), [("12", 12.0), (None, None), ("soon", None)])
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


def test_parse_retry_after_http_date_in_the_past_is_zero() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_waits_never_take_the_run_past_its_time_budget() -> None:
    # stop_before_delay counts the coming wait: two 100 s waits would end at 200 s, past 120 s.
    waits, calls = _run([RetryAfter("429", 100), RetryAfter("429", 100), TransientError("x")])
    assert waits == [100]
    assert calls == 2
