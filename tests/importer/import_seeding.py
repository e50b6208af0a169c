"""Arrange live types on an emulator through the real client, and count the calls made."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from framework.client.marketo import MarketoClient, Pacing
from tests.support.bodies import type_body

FAST = Pacing(calls_per_window=10_000, window_seconds=20.0, max_concurrent=10)
LIST = "GET /rest/v1/activities/external/types.json"
DESCRIBE = "GET /rest/v1/activities/external/type/{apiName}/describe.json"


ATTRIBUTES = [
    {"apiName": "note", "name": "Note", "dataType": "text"},
    {"apiName": "amount", "name": "Amount", "description": "In cents", "dataType": "integer"},
]


async def _seed(emulator: Any, types: list[tuple[str, str, dict[str, Any]]]) -> None:
    config = emulator.config
    async with MarketoClient(emulator.url, config.client_id, config.client_secret,
                             pacing=FAST) as client:
        for api_name, status, overrides in types:
            await client.create_type(type_body(api_name, **overrides))
            await client.create_attributes(api_name, ATTRIBUTES)
            if status in ("approved", "approved with draft"):
                await client.approve_type(api_name)
            if status == "approved with draft":
                await client.update_type(api_name, {"name": f"Edited {api_name}"})


def seed(emulator: Any, *types: tuple[str, str] | tuple[str, str, dict[str, Any]]) -> None:
    """Create each (apiName, status[, type fields]) type with two attributes."""
    full = [(t[0], t[1], t[2] if len(t) == 3 else {}) for t in types]  # type: ignore[misc]
    asyncio.run(_seed(emulator, full))


def calls_since(emulator: Any, before: dict[str, Any]) -> Counter[str]:
    """REST calls by endpoint made after the `before` stats snapshot."""
    after = Counter(emulator.stats()["calls_by_endpoint"])
    after.subtract(before["calls_by_endpoint"])
    return +after
