"""``python -m optout_bot``: what scheduled runs execute (an absolute interpreter path, no PATH lookup)."""

from optout_bot.cli.main import main

main()
