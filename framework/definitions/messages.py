"""pydantic's validation errors, translated into our Problems: what, where, and how to fix it."""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from framework.definitions.model import (
    Acknowledgement,
    ActivityType,
    Attribute,
    DataType,
    PrimaryAttribute,
)
from framework.definitions.positions import field_path, locate
from framework.errors import Problem

DATA_TYPES = ", ".join(member.value for member in DataType)
API_NAME_RULE = "letters and digits only, with at least one letter"
TYPE_NAME_RULE = "letters, digits, spaces and underscores only, with at least one letter"
ACTIVITIES_GUIDE = (
    "https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/"
    "activities"
)

# What a good value looks like, per key: used in "add ..." and "write ..." fixes.
TYPE_EXAMPLES = {
    "version": "version: 1",
    "apiName": "apiName: attendWebinar",
    "name": "name: Attend Webinar",
    "description": "description: A person attended one of our webinars",
    "triggerName": "triggerName: Attends Webinar",
    "filterName": "filterName: Attended Webinar",
    "protect": "protect: true",
    "ensure": "ensure: present",
}
ATTRIBUTE_EXAMPLES = {
    "apiName": "apiName: minutesWatched",
    "name": "name: Minutes Watched",
    "description": "description: How long the person watched",
    "dataType": "dataType: integer",
    "renamedFrom": "renamedFrom: watchedMinutes",
    # acknowledge items
    "version": "version: 4",
    "reason": "reason: nobody sends this attribute any more",
}
# Keys whose value is a block: "add" them with what goes below.
BLOCK_FIXES = {
    "primaryAttribute": "add `primaryAttribute:` with apiName, name and dataType indented below it",
    "attributes": "add `attributes:` with items like `- apiName: minutesWatched` below it",
}
# Names people reach for that mean one of Marketo's data types.
DATA_TYPE_ALIASES = {
    "str": "string", "int": "integer", "number": "integer", "bool": "boolean",
    "decimal": "float", "double": "float", "money": "currency", "url": "link",
    "timestamp": "datetime", "textarea": "text", "telephone": "phone",
}


def translate(error: ValidationError, path: str, data: Any) -> list[Problem]:
    """One Problem per pydantic error, positioned with the line and column of the YAML node."""
    details = error.errors()
    # A misspelt key is reported once, as "did you mean", not again as a missing key.
    misspelt = {_misspelt_key(d) for d in details if d["type"] == "extra_forbidden"}
    return [
        _problem(detail, path, data)
        for detail in details
        if not (detail["type"] == "missing" and tuple(detail["loc"]) in misspelt)
    ]


def _misspelt_key(detail: ErrorDetails) -> tuple[int | str, ...]:
    loc = tuple(detail["loc"])
    suggestion = _did_you_mean(str(loc[-1]), _allowed_keys(loc[:-1]))
    return (*loc[:-1], suggestion) if suggestion else ()


def _problem(detail: ErrorDetails, path: str, data: Any) -> Problem:
    loc = detail["loc"]
    kind = detail["type"]
    if kind == "invalid_key":
        return _key_not_text(detail, path, data)
    line, column = locate(data, loc, key=kind == "extra_forbidden")
    key = str(loc[-1]) if loc else ""
    message, fix = _TRANSLATIONS.get(kind, _fallback)(detail, key)
    return Problem(path, line, column, field_path(loc), message, fix)


def _key_not_text(detail: ErrorDetails, path: str, data: Any) -> Problem:
    # pydantic's loc holds a text version of the key; the mapping holds the key itself.
    parent, key = tuple(detail["loc"][:-1]), detail["input"]
    line, column = locate(data, (*parent, key), key=True)
    written = _yaml_scalar(key) if key is not None else "null"
    field = f"{field_path(parent)}.{written}" if parent else written
    return Problem(path, line, column, field,
                   f"the key {written} is {describe(key)}, not a name",
                   "remove it, or write the intended key name (keys are text such as apiName)")


def _did_you_mean(key: str, allowed: list[str]) -> str | None:
    by_case = {name.lower(): name for name in allowed}
    close = difflib.get_close_matches(key.lower(), list(by_case), n=1, cutoff=0.7)
    return by_case[close[0]] if close else None


