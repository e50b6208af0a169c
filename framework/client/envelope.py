"""Marketo's response envelope (§1): HTTP 200 with `success`, `result`, `errors`, `requestId`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from framework.client.operations import Operation
from framework.errors import MarketoError


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


def parse_envelope(response: httpx.Response, op: Operation, where: str) -> Envelope:
    """The envelope of a 200 answer; MarketoError if the body is not one."""
    try:
        data = response.json()
    except ValueError as exc:
        raise MarketoError(
            f"the answer is not JSON ({_snippet(response.text)}){where}\n"
            "  fix: check that the endpoint is the instance's REST base",
            endpoint=op.endpoint,
        ) from exc
    if not isinstance(data, dict) or "success" not in data:
        raise MarketoError(
            f"the answer is not a Marketo envelope ({_snippet(response.text)}){where}\n"
            "  fix: check that the endpoint is the instance's REST base",
            endpoint=op.endpoint,
        )
    request_id = data.get("requestId")
    request_id = str(request_id) if request_id is not None else None
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
    code = str(errors[0].get("code", "unknown"))
    message = "; ".join(str(error.get("message", "")).strip() for error in errors)
    return Envelope(request_id, code=code, message=message or "no message")


def _snippet(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return repr(text[:limit] + ("..." if len(text) > limit else ""))
