"""One emulated Marketo instance's data: its activity types (with their records), the record ids
and its custom object types."""

from __future__ import annotations

import time
from collections.abc import Callable
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
        strict_dates: bool = False,
        objects: ObjectSettings = ObjectSettings(),  # noqa: B008 - frozen, so shared is safe
    ) -> None:
        self.leads = leads
        self.catalog = Catalog(max_types, now)
        self.records = RecordLog(wall, strict_dates)
        self.objects = ObjectCatalog(objects, now)

    def clear(self) -> None:
        self.catalog = Catalog(self.catalog.max_types, self.catalog.now)
        self.records = RecordLog(self.records.wall, self.records.strict_dates)
        self.objects = ObjectCatalog(self.objects.settings, self.objects.now)

    def to_json(self) -> dict[str, Any]:
        return {"catalog": self.catalog.to_json(), "nextRecordId": self.records.next_id,
                "customObjects": self.objects.to_json()}

    def load_json(self, data: dict[str, Any]) -> None:
        self.catalog.load_json(data["catalog"])
        self.records.next_id = int(data["nextRecordId"])
        if "customObjects" in data:  # absent from states saved before custom objects
            self.objects.load_json(data["customObjects"])
