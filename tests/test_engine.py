"""The engine against every page variant, UI language and sign-in barrier of the fake LinkedIn."""

from __future__ import annotations

from typing import Any

import pytest

from optout_bot.engine.options import RunOptions
from optout_bot.model.outcomes import ExitStatus, Result
from tests.fake import Creds, MemoryStore, fake, run

KEY = "allowDataForGenerativeAI"
FAST = RunOptions(switch_timeout_ms=4_000, timeout_ms=10_000)
ABSENT = RunOptions(switch_timeout_ms=2_000, timeout_ms=10_000)
"""For a control that is not there: it is looked for 2 s (as in the fault matrix), not 4."""


@pytest.mark.parametrize("language", ["en", "fr", "de", "es", "it", "nl", "pt"])
def test_switches_off_in_every_ui_language(session: Any, language: str) -> None:
    site = fake(language=language, settings={KEY: True})
    report = run(session, site)
    assert report.outcomes[0].result is Result.CHANGED
    assert site.state(KEY) is False


@pytest.mark.parametrize("language", ["en", "de", "pt"])
def test_dry_run_walks_the_localized_path_like_a_person(session: Any, language: str) -> None:
    from optout_bot.engine.recorder import NullRecorder

    site = fake(language=language, settings={KEY: True})
    recorder = NullRecorder()
    report = run(session, site, RunOptions(dry_run=True, switch_timeout_ms=4_000), recorder=recorder)
    assert report.outcomes[0].result is Result.WOULD_CHANGE
    assert [s.name for s in recorder.steps] == [
        "signed-in",
        "settings",
        "data-privacy",
        "setting",
        "switch-read",
        "would-switch-off",
    ]
    assert site.saves == []


def test_slow_hydration_is_waited_for(session: Any) -> None:
    site = fake(variant="slow", settings={KEY: True})
    assert run(session, site).outcomes[0].result is Result.CHANGED


def test_two_switches_on_one_page_only_ours_is_clicked(session: Any) -> None:
    site = fake(variant="two-switches", settings={KEY: True, "allowAnonymizedDataResearch": True})
    assert run(session, site).outcomes[0].result is Result.CHANGED
    assert [s.key for s in site.saves] == [KEY]
    assert site.state("allowAnonymizedDataResearch") is True


def test_button_switch_redesign_still_works(session: Any) -> None:
    site = fake(variant="button-switch", settings={KEY: True})
    assert run(session, site).outcomes[0].result is Result.CHANGED
    assert site.state(KEY) is False


def test_switch_without_on_off_text_still_works(session: Any) -> None:
    site = fake(variant="no-text", settings={KEY: True})
    assert run(session, site).outcomes[0].result is Result.CHANGED


def test_changed_markup_is_site_changed_and_nothing_is_clicked(session: Any) -> None:
    site = fake(variant="changed", settings={KEY: True})
    report = run(session, site, ABSENT)
    assert report.outcomes[0].error == "SiteChanged"
    assert report.exit_status is ExitStatus.SITE_CHANGED
    assert site.saves == []


@pytest.mark.parametrize("variant", ["absent-redirect", "absent-notice"])
def test_absent_setting_is_unavailable(session: Any, variant: str) -> None:
    site = fake(variant=variant, settings={KEY: True})
    report = run(session, site, ABSENT)
    assert report.exit_status is ExitStatus.UNAVAILABLE, report.outcomes[0].message
    assert site.saves == []


def test_disabled_switch_is_not_clicked(session: Any) -> None:
    site = fake(variant="disabled", settings={KEY: True})
    report = run(session, site)
    assert report.exit_status is ExitStatus.UNAVAILABLE
    assert site.saves == []


@pytest.mark.parametrize("challenge", ["email-pin", "sms-pin", "app-approval", "captcha", "restricted"])
def test_every_checkpoint_stops_for_a_human(session: Any, challenge: str) -> None:
    site = fake(challenge=challenge, settings={KEY: True})
    report = run(session, site, store=MemoryStore(), creds=Creds())
    assert report.exit_status is ExitStatus.NEEDS_HUMAN, report.outcomes[0].message
    assert site.login_attempts == 1
    assert site.saves == []


@pytest.mark.parametrize("challenge", ["email-pin", "sms-pin"])
def test_a_person_at_a_terminal_can_answer_a_pin(session: Any, challenge: str) -> None:
    site = fake(challenge=challenge, settings={KEY: True})
    asked: list[str] = []

    def ask(message: str) -> str:
        asked.append(message)
        return site.scenario.pin

    report = run(session, site, store=MemoryStore(), creds=Creds(), ask_pin=ask)
    assert report.outcomes[0].result is Result.CHANGED
    assert len(asked) == 1


def test_wrong_pin_is_not_retried(session: Any) -> None:
    site = fake(challenge="email-pin", settings={KEY: True})
    report = run(session, site, store=MemoryStore(), creds=Creds(), ask_pin=lambda _: "000000")
    assert report.exit_status is ExitStatus.NEEDS_HUMAN
    assert site.saves == []


def test_rememberme_chooser_needs_a_human(session: Any) -> None:
    site = fake(signed_out_page="rememberme", settings={KEY: True})
    report = run(session, site, store=MemoryStore(), creds=Creds())
    assert report.exit_status is ExitStatus.NEEDS_HUMAN
    assert site.login_attempts == 0


def test_scheduled_run_never_types_the_password(session: Any) -> None:
    site = fake(settings={KEY: True})
    report = run(session, site, store=MemoryStore(), creds=Creds(), allow_password=False)
    assert report.exit_status is ExitStatus.NEEDS_HUMAN
    assert site.login_attempts == 0


def test_expired_session_signs_in_again_once(session: Any) -> None:
    site = fake(settings={KEY: True})
    store = MemoryStore({"cookies": site.session_cookies(), "origins": []})
    site.expire_sessions()
    report = run(session, site, store=store, creds=Creds())
    assert report.outcomes[0].result is Result.CHANGED
    assert site.login_attempts == 1


def test_the_saved_session_is_reused_without_signing_in(session: Any) -> None:
    site = fake(settings={KEY: False})
    report = run(session, site, creds=Creds())
    assert report.outcomes[0].result is Result.ALREADY_OFF
    assert site.login_attempts == 0
