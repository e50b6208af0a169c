"""Keeping credentials out of everything the tool shows or writes, and the client's debug log.

Two layers. Patterns mask what looks like a credential (`client_secret=...`, `Bearer ...`, a
JSON `access_token`). And every secret value the run knows (the client id and secret when a
client is made, each access token when it is issued) is registered with `remember_secret`;
`redact` then masks those values wherever they appear: a server echoing them in an error, a URL
the user typed, an exception's message. The CLI passes all error text through `redact_known`.

httpx logs each request URL at INFO on the `httpx` logger; the identity URL carries the client
id and secret in its query (Marketo's only way to get a token), so a filter rewrites those
records, and the client's own, before any handler sees them.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from typing import Any
from urllib.parse import quote, quote_plus

log = logging.getLogger("framework.client")

REDACTED = "<redacted>"
_SECRET_PARAMS = re.compile(r"(?i)\b(client_id|client_secret|access_token)=[^&\s\"']*")
_BEARER = re.compile(r"(?i)\bBearer\s+[^\s\"',)]+")
_TOKEN_JSON = re.compile(r'(?i)("access_token"\s*:\s*")[^"]*(")')
MAX_LOGGED_BODY = 2000
# Shorter values are not registered: masking every "abc" would garble text and hide nothing real
# (the patterns above still mask them in their usual places).
MIN_SECRET_LENGTH = 8  # Marketo's ids and secrets are 32-36 characters

# Every secret value seen in this process, longest first so that a secret containing another is
# masked whole. A tuple, replaced on each change: readers in other threads never see it change.
_known: tuple[str, ...] = ()
_known_lock = threading.Lock()


def remember_secret(value: str | None) -> None:
    """Mask `value` (a client id, a client secret, a token) from now on, in every text."""
    global _known
    if not value or len(value) < MIN_SECRET_LENGTH or value in _known:
        return
    with _known_lock:
        # As it appears in a URL too, and lowercased: a secret typed as a host comes back so.
        forms = {value, value.lower(), quote(value, safe=""), quote_plus(value)}
        _known = tuple(sorted(set(_known) | forms, key=len, reverse=True))


def forget_secrets() -> None:
    """Forget every registered value (a test's or a long-lived process's fresh start)."""
    global _known
    with _known_lock:
        _known = ()


def redact_known(text: str) -> str:
    """`text` with every registered secret value and every credential-looking part masked."""
    return redact(text)


def redact(text: str) -> str:
    """`text` with registered secrets, credential query parameters, bearer tokens and JSON
    tokens masked."""
    for secret in _known:
        if secret in text:
            text = text.replace(secret, REDACTED)
    text = _SECRET_PARAMS.sub(lambda m: f"{m.group(1)}={REDACTED}", text)
    text = _BEARER.sub(f"Bearer {REDACTED}", text)
    return _TOKEN_JSON.sub(rf"\g<1>{REDACTED}\g<2>", text)


class RedactingFilter(logging.Filter):
    """Rewrites a record's message with credentials masked (installed on `httpx` and the
    client's logger); an exception's text attached to the record is rendered masked too."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def install_log_redaction() -> None:
    """Make sure the `httpx` and `httpcore` loggers never emit a credential (idempotent)."""
    # Logger filters see only their own logger's records, hence every httpcore child by name.
    for name in ("httpx", "httpcore.connection", "httpcore.http11", "httpcore.http2",
                 "framework.client"):
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
