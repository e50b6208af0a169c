"""Rules across files: unique apiNames, one namespace of Smart List names, the type limit.

Each file contributes a small `CatalogEntry` (the few values these rules need, with their
positions), so the parsed YAML of a file can be dropped as soon as the file itself is checked.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ruamel.yaml.comments import CommentedMap

from framework.errors import Problem
from framework.kinds import kind_of

UNIQUE_KEYS = ("apiName", "triggerName", "filterName")
SMART_LIST_KEYS = ("triggerName", "filterName")
SAME_KIND_FIX = (
    "give every type its own {key}; Marketo requires it to be unique across all custom "
    "activity types"
)
OTHER_KIND_FIX = (
    "give every type its own {key}; Marketo requires trigger and filter names to be unique "
    "across all custom activity types together: one type's trigger name cannot be another's "
    "filter name"
)


@dataclass(frozen=True)
class Located:
    """A text value of a file with the position of its key and of its value."""

    value: str
    key_line: int
    line: int
    column: int


@dataclass(frozen=True)
class CatalogEntry:
    """What the rules across files need to know of one file."""

    path: str
    values: dict[str, Located] = field(default_factory=dict)
    present: bool = True  # False for a tombstone (`ensure: absent`)
    kind: str = "activityType"


def catalog_entry(path: str, data: CommentedMap) -> CatalogEntry:
    """The entry of one parsed file; values of the wrong type are left out (reported elsewhere).

    Every kind has an apiName, unique across kinds (the file is named after it); trigger and
    filter names are an activity type's only."""
    kind = kind_of(data)
    values = {}
    for key in UNIQUE_KEYS if kind == "activityType" else ("apiName",):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            line, column = data.lc.value(key)
            values[key] = Located(value, data.lc.key(key)[0] + 1, line + 1, column + 1)
    return CatalogEntry(path, values, present=data.get("ensure") != "absent", kind=kind)


def catalog_rules(entries: Sequence[CatalogEntry], max_types: int) -> Iterator[Problem]:
    """Every problem across files, each reported at the later of the files involved."""
    yield from _unique_api_names(entries)
    yield from _unique_smart_list_names(entries)
    yield from _type_limit(entries, max_types)


def smart_list_key(name: str) -> str:
    """How trigger and filter names are compared: case and spacing ignored."""
    # Smart List names are read by people: "Attends Webinar" and "attends  webinar" clash.
    return " ".join(name.split()).casefold()


def _unique_api_names(entries: Sequence[CatalogEntry]) -> Iterator[Problem]:
    seen: dict[str, CatalogEntry] = {}
    for entry in entries:
        located = entry.values.get("apiName")
        if located is None:
            continue
        first = seen.setdefault(located.value, entry)
        if first is not entry:
            yield _taken(entry, "apiName", first, "apiName", "give every type its own apiName")


def _unique_smart_list_names(entries: Sequence[CatalogEntry]) -> Iterator[Problem]:
    """Trigger and filter names share one namespace across types (Marketo answers 709).

    A tombstone's names are not counted: once the plan has deleted the type they are free, so a
    new type may take them in the same change (the plan deletes first). A type's own trigger
    and filter names may be equal.
    """
    seen: dict[str, tuple[CatalogEntry, str]] = {}
    for entry in entries:
        if not entry.present:
            continue
        for key in SMART_LIST_KEYS:
            located = entry.values.get(key)
            if located is None:
                continue
            first, first_key = seen.setdefault(smart_list_key(located.value), (entry, key))
            if first is not entry:
                fix = SAME_KIND_FIX if key == first_key else OTHER_KIND_FIX
                yield _taken(entry, key, first, first_key, fix.format(key=key))


def _taken(entry: CatalogEntry, key: str, first: CatalogEntry, first_key: str,
           fix: str) -> Problem:
    located = entry.values[key]
    return Problem(
        entry.path, located.line, located.column, key,
        f"{located.value!r} is already the {first_key} of {first.path} "
        f"(line {first.values[first_key].key_line})",
        fix,
    )


def _type_limit(entries: Sequence[CatalogEntry], max_types: int) -> Iterator[Problem]:
    # A tombstone (`ensure: absent`) does not count: after apply the type no longer exists.
    # Custom object types have their own limit (framework.kinds.custom_object.rules).
    present = [entry for entry in entries if entry.present and entry.kind == "activityType"]
    if len(present) <= max_types:
        return
    extra = present[max_types]
    where = extra.values.get("apiName")
    line, column = (where.line, where.column) if where else (1, 1)
    yield Problem(
        extra.path, line, column, "apiName",
        f"{len(present)} types have `ensure: present`, more than max_types = {max_types} "
        "(the limit is first exceeded by this file)",
        "remove a definition or mark it `ensure: absent`; if your subscription allows more "
        "types, raise max_types under [tool.activities] in pyproject.toml",
    )
