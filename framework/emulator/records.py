"""Endpoint 12: add custom activity records, each one added or skipped with its reasons."""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from framework.emulator.catalog import Catalog
from framework.emulator.model import ActivityType, Attribute
from framework.emulator.refusal import Refusal, blank, invalid

MAX_RECORDS = 300
MAX_ATTRIBUTE_BYTES = 65_536
MAX_STRING = 255
MAX_TEXT_BYTES = 30_000
# Marketo's integer fields are Java ints.
MIN_INTEGER, MAX_INTEGER = -(2**31), 2**31 - 1
# ACT and SPEC's CustomActivity both require `attributes` (an empty array when there are none).
REQUIRED = ("leadId", "activityDate", "activityTypeId", "primaryAttributeValue", "attributes")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
FULL_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})")


class Skip(Exception):
    """One record is skipped with this reason; the others go on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class RecordLog:
    """The next activity id (records and background activities share it), when each record
    was stored, and the value rules in force (`strict`: W3C datetimes, 32-bit integers and
    finite numbers)."""

    def __init__(self, wall: Callable[[], float] = time.time, strict: bool = True) -> None:
        self.next_id = 1
        self.wall = wall
        self.strict = strict

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
        found, stored = _checked(catalog, leads, record, log.strict)
    except Skip as skip:
        reason = {"code": skip.code, "message": skip.message}
        # ACT's example sends `errors`, ERR's rule says `reasons`: send both (BEHAVIOUR.md).
        return {"status": "skipped", "errors": [reason], "reasons": [reason]}
    record_id = log.take_id()
    # storedAt (epoch seconds) is what a paging token's sinceDatetime selects by (BEHAVIOUR.md).
    found.records.append({"id": record_id, **stored, "storedAt": log.wall()})
    return {"id": record_id, "marketoGUID": str(record_id), "status": "added"}


def _checked(
    catalog: Catalog, leads: int, record: Any, strict: bool
) -> tuple[ActivityType, dict[str, Any]]:
    if not isinstance(record, dict):
        raise Skip("1003", "Invalid data: a record must be a JSON object")
    for required in REQUIRED:
        if record.get(required) is None or record.get(required) == "":
            raise missing(required)
    found = catalog.by_id(record["activityTypeId"])
    if found is None or found.approved is None or isinstance(record["activityTypeId"], bool):
        raise Skip("1013", f"Object not found: activity type {record['activityTypeId']} is not "
                   "an approved custom activity type")
    lead = record["leadId"]
    if isinstance(lead, bool) or not isinstance(lead, int) or not 1 <= lead <= leads:
        raise Skip("1004", "Lead not found")
    when = record["activityDate"]
    if not isinstance(when, str) or not _activity_date(when, strict):
        raise mismatch(when, "datetime")
    version = found.approved
    primary = version.primary
    assert primary is not None, "an approved version always has a primary attribute"
    _value(primary, record["primaryAttributeValue"], strict)
    attributes = record["attributes"]
    if not isinstance(attributes, list):
        raise Skip("1003", "Invalid data: attributes must be an array")
    if _may_be_over(attributes):
        # Bytes as a client sends them: compact UTF-8 JSON, not \u-escaped (which triples
        # accents).
        sent = json.dumps(attributes, ensure_ascii=False, separators=(",", ":")).encode()
        if len(sent) > MAX_ATTRIBUTE_BYTES:
            raise Skip("1049", "Failed to Create Activity")
    values: dict[str, Any] = {}
    for item in attributes:
        if not isinstance(item, dict):
            raise Skip("1003", "Invalid data: each attribute must be an object with a value")
        # `apiName` names an attribute by its apiName, `name` by its display name: never crossed.
        key = "apiName" if "apiName" in item else "name"
        named: Any = item.get(key)
        if named is None or named == "":
            raise missing("apiName")
        target = (version.by_api_name if key == "apiName" else version.by_name).get(named)
        if target is None:
            raise Skip("1006", f"Field '{named}' not found")
        if target.api_name in values:
            # Which of two values was meant cannot be told: refused (BEHAVIOUR.md).
            raise Skip("1003", f"Invalid data: attribute '{target.api_name}' is given twice")
        values[target.api_name] = _value(target, item.get("value"), strict)
    stored = {"leadId": lead, "activityDate": when,
              "primaryAttributeValue": record["primaryAttributeValue"], "attributes": values}
    return found, stored


def _value(attribute: Attribute, value: Any, strict: bool = True) -> Any:
    """A value checked against its attribute's dataType (Marketo's field-type rules, FT)."""
    if value is None:
        return None
    kind, ok = attribute.data_type, True
    if kind == "integer":
        ok = _integer(value, strict)
    elif kind in ("float", "currency"):
        ok = _number(value, strict)
    elif kind == "boolean":
        ok = isinstance(value, bool) or str(value).lower() in ("true", "false")
    elif kind == "date":
        ok = isinstance(value, str) and _date(value)
    elif kind == "datetime":
        ok = isinstance(value, str) and _activity_date(value, strict)
    elif kind == "email":
        ok = isinstance(value, str) and EMAIL.fullmatch(value) is not None
    elif kind == "text":
        ok = isinstance(value, str) and len(value.encode()) <= MAX_TEXT_BYTES
    else:
        ok = isinstance(value, (str, int, float)) and len(str(value)) <= MAX_STRING
    if not ok:
        raise mismatch(value, kind)
    return value


def _may_be_over(attributes: list[Any]) -> bool:
    """A cheap upper bound first: serialising every record to measure it is the slow part."""
    if len(attributes) > 1000:
        return True
    bound = 0
    for item in attributes:
        if not isinstance(item, dict):
            return True
        for key, value in item.items():
            bound += len(key) + 16
            bound += len(value) * 6 if isinstance(value, str) else 64
            if not isinstance(value, str | int | float | bool) and value is not None:
                return True
    return bound > MAX_ATTRIBUTE_BYTES


def missing(parameter: str) -> Skip:
    """ERR's 1002 template: "Missing value for the required parameter '%s'"."""
    return Skip("1002", f"Missing value for the required parameter '{parameter}'")


def mismatch(value: Any, kind: str) -> Skip:
    """ERR's 1001 template, for a value of the wrong type: "Invalid value '%s'. Required of
    type '%s'"."""
    shown = json.dumps(value) if not isinstance(value, str) else value
    return Skip("1001", f"Invalid value '{shown}'. Required of type '{kind}'")


def _integer(value: Any, strict: bool = True) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value) is not None:
        value = int(value)
    if not isinstance(value, int):
        return False
    return not strict or MIN_INTEGER <= value <= MAX_INTEGER


def _number(value: Any, strict: bool = True) -> bool:
    if isinstance(value, bool):
        return False
    if not isinstance(value, (int, float)):
        try:
            value = float(value)
        except (TypeError, ValueError, OverflowError):
            return False
    # 1e400 is JSON, and Python reads it as infinity: not a number Marketo can store.
    return not strict or math.isfinite(value)


def _date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _activity_date(value: str, strict: bool) -> bool:
    """Lenient: what fromisoformat reads. Strict: a full timestamp with seconds and an offset."""
    if strict and FULL_TIMESTAMP.fullmatch(value) is None:
        return False
    return _datetime(value) is not None


def _datetime(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
