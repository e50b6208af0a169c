"""A definition with every data type, and records of it, for the records tests."""

from __future__ import annotations

import json
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


def install_type(url: str, client_id: str, client_secret: str) -> int:
    """Create and approve the all-types definition on an emulator; returns its type id."""
    import httpx

    with httpx.Client(base_url=url, timeout=10) as http:
        token = http.get("/identity/oauth/token", params={
            "grant_type": "client_credentials", "client_id": client_id,
            "client_secret": client_secret}).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        base = "/rest/v1/activities/external/type"
        made = definition()
        created = http.post(f"{base}.json", headers=auth, json={
            "apiName": made.apiName, "name": made.name, "triggerName": made.triggerName,
            "filterName": made.filterName,
            "primaryAttribute": made.primaryAttribute.model_dump(exclude_none=True)}).json()
        assert created["success"], created
        attributes = [a.model_dump(exclude_none=True) for a in made.attributes]
        reply = http.post(f"{base}/{API_NAME}/attributes/create.json", headers=auth,
                          json={"attributes": attributes}).json()
        assert reply["success"], reply
        assert http.post(f"{base}/{API_NAME}/approve.json", headers=auth).json()["success"]
        return int(created["result"][0]["id"])


def stored_records(url: str) -> list[dict[str, Any]]:
    import httpx

    reply = httpx.get(f"{url}/_emulator/records", params={"type": API_NAME})
    return reply.json()["records"]  # type: ignore[no-any-return]


def stored_keys(url: str) -> list[tuple[Any, ...]]:
    """Each stored record as (leadId, activityDate, primary, attributes), sorted."""
    return sorted(_key(r["leadId"], r["activityDate"], r["primaryAttributeValue"],
                       r["attributes"]) for r in stored_records(url))


def file_keys(records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted(_key(r["leadId"], r["activityDate"], r["primaryAttributeValue"],
                       r.get("attributes") or {}) for r in records)


def _key(lead: Any, when: Any, primary: Any, attributes: dict[str, Any]) -> tuple[Any, ...]:
    return (lead, when, str(primary), tuple(sorted((k, json.dumps(v)) for k, v in
                                                    attributes.items() if v not in (None, ""))))


def many_records(count: int, leads: int, seed: int = 0) -> list[dict[str, Any]]:
    """`count` distinct records over lead ids 1..leads."""
    import random

    rng = random.Random(seed)
    return [{"leadId": rng.randint(1, leads), "activityDate": f"2026-09-26T06:{i // 60 % 60:02d}:"
             f"{i % 60:02d}+07:00", "primaryAttributeValue": f"Event {i}",
             "attributes": {"integerValue": rng.randint(0, 1000), "booleanValue": i % 2 == 0,
                            "dateValue": "2026-02-28"}}
            for i in range(count)]


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path
