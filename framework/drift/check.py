"""Read the instance with a read-only client and say what drifted: drift's only I/O."""

from __future__ import annotations

from pathlib import Path

from framework.definitions.loader import display_path, load_definitions
from framework.definitions.model import activity_type_files
from framework.drift.detect import against_definitions, against_lock
from framework.drift.model import DriftReport
from framework.environment import LOCAL, Target, connect
from framework.invocation import Invocation
from framework.lock.store import load_lock, lock_name, lock_path
from framework.plan.pipeline import EMBEDDED_HOST
from framework.plan.read import read_live
from framework.settings import Settings

FALLBACK = (
    "drift compares the instance with the definitions instead, and cannot tell drift from "
    "changes not applied yet"
)


async def check_drift(
    settings: Settings, target: Target, directory: Path, invocation: Invocation
) -> DriftReport:
    """What changed on `target` since the last apply recorded in its lock file; hints repeat
    the options of `invocation`."""
    # Custom object types are not yet compared for drift: activity types only.
    definitions = activity_type_files(load_definitions(directory, settings))
    found = load_lock(lock_path(settings, lock_name(target)))
    host = EMBEDDED_HOST if target.name == LOCAL else target.host
    async with connect(target, settings, read_only=True) as (_, client):
        live = await read_live(client)
    lock, note = found.lock, found.note
    if lock is not None and lock.endpointHost != host:
        note = f"the lock file {display_path(found.path)} was written for {lock.endpointHost}, "
        note += f"not {host}"
        lock = None
    common = {"environment": target.name, "endpointHost": host, "calls": live.calls}
    if lock is None:
        detected = against_definitions(definitions, live, settings.drift_ignore, invocation)
        return DriftReport(
            baseline="definitions",
            note=f"{note.replace(str(found.path), display_path(found.path))}: {FALLBACK}",
            findings=tuple(detected.findings),
            ignored=tuple(detected.ignored),
            **common,
        )
    detected = against_lock(lock, definitions, live, settings.drift_ignore, invocation)
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
