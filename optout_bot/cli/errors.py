"""An error becomes one line (or a JSON document) and an exit code: the one place that decides.

``cli/main.py`` uses it for every command; ``setup`` too, for the account it could not finish
before it goes on with the next.
"""

from __future__ import annotations

import click

from optout_bot.errors import OptoutBotError
from optout_bot.i18n import _
from optout_bot.model.outcomes import exit_status_for


def report_error(exc: OptoutBotError) -> int:
    """Print one line of error and one of remedy; return the mapped exit code."""
    message = _("error: {message}").format(message=exc.message)
    if exc.remedy:
        message += f" ({exc.remedy})"
    click.echo(message, err=True)
    return int(exit_status_for(exc))


def error_json(exc: OptoutBotError) -> str:
    """The JSON document of a command that stopped on ``exc``."""
    from optout_bot.app.render import dumps

    status = exit_status_for(exc)
    return dumps(
        {
            "error": exc.error_kind.value,
            "message": exc.message,
            "remedy": exc.remedy,
            "exit_status": int(status),
            "exit_name": status.name,
        }
    )
