"""Reading records back: Get Paging Token and Get Lead Activities, as Adobe documents them.

    GET /rest/v1/activities/pagingtoken.json?sinceDatetime=2026-01-01T00:00:00Z
    GET /rest/v1/activities.json?nextPageToken=...&activityTypeIds=100001[&leadIds=1,2]

A token is a position in the instance's record log (record ids grow with time). Each page scans
at most SCAN_LIMIT stored records after the token, so a page may hold fewer items than
batchSize while `moreResult` is true, as Adobe warns; `nextPageToken` is where the next page
starts. Items name attributes by display name and leave empty values out.
https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/activities
"""

from __future__ import annotations

import base64
import heapq
import itertools
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from framework.emulator.catalog import Catalog
from framework.emulator.model import ActivityType
from framework.emulator.refusal import Refusal, blank, invalid

MAX_BATCH = 300
MAX_LEAD_IDS = 30
MAX_TYPE_IDS = 10
SCAN_LIMIT = 3000
TOKEN_PREFIX = "EMU"


@dataclass(frozen=True)
class Answer:
    """An endpoint's answer with envelope keys besides `result` (paging)."""

    result: list[dict[str, Any]] | None
    extra: dict[str, Any] = field(default_factory=dict)


def paging_token(catalog: Catalog, next_id: int, query: dict[str, str]) -> Answer:
    """Get Paging Token: the position of the first record stored at or after sinceDatetime."""
    since_text = query.get("sinceDatetime", "")
    if not since_text:
        raise blank("sinceDatetime")
    since = _instant(since_text)
    position = next_id
    for found in catalog.types.values():
        index = bisect_left(found.records, since, key=lambda r: float(r.get("storedAt", 0.0)))
        if index < len(found.records):
            position = min(position, int(found.records[index]["id"]))
    return Answer(None, {"nextPageToken": encode(position)})


def lead_activities(catalog: Catalog, next_id: int, query: dict[str, str]) -> Answer:
    """Get Lead Activities of the given types (and leads) from the token's position on."""
    token = query.get("nextPageToken", "")
    if not token:
        raise blank("nextPageToken")
    start = decode(token)
    type_ids = _ids(query.get("activityTypeIds", ""), "activityTypeIds", MAX_TYPE_IDS)
    if not type_ids:
        raise blank("activityTypeIds")
    leads = set(_ids(query.get("leadIds", ""), "leadIds", MAX_LEAD_IDS))
    size = _batch_size(query.get("batchSize"))
    types = [t for t in catalog.types.values() if t.id in type_ids]
    items: list[dict[str, Any]] = []
    position = start
    for found, stored in itertools.islice(_after(types, start), SCAN_LIMIT):
        position = int(stored["id"]) + 1
        if not leads or stored["leadId"] in leads:
            items.append(_item(found, stored))
            if len(items) == size:
                break
    more = any(True for _ in _after(types, position))
    if not more:
        position = max(position, next_id)
    return Answer(items, {"nextPageToken": encode(position), "moreResult": more})


def encode(position: int) -> str:
    """An opaque token, shaped like Marketo's (base32 capitals)."""
    raw = f"{TOKEN_PREFIX}:{position}".encode()
    return base64.b32encode(raw).decode().rstrip("=")


def decode(token: str) -> int:
    padded = token + "=" * (-len(token) % 8)
    try:
        prefix, _, number = base64.b32decode(padded).decode().partition(":")
        if prefix != TOKEN_PREFIX or not number.isdigit():
            raise ValueError(token)
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid(f"Invalid data: nextPageToken '{token}' is not a paging token") from exc
    return int(number)


def _after(types: list[ActivityType], start: int) -> Iterator[tuple[ActivityType, dict[str, Any]]]:
    """Stored records of `types` with id >= start, in id order."""
    streams = []
    for found in types:
        index = bisect_left(found.records, start, key=lambda r: int(r["id"]))
        streams.append((int(r["id"]), found, r) for r in found.records[index:])
    for _, found, stored in heapq.merge(*streams, key=lambda entry: entry[0]):
        yield found, stored


def _item(found: ActivityType, stored: dict[str, Any]) -> dict[str, Any]:
    version = found.approved or found.latest
    names = {a.api_name: a.name for a in version.attributes}
    attributes = [{"name": names.get(api, api), "value": value}
                  for api, value in stored["attributes"].items()
                  if value is not None and value != ""]
    return {"id": stored["id"], "marketoGUID": str(stored["id"]), "leadId": stored["leadId"],
            "activityDate": _utc(stored["activityDate"]), "activityTypeId": found.id,
            "primaryAttributeValue": str(stored["primaryAttributeValue"]),
            "attributes": attributes}


def _utc(text: str) -> str:
    """activityDate as Marketo answers it: UTC, whole seconds, `Z`."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _instant(text: str) -> float:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise Refusal("704", "Invalid date format") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _ids(text: str, name: str, limit: int) -> list[int]:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not all(part.isdigit() for part in parts):
        raise invalid(f"Invalid data: {name} must be comma-separated integers")
    if len(parts) > limit:
        raise invalid(f"Invalid data: {name} holds {len(parts)} ids; at most {limit}")
    return [int(part) for part in parts]


def _batch_size(text: str | None) -> int:
    if text is None or text == "":
        return MAX_BATCH
    if not text.isdigit() or not 1 <= int(text) <= MAX_BATCH:
        raise invalid(f"Invalid data: batchSize '{text}' must be 1 to {MAX_BATCH}")
    return int(text)
