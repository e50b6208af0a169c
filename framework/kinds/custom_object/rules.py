"""Marketo's rules for custom object types that span fields or files, checked offline.

Like the activity type rules (framework.definitions.rules) they read the parsed YAML rather
than the validated model, so a file with a schema error elsewhere still gets them, and a value
of the wrong type is skipped (the schema check reports it). Each rule cites Adobe's guide:
https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/custom-objects
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap

from framework.definitions.document import Document
from framework.definitions.positions import key_line, locate
from framework.errors import Problem
from framework.kinds.custom_object.vocabulary import (
    MAX_DEDUPE_FIELDS,
    MAX_FIELDS,
    MIN_DEDUPE_FIELDS,
    OBJECT_NAME_PATTERN,
    STANDARD_LINK_FIELDS,
    STANDARD_LINK_TARGETS,
    SYSTEM_DISPLAY_NAMES,
    SYSTEM_FIELDS,
)

_NAME = re.compile(OBJECT_NAME_PATTERN)


def _text(mapping: Any, key: str) -> str | None:
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return value if isinstance(value, str) else None


def _fields(data: Any) -> list[Any]:
    value = data.get("fields") if isinstance(data, dict) else None
    return list(value) if isinstance(value, list) else []


def _problem(document: Document, loc: tuple[str | int, ...], field: str, message: str,
             fix: str, *, key: bool = False) -> Problem:
    line, column = locate(document.data, loc, key=key)
    return Problem(document.path, line, column, field, message, fix)


def object_file_rules(document: Document) -> Iterator[Problem]:
    """Rules inside one custom object file: field count, names, links, dedupe fields."""
    yield from _field_limit(document)
    yield from _unique_fields(document, "name", "name")
    yield from _unique_fields(document, "displayName", "display name")
    yield from _system_fields(document)
    yield from _links(document)
    yield from _bridge(document)
    yield from _dedupe_fields(document)
    yield from _renamed_from(document)


def _field_limit(document: Document) -> Iterator[Problem]:
    count = len(_fields(document.data))
    if count > MAX_FIELDS:
        yield _problem(
            document, ("fields",), "fields",
            f"has {count} fields; Marketo allows at most {MAX_FIELDS} per custom object type "
            "(its three system fields not counted)",
            f"remove {count - MAX_FIELDS}, or split the object into two types", key=True,
        )


def _unique_fields(document: Document, key: str, words: str) -> Iterator[Problem]:
    # Case is ignored: two fields told apart only by case read as one in Marketo's UI.
    seen: dict[str, tuple[int, Any]] = {}
    for index, item in enumerate(_fields(document.data)):
        value = _text(item, key)
        if value is None:
            continue
        first = seen.setdefault(value.casefold(), (index, item))
        if first[0] != index:
            yield _problem(
                document, ("fields", index, key), f"fields[{index}].{key}",
                f"'{value}' is already the {words} of fields[{first[0]}] "
                f"(line {key_line(first[1], key)})",
                f"give every field of a type its own {words}; Marketo requires it to be unique "
                "within the type",
            )


def _system_fields(document: Document) -> Iterator[Problem]:
    reserved = {name.casefold(): name for name in SYSTEM_FIELDS}
    labels = {label.casefold() for label in SYSTEM_DISPLAY_NAMES}
    for index, item in enumerate(_fields(document.data)):
        label = _text(item, "displayName")
        if label is not None and label.casefold() in labels:
            yield _problem(
                document, ("fields", index, "displayName"), f"fields[{index}].displayName",
                f"'{label}' is the display name of a system field "
                f"({', '.join(SYSTEM_DISPLAY_NAMES)}); display names are unique within a type",
                "give the field another display name",
            )
        name = _text(item, "name")
        if name is not None and name.casefold() in reserved:
            yield _problem(
                document, ("fields", index, "name"), f"fields[{index}].name",
                f"'{name}' is a system field every custom object type has "
                f"({', '.join(SYSTEM_FIELDS)}); it cannot be defined, edited or deleted",
                "leave it out of `fields` (Marketo adds it), or give your field another name",
            )


def _links(document: Document) -> Iterator[Problem]:
    own = _text(document.data, "apiName")
    for index, item in enumerate(_fields(document.data)):
        if not isinstance(item, dict):
            continue
        data_type, related = item.get("dataType"), item.get("relatedTo")
        where = f"fields[{index}]"
        if data_type == "link" and related is None:
            yield _problem(
                document, ("fields", index, "dataType"), f"{where}.dataType",
                "a link field needs `relatedTo`: the object it links to and that object's field",
                "add `relatedTo: {name: lead, field: id}` (or the custom object and field it "
                "links to), or use another data type",
            )
        elif related is not None and data_type != "link" and isinstance(data_type, str):
            yield _problem(
                document, ("fields", index, "relatedTo"), f"{where}.relatedTo",
                f"only a link field has `relatedTo`, and this one's dataType is {data_type}",
                "set `dataType: link`, or remove relatedTo",
                key=True,
            )
        target = _text(related, "name")
        linked = _text(related, "field")
        offered = STANDARD_LINK_FIELDS.get(target.casefold()) if target else None
        if offered is not None and linked is not None and linked.casefold() not in offered:
            yield _problem(
                document, ("fields", index, "relatedTo", "field"), f"{where}.relatedTo.field",
                f"a {target} offers the link fields {', '.join(offered)}, not {linked!r}",
                f"link to one of: {', '.join(offered)}",
            )
        if own is not None and target == own:
            yield _problem(
                document, ("fields", index, "relatedTo", "name"), f"{where}.relatedTo.name",
                f"'{target}' is this type itself; a custom object type cannot link to itself",
                "link to lead, company, or another custom object type",
            )


def _bridge(document: Document) -> Iterator[Problem]:
    """Adobe: a bridge (a type that links to a custom object) has two link fields, one to the
    edge object and one to Lead or Company; Marketo approves it only with both."""
    links = [(i, _text(f.get("relatedTo"), "name")) for i, f in enumerate(_fields(document.data))
             if isinstance(f, dict) and isinstance(f.get("relatedTo"), dict)]
    targets = [(i, t) for i, t in links if t is not None]
    to_objects = [i for i, t in targets if t.casefold() not in STANDARD_LINK_TARGETS]
    if to_objects and len(to_objects) == len(targets):
        index = to_objects[0]
        yield _problem(
            document, ("fields", index, "relatedTo"), f"fields[{index}].relatedTo",
            "links to a custom object type, which makes this type a bridge; Marketo approves "
            "a bridge only with a second link field, to a lead or a company",
            "add a link field such as `{name: personId, displayName: Person, dataType: link, "
            "relatedTo: {name: lead, field: id}}`",
            key=True,
        )


def _dedupe_fields(document: Document) -> Iterator[Problem]:
    data = document.data
    if data is None or data.get("ensure") == "absent":
        return
    dedupe = [i for i, f in enumerate(_fields(data)) if isinstance(f, dict)
              and f.get("isDedupeField") is True]
    if len(dedupe) > MAX_DEDUPE_FIELDS:
        extra = dedupe[MAX_DEDUPE_FIELDS]
        yield _problem(
            document, ("fields", extra, "isDedupeField"), f"fields[{extra}].isDedupeField",
            f"{len(dedupe)} fields are dedupe fields; Marketo allows at most "
            f"{MAX_DEDUPE_FIELDS} (a compound key)",
            f"keep at most {MAX_DEDUPE_FIELDS} fields with `isDedupeField: true`",
        )
    elif len(dedupe) < MIN_DEDUPE_FIELDS and isinstance(data.get("fields"), list):
        yield _problem(
            document, ("fields",), "fields",
            "has no dedupe field; Marketo approves a custom object type only with 1 to "
            f"{MAX_DEDUPE_FIELDS} of them (the key its records are matched by)",
            "mark the field that identifies a record with `isDedupeField: true` "
            "(for example a VIN or an order number)",
            key=True,
        )


def _renamed_from(document: Document) -> Iterator[Problem]:
    fields = _fields(document.data)
    present = {_text(f, "name"): f"fields[{i}]" for i, f in enumerate(fields)}
    claimed: dict[str, int] = {}
    for index, item in enumerate(fields):
        old = _text(item, "renamedFrom")
        if old is None or not _NAME.fullmatch(old):
            continue
        loc = ("fields", index, "renamedFrom")
        where = f"fields[{index}].renamedFrom"
        if old == _text(item, "name"):
            yield _problem(document, loc, where, f"'{old}' is this field's own name",
                           "remove renamedFrom, or set it to the field's previous name")
        elif old in present:
            yield _problem(
                document, loc, where, f"'{old}' is still the name of {present[old]}",
                "renamedFrom names a field that no longer exists: remove renamedFrom, or "
                "remove the old field",
            )
        elif old in claimed:
            yield _problem(
                document, loc, where,
                f"'{old}' is already the renamedFrom of fields[{claimed[old]}]",
                "an old field can be renamed to one new field only",
            )
        else:
            claimed[old] = index


# --- rules across files ----------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A link field of a file: where it points, and where it is written."""

    field: str
    where: str  # fields[i].relatedTo
    target: str
    target_field: str | None
    line: int
    column: int


