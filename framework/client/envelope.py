"""Marketo's response envelope: HTTP 200 with `success`, `result`, `errors`, `requestId`.

An answer is read whole only up to MAX_ANSWER_BYTES, parsed without trusting its depth, and
every text taken from it is redacted and cut short: a hostile, huge or malformed answer is a
MarketoError naming the endpoint, never a crash, a hang or a secret echoed back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from framework.client.operations import Operation
from framework.client.redact import redact
from framework.errors import MarketoError

# Far above any answer of these endpoints (a page of 300 activity records is well under 1 MB).
MAX_ANSWER_BYTES = 16 * 1024 * 1024
MAX_MESSAGE_CHARS = 500


@dataclass(frozen=True)
class Envelope:
    """A parsed answer: the result items, or the first error's code and every error's text."""

    request_id: str | None
    result: list[dict[str, Any]] = field(default_factory=list)
    code: str | None = None
    message: str = ""
    # Paging keys of reads that page (Get Paging Token, Get Lead Activities).
    next_page_token: str | None = None
    more_result: bool = False

    @property
    def success(self) -> bool:
        return self.code is None


async def read_bounded(response: httpx.Response, limit: int = MAX_ANSWER_BYTES) -> bytes | None:
    """The (decoded) body of a streamed answer, or None when it is over `limit` bytes."""
    declared = response.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def load_json(content: bytes) -> Any:
    """The JSON value of `content`; ValueError for anything else, too deep nesting included."""
    try:
        return json.loads(content)
    except RecursionError as exc:
        raise ValueError("nested too deeply") from exc


def too_large(where: str, limit: int = MAX_ANSWER_BYTES) -> str:
    return f"the answer is over {limit // (1024 * 1024)} MB and was not read{where}"


def parse_envelope(content: bytes, op: Operation, where: str) -> Envelope:
    """The envelope of a 200 answer; MarketoError if the body is not one."""
    try:
        data = load_json(content)
    except ValueError as exc:
        raise MarketoError(
            f"the answer is not JSON ({_snippet(content)}){where}\n"
            "  fix: check that the endpoint is the instance's REST base",
            endpoint=op.endpoint,
        ) from exc
    if not isinstance(data, dict) or "success" not in data:
        raise MarketoError(
            f"the answer is not a Marketo envelope ({_snippet(content)}){where}\n"
            "  fix: check that the endpoint is the instance's REST base",
            endpoint=op.endpoint,
        )
    request_id = data.get("requestId")
    request_id = short(str(request_id), 100) if request_id is not None else None
    if data["success"] is True:
        result = data.get("result") or []
        if not isinstance(result, list):
            result = [result]
        token = data.get("nextPageToken")
        return Envelope(request_id, result=[item for item in result if isinstance(item, dict)],
                        next_page_token=token if isinstance(token, str) else None,
                        more_result=data.get("moreResult") is True)
    errors = [error for error in data.get("errors") or [] if isinstance(error, dict)]
    if not errors:
        return Envelope(request_id, code="unknown", message="success:false without errors")
    # Codes are quoted numbers ("601"), but be lenient with integers.
    code = short(str(errors[0].get("code", "unknown")), 20)
    message = short("; ".join(str(error.get("message", "")).strip() for error in errors))
    return Envelope(request_id, code=code, message=message or "no message")


def short(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Server text fit to show: secrets masked, at most `limit` characters."""
    text = redact(text)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def _snippet(content: bytes, limit: int = 120) -> str:
    text = " ".join(content[: limit * 4].decode("utf-8", "replace").split())
    return repr(redact(text)[:limit] + ("..." if len(content) > limit else ""))
