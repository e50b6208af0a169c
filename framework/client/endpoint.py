"""Where the client may send credentials: https anywhere, plain http only on loopback."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, urlsplit

from framework.errors import ConfigError

# A DNS name (RFC 1123 labels: letters, digits and hyphens) or an IP address.
_DNS_NAME = re.compile(r"(?i)^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.?$")


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
    host = parts.hostname
    if parts.scheme not in ("http", "https") or host is None or not _is_host(host) or not (
        _port_ok(parts)
    ):
        raise ConfigError(
            f"endpoint {url!r} is not a URL\n"
            "  fix: pass the REST base, e.g. --endpoint https://123-ABC-456.mktorest.com"
        )
    if parts.scheme == "http" and not is_loopback(host):
        raise ConfigError(
            f"endpoint {url!r} uses plain http off the loopback interface; credentials would "
            "travel in clear text\n  fix: use https://"
        )
    return url.rstrip("/")


def _is_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return bool(_DNS_NAME.match(host))


def _port_ok(parts: SplitResult) -> bool:
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when asked for it
    except ValueError:  # not a number, or out of 0-65535
        return False
    return True
