"""pydantic's validation errors, translated into our Problems: what, where, and how to fix it."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from typing import Any

from pydantic_core import ErrorDetails, ValidationError

from framework.definitions.positions import field_path, locate
from framework.definitions.vocabulary import DataType
from framework.definitions.wording import Wording
from framework.errors import Problem
from framework.manual import page
from framework.spelling import closest

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


def _activity_model_at(parent: tuple[int | str, ...]) -> str:
    if not parent:
        return "ActivityType"
    if parent[0] == "primaryAttribute":
        return "PrimaryAttribute"
    return "Acknowledgement" if parent[0] == "acknowledge" else "Attribute"


ACTIVITY_TYPE_WORDING = Wording(
    model="ActivityType",
    model_at=_activity_model_at,
    top_examples=TYPE_EXAMPLES,
    item_examples=ATTRIBUTE_EXAMPLES,
    block_fixes=BLOCK_FIXES,
    is_display_name=lambda loc: loc == ("name",),
    api_name_keys=frozenset({"apiName", "renamedFrom"}),
    api_name_rule=API_NAME_RULE,
    guide=f"{ACTIVITIES_GUIDE}, 'Create type'",
    item="an attribute",
    mapping_fix="indent apiName, name and dataType below it, one `key: value` per line",
    list_fix="write each attribute as a list item starting with `- apiName:`, "
    "or `attributes: []` for none",
)


def translate(
    error: ValidationError, path: str, data: Any, words: Wording | None = None
) -> list[Problem]:
    """One Problem per pydantic error, positioned with the line and column of the YAML node;
    `words` is the wording of the file's kind (an activity type's by default)."""
    words = words or ACTIVITY_TYPE_WORDING
    details = error.errors()
    # A misspelt key is reported once, as "did you mean", not again as a missing key.
    misspelt = {_misspelt_key(d, words) for d in details if d["type"] == "extra_forbidden"}
    return [
        _problem(detail, path, data, words)
        for detail in details
        if not (detail["type"] == "missing" and tuple(detail["loc"]) in misspelt)
    ]


def _misspelt_key(detail: ErrorDetails, words: Wording) -> tuple[int | str, ...]:
    loc = tuple(detail["loc"])
    suggestion = _did_you_mean(str(loc[-1]), words.allowed_keys(loc[:-1]))
    return (*loc[:-1], suggestion) if suggestion else ()


def _problem(detail: ErrorDetails, path: str, data: Any, words: Wording) -> Problem:
    loc = detail["loc"]
    kind = detail["type"]
    if kind == "invalid_key":
        return _key_not_text(detail, path, data)
    line, column = locate(data, loc, key=kind == "extra_forbidden")
    key = str(loc[-1]) if loc else ""
    message, fix = _TRANSLATIONS.get(kind, _fallback)(detail, key, words)
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
    return closest(key, allowed)


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


def _example(detail: ErrorDetails, key: str, words: Wording) -> str:
    examples = words.item_examples if len(detail["loc"]) > 1 else words.top_examples
    return f"`{examples[key]}`" if key in examples else "a value"


def _missing(detail: ErrorDetails, key: str, words: Wording) -> tuple[str, str]:
    fix = words.block_fixes.get(key) if len(detail["loc"]) == 1 else None
    if key == "dataType":
        # No example here: a data type pasted without thought is fixed once the type is approved.
        fix = f"add `dataType:` with the attribute's data type, one of: {DATA_TYPES}"
    return f"required key '{key}' is missing", fix or f"add {_example(detail, key, words)}"


def _extra(detail: ErrorDetails, key: str, words: Wording) -> tuple[str, str]:
    allowed = words.allowed_keys(tuple(detail["loc"][:-1]))
    suggestion = _did_you_mean(key, allowed)
    if suggestion:
        return (f"unknown key '{key}'; did you mean '{suggestion}'?",
                f"rename '{key}' to '{suggestion}'")
    return (f"unknown key '{key}'",
            f"remove it; the keys allowed here are: {', '.join(allowed)}")


def _text_expected(detail: ErrorDetails, key: str, words: Wording) -> tuple[str, str]:
    value = detail["input"]
    if key in words.api_name_keys:
        return (f"expected an API name ({words.api_name_rule}), got {describe(value)}",
                f"write an API name such as {_example(detail, key, words)}")
    message = f"expected text, got {describe(value)}"
    if isinstance(value, bool | int | float | datetime.date):
        return message, f"put the value in quotes: `{key}: \"{_yaml_scalar(value)}\"`"
    return message, f"write text on the same line, e.g. {_example(detail, key, words)}"


def _yaml_scalar(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _pattern(detail: ErrorDetails, key: str, words: Wording) -> tuple[str, str]:
    value = str(detail["input"])
    if key in words.api_name_keys:
        message = f"{_quote(value)} is not a valid API name: use {words.api_name_rule}"
        suggestion = suggest_api_name(value)
        if suggestion:
            return message, f"write `{key}: {suggestion}`"
        return message, f"write an API name such as {_example(detail, key, words)}"
    if words.is_display_name(tuple(detail["loc"])) and value.strip():
        return _type_name(value, key, words.guide)
    return _blank(detail, key, words)


def _type_name(value: str, key: str, guide: str) -> tuple[str, str]:
    """A display name with characters Marketo refuses (1003)."""
    what = "a type" if key == "name" else "a custom object type or field"
    message = (f"{_quote(value)} is not a valid display name for {what}: Marketo accepts "
               f"{TYPE_NAME_RULE} ({guide})")
    suggestion = suggest_type_name(value)
    if suggestion:
        return message, f"write `{key}: {suggestion}`"
    return message, f"write a display name such as `{key}: Attend Webinar`"


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


def _blank(detail: ErrorDetails, key: str, words: Wording) -> tuple[str, str]:
    example = _example(detail, key, words)
    return "must not be empty or blank", f"write a display name, e.g. {example}"


def _too_long(detail: ErrorDetails, key: str, words: Wording) -> tuple[str, str]:
    value = str(detail["input"])
    limit = detail.get("ctx", {}).get("max_length", len(value) - 1)
    return (f"is {len(value):,} characters long; Marketo accepts at most {limit:,} (error 1003)",
            f"shorten it to {limit:,} characters or fewer")


def _data_type(detail: ErrorDetails, key: str, words: Wording) -> tuple[str, str]:
    value = detail["input"]
    if not isinstance(value, str):
        return (f"expected a data type, got {describe(value)}",
                f"use one of the 11 data types: {DATA_TYPES}")
    suggestion = DATA_TYPE_ALIASES.get(value.lower()) or closest(value, [m.value for m in DataType])
    hint = f"; did you mean '{suggestion}'?" if suggestion else ""
    return (f"{_quote(value)} is not one of Marketo's 11 data types{hint}",
            f"use one of: {DATA_TYPES}")


def _literal(detail: ErrorDetails, key: str, words: Wording) -> tuple[str, str]:
    if key != "ensure":  # an acknowledgement's rule: one of the lint rule ids
        expected = detail.get("ctx", {}).get("expected", "")
        return (f"{describe(detail['input'])} is not a rule an acknowledgement can name",
                f"write one of: {expected.replace(chr(39), '')} ({page('commands/lint.md')})")
    return (f"expected present or absent, got {describe(detail['input'])}",
            "write `ensure: present` to keep the type, or `ensure: absent` to delete it")


def _integer(detail: ErrorDetails, key: str, words: Wording) -> tuple[str, str]:
    return (f"expected a whole number, got {describe(detail['input'])}",
            f"write a whole number without quotes, e.g. {_example(detail, key, words)}")


def _at_least(detail: ErrorDetails, key: str, words: Wording) -> tuple[str, str]:
    limit = detail.get("ctx", {}).get("ge", 1)
    return (f"must be {limit} or more, got {describe(detail['input'])}",
            f"write a whole number of {limit} or more, e.g. {_example(detail, key, words)}")


def _boolean(detail: ErrorDetails, key: str, words: Wording) -> tuple[str, str]:
    return (f"expected true or false, got {describe(detail['input'])}",
            f"write `{key}: true` or `{key}: false` (without quotes)")


def _mapping(detail: ErrorDetails, key: str, words: Wording) -> tuple[str, str]:
    what = words.item if isinstance(detail["loc"][-1], int) else f"'{key}'"
    return (f"expected {what} as a mapping of keys, got {describe(detail['input'])}",
            words.mapping_fix)


def _list(detail: ErrorDetails, key: str, words: Wording) -> tuple[str, str]:
    return (f"expected a list, got {describe(detail['input'])}", words.list_fix)


def _fallback(detail: ErrorDetails, key: str, words: Wording) -> tuple[str, str]:
    text = detail["msg"]
    return text[0].lower() + text[1:], f"see {page('definitions.md')}"


_TRANSLATIONS: dict[str, Callable[[ErrorDetails, str, Wording], tuple[str, str]]] = {
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