@dataclass(frozen=True)
class ObjectEntry:
    """What the rules across files need to know of one custom object file."""

    path: str
    api_name: str | None
    display_name: tuple[str, int, int] | None  # value, line, column
    fields: frozenset[str]
    dedupe: frozenset[str]
    links: tuple[Link, ...]
    present: bool


def object_entry(path: str, data: CommentedMap) -> ObjectEntry:
    """The entry of one parsed custom object file; values of the wrong type are left out."""
    display = _text(data, "displayName")
    display_at = None
    if display is not None and display.strip():
        line, column = data.lc.value("displayName")
        display_at = (display, line + 1, column + 1)
    links: list[Link] = []
    names: set[str] = set()
    dedupe: set[str] = set()
    for index, item in enumerate(_fields(data)):
        name = _text(item, "name")
        if name is not None:
            names.add(name)
            if item.get("isDedupeField") is True:
                dedupe.add(name)
        related = item.get("relatedTo") if isinstance(item, dict) else None
        target = _text(related, "name")
        if name is None or target is None:
            continue
        line, column = locate(data, ("fields", index, "relatedTo", "name"))
        where = f"fields[{index}].relatedTo"
        links.append(Link(name, where, target, _text(related, "field"), line, column))
    return ObjectEntry(
        path=path,
        api_name=_text(data, "apiName"),
        display_name=display_at,
        fields=frozenset(names),
        dedupe=frozenset(dedupe),
        links=tuple(links),
        present=data.get("ensure") != "absent",
    )


