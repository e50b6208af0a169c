"""The lock an apply leaves: the verified live state of every type the plan manages.

An entry is (re)written only for a type that a re-read after apply shows at the plan's target
(approved, no draft, equal to the plan's `after`), which is what apply's verify checks. A type
that failed or was never reached keeps the entry of the last apply that verified it, so after a
crash or a failed step the lock is still true of every type it names.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from framework import __version__
from framework.apply.model import ApplyResult
from framework.apply.reconcile import at_target
from framework.definitions.loader import display_path, load_definitions
from framework.definitions.model import activity_type_files
from framework.environment import LOCAL, Target, connect
from framework.errors import ActivitiesError
from framework.kinds.custom_object.apply import at_target as object_at_target
from framework.kinds.custom_object.live import ObjectVersion
from framework.kinds.custom_object.model import CustomObject
from framework.kinds.custom_object.read import read_objects
from framework.live import LiveState, TypeVersion
from framework.lock.model import Lock, LockedObject, LockedType
from framework.lock.store import load_lock, lock_name, lock_path, write_lock
from framework.plan.model import Plan
from framework.plan.pipeline import EMBEDDED_HOST, git_state
from framework.plan.read import read_live
from framework.settings import Settings


@dataclass(frozen=True)
class Stamp:
    """When and from which commit an entry is written."""

    at: str
    commit: str | None


@dataclass
class Recorded:
    """What updating the lock did, for the one line apply prints."""

    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # not verified: the previous entry stays
    removed: list[str] = field(default_factory=list)


def updated_lock(
    previous: Lock | None,
    plan: Plan,
    live: LiveState,
    *,
    versions: Mapping[str, tuple[int, TypeVersion | ObjectVersion]],
    stamp: Stamp,
    environment: str,
    host: str,
) -> tuple[Lock, Recorded]:
    """The lock after applying `plan`, given the live state re-read after it. Pure."""
    old = previous.types if previous else {}
    types: dict[str, LockedType] = {}
    recorded = Recorded()
    for change in plan.changes:
        name, now = change.apiName, live.types.get(change.apiName)
        if not at_target(change, now):
            if name in old:
                types[name] = old[name]
            recorded.kept.append(name)
            continue
        if now is None:  # deleted, as planned
            if name in old:
                recorded.removed.append(name)
            continue
        known = versions.get(name)
        entry = LockedType(
            id=now.id,
            version=known[0] if known and known[1] == change.after else None,
            fingerprint=now.fingerprint(),
            appliedAt=stamp.at,
            gitCommit=stamp.commit,
            state=now,
        )
        same = old.get(name)
        unchanged = same is not None and same.model_dump(exclude={"appliedAt", "gitCommit"}) == (
            entry.model_dump(exclude={"appliedAt", "gitCommit"})
        )
        types[name] = same if unchanged and same is not None else entry
        recorded.written.append(name)
    objects = _objects(previous, plan, live, versions=versions, stamp=stamp, recorded=recorded)
    lock = Lock(
        objects=objects,
        environment=environment,
        endpointHost=host,
        toolVersion=__version__,
        updatedAt=stamp.at,
        gitCommit=stamp.commit,
        types=dict(sorted(types.items())),
        unmanaged=tuple(sorted({*plan.unmanaged, *plan.objectUnmanaged})),
    )
    return lock, recorded


def _objects(
    previous: Lock | None,
    plan: Plan,
    live: LiveState,
    *,
    versions: Mapping[str, tuple[int, TypeVersion | ObjectVersion]],
    stamp: Stamp,
    recorded: Recorded,
) -> dict[str, LockedObject]:
    """The custom object entries: as for types, written only for a type verified at target."""
    old = previous.objects if previous else {}
    objects = dict(old)
    for change in plan.objectChanges:
        name, now = change.apiName, live.objects.get(change.apiName)
        if not object_at_target(change, now):
            recorded.kept.append(name)
            continue
        if now is None:
            if objects.pop(name, None) is not None:
                recorded.removed.append(name)
            continue
        known = versions.get(name)
        entry = LockedObject(
            version=known[0] if known and known[1] == change.after else None,
            fingerprint=now.fingerprint(), appliedAt=stamp.at, gitCommit=stamp.commit,
            state=now,
        )
        same = old.get(name)
        unchanged = same is not None and same.model_dump(exclude={"appliedAt", "gitCommit"}) == (
            entry.model_dump(exclude={"appliedAt", "gitCommit"}))
        objects[name] = same if unchanged and same is not None else entry
        recorded.written.append(name)
    return dict(sorted(objects.items()))


def record_apply(settings: Settings, target: Target, plan: Plan, result: ApplyResult) -> str:
    """Re-read the plan's types, write the environment's lock, and say what it recorded.

    Never raises for the user: the types are applied whatever happens to the lock, so a
    failure to record it is a line of output, not an error."""
    path = lock_path(settings, lock_name(target))
    shown = display_path(path)
    names = {change.apiName for change in plan.changes}
    objects = {change.apiName for change in plan.objectChanges}
    try:
        live = asyncio.run(_read(settings, target, names, objects))
        previous = load_lock(path).lock
        lock, recorded = updated_lock(
            previous,
            plan,
            live,
            versions=_versions(settings, plan),
            stamp=Stamp(_now(), _commit(settings.root)),
            environment=target.name,
            host=EMBEDDED_HOST if target.name == LOCAL else target.host,
        )
        write_lock(path, lock)
    except ActivitiesError as exc:
        first = str(exc).splitlines()[0]
        return (
            f"Lock file {shown} not updated: {first}. It still describes the last apply "
            f"that recorded it (outcome of this one: {result.outcome})."
        )
    line = f"Lock file: {shown} records {len(lock.types) + len(lock.objects)} type(s)"
    if recorded.kept:
        line += (
            f"; not at their target, so their previous entry is kept: {', '.join(recorded.kept)}"
        )
    return line + "."


async def _read(
    settings: Settings, target: Target, names: Collection[str], objects: Collection[str]
) -> LiveState:
    async with connect(target, settings, read_only=True) as (_, client):
        live = await read_live(client, names)
        if objects:
            live = live.model_copy(update={"objects": await read_objects(client, objects)})
        return live


def _versions(
    settings: Settings, plan: Plan
) -> dict[str, tuple[int, TypeVersion | ObjectVersion]]:
    """The definitions' versions, with what each file asks for (to record only matching ones)."""
    try:
        files = load_definitions(settings.root / plan.provenance.definitionsDir, settings)
    except ActivitiesError:
        return {}  # the files moved on since the plan: record no version rather than a wrong one
    found: dict[str, tuple[int, TypeVersion | ObjectVersion]] = {
        f.definition.apiName: (f.definition.version, TypeVersion.from_definition(f.definition))
        for f in activity_type_files(files)
    }
    for f in files:
        if isinstance(f.definition, CustomObject):
            found[f.api_name] = (f.definition.version, ObjectVersion.from_definition(f.definition))
    return found


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _commit(root: Path) -> str | None:
    commit = git_state(root)["gitCommit"]
    return commit if isinstance(commit, str) else None
