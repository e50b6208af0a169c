"""A definition with every data type, and records of it, for the records tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from framework.definitions.model import ActivityType

DATA_TYPES = ("string", "text", "integer", "float", "currency", "boolean", "email", "phone",
              "link", "date", "datetime")
API_NAME = "attendEvent"

DEFINITION_YAML = """\
version: 3
apiName: attendEvent
name: Attend Event
triggerName: Attends Event
filterName: Attended Event
primaryAttribute:
  apiName: eventName
  name: Event Name
  dataType: string
attributes:
""" + "".join(f"""\
  - apiName: {kind}Value
    name: {kind.title()} Value
    dataType: {kind}
""" for kind in DATA_TYPES)


def definition(version: int = 3) -> ActivityType:
    return ActivityType.model_validate({
        "version": version, "apiName": API_NAME, "name": "Attend Event",
        "triggerName": "Attends Event", "filterName": "Attended Event",
        "primaryAttribute": {"apiName": "eventName", "name": "Event Name", "dataType": "string"},
        "attributes": [{"apiName": f"{kind}Value", "name": f"{kind.title()} Value",
                        "dataType": kind} for kind in DATA_TYPES],
    })


GOOD_VALUES: dict[str, Any] = {
    "string": "Room 4", "text": "long " * 100, "integer": 42, "float": 2.5, "currency": 10,
    "boolean": True, "email": "person@example.com", "phone": "+1 415-555-0100",
    "link": "https://example.com/replay", "date": "2026-02-28",
    "datetime": "2026-09-26T06:56:35+07:00",
}

BAD_VALUES: list[tuple[str, Any]] = [
    ("string", "x" * 256), ("string", 7), ("text", "é" * 15_001), ("integer", "42"),
    ("integer", True), ("integer", 2.0), ("integer", 2**31), ("float", "2.5"), ("float", False),
    ("currency", "ten"), ("boolean", "true"), ("boolean", 1), ("email", "person@"),
    ("email", "a b@example.com"), ("phone", "call me"), ("link", "example.com"),
    ("link", "ftp://example.com"), ("date", "2026-02-30"), ("date", "2026-2-3"),
    ("date", "2026-02-28T00:00:00Z"), ("datetime", "2026-09-26T06:56:35"),
    ("datetime", "2026-09-26"), ("datetime", "2026-09-26T06:56+07:00"),
    ("datetime", "2026-13-26T06:56:35Z"),
]


def record(lead: int = 7, **attributes: Any) -> dict[str, Any]:
    return {"leadId": lead, "activityDate": "2026-09-26T06:56:35+07:00",
            "primaryAttributeValue": f"Event {lead}", "attributes": attributes}


def write_project(root: Path) -> Path:
    """A project folder whose activities/ holds the all-types definition."""
    (root / "pyproject.toml").write_text("[tool.activities]\nmax_types = 10\n")
    folder = root / "activities"
    folder.mkdir(exist_ok=True)
    (folder / f"{API_NAME}.yaml").write_text(DEFINITION_YAML)
    return folder