def describe(value: Any) -> str:
    """How a YAML value reads to a person: `the number 3`, `a list`, `the text 'x'`."""
    if isinstance(value, AbstractSet):
        return "a set"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, datetime.date):
        return f"the date {value}"
    if isinstance(value, str):
        return f"the text {_quote(value)}"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    return f"a {type(value).__name__}"


def _quote(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "...")


def _example(detail: ErrorDetails, key: str) -> str:
    examples = ATTRIBUTE_EXAMPLES if len(detail["loc"]) > 1 else TYPE_EXAMPLES
    return f"`{examples[key]}`" if key in examples else "a value"


def _missing(detail: ErrorDetails, key: str) -> tuple[str, str]:
    fix = BLOCK_FIXES.get(key) if len(detail["loc"]) == 1 else None
    if key == "dataType":
        # No example here: a data type pasted without thought is fixed once the type is approved.
        fix = f"add `dataType:` with the attribute's data type, one of: {DATA_TYPES}"
    return f"required key '{key}' is missing", fix or f"add {_example(detail, key)}"


def _extra(detail: ErrorDetails, key: str) -> tuple[str, str]:
    allowed = _allowed_keys(detail["loc"][:-1])
    suggestion = _did_you_mean(key, allowed)
    if suggestion:
        return (f"unknown key '{key}'; did you mean '{suggestion}'?",
                f"rename '{key}' to '{suggestion}'")
    return (f"unknown key '{key}'",
            f"remove it; the keys allowed here are: {', '.join(allowed)}")


def _allowed_keys(parent: tuple[int | str, ...]) -> list[str]:
    if not parent:
        model: type[ActivityType | PrimaryAttribute | Attribute | Acknowledgement] = ActivityType
    elif parent[0] == "primaryAttribute":
        model = PrimaryAttribute
    elif parent[0] == "acknowledge":
        model = Acknowledgement
    else:
        model = Attribute
    return list(model.model_fields)


def _text_expected(detail: ErrorDetails, key: str) -> tuple[str, str]:
    value = detail["input"]
    if key in ("apiName", "renamedFrom"):
        return (f"expected an API name ({API_NAME_RULE}), got {describe(value)}",
                f"write an API name such as {_example(detail, key)}")
    message = f"expected text, got {describe(value)}"
    if isinstance(value, bool | int | float | datetime.date):
        return message, f"put the value in quotes: `{key}: \"{_yaml_scalar(value)}\"`"
    return message, f"write text on the same line, e.g. {_example(detail, key)}"


