"""Marketo's id of each custom activity type, for integration code that sends records.

Ids differ between instances (a sandbox and production give the same type different ids), so
they are looked up per environment: from its lock file when an apply recorded one (no
connection), or from the instance's type list. A lock file says what the last apply wrote; a
hand edit or a bad merge-conflict resolution can swap its ids without contradicting itself, so
`contradictions` confirms them against the type list (one call) when asked.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from framework.lock.model import Lock

Source = Literal["lock", "instance"]


@dataclass(frozen=True)
class TypeIds:
    """apiName -> id of one environment, and where the ids came from."""

    environment: str
    source: Source
    ids: Mapping[str, int | None]
    where: str  # the lock file's path, or the instance's host
    unmanaged: tuple[str, ...] = ()  # live types with no definition file (instance only)
    note: str = ""  # why the instance was read: the lock file's absence, say
    checked: bool = False  # a lock file's ids, confirmed against the instance's type list

    def to_json(self) -> dict[str, Any]:
        return {
            "environment": self.environment,
            "source": self.source,
            "from": self.where,
            "ids": dict(sorted(self.ids.items())),
            "unmanaged": list(self.unmanaged),
        }


def ids_from_lock(lock: Lock, where: str) -> TypeIds:
    """The ids the last apply recorded in an environment's lock file."""
    ids = {name: lock.type_id(name) for name in sorted(lock.types)}
    return TypeIds(lock.environment, "lock", ids, where)


def ids_from_list(
    environment: str, host: str, listed: Sequence[Mapping[str, Any]], managed: Collection[str]
) -> TypeIds:
    """The ids in a type-list answer; types without a definition file are marked unmanaged."""
    ids = {str(item["apiName"]): _id(item.get("id")) for item in listed if item.get("apiName")}
    unmanaged = tuple(sorted(name for name in ids if name not in managed))
    return TypeIds(environment, "instance", dict(sorted(ids.items())), host, unmanaged)


def _id(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def contradictions(recorded: TypeIds, listed: Sequence[Mapping[str, Any]]) -> list[str]:
    """Each of the lock file's ids that the instance's type list contradicts, naming both ids
    (and the type the lock's id belongs to there, when it is another's)."""
    live = {str(item["apiName"]): _id(item.get("id")) for item in listed
            if item.get("apiName") and item.get("status") != "deleted"}
    owners = {type_id: name for name, type_id in live.items() if type_id is not None}
    lines: list[str] = []
    for name, given in sorted(recorded.ids.items()):
        if name not in live:
            lines.append(f"{name}: {_shown(given)} in the lock file, not on the instance")
            continue
        now = live[name]
        if now == given:
            continue
        owner = owners.get(given) if given is not None else None
        whose = f" ({given} is {owner}'s id there)" if owner is not None else ""
        lines.append(f"{name}: {_shown(given)} in the lock file, {_shown(now)} on the "
                     f"instance{whose}")
    return lines


def _shown(type_id: int | None) -> str:
    return "no id" if type_id is None else str(type_id)
