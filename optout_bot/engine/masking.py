"""Personal values shown partly, so their owner can check them and nobody else can read them.

A report of a sent form must let the owner see that the right number and address went out, yet no
file may ever hold the whole value: ``+49 151 12345678`` shows as ``+49 ••• ••• •678``, and
``me@example.com`` as ``m•••@example.com``.
"""

from __future__ import annotations

HIDDEN = "•"
SHOWN_LAST_DIGITS = 3


def mask_phone(value: str) -> str:
    """The ``+`` and the first two digits (the country code, or part of it), the last three digits;
    every other digit hidden, in groups of three counted from the end."""
    digits = [c for c in value if c.isdigit()]
    if len(digits) <= SHOWN_LAST_DIGITS + 2:
        return HIDDEN * 3  # too short to show any part of it safely
    head = ("+" if value.strip().startswith("+") else "") + "".join(digits[:2])
    tail = "".join(digits[-SHOWN_LAST_DIGITS:])
    middle = HIDDEN * (len(digits) - 2 - SHOWN_LAST_DIGITS) + tail
    groups: list[str] = []
    while middle:
        groups.insert(0, middle[-3:])
        middle = middle[:-3]
    return " ".join([head, *groups])


def mask_email(value: str) -> str:
    """The first character of the name and the whole domain: ``m•••@example.com``."""
    name, at, domain = value.strip().partition("@")
    if not at or not name:
        return HIDDEN * 3
    return f"{name[0]}{HIDDEN * 3}@{domain}"


def mask(value: str, kind: str) -> str:
    """``value`` masked as a phone number (``kind == "phone"``) or an e-mail address (anything else)."""
    return mask_phone(value) if kind == "phone" else mask_email(value)
