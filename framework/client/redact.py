"""The client's debug log, and keeping credentials out of every log line.

httpx logs each request URL at INFO on the `httpx` logger; the identity URL carries the client
id and secret in its query (Marketo's only way to get a token), so a filter rewrites those
records before any handler sees them.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

log = logging.getLogger("framework.client")

REDACTED = "<redacted>"
_SECRET_PARAMS = re.compile(r"(?i)\b(client_id|client_secret|access_token)=[^&\s\"']*")
_BEARER = re.compile(r"(?i)\bBearer\s+[^\s\"',)]+")
_TOKEN_JSON = re.compile(r'(?i)("access_token"\s*:\s*")[^"]*(")')
MAX_LOGGED_BODY = 2000


def redact(text: str) -> str:
    """`text` with credential query parameters, bearer tokens and JSON tokens masked."""
    text = _SECRET_PARAMS.sub(lambda m: f"{m.group(1)}={REDACTED}", text)
    text = _BEARER.sub(f"Bearer {REDACTED}", text)
    return _TOKEN_JSON.sub(rf"\g<1>{REDACTED}\g<2>", text)


class RedactingFilter(logging.Filter):
    """Rewrites a record's message with credentials masked (installed on `httpx`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_log_redaction() -> None:
    """Make sure the `httpx` and `httpcore` loggers never emit a credential (idempotent)."""
    # Logger filters see only their own logger's records, hence every httpcore child by name.
    for name in ("httpx", "httpcore.connection", "httpcore.http11", "httpcore.http2"):
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactingFilter) for existing in logger.filters):
            logger.addFilter(RedactingFilter())


def body_text(body: Any) -> str:
    """A JSON body as logged: compact, truncated, redacted."""
    if body is None:
        return "-"
    text = json.dumps(body, separators=(",", ":"), sort_keys=True)
    if len(text) > MAX_LOGGED_BODY:
        text = f"{text[:MAX_LOGGED_BODY]}... ({len(text)} chars)"
    return redact(text)
