"""How results read: one human line per flow (stderr) and a stable JSON document (stdout)."""

from __future__ import annotations

import json
from typing import Any

from optout_bot.i18n import _
from optout_bot.outcomes import FlowOutcome, Result, state_text, state_word


def outcome_line(site_title: str, outcome: FlowOutcome) -> str:
    """``LinkedIn · Data for Generative AI Improvement: ON → OFF (verified after reload)``."""
    head = f"{site_title} · {_(outcome.title)}"
    match outcome.result:
        case Result.CHANGED:
            return _("{head}: ON → OFF (verified after reload)").format(head=head)
        case Result.ALREADY_OFF:
            return _("{head}: already OFF, nothing changed").format(head=head)
        case Result.WOULD_CHANGE:
            return _("{head}: Dry run: would have turned OFF (currently ON); nothing changed").format(
                head=head
            )
        case Result.DRIFT:
            return _(
                "{head}: ON (drift: it should be OFF); run 'optout-bot check --fix' or 'optout-bot disable'"
            ).format(head=head)
        case Result.ON:
            return _("{head}: ON").format(head=head)
        case Result.SENT:
            if outcome.verified:
                return _("{head}: objection sent (confirmation seen)").format(head=head)
            return _("{head}: objection sent").format(head=head)
        case Result.ALREADY_SENT:
            return _("{head}: objection already sent, nothing sent again").format(head=head)
        case Result.WOULD_SEND:
            return _("{head}: Dry run: form filled, would have sent it; nothing sent").format(head=head)
        case Result.UNCONFIRMED:
            return _("{head}: objection sent without a confirmation; not sent again: {message}").format(
                head=head, message=outcome.message
            )
        case Result.NOT_SENT:
            return _("{head}: objection not sent yet; run 'optout-bot disable' to send it").format(head=head)
        case _:
            if outcome.before is not None:
                return _("{head}: FAILED (read {state}): {message}").format(
                    head=head, state=state_text(outcome.before), message=outcome.message
                )
            return _("{head}: FAILED: {message}").format(head=head, message=outcome.message)


def outcome_json(outcome: FlowOutcome) -> dict[str, Any]:
    """One outcome as plain JSON types."""
    return {
        "flow": outcome.flow,
        "title": outcome.title,
        "result": outcome.result.value,
        "before": state_word(outcome.before),
        "after": state_word(outcome.after),
        "verified_after_reload": outcome.verified,
        "error": outcome.error,
        "message": outcome.message,
        "remedy": outcome.remedy,
        "evidence": outcome.evidence,
        "exit_status": int(outcome.exit_status),
    }


def dumps(document: dict[str, Any]) -> str:
    """Stable, readable JSON."""
    return json.dumps(document, indent=2, ensure_ascii=False)
