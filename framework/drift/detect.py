"""Drift findings: the live state against the lock file, or against the definitions. Pure.

With a lock file, only what changed on the instance since the apply that wrote it is drift; a
definition that differs from the lock is a change not applied yet, which is plan's business.
Without one, the instance is compared with the definitions, and the two cannot be told apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from framework.definitions.model import ActivityTypeFile
from framework.drift.changes import FieldChange, version_changes
from framework.drift.model import Finding, Kind
from framework.invocation import Invocation
from framework.live import LiveState, LiveType, TypeVersion
from framework.lock.model import Lock
from framework.settings import DriftIgnore

WHOLE_TYPE = "(type)"


@dataclass
class Detected:
    findings: list[Finding] = field(default_factory=list)
    ignored: list[Finding] = field(default_factory=list)
    notApplied: list[str] = field(default_factory=list)


def against_lock(
    lock: Lock,
    definitions: Sequence[ActivityTypeFile],
    live: LiveState,
    ignore: Sequence[DriftIgnore] = (),
    invocation: Invocation = Invocation(),  # noqa: B008 - frozen, so one shared default is safe
) -> Detected:
    """What changed on the instance since the apply that wrote `lock`; a hint that names a
    command repeats the options of `invocation`."""
    found: list[Finding] = []
    for name, entry in lock.types.items():
        now = live.types.get(name)
        if now is None:
            found.append(_finding("deleted", name, WHOLE_TYPE, str(entry.id), None,
                                  f"{name}: was deleted on the instance (it had id {entry.id})"))
        elif entry.id is not None and now.id is not None and now.id != entry.id:
            found.append(_finding(
                "recreated", name, "id", str(entry.id), str(now.id),
                f"{name}: was deleted and created again on the instance: its id was "
                f"{entry.id}, now {now.id}",
            ))
        elif now.fingerprint() != entry.fingerprint:
            found += _moved(name, entry.state, now)
    defined = {d.definition.apiName for d in definitions}
    for name, now in live.types.items():
        if name not in lock.types and name not in lock.unmanaged and name not in defined:
            found.append(_finding(
                "appeared", name, WHOLE_TYPE, None, now.status,
                f"{name}: an unmanaged type appeared on the instance (id {now.id}, "
                f"{now.status}); `{invocation.command('import', name)}` adopts it",
            ))
    detected = _split(found, ignore)
    detected.notApplied = [
        d.definition.apiName for d in definitions if not _recorded(d, lock)
    ]
    return detected


def against_definitions(
    definitions: Sequence[ActivityTypeFile],
    live: LiveState,
    ignore: Sequence[DriftIgnore] = (),
    invocation: Invocation = Invocation(),  # noqa: B008 - frozen, so one shared default is safe
) -> Detected:
    """Without a lock: every difference between the instance and the definitions."""
    found: list[Finding] = []
    for file in definitions:
        definition, name = file.definition, file.definition.apiName
        now = live.types.get(name)
        if definition.ensure == "absent":
            if now is not None:
                found.append(_finding(
                    "differs", name, WHOLE_TYPE, None, now.status,
                    f"{name}: is on the instance ({now.status}); {file.path} asks for its "
                    "deletion",
                ))
            continue
        if now is None:
            found.append(_finding(
                "missing", name, WHOLE_TYPE, None, None,
                f"{name}: is not on the instance: not created yet, or deleted there",
            ))
            continue
        desired = TypeVersion.from_definition(definition)
        if now.approved is not None:
            found += [
                _finding("differs", name, c.field, c.before, c.after,
                         f"{name}: {_present(c, file.path)}")
                for c in version_changes(desired, now.approved)
            ]
        found += _draft(name, now, desired, "the definition")
    defined = {d.definition.apiName for d in definitions}
    found += [
        _finding("unmanaged", name, WHOLE_TYPE, None, now.status,
                 f"{name}: is on the instance (id {now.id}, {now.status}) with no definition "
                 f"(unmanaged); `{invocation.command('import', name)}` adopts it")
        for name, now in live.types.items()
        if name not in defined
    ]
    return _split(found, ignore)


def _moved(name: str, then: LiveType, now: LiveType) -> list[Finding]:
    found: list[Finding] = []
    if then.approved is not None and now.approved is not None:
        found += [
            _finding("edited", name, c.field, c.before, c.after, f"{name}: {_past(c)}")
            for c in version_changes(then.approved, now.approved)
        ]
    elif then.status != now.status:
        found.append(_finding(
            "edited", name, "status", then.status, now.status,
            f'{name}: status was changed on the instance from "{then.status}" to "{now.status}"',
        ))
    if now.draft != then.draft:
        found += _draft(name, now, now.approved or then.approved, "the approved version")
    return found


def _draft(
    name: str, now: LiveType, reference: TypeVersion | None, against: str
) -> list[Finding]:
    """A pending draft, in words: how it differs from AGAINST (REFERENCE), if there is one."""
    if now.draft is None:
        return []
    if reference is None:
        what = "the type was never approved"
    else:
        changes = [c.words() for c in version_changes(reference, now.draft)]
        what = "; ".join(changes) or f"no field differs from {against}"
    return [_finding(
        "draft", name, "draft", None, what,
        f"{name}: a draft was left pending on the instance ({what}); it is not live until "
        "someone approves it",
    )]


def _recorded(file: ActivityTypeFile, lock: Lock) -> bool:
    """True when the lock records the definition as it is now (nothing left to apply)."""
    entry = lock.types.get(file.definition.apiName)
    if file.definition.ensure == "absent":
        return entry is None
    return entry is not None and entry.state.approved == TypeVersion.from_definition(
        file.definition
    )


def _past(change: FieldChange) -> str:
    words = change.words()
    if words.endswith((" added", " removed")):
        return words.replace(" added", " was added on the instance").replace(
            " removed", " was removed on the instance"
        )
    label, _, values = words.partition(f" {_q(change.before)} → ")
    return f"{label} was changed on the instance from {_q(change.before)} to {values}"


def _present(change: FieldChange, path: str) -> str:
    """`before` is the definition's value, `after` the instance's."""
    words = change.words()
    if words.endswith(" added"):
        return f"{words.removesuffix(' added')} is on the instance, not in {path}"
    if words.endswith(" removed"):
        return f"{words.removesuffix(' removed')} is in {path}, not on the instance"
    label = words.partition(f" {_q(change.before)} → ")[0]
    return f"{label} is {_q(change.after)} on the instance, {_q(change.before)} in {path}"


def _q(value: str | None) -> str:
    return "(none)" if value is None else f'"{value}"'


def _finding(
    kind: Kind, name: str, path: str, before: str | None, after: str | None, message: str
) -> Finding:
    return Finding(kind=kind, type=name, field=path, before=before, after=after, message=message)


def _split(found: list[Finding], ignore: Sequence[DriftIgnore]) -> Detected:
    detected = Detected()
    for finding in sorted(found, key=Finding.sort_key):
        if any(rule.matches(finding.type, finding.field) for rule in ignore):
            detected.ignored.append(finding)
        else:
            detected.findings.append(finding)
    return detected
