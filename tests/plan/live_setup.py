"""Arrange live state on an emulator through the real client, and write definition files."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from framework.client.marketo import MarketoClient, Pacing
from tests.support.bodies import type_body

FAST = Pacing(calls_per_window=10_000, window_seconds=20.0, max_concurrent=10)


ATTRIBUTES = [
    {"apiName": "amount", "name": "Amount", "dataType": "integer"},
    {"apiName": "note", "name": "Note", "dataType": "text"},
]


async def _seed(url: str, client_id: str, secret: str, plan: list[tuple[str, str]]) -> None:
    async with MarketoClient(url, client_id, secret, pacing=FAST) as client:
        for api_name, status in plan:
            await client.create_type(type_body(api_name))
            await client.create_attributes(api_name, ATTRIBUTES)
            if status in ("approved", "approved with draft"):
                await client.approve_type(api_name)
            if status == "approved with draft":
                await client.update_type(api_name, {"name": f"Edited {api_name}"})


def seed(url: str, client_id: str, secret: str, *types: tuple[str, str]) -> None:
    """Create each (apiName, status) type with two attributes, through the real client."""
    asyncio.run(_seed(url, client_id, secret, list(types)))


def write_definition(folder: Path, api_name: str, **overrides: Any) -> Path:
    """`folder/<apiName>.yaml` describing what `seed` creates, with fields overridden."""
    data: dict[str, Any] = {"version": 1, **type_body(api_name), "attributes": ATTRIBUTES}
    data.update(overrides)
    path = folder / f"{api_name}.yaml"
    text = io.StringIO()
    YAML(typ="safe", pure=True).dump(data, text)
    path.write_text(text.getvalue(), encoding="utf-8")
    return path
