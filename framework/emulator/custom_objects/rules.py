"""Checks on custom-object request bodies: names, data types, the shape of each field item.

Each function reads untrusted JSON and either returns clean values or raises a Refusal with the
code BEHAVIOUR.md documents: 701 for a missing value, 1003 for an invalid one. Rules that
depend on the instance (uniqueness, limits, links, what approval freezes) live in `schema`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from framework.emulator.custom_objects.model import FIELD_DATA_TYPES
from framework.emulator.refusal import blank, invalid
from framework.emulator.validation import body_object, optional_text, required_text

ACTIONS = ("createOnly", "updateOnly", "createOrUpdate")
STATES = ("draft", "approved", "approvedWithDraft")
# CO: "Field API Names and Display Names may contain alphanumeric characters and underscore",
# and a type's names likewise; at least one letter, as for activity types. Display names also
# take spaces: Adobe's own examples have "Lead ID" and "Very Long Title".
API_NAME = re.compile(r"[A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*")
DISPLAY_NAME = re.compile(r"[A-Za-z0-9_ ]*[A-Za-z][A-Za-z0-9_ ]*")
MAX_NAME = 255  # undocumented; as for activity types (BEHAVIOUR.md)


def api_name(value: str, label: str) -> str:
    if len(value) > MAX_NAME or not API_NAME.fullmatch(value):
        raise invalid(f"Invalid value for {label} '{value}': use letters, digits and "
                      f"underscores, with at least one letter, at most {MAX_NAME} characters")
    return value


def display_name(value: str, label: str) -> str:
    if len(value) > MAX_NAME or not DISPLAY_NAME.fullmatch(value):
        raise invalid(f"Invalid value for {label} '{value}': use letters, digits, underscores "
                      f"and spaces, with at least one letter, at most {MAX_NAME} characters")
    return value


def optional_bool(data: dict[str, Any], key: str, label: str | None = None) -> bool | None:
    value = data.get(key)
    if value is not None and not isinstance(value, bool):
        raise invalid(f"Invalid value for {label or key}: expected true or false")
    return value


def data_type(value: Any, label: str) -> str:
    if value is None or value == "":
        raise blank(label)
    if not isinstance(value, str) or value not in FIELD_DATA_TYPES:
        raise invalid(f"Invalid value for {label} '{value}': expected one of "
                      f"{', '.join(FIELD_DATA_TYPES)}")
    return value


def action(data: dict[str, Any]) -> str:
    value = data.get("action")
    if value is None:
        return "createOrUpdate"  # SPEC: "Default is createOrUpdate"
    if value not in ACTIONS:
        raise invalid(f"Invalid value for action '{value}': expected one of {', '.join(ACTIONS)}")
    return str(value)


def state(query: dict[str, str]) -> str | None:
    value = query.get("state")
    if value is None or value == "":
        return None
    if value not in STATES:
        raise invalid(f"Invalid value for state '{value}': expected one of {', '.join(STATES)}")
    return value


@dataclass(frozen=True)
class RelatedTo:
    """A `relatedTo` as sent, before it is resolved against the linkable objects."""

    name: str
    field: str


def related_to(data: Any, label: str) -> RelatedTo:
    if not isinstance(data, dict):
        raise invalid(f"Invalid data: {label} must be a JSON object with name and field")
    return RelatedTo(required_text(data, "name", f"{label}.name"),
                     required_text(data, "field", f"{label}.field"))


@dataclass(frozen=True)
class FieldItem:
    """One item of addField's `input`, checked for shape; links are resolved later."""

    name: str
    display_name: str
    data_type: str
    description: str | None
    dedupe: bool
    related: RelatedTo | None


def field_item(data: Any, where: str) -> FieldItem:
    if not isinstance(data, dict):
        raise invalid(f"Invalid data: {where} must be a JSON object")
    name = api_name(required_text(data, "name", f"{where}.name"), f"{where}.name")
    label = display_name(required_text(data, "displayName", f"{where}.displayName"),
                         f"{where}.displayName")
    kind = data_type(data.get("dataType"), f"{where}.dataType")
    description = optional_text(data, "description")
    dedupe = bool(optional_bool(data, "isDedupeField", f"{where}.isDedupeField"))
    related = None
    if data.get("relatedTo") is not None:
        related = related_to(data["relatedTo"], f"{where}.relatedTo")
    link_shape(kind, related, where)
    return FieldItem(name, label, kind, description, dedupe, related)


def link_shape(kind: str, related: RelatedTo | None, where: str) -> None:
    """A link field needs `relatedTo`, and only a link field may have one (CO pairs them)."""
    if kind == "link" and related is None:
        raise blank(f"{where}.relatedTo")
    if kind != "link" and related is not None:
        raise invalid(f"Invalid data: {where}.relatedTo is only for fields of dataType link, "
                      f"not {kind}")


def input_items(body: Any) -> list[Any]:
    """The `input` array of addField and deleteField."""
    items = body_object(body).get("input")
    if items is None or items == []:
        raise blank("input")
    if not isinstance(items, list):
        raise invalid("Invalid data: input must be an array of objects")
    return items


def field_names(body: Any) -> list[str]:
    """deleteField's `input`: the names of the fields, each an object with `name`."""
    names: list[str] = []
    for index, item in enumerate(input_items(body)):
        if not isinstance(item, dict):
            raise invalid(f"Invalid data: input[{index}] must be a JSON object")
        names.append(required_text(item, "name", f"input[{index}].name"))
    return names


def names_filter(pairs: list[str]) -> set[str] | None:
    """The list endpoint's `names`: comma-separated (CO) and/or repeated (SPEC's `multi`)."""
    if not pairs:
        return None
    return {name.strip() for value in pairs for name in value.split(",") if name.strip()}
