"""`activities drift` for custom object types: what changed on the instance. Pure: no I/O.

Against the lock (the state the last apply verified) or, without one, against the
definitions, as for activity types; the differences are the kind's one differ's
(object_differences), worded as drift words them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from framework.drift.model import Finding, Kind
from framework.kinds.custom_object.differ import object_differences
from framework.kinds.custom_object.live import LiveObject, ObjectVersion
from framework.kinds.custom_object.model import CustomObject
from framework.lock.model import LockedObject
from framework.policy.model import Difference

WHOLE_TYPE = "(type)"


def _finding(kind: Kind, name: str, field: str, before: str | None, after: str | None,
             message: str) -> Finding:
    return Finding(kind=kind, type=name, field=field, before=before, after=after,
                   message=message)


def _path(d: Difference) -> str:
    if d.member is None:
        return d.field or WHOLE_TYPE
    return f"fields.{d.member}" + (f".{d.field}" if d.field and d.field != "field" else "")


def _words(d: Difference) -> str:
    where = f"field {d.member}" if d.member else "custom object type"
    if d.before is None:
        return f"{where} ({d.after}) was added"
    if d.after is None:
        return f"{where} ({d.before}) was removed"
    what = f"{d.field} of {where}" if d.member and d.field != "field" else (
        where if d.member else str(d.field))
    return f"{what} was changed from {d.before!r} to {d.after!r}"


def _changes(name: str, kind: Kind, then: ObjectVersion, now: ObjectVersion,
             suffix: str) -> list[Finding]:
    return [_finding(kind, name, _path(d), d.before, d.after, f"{name}: {_words(d)}{suffix}")
            for d in object_differences(then, now, {})]


def _draft(name: str, now: LiveObject) -> list[Finding]:
    if now.draft is None or now.approved is None:
        return []
    what = "; ".join(_words(d) for d in object_differences(now.approved, now.draft, {}))
    what = what or "no field differs from the approved version"
    return [_finding("draft", name, "draft", None, what,
                     f"{name}: a draft was left pending on the instance ({what}); it is not "
                     "live until someone approves it")]


def against_lock(
    locked: Mapping[str, LockedObject], defined: set[str], live: Mapping[str, LiveObject],
    unmanaged: Sequence[str],
) -> list[Finding]:
    """Custom object types that moved since the last apply recorded them."""
    found: list[Finding] = []
    for name, entry in locked.items():
        now = live.get(name)
        if now is None:
            found.append(_finding("deleted", name, WHOLE_TYPE, entry.state.status, None,
                                  f"{name}: the custom object type was deleted on the instance"))
            continue
        if now.fingerprint() == entry.fingerprint:
            continue
        if entry.state.approved is not None and now.approved is not None:
            found += _changes(name, "edited", entry.state.approved, now.approved,
                              " on the instance")
        if now.draft != entry.state.draft:
            found += _draft(name, now)
    found += [
        _finding("appeared", name, WHOLE_TYPE, None, now.status,
                 f"{name}: an unmanaged custom object type appeared on the instance "
                 f"({now.status}); `activities import {name}` adopts it")
        for name, now in live.items()
        if name not in locked and name not in defined and name not in unmanaged
    ]
    return found


def against_definitions(
    files: Sequence[tuple[str, CustomObject]], live: Mapping[str, LiveObject]
) -> list[Finding]:
    """Without a lock: every difference between the instance and the definitions."""
    found: list[Finding] = []
    for path, definition in files:
        name = definition.apiName
        now = live.get(name)
        if definition.ensure == "absent":
            if now is not None:
                found.append(_finding("differs", name, WHOLE_TYPE, None, now.status,
                                      f"{name}: is on the instance ({now.status}); {path} asks "
                                      "for its deletion"))
            continue
        if now is None:
            found.append(_finding("missing", name, WHOLE_TYPE, None, None,
                                  f"{name}: is not on the instance: not created yet, or "
                                  "deleted there"))
            continue
        if now.approved is not None:
            found += _changes(name, "differs", ObjectVersion.from_definition(definition),
                              now.approved, f" (the instance against {path})")
        found += _draft(name, now)
    defined = {definition.apiName for _, definition in files}
    found += [
        _finding("unmanaged", name, WHOLE_TYPE, None, now.status,
                 f"{name}: is on the instance ({now.status}) with no definition (unmanaged); "
                 f"`activities import {name}` adopts it")
        for name, now in live.items() if name not in defined
    ]
    return found
