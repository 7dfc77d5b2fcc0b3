"""optout-bot: turns off AI-training data settings on your own accounts, and proves they stay off."""

__version__ = "0.1.0"
