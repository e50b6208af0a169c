"""Marketo request bodies for setting up an instance in tests."""

from __future__ import annotations

from typing import Any


def type_body(api_name: str, **overrides: Any) -> dict[str, Any]:
    """A valid Create Custom Activity Type body for API_NAME, with OVERRIDES."""
    body: dict[str, Any] = {
        "apiName": api_name,
        "name": f"Type {api_name}",
        "triggerName": f"Does {api_name}",
        "filterName": f"Did {api_name}",
        "primaryAttribute": {"apiName": "subject", "name": "Subject", "dataType": "string"},
    }
    body.update(overrides)
    return body
