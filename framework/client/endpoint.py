"""Where the client may send credentials: https anywhere, plain http only on loopback."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from framework.errors import ConfigError


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses, where plain http is allowed."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_endpoint(url: str) -> str:
    """The endpoint without a trailing slash; refuses http:// off the loopback interface."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"endpoint {url!r} is not a URL\n"
            "  fix: pass the REST base, e.g. --endpoint https://123-ABC-456.mktorest.com"
        )
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ConfigError(
            f"endpoint {url!r} uses plain http off the loopback interface; credentials would "
            "travel in clear text\n  fix: use https://"
        )
    return url.rstrip("/")
