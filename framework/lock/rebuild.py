"""A lock rebuilt from the instance and the definitions (`activities lock repair`), and a lock
replayed onto a newer one (the CI step that commits it). Pure: no I/O.

Repair records what an apply of the definitions would have verified: a defined type that is on
the instance, approved, with no draft, and equal to its definition. A type that differs is left
out, with the reason, rather than recorded as if it were applied: the lock is drift's baseline,
and recording a UI edit there would hide it. An entry that says what the old lock already said
keeps its time and commit, so a repair of a sound lock changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from framework import __version__
from framework.definitions.model import ActivityTypeFile
from framework.live import LiveState, TypeVersion
from framework.lock.binding import Instance, binding_mismatch, lock_instance
from framework.lock.model import Lock, LockedType
from framework.lock.record import Stamp, same_entry


@dataclass
class Rebuilt:
    """A lock rebuilt, and how it differs from the one it replaces."""

    lock: Lock
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # a different entry than the old lock's
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    left_out: dict[str, str] = field(default_factory=dict)  # defined, not recorded: why

    @property
    def differs(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def rebuilt_lock(
    previous: Lock | None,
    definitions: Sequence[ActivityTypeFile],
    live: LiveState,
    *,
    instance: Instance,
    stamp: Stamp,
) -> Rebuilt:
    """The lock of `instance` from its live types and the definitions. `previous`, when it is a
    lock of the same instance, lends its entries' times to the ones that did not change."""
    old = previous.types if previous and binding_mismatch(previous, instance) is None else {}
    types: dict[str, LockedType] = {}
    left_out: dict[str, str] = {}
    for file in definitions:
        definition = file.definition
        name = definition.apiName
        if definition.ensure == "absent":
            continue
        now = live.types.get(name)
        if now is None:
            left_out[name] = "not on the instance"
            continue
        if now.status != "approved" or now.draft is not None:
            left_out[name] = f"{now.status} on the instance, not approved without a draft"
            continue
        if now.approved != TypeVersion.from_definition(definition):
            left_out[name] = f"differs from {file.path} on the instance"
            continue
        entry = LockedType(
            id=now.id,
            version=definition.version,
            fingerprint=now.fingerprint(),
            appliedAt=stamp.at,
            gitCommit=stamp.commit,
            state=now,
        )
        kept = old.get(name)
        types[name] = kept if kept is not None and same_entry(kept, entry) else entry
    defined = {f.definition.apiName for f in definitions}
    result = Rebuilt(Lock(
        environment=instance.environment,
        endpointHost=instance.host,
        instanceLineage=instance.lineage,
        toolVersion=__version__,
        updatedAt=stamp.at,
        gitCommit=stamp.commit,
        types=dict(sorted(types.items())),
        unmanaged=tuple(sorted(n for n in live.types if n not in defined)),
    ), left_out=dict(sorted(left_out.items())))
    for name in sorted(types.keys() | old.keys()):
        if name not in types:
            result.removed.append(name)
        elif name not in old:
            result.added.append(name)
        elif types[name] is old[name]:
            result.unchanged.append(name)
        else:
            result.changed.append(name)
    if previous is not None and old and not result.differs and (
        previous.unmanaged == result.lock.unmanaged
    ):
        result.lock = previous  # nothing to repair: the file stays as it is, byte for byte
    return result


def onto(newest: Lock | None, checked_out: Lock | None, written: Lock) -> Lock | None:
    """`written` (the lock an apply wrote over `checked_out`, the lock of the commit it ran on)
    replayed onto `newest` (the lock on the branch now, which other jobs may have moved on):
    the entries the apply wrote or removed, over every other entry of `newest`, kept as they
    are. None when `newest` already says all of it (nothing to commit)."""
    before = checked_out.types if checked_out is not None else {}
    if newest is None or binding_mismatch(newest, lock_instance(written)) is not None:
        return written  # nothing on the branch is true of this instance: ours is all there is
    types = dict(newest.types)
    for name, entry in written.types.items():
        if before.get(name) != entry:
            types[name] = entry
    for name in before.keys() - written.types.keys():
        types.pop(name, None)
    if types == newest.types:
        return None
    return written.model_copy(
        update={"types": dict(sorted(types.items())), "unmanaged": written.unmanaged}
    )

