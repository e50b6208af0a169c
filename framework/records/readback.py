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

Reading (`stored`): one Get Paging Token from the send time less a margin for clock skew, then
Get Lead Activities page after page, once for all the batch's leads (each page walks 300
activities of all types: Adobe KB29362); within a budget of calls, after which the send stops
with the batch still pending (the next run reads it back again) rather than spend the day's
quota. Records not found wait out a grace period (Marketo records late), then the window is
walked again. Values compare as Marketo renders them: as text too ("true", "42").
(https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/activities,
https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/paging-tokens).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from framework.client.marketo import MarketoClient
from framework.errors import MarketoError
from framework.records.values import utc_seconds

LEADS_PER_READ = 30
# Seconds subtracted from the send time: our clock may run ahead of Marketo's.
CLOCK_SKEW_SECONDS = 900.0
# Calls one lost batch's read-back may make before the send stops (resumable) instead of
# spending the day: 10% of the 10,000 daily calls Adobe advises an integration to plan for.
READ_BACK_BUDGET = 1_000
# Seconds after the send before a record not read back is called missing.
GRACE_SECONDS = 120.0

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


def read_since(sent_at: float, margin: float = CLOCK_SKEW_SECONDS) -> str:
    """Where the read-back of a batch sent at `sent_at` starts (ISO 8601, UTC)."""
    return datetime.fromtimestamp(sent_at - margin, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def earliest_activity(records: list[dict[str, Any]]) -> float:
    """The earliest activityDate of the records, epoch seconds."""
    return min(datetime.fromisoformat(r["activityDate"].replace("Z", "+00:00")).timestamp()
               for r in records)


class ReadBackBudgetSpent(MarketoError):
    """A read-back made its budget of calls without settling its batch: stop, resumable."""


@dataclass
class ReadBack:
    """One batch's read-back: the walk of its window, counted against a budget of calls.

    The window is walked once for all the batch's leads (a page walks 300 activities of every
    type and lead whatever it answers, so walking it per group of 30 leads would walk it again
    for each group). Matches are counted by activity id, so a walk continued later, or a second
    window that overlaps the first, never counts one activity twice."""

    client: MarketoClient
    type_id: int
    shape: LiveShape
    records: list[dict[str, Any]]
    budget: int
    calls: int = 0
    seen: set[int] = field(default_factory=set)
    found: Counter[Key] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.wanted = Counter(record_key(r, self.shape) for r in self.records)
        leads = sorted({int(r["leadId"]) for r in self.records})
        # Up to 30 leads the filter is Marketo's; past that every lead's activities come back.
        self.leads = leads if len(leads) <= LEADS_PER_READ else None

    async def start(self, since: str) -> str:
        """A paging token for `since`."""
        self._spend()
        return await self.client.paging_token(since)

    async def walk(self, token: str) -> str:
        """Every page from `token` to the end; returns the token to continue from later."""
        while True:
            self._spend()
            items, token, more = await self.client.lead_activities(
                token, [self.type_id], self.leads)
            for item in items:
                if item.get("activityTypeId") not in (None, self.type_id):
                    continue
                key = activity_key(item, self.shape)
                identity = item.get("id")
                if key in self.wanted and identity not in self.seen:
                    self.seen.add(identity)  # type: ignore[arg-type]
                    self.found[key] += 1
            if not more:
                return token

    def verdict(self) -> list[bool]:
        """For each record, whether Marketo holds it (matched one to one, by match key)."""
        left = Counter(self.found)
        answer = []
        for record in self.records:
            key = record_key(record, self.shape)
            answer.append(left[key] > 0)
            if left[key] > 0:
                left[key] -= 1
        return answer

    def _spend(self) -> None:
        if self.calls >= self.budget:
            raise ReadBackBudgetSpent(
                f"reading back took its budget of {self.budget} calls without settling the "
                "batch (a busy instance: every page walks 300 activities of all types)",
                endpoint="GET /rest/v1/activities.json")
        self.calls += 1


async def stored(
    read: ReadBack, sent_at: float, *, grace: float, wall: Callable[[], float],
    sleep: Callable[[float], Awaitable[None]],
) -> list[bool]:
    """For each record of the read-back, whether Marketo holds it.

    The window from the send time (less CLOCK_SKEW_SECONDS) is walked once. Records not found
    are called missing only after `grace` seconds have passed since the send (Marketo records
    activities late): until then the read-back waits, then walks the window again. Records
    whose activityDate is before the window (Adobe does not say whether a paging token selects
    by when an activity was recorded or by its activityDate) are then looked for from their
    activityDate, once."""
    await read.walk(await read.start(read_since(sent_at)))
    if all(read.verdict()):
        return read.verdict()
    wait = sent_at + grace - wall()
    if wait > 0:
        await sleep(wait)
        # Walked again from the start, not on from the last token: where a late record shows
        # up in the walk is not documented (where it was added, or where it was recorded).
        # Activity ids keep anything found twice from counting twice.
        await read.walk(await read.start(read_since(sent_at)))
    missing = [r for r, hit in zip(read.records, read.verdict(), strict=True) if not hit]
    if missing and earliest_activity(missing) < sent_at - CLOCK_SKEW_SECONDS:
        earlier = datetime.fromtimestamp(earliest_activity(missing), UTC)
        await read.walk(await read.start(earlier.strftime("%Y-%m-%dT%H:%M:%SZ")))
    return read.verdict()