def _yaml_scalar(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _pattern(detail: ErrorDetails, key: str) -> tuple[str, str]:
    value = str(detail["input"])
    if key in ("apiName", "renamedFrom"):
        message = f"{_quote(value)} is not a valid API name: use {API_NAME_RULE}"
        suggestion = suggest_api_name(value)
        if suggestion:
            return message, f"write `{key}: {suggestion}`"
        return message, f"write an API name such as {_example(detail, key)}"
    if detail["loc"] == ("name",) and value.strip():
        return _type_name(value)
    return _blank(detail, key)


def _type_name(value: str) -> tuple[str, str]:
    """A type's display name with characters Marketo refuses (1003)."""
    message = (f"{_quote(value)} is not a valid display name for a type: Marketo accepts "
               f"{TYPE_NAME_RULE} ({ACTIVITIES_GUIDE}, 'Create type')")
    suggestion = suggest_type_name(value)
    if suggestion:
        return message, f"write `name: {suggestion}`"
    return message, "write a display name such as `name: Attend Webinar`"


def suggest_type_name(value: str) -> str:
    """`Buy Car (new!)` → `Buy Car new`: the allowed characters, spaces collapsed."""
    kept = re.sub(r"[^A-Za-z0-9 _]+", " ", value)
    words = " ".join(kept.split())
    return words if re.search(r"[A-Za-z]", words) else ""


def suggest_api_name(value: str) -> str:
    """`attend-webinar 2` → `attendWebinar2`: lowerCamelCase from the letters and digits."""
    words = [word for word in re.split(r"[^A-Za-z0-9]+", value) if word]
    if not words:
        return ""
    camel = words[0][0].lower() + words[0][1:] + "".join(w[0].upper() + w[1:] for w in words[1:])
    return camel if re.search(r"[A-Za-z]", camel) else ""


def _blank(detail: ErrorDetails, key: str) -> tuple[str, str]:
    return "must not be empty or blank", f"write a display name, e.g. {_example(detail, key)}"


def _too_long(detail: ErrorDetails, key: str) -> tuple[str, str]:
    value = str(detail["input"])
    limit = detail.get("ctx", {}).get("max_length", len(value) - 1)
    return (f"is {len(value):,} characters long; Marketo accepts at most {limit:,} (error 1003)",
            f"shorten it to {limit:,} characters or fewer")


def _data_type(detail: ErrorDetails, key: str) -> tuple[str, str]:
    value = detail["input"]
    if not isinstance(value, str):
        return (f"expected a data type, got {describe(value)}",
                f"use one of the 11 data types: {DATA_TYPES}")
    close = difflib.get_close_matches(value.lower(), [m.value for m in DataType], n=1, cutoff=0.7)
    suggestion = DATA_TYPE_ALIASES.get(value.lower()) or (close[0] if close else None)
    hint = f"; did you mean '{suggestion}'?" if suggestion else ""
    return (f"{_quote(value)} is not one of Marketo's 11 data types{hint}",
            f"use one of: {DATA_TYPES}")


def _literal(detail: ErrorDetails, key: str) -> tuple[str, str]:
    if key != "ensure":  # an acknowledgement's rule: one of the lint rule ids
        expected = detail.get("ctx", {}).get("expected", "")
        return (f"{describe(detail['input'])} is not a rule an acknowledgement can name",
                f"write one of: {expected.replace(chr(39), '')} (README.md, 'activities lint')")
    return (f"expected present or absent, got {describe(detail['input'])}",
            "write `ensure: present` to keep the type, or `ensure: absent` to delete it")


def _integer(detail: ErrorDetails, key: str) -> tuple[str, str]:
    return (f"expected a whole number, got {describe(detail['input'])}",
            f"write a whole number without quotes, e.g. {_example(detail, key)}")


def _at_least(detail: ErrorDetails, key: str) -> tuple[str, str]:
    limit = detail.get("ctx", {}).get("ge", 1)
    return (f"must be {limit} or more, got {describe(detail['input'])}",
            f"write a whole number of {limit} or more, e.g. {_example(detail, key)}")


def _boolean(detail: ErrorDetails, key: str) -> tuple[str, str]:
    return (f"expected true or false, got {describe(detail['input'])}",
            f"write `{key}: true` or `{key}: false` (without quotes)")


def _mapping(detail: ErrorDetails, key: str) -> tuple[str, str]:
    what = "an attribute" if isinstance(detail["loc"][-1], int) else f"'{key}'"
    return (f"expected {what} as a mapping of keys, got {describe(detail['input'])}",
            "indent apiName, name and dataType below it, one `key: value` per line")


def _list(detail: ErrorDetails, key: str) -> tuple[str, str]:
    return (f"expected a list, got {describe(detail['input'])}",
            "write each attribute as a list item starting with `- apiName:`, "
            "or `attributes: []` for none")


def _fallback(detail: ErrorDetails, key: str) -> tuple[str, str]:
    text = detail["msg"]
    return text[0].lower() + text[1:], "see README.md, 'The definition format'"


_TRANSLATIONS: dict[str, Callable[[ErrorDetails, str], tuple[str, str]]] = {
    "missing": _missing,
    "extra_forbidden": _extra,
    "string_type": _text_expected,
    "string_pattern_mismatch": _pattern,
    "string_too_short": _blank,
    "string_too_long": _too_long,
    "enum": _data_type,
    "literal_error": _literal,
    "int_type": _integer,
    "int_parsing": _integer,
    "int_from_float": _integer,
    "greater_than_equal": _at_least,
    "bool_type": _boolean,
    "bool_parsing": _boolean,
    "model_type": _mapping,
    "model_attributes_type": _mapping,
    "dict_type": _mapping,
    "list_type": _list,
}
