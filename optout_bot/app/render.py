"""How results read: one human line per flow (stderr), plain sentences for the report, a stable JSON
document (stdout), and hints that name the account they were printed for."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from optout_bot.i18n import _
from optout_bot.model.outcomes import FlowOutcome, Result, state_text, state_word

if TYPE_CHECKING:
    from optout_bot.model.flowspec import FlowSpec, SiteSpec


def path_in_words(site: SiteSpec, flow: FlowSpec) -> str:
    """The way a person goes to the setting: ``Me → Settings & Privacy → Data privacy → …``."""
    parts: list[str] = []
    for step in [*site.nav, *flow.steps]:
        parts += [step.opens] if step.opens else []
        parts.append(step.label)
    if not parts or parts[-1] != _(flow.title):
        parts.append(_(flow.title))
    return " → ".join(parts)


def plain_outcome(outcome: FlowOutcome, command: str = "disable", dry_run: bool = False) -> str:
    """What happened to one setting, in words a person trusts (no codes)."""
    match outcome.result:
        case Result.CHANGED:
            return _("Turned off, then checked again after reloading the page: it is off.")
        case Result.ALREADY_OFF if command == "disable" and not dry_run:
            return _("Already off — nothing was changed.")
        case Result.ALREADY_OFF:
            return _("It is off (read from the page; nothing was changed).")
        case Result.WOULD_CHANGE:
            return _("Dry run: would turn off “{setting}” (it is on now). Nothing was changed.").format(
                setting=_(outcome.title)
            )
        case Result.DRIFT:
            return _("It is on again. This check changed nothing; 'disable' or 'check --fix' turns it off.")
        case Result.ON:
            return _("It is on. Nothing was changed (this only reads).")
        case Result.SENT:
            return _("The objection was sent once, and the site confirmed it received it.")
        case Result.ALREADY_SENT:
            return _("The objection was already sent earlier — nothing was sent again.")
        case Result.WOULD_SEND:
            return _("Dry run: the form was filled in and would be sent. Nothing was sent.")
        case Result.UNCONFIRMED:
            return _(
                "The objection was sent, but the site did not confirm it; it will not be sent again by itself."
            )
        case Result.NOT_SENT:
            return _("The objection has not been sent yet.")
        case _:
            return _("Could not finish: {message}.").format(message=outcome.message.rstrip("."))


# Commands that take no --account.
_NO_ACCOUNT = frozenset(
    {"config", "flows", "guide", "platforms", "replay", "serve", "demo", "history", "overview", "setup"}
)


def with_account(text: str, account: str) -> str:
    """Every ``optout-bot <command>`` in ``text`` names ``--account account``, so a hint copied as
    printed acts on the same account (without it, it acts on the config's default one)."""
    if not account or account == "default":
        return text

    def add(match: re.Match[str]) -> str:
        command, rest = match.group(1), match.group(2)
        if "--account" in rest or command in _NO_ACCOUNT:
            return match.group(0)
        return f"optout-bot {command} --account {account}{rest}"

    return re.sub(r"optout-bot ([a-z]+)((?: (?!optout-bot)[^'`\n),;]*)?)", add, text)


def outcome_line(site_title: str, outcome: FlowOutcome, command: str = "disable", account: str = "") -> str:
    """``LinkedIn · Data for Generative AI Improvement: ON → OFF (verified after reload)``.

    ``command``: what was run (``status`` only reads, so "already OFF, nothing changed" would be
    misleading there); ``account``: named in every hint when it is not the default one."""
    return with_account(_line(f"{site_title} · {_(outcome.title)}", outcome, command), account)


def _line(head: str, outcome: FlowOutcome, command: str) -> str:
    match outcome.result:
        case Result.CHANGED:
            return _("{head}: ON → OFF (verified after reload)").format(head=head)
        case Result.ALREADY_OFF if command in ("status", "check"):
            return _("{head}: is OFF").format(head=head)
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
            return _("{head}: is ON").format(head=head)
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
        "error": outcome.error.value if outcome.error else None,
        "message": outcome.message,
        "remedy": outcome.remedy,
        "evidence": outcome.evidence,
        "exit_status": int(outcome.exit_status),
    }


def dumps(document: dict[str, Any]) -> str:
    """Stable, readable JSON."""
    return json.dumps(document, indent=2, ensure_ascii=False)
