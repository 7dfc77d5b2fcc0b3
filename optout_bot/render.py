"""How results read: one human line per flow (stderr) and a stable JSON document (stdout)."""

from __future__ import annotations

import json
from typing import Any

from optout_bot.outcomes import FlowOutcome, Result, state_word


def outcome_line(site_title: str, outcome: FlowOutcome) -> str:
    """``LinkedIn · Data for Generative AI Improvement: ON → OFF (verified after reload)``."""
    head = f"{site_title} · {outcome.title}"
    match outcome.result:
        case Result.CHANGED:
            return f"{head}: ON → OFF (verified after reload)"
        case Result.ALREADY_OFF:
            return f"{head}: already OFF, nothing changed"
        case Result.WOULD_CHANGE:
            return f"{head}: Dry run: would have turned OFF (currently ON); nothing changed"
        case Result.DRIFT:
            return (
                f"{head}: ON (drift: it should be OFF); run 'optout-bot check --fix' or 'optout-bot disable'"
            )
        case Result.ON:
            return f"{head}: ON"
        case Result.SENT:
            proof = " (confirmation seen)" if outcome.verified else ""
            return f"{head}: objection sent{proof}"
        case Result.ALREADY_SENT:
            return f"{head}: objection already sent, nothing sent again"
        case Result.WOULD_SEND:
            return f"{head}: Dry run: form filled, would have sent it; nothing sent"
        case Result.UNCONFIRMED:
            return f"{head}: objection sent without a confirmation; not sent again: {outcome.message}"
        case Result.NOT_SENT:
            return f"{head}: objection not sent yet; run 'optout-bot disable' to send it"
        case _:
            state = f" (read {state_word(outcome.before)})" if outcome.before is not None else ""
            return f"{head}: FAILED{state}: {outcome.message}"


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
