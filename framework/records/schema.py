"""The record schema of one activity type, made from its definition, and the records it checks.

A record as users write it (JSON Lines; CSV rows are turned into the same shape):

    {"leadId": 7, "activityDate": "2026-09-26T06:56:35+07:00",
     "primaryAttributeValue": "Roadster GT", "attributes": {"modelYear": 2026}}

`RecordSchema.check` returns the record as Add Custom Activities takes it
(https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/activities):
attributes as `[{apiName, value}]`, the primary value as text (SPEC types it a string), empty
attributes left out. The checks are hand-written: one dict lookup and one function per value,
each problem said in the tool's words with its data type, every problem of a record at once
(bench/bench_send.py measures them beside the generated pydantic model).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from framework.definitions.model import ActivityType
from framework.records.batches import ATTRIBUTE_OVERHEAD, NUMBER, RECORD_OVERHEAD, text_bound
from framework.records.values import (
    CHECKS,
    MAX_LEAD_ID,
    BadValue,
    Check,
    check_datetime,
    check_lead_id,
)

# Adobe: "The array of attributes passed to the record exceeded the max length of 65536 bytes"
# (1049, https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/error-codes).
MAX_ATTRIBUTE_BYTES = 65_536
TOP_LEVEL = ("leadId", "activityDate", "primaryAttributeValue", "attributes")
REQUIRED = ("leadId", "activityDate", "primaryAttributeValue")
TOP_LEVEL_KEYS = frozenset(TOP_LEVEL)
MAX_NAME = 255  # an attribute apiName's longest


class InvalidRecord(Exception):
    """A record that is not sent; `reasons` holds one line per problem, field first."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class AttributeRule:
    """One attribute as records of the type must give it."""

    api_name: str
    name: str
    data_type: str
    check: Check


class RecordSchema:
    """What a record of one type must hold; built once, used for every record of a file."""

    def __init__(
        self, definition: ActivityType, max_attribute_bytes: int = MAX_ATTRIBUTE_BYTES
    ) -> None:
        self.max_attribute_bytes = max_attribute_bytes
        self.api_name = definition.apiName
        self.version = definition.version
        primary = definition.primaryAttribute
        self.primary = AttributeRule(primary.apiName, primary.name, str(primary.dataType),
                                     CHECKS[str(primary.dataType)])
        self.attributes = {
            a.apiName: AttributeRule(a.apiName, a.name, str(a.dataType), CHECKS[str(a.dataType)])
            for a in definition.attributes
        }
        # Per attribute: its check, and its size as JSON besides the value's (apiName and
        # overhead), computed once.
        self._checks = {name: (rule.check, ATTRIBUTE_OVERHEAD + len(name))
                        for name, rule in self.attributes.items()}
        self._primary_check = self.primary.check

    def check(self, raw: Any) -> dict[str, Any]:
        """The record to send, or InvalidRecord with every problem found."""
        return self.check_sized(raw)[0]

    def check_sized(self, raw: Any) -> tuple[dict[str, Any], int]:
        """The record to send and an upper bound of its size as JSON (framework.records.batches
        says why); InvalidRecord with every problem found."""
        if raw.__class__ is not dict:
            raise InvalidRecord(["the record is not a JSON object"])
        reasons: list[str] = []
        if not raw.keys() <= TOP_LEVEL_KEYS:
            reasons += [f"{key}: unknown key; a record has only {', '.join(TOP_LEVEL)}"
                        for key in raw if key not in TOP_LEVEL_KEYS]
        lead = raw.get("leadId")
        # The common cases inline (a positive int, a value to check): this runs once per
        # record of big files.
        if lead.__class__ is not int or lead < 1 or lead > MAX_LEAD_ID:
            lead = _field(raw, "leadId", check_lead_id, reasons)
        when: Any = raw.get("activityDate")
        try:
            when = check_datetime(when) if when else _field(
                raw, "activityDate", check_datetime, reasons)
        except BadValue as bad:
            reasons.append(f"activityDate: {bad}")
            when = None
        primary: Any = raw.get("primaryAttributeValue")
        try:
            primary = self._primary_check(primary) if primary else _field(
                raw, "primaryAttributeValue", self._primary_check, reasons)
        except BadValue as bad:
            reasons.append(f"primaryAttributeValue: {bad}")
            primary = None
        given = raw.get("attributes")
        attributes, size = self._attributes(given, reasons) if given else ([], 0)
        if reasons:
            raise InvalidRecord(reasons)
        if primary.__class__ is not str:
            primary = _as_text(primary)
        size += RECORD_OVERHEAD + len(when) + text_bound(primary)
        return {"leadId": lead, "activityDate": when, "primaryAttributeValue": primary,
                "attributes": attributes}, size

    def _attributes(self, given: Any, reasons: list[str]) -> tuple[list[dict[str, Any]], int]:
        if given.__class__ is not dict:
            reasons.append("attributes: not an object of apiName: value")
            return [], 0
        sent: list[dict[str, Any]] = []
        checks = self._checks
        text = 0
        size = 0
        append = sent.append
        for api_name, value in given.items():
            known = checks.get(api_name)
            if known is None:
                reasons.append(f"attributes.{api_name}: {self._unknown(api_name)}")
                continue
            if not value and (value is None or value == ""):
                continue  # empty: not sent (Marketo stores no value)
            check, overhead = known
            try:
                value = check(value)
            except BadValue as bad:
                reasons.append(f"attributes.{api_name}: {bad} "
                               f"({self.attributes[api_name].data_type})")
                continue
            if value.__class__ is str:
                length = len(value)
                text += length
                # text_bound(value), inline: this runs once per value of big files.
                size += overhead + (2 * length + 2 if value.isascii() and value.isprintable()
                                    else text_bound(value))
            else:
                size += overhead + NUMBER
            append({"apiName": api_name, "value": value})
        # A cheap upper bound first (6 bytes a character at worst, as a \u escape).
        limit = self.max_attribute_bytes
        if text * 6 + len(sent) * (MAX_NAME + 48) > limit:
            exact = len(json.dumps(sent, ensure_ascii=False, separators=(",", ":")).encode())
            if exact > limit:
                reasons.append(f"attributes: {exact} bytes as JSON, over Marketo's {limit} "
                               "(1049)")
        return sent, size

    def _unknown(self, api_name: str) -> str:
        lowered = {name.lower(): name for name in self.attributes}
        if api_name.lower() in lowered:
            return f"unknown attribute; did you mean '{lowered[api_name.lower()]}'?"
        if api_name == self.primary.api_name:
            return "the primary attribute goes in primaryAttributeValue"
        known = ", ".join(self.attributes) or "none"
        return f"unknown attribute of {self.api_name} (its attributes: {known})"


def _field(raw: dict[str, Any], key: str, check: Check, reasons: list[str]) -> Any:
    value = raw.get(key)
    if value is None or value == "":
        reasons.append(f"{key}: missing; every record needs {', '.join(REQUIRED)}")
        return None
    try:
        return check(value)
    except BadValue as bad:
        reasons.append(f"{key}: {bad}")
        return None


def _as_text(value: Any) -> str:
    if type(value) is bool:
        return "true" if value else "false"
    return value if type(value) is str else json.dumps(value)
