"""The fake site's own error: its fixtures or scenario are wrong (a bug of the fixture, not of the user).

Not an ``optout_bot.errors`` class on purpose: the product's errors carry a remedy for the person using
optout-bot, while this one is for whoever wrote the fixture or chose the scenario. The commands that
start a fake site (``demo``, ``serve``, ``replay``) turn it into one line with their own remedy.
"""

from __future__ import annotations


class FixtureError(Exception):
    """A fixture folder, its ``site.toml`` or a scenario does not make a fake site (one line: what and where)."""
