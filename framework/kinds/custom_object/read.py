"""Read the custom object types of an instance: the list, then only the describes needed.

For N listed types of which D have a pending draft this makes 1 + N + D calls, the describes
concurrently (the client keeps them within Marketo's limits). The dependent assets of a type
are read only for the types a plan would delete or replace.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from typing import Any, Protocol

from framework.errors import PlanError
from framework.kinds.custom_object.live import (
    OBJECT_STATUSES,
    DependentAsset,
    LiveObject,
    ObjectVersion,
    states_for,
)


class ObjectReader(Protocol):
    """The part of MarketoClient reading custom object types needs."""

    async def list_object_types(self, names: list[str] | None = None) -> list[dict[str, Any]]: ...

    async def describe_object_type(self, api_name: str, state: str) -> dict[str, Any]: ...

    async def object_dependent_assets(self, api_name: str) -> list[dict[str, Any]]: ...


async def read_objects(
    client: ObjectReader, api_names: Collection[str] | None = None
) -> dict[str, LiveObject]:
    """Every custom object type (None), or only those named in `api_names`."""
    listed = await client.list_object_types()
    wanted = sorted(
        (item for item in listed if api_names is None or item.get("apiName") in api_names),
        key=lambda i: str(i.get("apiName", "")),
    )
    found = await asyncio.gather(*(_read_one(client, item) for item in wanted))
    return {live.apiName: live for live in found}


async def _read_one(client: ObjectReader, item: dict[str, Any]) -> LiveObject:
    api_name = str(item["apiName"])
    status = item.get("state")
    if status not in OBJECT_STATUSES:
        raise PlanError(
            f"custom object type {api_name}: Marketo listed it with state {status!r}, which this "
            f"tool does not know (expected one of {', '.join(OBJECT_STATUSES)}); nothing was "
            "planned\n  fix: report it as a bug with this message"
        )
    states = states_for(status)
    versions = await asyncio.gather(
        *(client.describe_object_type(api_name, state) for state in states)
    )
    read = dict(zip(states, versions, strict=True))
    return LiveObject(
        apiName=api_name,
        status=status,
        approved=ObjectVersion.from_marketo(read["approved"]) if "approved" in read else None,
        draft=ObjectVersion.from_marketo(read["draft"]) if "draft" in read else None,
    )


async def with_dependent_assets(
    client: ObjectReader, live: dict[str, LiveObject], api_names: Collection[str]
) -> dict[str, LiveObject]:
    """`live` with the dependent assets of the types named, each asset once."""
    names = sorted(n for n in api_names if n in live and live[n].ever_approved)
    answers = await asyncio.gather(*(client.object_dependent_assets(n) for n in names))
    updated = dict(live)
    for name, items in zip(names, answers, strict=True):
        assets: dict[tuple[str, int], DependentAsset] = {}
        for item in items:
            asset = DependentAsset(assetType=str(item.get("assetType", "")),
                                   assetId=int(item.get("assetId", 0)),
                                   assetName=str(item.get("assetName", "")))
            assets.setdefault((asset.assetType, asset.assetId), asset)
        updated[name] = live[name].model_copy(
            update={"dependentAssets": tuple(sorted(assets.values(),
                                                    key=lambda a: (a.assetType, a.assetId)))})
    return updated
