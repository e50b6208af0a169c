"""Reading records back: Get Paging Token and Get Lead Activities, as Adobe documents them.

    GET /rest/v1/activities/pagingtoken.json?sinceDatetime=2026-01-01T00:00:00Z
    GET /rest/v1/activities.json?nextPageToken=...&activityTypeIds=100001[&leadIds=1,2]

A token is a position in the instance's activity log (ids grow with time; records of every
custom type and the background activities of standard types share it). Each page walks at most
WALK_LIMIT activities of all types and leads after the token, as Marketo does, so a page may
hold few or no items while `moreResult` is true; `nextPageToken` is where the next page starts.
Items name attributes by display name and leave empty values out; with `string_values` every
value is text, as in Adobe's example. A record is readable `visibility_delay` seconds after it
was added (Marketo records activities late).
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
from typing import TYPE_CHECKING, Any

from framework.emulator.model import ActivityType
from framework.emulator.refusal import Refusal, blank, invalid
from framework.emulator.wire import every

if TYPE_CHECKING:
    from framework.emulator.instance import Instance

MAX_BATCH = 300
MAX_LEAD_IDS = 30
MAX_TYPE_IDS = 10
# "Each Get Lead Activity call will go through 300 activities of ALL types from the
# timestamp placed on the nextPageToken" (Adobe KB29362).
WALK_LIMIT = 300
TOKEN_PREFIX = "EMU"


@dataclass(frozen=True)
class Answer:
    """An endpoint's answer with envelope keys besides `result` (paging)."""

    result: list[dict[str, Any]] | None
    extra: dict[str, Any] = field(default_factory=dict)


def paging_token(instance: Instance, query: dict[str, str]) -> Answer:
    """Get Paging Token: the position of the first activity recorded at or after
    sinceDatetime (a record is recorded when it becomes readable: BEHAVIOUR.md)."""
    since_text = query.get("sinceDatetime", "")
    if not since_text:
        raise blank("sinceDatetime")
    since = _instant(since_text)
    position = instance.records.next_id
    delay = instance.visibility_delay
    streams: list[list[dict[str, Any]]] = [t.records for t in instance.catalog.types.values()]
    for records in [*streams, instance.background]:
        index = bisect_left(records, since - delay, key=lambda r: float(r.get("storedAt", 0.0)))
        if index < len(records):
            position = min(position, int(records[index]["id"]))
    return Answer(None, {"nextPageToken": encode(position)})


def lead_activities(instance: Instance, query: dict[str, str]) -> Answer:
    """Get Lead Activities: walk WALK_LIMIT activities of every type and lead from the token's
    position, and answer those of the given types (and leads)."""
    token = query.get("nextPageToken", "")
    if not token:
        raise blank("nextPageToken")
    for unsupported in ("listId", "assetIds"):
        if unsupported in query:
            # Marketo filters by them; answering as if they were not there would mislead.
            raise invalid(f"Invalid data: {unsupported} is not supported by the emulator "
                          "(it keeps no lists or assets); filter by leadIds")
    start = decode(token)
    # Arrays come comma-separated or repeated (SPEC's collectionFormat: multi): read them all.
    type_ids = set(_ids(",".join(every(query, "activityTypeIds")), "activityTypeIds",
                        MAX_TYPE_IDS))
    if not type_ids:
        raise blank("activityTypeIds")
    leads = set(_ids(",".join(every(query, "leadIds")), "leadIds", MAX_LEAD_IDS))
    size = _batch_size(query.get("batchSize"))
    now = instance.records.wall()
    walk = _after(instance, start, now)
    items: list[dict[str, Any]] = []
    position = start
    for found, stored in itertools.islice(walk, WALK_LIMIT):
        position = int(stored["id"]) + 1
        type_id = found.id if found is not None else int(stored["activityTypeId"])
        if type_id in type_ids and (not leads or stored["leadId"] in leads):
            items.append(_item(found, stored, instance.string_values))
            if len(items) == size:
                break
    more = next(_after(instance, position, now), None) is not None
    if not more:
        # At the end the token moves to where the next activity will be recorded, but never
        # past a record that is not readable yet.
        position = max(position, _first_unreadable(instance, position, now))
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


def _after(instance: Instance, start: int,
           now: float) -> Iterator[tuple[ActivityType | None, dict[str, Any]]]:
    """Readable activities with id >= start, in id order: every type's records and the
    background activities (type None)."""
    delay = instance.visibility_delay
    streams: list[Iterator[tuple[int, ActivityType | None, dict[str, Any]]]] = []
    for custom in instance.catalog.types.values():
        streams.append(_readable(custom, start, delay, now))
    index = bisect_left(instance.background, start, key=lambda r: int(r["id"]))
    streams.append((int(r["id"]), None, r) for r in instance.background[index:])
    for _, found, stored in heapq.merge(*streams, key=lambda entry: entry[0]):
        yield found, stored


def _readable(custom: ActivityType, start: int, delay: float,
              now: float) -> Iterator[tuple[int, ActivityType | None, dict[str, Any]]]:
    index = bisect_left(custom.records, start, key=lambda r: int(r["id"]))
    for stored in custom.records[index:]:
        if delay <= 0 or float(stored.get("storedAt", 0.0)) + delay <= now:
            yield int(stored["id"]), custom, stored


def _first_unreadable(instance: Instance, start: int, now: float) -> int:
    """The id of the first record at or after `start` not readable yet, else the next id."""
    first = instance.records.next_id
    delay = instance.visibility_delay
    if delay <= 0:
        return first
    for found in instance.catalog.types.values():
        index = bisect_left(found.records, start, key=lambda r: int(r["id"]))
        for stored in found.records[index:]:
            if float(stored.get("storedAt", 0.0)) + delay > now:
                first = min(first, int(stored["id"]))
                break
    return first


def _item(found: ActivityType | None, stored: dict[str, Any],
          as_strings: bool) -> dict[str, Any]:
    if found is None:  # a background activity of a standard type
        return {"id": stored["id"], "marketoGUID": str(stored["id"]),
                "leadId": stored["leadId"], "activityDate": stored["activityDate"],
                "activityTypeId": stored["activityTypeId"],
                "primaryAttributeValue": stored["primaryAttributeValue"], "attributes": []}
    version = found.approved or found.latest
    names = {a.api_name: a.name for a in version.attributes}
    attributes = [{"name": names.get(api, api), "value": _rendered(value) if as_strings
                   else value}
                  for api, value in stored["attributes"].items()
                  if value is not None and value != ""]
    return {"id": stored["id"], "marketoGUID": str(stored["id"]), "leadId": stored["leadId"],
            "activityDate": _utc(stored["activityDate"]), "activityTypeId": found.id,
            "primaryAttributeValue": str(stored["primaryAttributeValue"]),
            "attributes": attributes}


def _rendered(value: Any) -> str:
    """A value as Adobe's read-back example shows it: text (`"true"`, `"42"`, `"2.5"`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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
