"""Literal desired and live states for compare and render tests."""

from __future__ import annotations

from typing import Any

from framework.definitions.model import ActivityType, DefinitionFile
from framework.live import LiveState, LiveType, Status, TypeVersion
from framework.plan.model import Plan, Provenance
from framework.plan.pipeline import derive_plan

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


PROVENANCE = Provenance(
    environment="local",
    endpointHost="127.0.0.1:8080",
    toolVersion="0.1.0",
    gitCommit="0123456789abcdef0123456789abcdef01234567",
    gitDirty=True,
    createdAt="2026-11-28T12:00:00Z",
)


def every_kind_of_change() -> Plan:
    """One change of each action, an unmanaged type, and read/apply call counts."""
    desired = [
        definition("newType"),
        definition("renamedTrigger"),
        definition("droppedAttribute", attributes=[ATTRIBUTES[0]]),
        definition("newPrimary"),
        definition("goneType", ensure="absent"),
        definition("readyDraft"),
        definition("strayDraft"),
        definition("sameType"),
        # Takes the trigger name renamedTrigger gives up: after its approve, in wave 2.
        definition("takesName", triggerName="Attends Old"),
    ]
    state: LiveState = live(
        live_type("approved", version("renamedTrigger", triggerName="Attends Old")),
        live_type("approved", version(
            "newPrimary", primaryAttribute={"apiName": "title", "name": "Title"})),
        live_type("approved", version("droppedAttribute")),
        live_type("approved", version("goneType")),
        live_type("draft", draft=version("readyDraft")),
        live_type("approved with draft", version("strayDraft"),
                  version("strayDraft", name="Stray Edit")),
        live_type("approved", version("sameType")),
        live_type("approved", version("someoneElses")),
        calls=8,
    )
    return derive_plan(PROVENANCE, desired, state, max_types=10)


def no_changes() -> Plan:
    state = live(live_type("approved", version()), calls=2)
    return derive_plan(PROVENANCE, [definition()], state, max_types=10)
