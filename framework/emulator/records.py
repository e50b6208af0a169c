"""Endpoint 12: add custom activity records, each one added or skipped with its reasons."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

from framework.emulator.catalog import Catalog
from framework.emulator.model import ActivityType, Attribute
from framework.emulator.refusal import Refusal, blank, invalid

MAX_RECORDS = 300
MAX_ATTRIBUTE_BYTES = 65_536
MAX_STRING = 255
MAX_TEXT_BYTES = 30_000
# ACT and SPEC's CustomActivity both require `attributes` (an empty array when there are none).
REQUIRED = ("leadId", "activityDate", "activityTypeId", "primaryAttributeValue", "attributes")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class Skip(Exception):
    """One record is skipped with this reason; the others go on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class RecordLog:
    """Every record added to the instance, and the next record id."""

    def __init__(self) -> None:
        self.next_id = 1

    def take_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


def add_activities(catalog: Catalog, log: RecordLog, leads: int, body: Any) -> list[dict[str, Any]]:
    """Check the batch, then add or skip each record in input order."""
    if not isinstance(body, dict):
        raise invalid("Invalid data: the request body must be a JSON object")
    records = body.get("input")
    if records is None or records == []:
        raise blank("input")
    if not isinstance(records, list):
        raise invalid("Invalid data: input must be an array")
    if len(records) > MAX_RECORDS:
        raise Refusal(
            "1003",
            f"Invalid data: input holds {len(records)} records; at most {MAX_RECORDS} a call",
        )
    return [_one(catalog, log, leads, record) for record in records]


def _one(catalog: Catalog, log: RecordLog, leads: int, record: Any) -> dict[str, Any]:
    try:
        found, stored = _checked(catalog, leads, record)
    except Skip as skip:
        reason = {"code": skip.code, "message": skip.message}
        # ACT's example sends `errors`, ERR's rule says `reasons`: send both (BEHAVIOUR.md).
        return {"status": "skipped", "errors": [reason], "reasons": [reason]}
    record_id = log.take_id()
    found.records.append({"id": record_id, **stored})
    return {"id": record_id, "marketoGUID": str(record_id), "status": "added"}


def _checked(catalog: Catalog, leads: int, record: Any) -> tuple[ActivityType, dict[str, Any]]:
    if not isinstance(record, dict):
        raise Skip("1003", "Invalid data: a record must be a JSON object")
    for required in REQUIRED:
        if record.get(required) is None or record.get(required) == "":
            raise Skip("1002", f"Missing value for required parameter '{required}'")
    found = catalog.by_id(record["activityTypeId"])
    if found is None or found.approved is None or isinstance(record["activityTypeId"], bool):
        raise Skip("1013", f"Object not found: activity type {record['activityTypeId']} is not "
                   "an approved custom activity type")
    lead = record["leadId"]
    if isinstance(lead, bool) or not isinstance(lead, int) or not 1 <= lead <= leads:
        raise Skip("1004", "Lead not found")
    when = record["activityDate"]
    if not isinstance(when, str) or _datetime(when) is None:
        raise Skip("1001", f"Invalid value for activityDate '{when}': expected ISO 8601")
    version = found.approved
    primary = version.primary
    assert primary is not None, "an approved version always has a primary attribute"
    _value(primary, record["primaryAttributeValue"])
    attributes = record["attributes"]
    if not isinstance(attributes, list):
        raise Skip("1003", "Invalid data: attributes must be an array")
    # Bytes as a client sends them: compact UTF-8 JSON, not \u-escaped (which triples accents).
    sent = json.dumps(attributes, ensure_ascii=False, separators=(",", ":")).encode()
    if len(sent) > MAX_ATTRIBUTE_BYTES:
        raise Skip("1049", f"Attributes array exceeds {MAX_ATTRIBUTE_BYTES} bytes")
    values: dict[str, Any] = {}
    for item in attributes:
        if not isinstance(item, dict):
            raise Skip("1003", "Invalid data: each attribute must be an object with a value")
        named: Any = item.get("apiName", item.get("name"))
        if named is None or named == "":
            raise Skip("1002", "Missing value for required parameter 'apiName' (or 'name') of "
                       "an attribute")
        target = next((a for a in version.secondaries if named in (a.api_name, a.name)), None)
        if target is None:
            raise Skip("1006", f"Field '{named}' not found")
        values[target.api_name] = _value(target, item.get("value"))
    stored = {"leadId": lead, "activityDate": when,
              "primaryAttributeValue": record["primaryAttributeValue"], "attributes": values}
    return found, stored


def _value(attribute: Attribute, value: Any) -> Any:
    """A value checked against its attribute's dataType (Marketo's field-type rules, FT)."""
    if value is None:
        return None
    kind, ok = attribute.data_type, True
    if kind == "integer":
        ok = _integer(value)
    elif kind in ("float", "currency"):
        ok = _number(value)
    elif kind == "boolean":
        ok = isinstance(value, bool) or str(value).lower() in ("true", "false")
    elif kind == "date":
        ok = isinstance(value, str) and _date(value)
    elif kind == "datetime":
        ok = isinstance(value, str) and _datetime(value) is not None
    elif kind == "email":
        ok = isinstance(value, str) and EMAIL.fullmatch(value) is not None
    elif kind == "text":
        ok = isinstance(value, str) and len(value.encode()) <= MAX_TEXT_BYTES
    else:
        ok = isinstance(value, (str, int, float)) and len(str(value)) <= MAX_STRING
    if not ok:
        raise Skip("1003", f"Invalid data: value for '{attribute.api_name}' is not a valid "
                   f"{kind}")
    return value


def _integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and re.fullmatch(r"-?\d+", value) is not None


def _number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _datetime(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
