"""Marketo's rules that span the fields of one file, checked on the parsed YAML.

They read the raw mapping rather than the validated model, so that a file with a schema error
elsewhere still gets these checks in the same run. A value of the wrong type
is skipped here: the schema check already reports it. Rules across files are in `catalog`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from framework.definitions.document import Document
from framework.definitions.positions import key_line, locate
from framework.definitions.vocabulary import API_NAME_PATTERN, MAX_API_NAME_LENGTH, MAX_ATTRIBUTES
from framework.errors import Problem

_API_NAME = re.compile(API_NAME_PATTERN)


def _text(mapping: Any, key: str) -> str | None:
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return value if isinstance(value, str) else None


def _attributes(data: Any) -> list[Any]:
    value = data.get("attributes")
    return list(value) if isinstance(value, list) else []


def file_rules(document: Document) -> Iterator[Problem]:
    """Rules inside one file: its name, the attribute limit, attribute apiNames, renamedFrom."""
    yield from file_name_rule(document, _API_NAME)
    yield from _attribute_limit(document)
    yield from _unique_attribute_names(document)
    yield from _renamed_from(document)


def _problem(document: Document, loc: tuple[str | int, ...], field: str, message: str,
             fix: str) -> Problem:
    line, column = locate(document.data, loc)
    return Problem(document.path, line, column, field, message, fix)


def file_name_rule(document: Document, pattern: re.Pattern[str]) -> Iterator[Problem]:
    """The file is named after its apiName (`pattern`: the kind's API name rule)."""
    api_name = _text(document.data, "apiName")
    if api_name is None or not pattern.fullmatch(api_name) or len(api_name) > MAX_API_NAME_LENGTH:
        return
    file = PurePath(document.path)
    if file.stem != api_name:
        yield _problem(
            document, ("apiName",), "apiName",
            f"'{api_name}' does not match the file name '{file.name}'",
            f"rename the file to {api_name}{file.suffix}, or set `apiName: {file.stem}` "
            "if that is the type's API name",
        )


def _attribute_limit(document: Document) -> Iterator[Problem]:
    count = len(_attributes(document.data))
    if count > MAX_ATTRIBUTES:
        line, column = locate(document.data, ("attributes",), key=True)
        yield Problem(
            document.path, line, column, "attributes",
            f"has {count} attributes; Marketo allows at most {MAX_ATTRIBUTES} besides the primary",
            f"remove {count - MAX_ATTRIBUTES}, or split the activity into two types",
        )


def _unique_attribute_names(document: Document) -> Iterator[Problem]:
    data = document.data
    seen: dict[str, str] = {}
    primary = data.get("primaryAttribute") if data is not None else None
    primary_name = _text(primary, "apiName")
    if primary_name is not None:
        seen[primary_name] = f"the primary attribute (line {key_line(primary, 'apiName')})"
    for index, attribute in enumerate(_attributes(data)):
        name = _text(attribute, "apiName")
        if name is None:
            continue
        if name in seen:
            yield _problem(
                document, ("attributes", index, "apiName"), f"attributes[{index}].apiName",
                f"'{name}' is already the apiName of {seen[name]}",
                "give every attribute of a type, the primary included, its own apiName",
            )
        else:
            seen[name] = f"attributes[{index}] (line {key_line(attribute, 'apiName')})"


def _renamed_from(document: Document) -> Iterator[Problem]:
    data = document.data
    attributes = _attributes(data)
    present = {_text(a, "apiName"): f"attributes[{i}]" for i, a in enumerate(attributes)}
    primary_name = _text(data.get("primaryAttribute") if data is not None else None, "apiName")
    present.setdefault(primary_name, "the primary attribute")
    claimed: dict[str, int] = {}
    for index, attribute in enumerate(attributes):
        old = _text(attribute, "renamedFrom")
        if old is None or not _API_NAME.fullmatch(old):
            continue
        loc = ("attributes", index, "renamedFrom")
        field = f"attributes[{index}].renamedFrom"
        if old == _text(attribute, "apiName"):
            yield _problem(document, loc, field, f"'{old}' is this attribute's own apiName",
                           "remove renamedFrom, or set it to the attribute's previous apiName")
        elif old in present:
            yield _problem(
                document, loc, field, f"'{old}' is still the apiName of {present[old]}",
                "renamedFrom names an attribute that no longer exists: remove renamedFrom, "
                "or remove the old attribute",
            )
        elif old in claimed:
            yield _problem(
                document, loc, field,
                f"'{old}' is already the renamedFrom of attributes[{claimed[old]}]",
                "an old attribute can be renamed to one new attribute only",
            )
        else:
            claimed[old] = index
