"""Apply's part for custom object types: send a step, know when its effect is live, check a
type against the plan before the run and against its target after it.

framework.apply.executor runs the waves of both kinds with the same journal, events and
outcome; it asks this module what differs. Every schema call answers `result: []`, so what a
call did is only ever known by reading the type back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, assert_never

from framework.apply.journal import JournalState
from framework.apply.model import Listener, StepEvent, StepStatus
from framework.apply.runner import StepFailed
from framework.client.marketo import MarketoClient
from framework.errors import MarketoError
from framework.kinds.custom_object.change import ObjectChange
from framework.kinds.custom_object.live import LiveObject, ObjectVersion
from framework.kinds.custom_object.ops import (
    AddObjectFieldsOp,
    ApproveObjectTypeOp,
    DeleteObjectFieldsOp,
    DeleteObjectTypeOp,
    DiscardObjectDraftOp,
    ObjectStep,
    SyncObjectTypeOp,
    UpdateObjectFieldOp,
)
from framework.kinds.custom_object.read import read_objects

Standing = Literal["pending", "done", "resuming", "stale"]
# The client methods that change custom object types.
MUTATING_OBJECT_OPS: frozenset[str] = frozenset({
    "sync_object_type", "approve_object_type", "discard_object_draft", "delete_object_type",
    "add_object_fields", "update_object_field", "delete_object_fields",
})


async def send(client: MarketoClient, step: ObjectStep) -> None:
    """Make the Marketo call the step is, with its body."""
    name = step.apiName
    match step:
        case SyncObjectTypeOp():
            await client.sync_object_type(step.body())
        case AddObjectFieldsOp():
            await client.add_object_fields(name, step.body()["input"])
        case UpdateObjectFieldOp():
            await client.update_object_field(name, step.field, step.body())
        case DeleteObjectFieldsOp():
            await client.delete_object_fields(name, list(step.fields))
        case ApproveObjectTypeOp():
            await client.approve_object_type(name)
        case DiscardObjectDraftOp():
            await client.discard_object_draft(name)
        case DeleteObjectTypeOp():
            await client.delete_object_type(name)
        case _:
            assert_never(step)


def is_live(step: ObjectStep, live: LiveObject | None, target: ObjectVersion | None) -> bool:
    """Whether the whole effect of `step` is on the live type (`target`: the change's after)."""
    working = live.working if live is not None else None
    match step:
        case DeleteObjectTypeOp():
            return live is None
        case DiscardObjectDraftOp():
            return live is not None and live.draft is None
        case ApproveObjectTypeOp():
            return (live is not None and live.status == "approved"
                    and target is not None and live.approved == target)
        case SyncObjectTypeOp():
            return working is not None and (step.displayName is None
                                            or working.displayName == step.displayName) and (
                step.action == "createOnly" or working.description == (step.description or None))
        case AddObjectFieldsOp():
            return working is not None and all(
                working.field(f.name) is not None for f in step.fields)
        case UpdateObjectFieldOp():
            field = working.field(step.field) if working is not None else None
            return field is not None and field.displayName == step.displayName
        case DeleteObjectFieldsOp():
            return working is not None and all(working.field(n) is None for n in step.fields)
        case _:
            assert_never(step)


def at_target(change: ObjectChange, live: LiveObject | None) -> bool:
    """The live type is what the change ends with: approved == after, no draft; or absent."""
    if change.after is None:
        return live is None
    return (live is not None and live.status == "approved" and live.draft is None
            and live.approved == change.after)


@dataclass(frozen=True)
class ObjectCheck:
    """Where one custom object change stands before the run (as framework.apply.preflight's
    TypeCheck for activity types)."""

    change: ObjectChange
    standing: Standing
    todo: tuple[tuple[int, ObjectStep], ...]
    already_live: tuple[int, ...] = ()


def check_object(change: ObjectChange, live: Mapping[str, LiveObject], fingerprint: str | None,
                 journal: JournalState) -> ObjectCheck:
    now = live.get(change.apiName)
    everything = tuple(enumerate(change.steps))
    if at_target(change, now):
        return ObjectCheck(change, "done", (), tuple(i for i, _ in everything))
    current = now.fingerprint() if now is not None else "absent"
    if fingerprint is not None and current == fingerprint:
        return ObjectCheck(change, "pending", everything)
    finished = journal.finished_steps(change.apiName)
    if not journal.touched(change.apiName) or len(finished) >= len(change.steps):
        return ObjectCheck(change, "stale", everything)
    todo = [(i, s) for i, s in everything if i not in finished]
    skipped = []
    while todo and is_live(todo[0][1], now, change.after):
        skipped.append(todo.pop(0)[0])
    return ObjectCheck(change, "resuming", tuple(todo), tuple(skipped))


def describe_move(change: ObjectChange, now: LiveObject | None) -> str:
    """How a custom object type differs now from when the plan was made, in words."""
    was = change.liveStatus
    if now is None:
        return f"{was} when planned; now absent (deleted)" if was else "absent, as planned"
    if was is None:
        return f"absent when planned; now exists ({now.status})"
    parts = [] if was == now.status else [f"{was} when planned; now {now.status}"]
    if change.before is not None and now.reference is not None:
        parts += version_differences(change.before, now.reference)
    return "; ".join(parts) or f"{now.status}; its draft changed since the plan was made"


def version_differences(before: ObjectVersion, now: ObjectVersion, *,
                        target: bool = False) -> list[str]:
    """Type and field differences between two versions, in words."""
    was = "should be" if target else "was"
    out = [f"{key} is now {getattr(now, key)!r} ({was} {getattr(before, key)!r})"
           for key in ("displayName", "description") if getattr(before, key) != getattr(now, key)]
    old = {f.name: f for f in before.fields}
    new = {f.name: f for f in now.fields}
    for label, names in (
        ("unexpected fields" if target else "fields added", sorted(new.keys() - old.keys())),
        ("fields missing" if target else "fields removed", sorted(old.keys() - new.keys())),
        ("fields changed", sorted(n for n in old.keys() & new.keys() if old[n] != new[n])),
    ):
        if names:
            out.append(f"{label}: {', '.join(names)}")
    return out


def mismatches(changes: list[ObjectChange], live: Mapping[str, LiveObject]) -> list[str]:
    """One line per custom object type that is not at its target after apply."""
    lines = []
    for change in changes:
        now = live.get(change.apiName)
        if at_target(change, now):
            continue
        name = change.apiName
        if change.after is None:
            lines.append(f"{name}: should be deleted, but is still there")
        elif now is None or now.approved is None:
            lines.append(f"{name}: should be approved, but is "
                         f"{'absent' if now is None else 'a draft never approved'}")
        else:
            words = version_differences(change.after, now.approved, target=True)
            if now.draft is not None:
                words.append("a draft is left over")
            lines.append(f"{name}: {'; '.join(words) or now.status}")
    return lines


@dataclass
class ObjectStepRunner:
    """Runs custom object steps on one client, reporting each start and outcome to `emit`."""

    client: MarketoClient
    emit: Listener

    async def run(self, change: ObjectChange, index: int, step: ObjectStep, phase: int,
                  wave: int) -> StepStatus:
        """Send `step`; after an error that a finished call would also cause, or a lost
        answer, read the type back and accept the step when its effect is live."""

        def report(status: StepStatus, detail: str = "") -> None:
            self.emit(StepEvent(step.apiName, index, step.op, status, phase, wave,
                                step.attribute_names(), detail))

        report("started")
        try:
            await send(self.client, step)
        except MarketoError as exc:
            try:
                live = (await read_objects(self.client, {step.apiName})).get(step.apiName)
            except MarketoError as read_exc:
                why = f"{exc}; re-reading the type to check failed: {read_exc}"
                report("failed", why)
                raise StepFailed(why) from read_exc
            if is_live(step, live, change.after):
                report("reconciled", f"its effect is live after: {exc}")
                return "reconciled"
            report("failed", str(exc))
            raise StepFailed(str(exc)) from exc
        report("done")
        return "done"
