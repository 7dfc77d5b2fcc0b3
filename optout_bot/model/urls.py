"""The one rule for a web address the user gives (``--site-url``, the config's URLs)."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

HTTP_URL = re.compile(r"https?://[^/\s]+")
HTTP_URL_RULE = "must start with http:// or https:// and name a host"


def is_http_url(value: str) -> bool:
    """True for an http(s) address that names a host; ``file:``, ``javascript:`` and the like are not."""
    return HTTP_URL.match(value) is not None


def is_local_url(value: str) -> bool:
    """True for an address on this machine (``localhost``, 127.0.0.0/8, ``::1``): a copy of a site served
    here, such as ``optout-bot serve``, never the real site."""
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
