"""Read the live state with the fewest calls: the type list, then only the describes needed.

For N listed types of which D have a pending draft this makes 1 + N + D calls (besides the
token), the describes concurrently: the client's limiter keeps them within Marketo's 10
concurrent calls and 100 calls per 20 s.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from typing import Any, Protocol, get_args

from framework.errors import PlanError
from framework.live import LiveState, LiveType, Status, TypeVersion
from framework.plan.assumptions import NAME_FIELDS, names_held
from framework.plan.rules import describes_for, smart_list_key

STATUSES: tuple[Status, ...] = get_args(Status)


class _Stats(Protocol):
    calls: int


class TypeReader(Protocol):
    """The part of MarketoClient reading needs."""

    @property
    def stats(self) -> _Stats: ...

    async def list_types(self) -> list[dict[str, Any]]: ...

    async def describe_type(self, api_name: str, draft: bool = False) -> dict[str, Any]: ...


async def read_live(client: TypeReader, api_names: Collection[str] | None = None) -> LiveState:
    """Everything (None) or only the types named in `api_names` (apply's re-read)."""
    calls_before = client.stats.calls
    listed = await client.list_types()
    wanted = [
        item
        for item in sorted(listed, key=lambda i: str(i.get("apiName", "")))
        if api_names is None or item.get("apiName") in api_names
    ]
    types = await asyncio.gather(*(_read_type(client, item) for item in wanted))
    return LiveState(
        types={t.apiName: t for t in types}, calls=client.stats.calls - calls_before
    )


async def read_for_apply(
    client: TypeReader, touched: Collection[str], *, with_drafts: bool
) -> tuple[LiveState, dict[str, frozenset[str]]]:
    """The touched types in full, and the trigger and filter names every live type holds.

    One list call gives every type's status and the names of its approved version (or of the
    draft of a type never approved); `with_drafts` also describes the pending drafts of the
    untouched types (one call each), whose names count as taken too.
    """
    calls_before = client.stats.calls
    listed = sorted(await client.list_types(), key=lambda i: str(i.get("apiName", "")))
    present = [i for i in listed if i.get("status") != "deleted"]
    mine = [i for i in present if i.get("apiName") in touched]
    others = [i for i in present if i.get("apiName") not in touched]
    pending = [i for i in others if with_drafts and i.get("status") == "approved with draft"]
    types, drafts = await asyncio.gather(
        asyncio.gather(*(_read_type(client, item) for item in mine)),
        asyncio.gather(*(client.describe_type(str(i["apiName"]), draft=True) for i in pending)),
    )
    held = {t.apiName: names_held(t) for t in types}
    for item in others:
        held[str(item["apiName"])] = _listed_names(item)
    for item in drafts:
        name = str(item.get("apiName", ""))
        held[name] = held.get(name, frozenset()) | _listed_names(item)
    live = LiveState(types={t.apiName: t for t in types}, calls=client.stats.calls - calls_before)
    return live, held


def _listed_names(item: dict[str, Any]) -> frozenset[str]:
    return frozenset(smart_list_key(str(item.get(f) or "")) for f in NAME_FIELDS)


async def _read_type(client: TypeReader, item: dict[str, Any]) -> LiveType:
    api_name = str(item["apiName"])
    status = item.get("status")
    if status not in STATUSES:
        raise PlanError(
            f"type {api_name}: Marketo listed it with status {status!r}, which this tool does not "
            f"know (expected one of {', '.join(STATUSES)}); nothing was planned\n"
            "  fix: report it as a bug with this message"
        )
    flags = describes_for(status)
    versions = await asyncio.gather(*(client.describe_type(api_name, draft=f) for f in flags))
    read = dict(zip(flags, versions, strict=True))
    return LiveType(
        apiName=api_name,
        id=item.get("id"),
        status=status,
        approved=TypeVersion.from_marketo(read[False]) if False in read else None,
        draft=TypeVersion.from_marketo(read[True]) if True in read else None,
    )
