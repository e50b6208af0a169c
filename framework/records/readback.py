"""Finding out which records of a batch Marketo stored, by reading them back.

Records have no idempotency key, so a read-back activity is matched to a sent record by its
content: the **match key** is (leadId, activityDate as a UTC instant in whole seconds,
primaryAttributeValue, and the set of non-empty attributes as (apiName, value)), each value
normalised by its data type (Marketo answers attributes by display name, dates in UTC, the
primary value as text). Matching counts: a batch with a record twice needs two stored copies.

The limit: records identical in all of that cannot be told apart. If a file holds such twins
and a batch with one of them loses its answer, a stored twin from another batch in the window
read back can be taken for it, and that record is then not sent again (lost). Records that
differ in any field, or twins in batches whose answers arrived, are never affected.

Reading: Get Paging Token from `since` (the earlier of the batch's send time, less a margin
for clock skew, and its earliest activityDate, since Adobe does not say which of the two the
token's date selects by), then Get Lead Activities for the type id and the batch's leads in
groups of 30, every page until `moreResult` is false
(https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/activities,
https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/paging-tokens).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from framework.client.marketo import MarketoClient
from framework.errors import MarketoError
from framework.records.values import utc_seconds

LEADS_PER_READ = 30
# Seconds subtracted from the send time: our clock may run ahead of Marketo's.
CLOCK_SKEW_SECONDS = 900.0
MAX_PAGES = 100_000

Key = tuple[Hashable, ...]


@dataclass(frozen=True)
class LiveShape:
    """How the instance names and types the type's attributes (from describe)."""

    primary_type: str
    types: dict[str, str]  # attribute apiName -> dataType
    api_names: dict[str, str]  # display name -> apiName

    @classmethod
    def from_describe(cls, described: dict[str, Any]) -> LiveShape:
        primary = described.get("primaryAttribute") or {}
        attributes = described.get("attributes") or []
        return cls(
            primary_type=str(primary.get("dataType", "string")),
            types={a["apiName"]: str(a.get("dataType", "string")) for a in attributes},
            api_names={a["name"]: a["apiName"] for a in attributes},
        )


def normalised(data_type: str, value: Any) -> Hashable:
    """A value as comparable across what we sent and what Marketo answers."""
    try:
        if data_type == "integer":
            return int(value)
        if data_type in ("float", "currency"):
            return float(value)
        if data_type == "boolean":
            return value if isinstance(value, bool) else str(value).lower() == "true"
        if data_type == "datetime":
            return utc_seconds(str(value))
    except (TypeError, ValueError):
        pass
    return str(value)


def record_key(record: dict[str, Any], shape: LiveShape) -> Key:
    """The match key of a record as sent (attributes as [{apiName, value}])."""
    attributes = frozenset(
        (a["apiName"], normalised(shape.types.get(a["apiName"], "string"), a["value"]))
        for a in record["attributes"])
    return (int(record["leadId"]), utc_seconds(record["activityDate"]),
            normalised(shape.primary_type, record["primaryAttributeValue"]), attributes)


def activity_key(item: dict[str, Any], shape: LiveShape) -> Key:
    """The match key of an activity as Get Lead Activities answers it."""
    pairs = []
    for attribute in item.get("attributes") or []:
        value = attribute.get("value")
        if value is None or value == "":
            continue
        name = attribute.get("apiName") or shape.api_names.get(attribute.get("name", ""),
                                                              attribute.get("name", ""))
        pairs.append((name, normalised(shape.types.get(name, "string"), value)))
    return (int(item["leadId"]), utc_seconds(str(item["activityDate"])),
            normalised(shape.primary_type, item.get("primaryAttributeValue", "")),
            frozenset(pairs))


def read_since(sent_at: float, records: list[dict[str, Any]]) -> str:
    """Where a read-back of these records starts (ISO 8601, UTC)."""
    earliest = min(datetime.fromisoformat(r["activityDate"].replace("Z", "+00:00")).timestamp()
                   for r in records)
    start = min(sent_at - CLOCK_SKEW_SECONDS, earliest)
    return datetime.fromtimestamp(start, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def stored(
    client: MarketoClient, type_id: int, shape: LiveShape, records: list[dict[str, Any]],
    since: str,
) -> list[bool]:
    """For each record, whether Marketo holds it (matched one to one, by match key)."""
    found: Counter[Key] = Counter()
    token = await client.paging_token(since)
    leads = sorted({int(r["leadId"]) for r in records})
    for start in range(0, len(leads), LEADS_PER_READ):
        group = leads[start:start + LEADS_PER_READ]
        found.update(await _read_group(client, type_id, shape, token, group))
    answer = []
    for record in records:
        key = record_key(record, shape)
        answer.append(found[key] > 0)
        if found[key] > 0:
            found[key] -= 1
    return answer


async def _read_group(
    client: MarketoClient, type_id: int, shape: LiveShape, token: str, leads: list[int]
) -> Counter[Key]:
    keys: Counter[Key] = Counter()
    for _ in range(MAX_PAGES):
        items, token, more = await client.lead_activities(token, [type_id], leads)
        keys.update(activity_key(item, shape) for item in items
                    if item.get("activityTypeId") in (None, type_id))
        if not more:
            return keys
    raise MarketoError(f"reading records back took more than {MAX_PAGES} pages; stopped",
                       endpoint="GET /rest/v1/activities.json")
