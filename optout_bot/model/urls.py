"""The one rule for a web address the user gives (``--site-url``, the config's URLs)."""

from __future__ import annotations

import re

HTTP_URL = re.compile(r"https?://[^/\s]+")
HTTP_URL_RULE = "must start with http:// or https:// and name a host"


def is_http_url(value: str) -> bool:
    """True for an http(s) address that names a host; ``file:``, ``javascript:`` and the like are not."""
    return HTTP_URL.match(value) is not None
