"""Checks on request bodies for the type and attribute endpoints: required fields, names, types.

Each function reads untrusted JSON and either returns clean values or raises a Refusal with the
code the emulator documents (BEHAVIOUR.md): 701 for a missing field, 1003 for invalid data.
"""

from __future__ import annotations

import re
from typing import Any

from framework.emulator.model import DATA_TYPES, Attribute
from framework.emulator.refusal import Refusal, blank, invalid

# ACT/SPEC: alphanumeric with at least one letter, at most 255 characters.
API_NAME = re.compile(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*")
MAX_API_NAME = 255
# ACT ("Create type", Display Name): a type's display name is alphanumerics, spaces and
# underscores with at least one letter. ACT states it for the type only (BEHAVIOUR.md).
DISPLAY_NAME = re.compile(r"[A-Za-z0-9 _]*[A-Za-z][A-Za-z0-9 _]*")
MAX_TEXT = 255  # undocumented; the emulator's cap for every name (BEHAVIOUR.md)
MAX_DESCRIPTION = 2000  # undocumented; the emulator's cap for descriptions (BEHAVIOUR.md)
MAX_SECONDARY = 20  # ACT: 0-20 attributes besides the primary


def body_object(body: Any) -> dict[str, Any]:
    """The request body as a JSON object; anything else is invalid data."""
    if body is None:
        raise blank("request body")
    if not isinstance(body, dict):
        raise invalid("Invalid data: the request body must be a JSON object")
    return body


def required_text(data: dict[str, Any], key: str, label: str | None = None) -> str:
    """A required non-blank string field."""
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise blank(label or key)
    if not isinstance(value, str):
        raise invalid(f"Invalid value for {label or key}: expected a string")
    return value


def optional_text(data: dict[str, Any], key: str, limit: int = MAX_DESCRIPTION) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise invalid(f"Invalid value for {key}: expected a string of at most {limit} characters")
    return value


def api_name(value: str, label: str = "apiName") -> str:
    if len(value) > MAX_API_NAME or not API_NAME.fullmatch(value):
        raise invalid(
            f"Invalid value for {label} '{value}': use letters and digits only, with at least "
            f"one letter, at most {MAX_API_NAME} characters"
        )
    return value


def display_name(value: str, label: str) -> str:
    if len(value) > MAX_TEXT or not DISPLAY_NAME.fullmatch(value):
        raise invalid(
            f"Invalid value for {label} '{value}': use letters, digits, spaces and underscores, "
            f"with at least one letter, at most {MAX_TEXT} characters"
        )
    return value


def plain_name(value: str, label: str) -> str:
    """Trigger, filter and attribute display names: free text, at most MAX_TEXT characters."""
    if len(value) > MAX_TEXT:
        raise invalid(f"Invalid value for {label}: at most {MAX_TEXT} characters")
    return value


def smart_list_key(name: str) -> str:
    """How the emulator compares trigger and filter names: case and runs of spaces ignored."""
    return " ".join(name.split()).casefold()


def data_type(value: Any, label: str) -> str:
    if not isinstance(value, str) or value not in DATA_TYPES:
        raise invalid(
            f"Invalid value for {label} '{value}': expected one of {', '.join(sorted(DATA_TYPES))}"
        )
    return value


def is_primary(value: Any, label: str) -> bool | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise invalid(f"Invalid value for {label}: expected true or false")
    return value


def new_attribute(data: Any, where: str, primary: bool) -> Attribute:
    """An attribute from a create body (primaryAttribute or an item of attributes[])."""
    if not isinstance(data, dict):
        raise invalid(f"Invalid data: {where} must be a JSON object")
    name = api_name(required_text(data, "apiName", f"{where}.apiName"), f"{where}.apiName")
    label = plain_name(required_text(data, "name", f"{where}.name"), f"{where}.name")
    kind = data_type(data.get("dataType", "string"), f"{where}.dataType")
    description = optional_text(data, "description")
    return Attribute(name, label, kind, description, primary)


def attribute_list(body: Any) -> list[dict[str, Any]]:
    """The `attributes` array of endpoints 8 to 10, each item an object with an apiName."""
    data = body_object(body)
    items = data.get("attributes")
    if items is None or items == []:
        raise blank("attributes")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise invalid("Invalid data: attributes must be an array of objects")
    for index, item in enumerate(items):
        required_text(item, "apiName", f"attributes[{index}].apiName")
    return items


def duplicate_names(items: list[dict[str, Any]]) -> Refusal | None:
    """Two items of one call naming the same attribute apiName."""
    seen: set[str] = set()
    for item in items:
        if item["apiName"] in seen:
            return invalid(f"Invalid data: attribute '{item['apiName']}' is listed twice")
        seen.add(item["apiName"])
    return None


def attribute_count(attributes: tuple[Attribute, ...]) -> None:
    """1028 past 20 secondaries. Every attribute counts against 21, so that a type with 20
    secondaries can follow ACT's documented primary change (demote, then promote) in two calls."""
    if len(attributes) > MAX_SECONDARY + 1:
        raise Refusal("1028", "Max field limit reached")
