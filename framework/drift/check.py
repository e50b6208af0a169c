"""Read the instance with a read-only client and say what drifted: drift's only I/O."""

from __future__ import annotations

import asyncio
from pathlib import Path

from framework.definitions.loader import display_path, load_definitions
from framework.definitions.model import activity_type_files
from framework.drift.detect import Detected, against_definitions, against_lock
from framework.drift.model import DriftReport, Finding
from framework.environment import Target, connect
from framework.invocation import Invocation
from framework.kinds.custom_object.drift import against_definitions as objects_against_definitions
from framework.kinds.custom_object.drift import against_lock as objects_against_lock
from framework.kinds.custom_object.live import LiveObject
from framework.kinds.custom_object.model import CustomObject
from framework.kinds.custom_object.read import read_objects
from framework.lock.binding import instance_of, read_bound_lock
from framework.lock.store import LockRead, load_lock, lock_name, lock_path
from framework.plan.read import read_live
from framework.settings import Settings


async def _none() -> dict[str, LiveObject]:
    return {}


def _add(detected: Detected, found: list[Finding], settings: Settings) -> None:
    """The custom object findings, split by the drift_ignore rules as the types' are."""
    for finding in found:
        if any(rule.matches(finding.type, finding.field) for rule in settings.drift_ignore):
            detected.ignored.append(finding)
        else:
            detected.findings.append(finding)
    detected.findings.sort(key=Finding.sort_key)
    detected.ignored.sort(key=Finding.sort_key)


FALLBACK = (
    "drift compares the instance with the definitions instead, and cannot tell drift from "
    "changes not applied yet"
)


async def check_drift(
    settings: Settings, target: Target, directory: Path, invocation: Invocation
) -> DriftReport:
    """What changed on `target` since the last apply recorded in its lock file; hints repeat
    the options of `invocation`."""
    files = load_definitions(directory, settings)
    definitions = activity_type_files(files)
    objects = [(f.path, f.definition) for f in files if isinstance(f.definition, CustomObject)]
    path = lock_path(settings, lock_name(target))
    written = load_lock(path)
    # Custom object types are read only when the repository or the lock has some: an instance
    # without custom objects answers their calls with an error.
    with_objects = bool(objects) or bool(written.lock and written.lock.objects)
    async with connect(target, settings, read_only=True) as (_, client):
        calls_before = client.stats.calls
        live, live_objects = await asyncio.gather(
            read_live(client), read_objects(client) if with_objects else _none())
        calls = client.stats.calls - calls_before
    # Checked once the instance is read: a local state's lineage exists from its first start,
    # and a lock whose ids are other types' is the lock's fault, not drift.
    here = instance_of(settings, target)
    host = here.host
    found: LockRead = read_bound_lock(
        settings, here, lock_name(target), live=live, invocation=invocation
    )
    lock, note = found.lock, found.note
    common = {"environment": target.name, "endpointHost": host, "calls": calls}
    if lock is None:
        detected = against_definitions(definitions, live, settings.drift_ignore, invocation)
        _add(detected, objects_against_definitions(objects, live_objects), settings)
        return DriftReport(
            baseline="definitions",
            note=f"{note.replace(str(found.path), display_path(found.path))}: {FALLBACK}",
            findings=tuple(detected.findings),
            ignored=tuple(detected.ignored),
            **common,
        )
    detected = against_lock(lock, definitions, live, settings.drift_ignore, invocation)
    defined = {name for _, definition in objects for name in (definition.apiName,)}
    _add(detected, objects_against_lock(lock.objects, defined, live_objects, lock.unmanaged),
         settings)
    return DriftReport(
        baseline="lock",
        lockPath=display_path(found.path),
        lockUpdatedAt=lock.updatedAt,
        lockCommit=lock.gitCommit,
        findings=tuple(detected.findings),
        ignored=tuple(detected.ignored),
        notApplied=tuple(detected.notApplied),
        **common,
    )