def object_catalog_rules(
    entries: Sequence[ObjectEntry], max_object_types: int
) -> Iterator[Problem]:
    """Every problem across custom object files, each reported at the later file involved."""
    yield from _unique_display_names(entries)
    yield from _link_targets(entries)
    yield from _object_limit(entries, max_object_types)


def _unique_display_names(entries: Sequence[ObjectEntry]) -> Iterator[Problem]:
    seen: dict[str, ObjectEntry] = {}
    for entry in entries:
        if entry.display_name is None or not entry.present:
            continue
        value, line, column = entry.display_name
        first = seen.setdefault(value.casefold(), entry)
        if first is not entry:
            assert first.display_name is not None
            yield Problem(
                entry.path, line, column, "displayName",
                f"{value!r} is already the displayName of {first.path} "
                f"(line {first.display_name[1]})",
                "give every custom object type its own displayName; Marketo requires it to be "
                "unique",
            )


def _link_targets(entries: Sequence[ObjectEntry]) -> Iterator[Problem]:
    """A link to a custom object type of the folder: it must exist, must not itself link
    (Adobe: "A custom object cannot link to another custom object that has an existing link
    field"), and the linked field must be one of its fields."""
    by_name = {e.api_name: e for e in entries if e.api_name is not None}
    for entry in entries:
        if not entry.present:
            continue
        for link in entry.links:
            if link.target.casefold() in STANDARD_LINK_TARGETS:
                continue
            target = by_name.get(link.target)
            if target is None or target is entry:  # a link to itself is a file rule
                continue  # perhaps a type on the instance: the plan checks it
            yield from _link_problems(entry, link, target)


def _link_problems(entry: ObjectEntry, link: Link, target: ObjectEntry) -> Iterator[Problem]:
    field = link.where
    if not target.present:
        yield Problem(entry.path, link.line, link.column, f"{field}.name",
                      f"links to {link.target}, which {target.path} deletes (ensure: absent)",
                      "remove the link field, or keep the linked type")
    elif target.links:
        yield Problem(
            entry.path, link.line, link.column, f"{field}.name",
            f"links to {link.target}, which has a link field itself ({target.links[0].field}); "
            "Marketo does not let a custom object type link to one that links",
            "link to lead or company, or to a type without link fields (the edge of a "
            "many-to-many relationship)",
        )
    elif link.target_field is not None and link.target_field not in (
        *target.dedupe, "marketoGUID"
    ):
        yield Problem(
            entry.path, link.line, link.column, f"{field}.field",
            f"{link.target} offers the link fields marketoGUID and its dedupe fields "
            f"({', '.join(sorted(target.dedupe)) or 'none'}), not {link.target_field!r}",
            f"link to {link.target}'s dedupe field or to marketoGUID",
        )


def _object_limit(entries: Sequence[ObjectEntry], max_object_types: int) -> Iterator[Problem]:
    present = [entry for entry in entries if entry.present]
    if len(present) <= max_object_types:
        return
    extra = present[max_object_types]
    yield Problem(
        extra.path, 1, 1, "kind",
        f"{len(present)} custom object types have `ensure: present`, more than "
        f"max_custom_objects = {max_object_types} (the limit is first exceeded by this file)",
        "remove a definition or mark it `ensure: absent`; if your subscription allows more "
        "custom object types, raise max_custom_objects under [tool.activities] in pyproject.toml",
    )
