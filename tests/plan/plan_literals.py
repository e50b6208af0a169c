"""Literal desired and live states for compare and render tests."""

from __future__ import annotations

from typing import Any

from framework.definitions.model import ActivityType, DefinitionFile
from framework.live import LiveState, LiveType, Status, TypeVersion

PRIMARY = {"apiName": "webinarName", "name": "Webinar Name", "dataType": "string"}
ATTRIBUTES = [
    {"apiName": "minutesWatched", "name": "Minutes Watched", "dataType": "integer"},
    {"apiName": "replayUrl", "name": "Replay URL", "dataType": "link"},
]


def definition(api_name: str = "attendWebinar", **overrides: Any) -> DefinitionFile:
    """A valid definition file, `activities/<apiName>.yaml`, with fields overridden."""
    data: dict[str, Any] = {
        "version": 1,
        "apiName": api_name,
        "name": "Attend Webinar",
        "description": "A person attended one of our webinars",
        "triggerName": f"Attends {api_name}",
        "filterName": f"Attended {api_name}",
        "primaryAttribute": dict(PRIMARY),
        "attributes": [dict(a) for a in ATTRIBUTES],
    }
    data.update(overrides)
    return DefinitionFile(path=f"activities/{api_name}.yaml", definition=ActivityType(**data))


def version(api_name: str = "attendWebinar", **overrides: Any) -> TypeVersion:
    """The live version a definition with the same overrides describes."""
    clean = {k: v for k, v in overrides.items() if k not in ("protect", "ensure", "version")}
    attributes = clean.get("attributes")
    if attributes is not None:
        clean["attributes"] = [
            {k: v for k, v in a.items() if k != "renamedFrom"} for a in attributes
        ]
    return TypeVersion.from_definition(definition(api_name, **clean).definition)


def live(*types: LiveType, calls: int = 0) -> LiveState:
    return LiveState(types={t.apiName: t for t in types}, calls=calls)


def live_type(
    status: Status,
    approved: TypeVersion | None = None,
    draft: TypeVersion | None = None,
    type_id: int = 100001,
) -> LiveType:
    name = (approved or draft).apiName  # type: ignore[union-attr]
    return LiveType(apiName=name, id=type_id, status=status, approved=approved, draft=draft)
