"""The lock an apply leaves: a merge of what it verified into what the lock already held.

apply hands over the types it read after its steps (`ApplyResult.verified`); the lock is
written from that state, never read again. An entry is (re)written only for a type the plan
changed and that state shows at the plan's target (approved, no draft, equal to the plan's
`after`), which is what apply's verify checks; a type deleted as planned loses its entry.
Every other entry (types the plan left alone, types that failed or were never reached) stays
byte for byte, so after a targeted plan, a crash or a failed step the lock is still true of
every type it names. When no entry changes, the file is not written at all: its bytes, its
top-level times and its commit stay as they were.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from framework import __version__
from framework.apply.model import ApplyResult
from framework.apply.reconcile import at_target
from framework.definitions.loader import display_path
from framework.definitions.model import activity_type_files
from framework.environment import Target
from framework.errors import ActivitiesError
from framework.invocation import Invocation
from framework.kinds.custom_object.apply import at_target as object_at_target
from framework.kinds.custom_object.live import ObjectVersion
from framework.kinds.custom_object.model import CustomObject
from framework.live import LiveState, TypeVersion
from framework.lock.binding import Instance, check_read, instance_of
from framework.lock.model import Lock, LockedObject, LockedType
from framework.lock.store import load_lock, lock_name, lock_path, write_lock
from framework.plan.model import Plan
from framework.plan.pipeline import git_state
from framework.settings import Settings


@dataclass(frozen=True)
class Stamp:
    """When and from which commit an entry is written."""

    at: str
    commit: str | None


@dataclass
class Recorded:
    """What updating the lock did, for the one line apply prints."""

    written: list[str] = field(default_factory=list)  # new or changed entries
    unchanged: list[str] = field(default_factory=list)  # at the target, entry already says so
    kept: list[str] = field(default_factory=list)  # not at the target: the previous entry stays
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


def updated_lock(
    previous: Lock | None,
    plan: Plan,
    verified: LiveState,
    *,
    versions: Mapping[str, tuple[int, TypeVersion | ObjectVersion]],
    stamp: Stamp,
    instance: Instance,
) -> tuple[Lock, Recorded]:
    """The lock after applying `plan`, given the types apply verified after it. Pure.

    `previous` must be a lock of the same instance (the caller checks its binding). When
    nothing changes, `previous` itself is returned."""
    old = previous.types if previous else {}
    types = dict(old)
    recorded = Recorded()
    for change in plan.changes:
        if change.action == "no-op":
            continue  # not touched by this apply: whatever the lock says of it stays
        name, now = change.apiName, verified.types.get(change.apiName)
        if not at_target(change, now):
            recorded.kept.append(name)
            continue
        if now is None:  # deleted, as planned
            if types.pop(name, None) is not None:
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
        if same is not None and same_entry(same, entry):
            recorded.unchanged.append(name)
            continue
        types[name] = entry
        recorded.written.append(name)
    objects = _objects(previous, plan, verified, versions=versions, stamp=stamp, recorded=recorded)
    if previous is not None and not recorded.changed:
        return previous, recorded
    lock = Lock(
        objects=objects,
        environment=instance.environment,
        endpointHost=instance.host,
        instanceLineage=instance.lineage,
        toolVersion=__version__,
        updatedAt=stamp.at,
        gitCommit=stamp.commit,
        types=dict(sorted(types.items())),
        unmanaged=tuple(
            sorted({*plan.unmanaged, *plan.objectUnmanaged} - types.keys() - objects.keys())
        ),
    )
    return lock, recorded


def _objects(
    previous: Lock | None,
    plan: Plan,
    verified: LiveState,
    *,
    versions: Mapping[str, tuple[int, TypeVersion | ObjectVersion]],
    stamp: Stamp,
    recorded: Recorded,
) -> dict[str, LockedObject]:
    """The custom object entries, merged as the types' are: written only for a type the plan
    changed and apply verified at its target; every other entry kept as it is."""
    old = previous.objects if previous else {}
    objects = dict(old)
    for change in plan.objectChanges:
        if change.action == "no-op":
            continue
        name, now = change.apiName, verified.objects.get(change.apiName)
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
        if same is not None and same_entry(same, entry):
            recorded.unchanged.append(name)
            continue
        objects[name] = entry
        recorded.written.append(name)
    return dict(sorted(objects.items()))


def same_entry(a: LockedType | LockedObject, b: LockedType | LockedObject) -> bool:
    """Whether two entries say the same of a type (when and by which commit aside)."""
    exclude = {"appliedAt", "gitCommit"}
    return a.model_dump(exclude=exclude) == b.model_dump(exclude=exclude)


def record_apply(
    settings: Settings, target: Target, plan: Plan, result: ApplyResult, invocation: Invocation
) -> str:
    """Merge what apply verified into the environment's lock, and say what it recorded (a fix
    repeats the options of `invocation`, how apply was typed).

    Never raises for the user: the types are applied whatever happens to the lock, so a
    failure to record it is a line of output, not an error."""
    path = lock_path(settings, lock_name(target))
    shown = display_path(path)
    here = instance_of(settings, target)
    read = load_lock(path)
    held = f"it records {_count(read.lock)} type(s)" if read.lock else "there is none yet"
    if result.verified is None:
        why = (
            "this apply had nothing to do"
            if result.outcome == "nothing-to-do"
            else "the types could not be re-read after this apply"
        )
        return f"Lock file: {shown} unchanged ({why}); {held}."
    checked = check_read(read, here, result.verified, invocation=invocation)
    previous = checked.lock
    try:
        lock, recorded = updated_lock(
            previous,
            plan,
            result.verified,
            versions=_versions(plan),
            stamp=Stamp(_now(), _commit(settings.root)),
            instance=here,
        )
        if recorded.changed or previous is None:
            write_lock(path, lock)
    except ActivitiesError as exc:
        first = str(exc).splitlines()[0]
        return (
            f"Lock file {shown} not updated: {first}. It still describes the last apply "
            f"that recorded it (outcome of this one: {result.outcome})."
        )
    if recorded.changed or previous is None:
        line = f"Lock file: {shown} records {_count(lock)} type(s)"
    else:
        line = f"Lock file: {shown} unchanged; it records {_count(lock)} type(s)"
    if recorded.kept:
        line += (
            f"; not at their target, so their previous entry is kept: {', '.join(recorded.kept)}"
        )
    if read.lock is not None and previous is None:
        # The old lock described another instance (or contradicted itself): nothing of it is
        # true here, so the new one holds only what this apply verified.
        line += (
            f". It replaces the previous one: {checked.note}; until then it records only the "
            "types this apply changed"
        )
    return line + "."


def _count(lock: Lock) -> int:
    return len(lock.types) + len(lock.objects)


def _versions(plan: Plan) -> dict[str, tuple[int, TypeVersion | ObjectVersion]]:
    """The versions of the definitions the plan was made from, with what each asks for."""
    found: dict[str, tuple[int, TypeVersion | ObjectVersion]] = {
        f.definition.apiName: (f.definition.version, TypeVersion.from_definition(f.definition))
        for f in activity_type_files(plan.inputs.desired)
    }
    for f in plan.inputs.desired:
        if isinstance(f.definition, CustomObject):
            found[f.api_name] = (f.definition.version, ObjectVersion.from_definition(f.definition))
    return found


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _commit(root: Path) -> str | None:
    commit = git_state(root)["gitCommit"]
    return commit if isinstance(commit, str) else None
