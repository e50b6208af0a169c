"""Rules across files: unique apiName, triggerName and filterName, and the type limit.

Each file contributes a small `CatalogEntry` (the few values these rules need, with their
positions), so the parsed YAML of a file can be dropped as soon as the file itself is checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from ruamel.yaml.comments import CommentedMap

from framework.errors import Problem

UNIQUE_KEYS = ("apiName", "triggerName", "filterName")


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


def catalog_entry(path: str, data: CommentedMap) -> CatalogEntry:
    """The entry of one parsed file; values of the wrong type are left out (reported elsewhere)."""
    values = {}
    for key in UNIQUE_KEYS:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            line, column = data.lc.value(key)
            values[key] = Located(value, data.lc.key(key)[0] + 1, line + 1, column + 1)
    return CatalogEntry(path, values, present=data.get("ensure") != "absent")


def catalog_rules(entries: Sequence[CatalogEntry], max_types: int) -> Iterator[Problem]:
    """Every problem across files, each reported at the later of the files involved."""
    yield from _unique(entries, "apiName", str)
    yield from _unique(entries, "triggerName", smart_list_key)
    yield from _unique(entries, "filterName", smart_list_key)
    yield from _type_limit(entries, max_types)


def smart_list_key(name: str) -> str:
    """How trigger and filter names are compared: case and spacing ignored."""
    # Smart List names are read by people: "Attends Webinar" and "attends  webinar" clash.
    return " ".join(name.split()).casefold()


def _unique(entries: Sequence[CatalogEntry], key: str,
            normalize: Callable[[str], str]) -> Iterator[Problem]:
    seen: dict[str, CatalogEntry] = {}
    for entry in entries:
        if key not in entry.values:
            continue
        located = entry.values[key]
        first = seen.setdefault(normalize(located.value), entry)
        if first is entry:
            continue
        fix = f"give every type its own {key}"
        if key != "apiName":
            fix += "; Marketo requires it to be unique across all custom activity types"
        yield Problem(
            entry.path, located.line, located.column, key,
            f"{located.value!r} is already the {key} of {first.path} "
            f"(line {first.values[key].key_line})",
            fix,
        )


def _type_limit(entries: Sequence[CatalogEntry], max_types: int) -> Iterator[Problem]:
    # A tombstone (`ensure: absent`) does not count: after apply the type no longer exists.
    present = [entry for entry in entries if entry.present]
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
