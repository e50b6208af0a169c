"""One emulated Marketo instance's data: its activity types (with their records), the record ids
and its custom object types."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from framework.emulator.catalog import Catalog
from framework.emulator.custom_objects.schema import ObjectCatalog
from framework.emulator.custom_objects.settings import ObjectSettings
from framework.emulator.records import RecordLog


class Instance:
    """The data behind the REST endpoints, saved and restored as one JSON document."""

    def __init__(
        self,
        max_types: int,
        leads: int,
        now: Callable[[], str],
        wall: Callable[[], float] = time.time,
        strict: bool = True,
        objects: ObjectSettings = ObjectSettings(),  # noqa: B008 - frozen, so shared is safe
    ) -> None:
        self.leads = leads
        self.catalog = Catalog(max_types, now)
        self.records = RecordLog(wall, strict)
        self.objects = ObjectCatalog(objects, now)
        # Activities of standard types on the leads (Visit Webpage, ...): Get Lead Activities
        # walks them with the records (BEHAVIOUR.md, "Background activity").
        self.background: list[dict[str, Any]] = []
        self.visibility_delay = 0.0  # seconds before an added record can be read back
        self.string_values = False  # Get Lead Activities renders values as text
        # Who this instance is: a new random id for every new (or reset) instance, saved with
        # its state, so that a client can tell two instances on the same host apart.
        self.lineage = uuid.uuid4().hex

    def clear(self) -> None:
        self.catalog = Catalog(self.catalog.max_types, self.catalog.now)
        self.records = RecordLog(self.records.wall, self.records.strict)
        self.objects = ObjectCatalog(self.objects.settings, self.objects.now)
        self.background = []
        self.lineage = uuid.uuid4().hex

    def add_background(self, count: int, type_ids: tuple[int, ...] = (1, 2, 3, 6)) -> int:
        """Store `count` activities of standard types, spread over the leads, now; returns
        the id of the last one."""
        now = self.records.wall()
        moment = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        for index in range(count):
            self.background.append({
                "id": self.records.take_id(), "leadId": 1 + index % max(self.leads, 1),
                "activityTypeId": type_ids[index % len(type_ids)], "activityDate": moment,
                "primaryAttributeValue": f"background {index}", "storedAt": now})
        return self.records.next_id - 1

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"catalog": self.catalog.to_json(),
                                "nextRecordId": self.records.next_id,
                                "customObjects": self.objects.to_json(),
                                "lineage": self.lineage}
        if self.background:
            data["background"] = self.background
        return data

    def load_json(self, data: dict[str, Any]) -> bool:
        """Restore a saved state; False when it had no lineage (one is given: save it)."""
        self.catalog.load_json(data["catalog"])
        self.records.next_id = int(data["nextRecordId"])
        if "customObjects" in data:  # absent from states saved before custom objects
            self.objects.load_json(data["customObjects"])
        self.background = list(data.get("background", []))
        lineage = data.get("lineage")
        if isinstance(lineage, str) and lineage:
            self.lineage = lineage
            return True
        return False
