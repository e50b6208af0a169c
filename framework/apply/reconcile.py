"""What part of a step is not yet in effect on the live type. Pure: no I/O.

Apply asks this after a lost answer (the call may have run), after an error that a finished
call would also cause (1017 "already exists", 709 "no draft", 702 "no data", 1006 "field not
found"), and when it resumes a killed or failed run. A step whose effect is live is accepted;
an attribute batch that ran in part shrinks to the attributes still missing.
"""

from __future__ import annotations

from typing import Any

from framework.live import LiveAttribute, LiveType, TypeVersion
from framework.plan.model import TypeChange
from framework.plan.ops import (
    ApproveOp,
    CreateAttributesOp,
    CreateTypeOp,
    DeleteAttributesOp,
    DeleteTypeOp,
    DiscardDraftOp,
    Step,
    UpdateAttributesOp,
    UpdateTypeOp,
)

# Errors that a call which already happened would also cause, by op (Marketo does not
# document them; framework/emulator/BEHAVIOUR.md states the emulator's choices).
ALREADY_DONE_CODES: dict[str, frozenset[str]] = {
    "create_type": frozenset({"1017"}),
    "create_attributes": frozenset({"1017"}),
    "approve": frozenset({"709"}),
    "discard_draft": frozenset({"709"}),
    "delete_type": frozenset({"702"}),
    "delete_attributes": frozenset({"1006"}),
}

_TYPE_FIELDS = ("name", "triggerName", "filterName")


def latest_version(live: LiveType | None) -> TypeVersion | None:
    """The version edits go to: the draft when there is one, else the approved version."""
    if live is None:
        return None
    return live.draft or live.approved


def at_target(change: TypeChange, live: LiveType | None) -> bool:
    """True when the live type is what the change ends with: approved == after, no draft left;
    or absent for a delete."""
    if change.after is None:
        return live is None
    return (
        live is not None
        and live.status == "approved"
        and live.draft is None
        and live.approved == change.after
    )


def residual(step: Step, live: LiveType | None, target: TypeVersion | None) -> Step | None:
    """The part of `step` not yet live on `live`; None when its whole effect is live.

    `target` is the change's `after`: an approve is live only when the approved version is it.
    A step that conflicts with the live type (a create over a different type) is returned
    whole, so sending it fails with Marketo's own error.
    """
    version = latest_version(live)
    match step:
        case DeleteTypeOp():
            return None if live is None else step
        case DiscardDraftOp():
            return None if live is None or live.draft is None else step
        case ApproveOp():
            if live is None or live.draft is not None or live.status != "approved":
                return step
            return None if target is None or live.approved == target else step
    if version is None:
        return step  # every other op needs the type; sending it reports Marketo's 702
    match step:
        case CreateTypeOp():
            return None if _type_fields_match(version, step, all_keys=True) else step
        case UpdateTypeOp():
            return None if _type_fields_match(version, step, all_keys=False) else step
        case DeleteAttributesOp():
            gone = tuple(a for a in step.attributes if version.attribute(a) is not None)
            return _shrunk(step, gone)
        case CreateAttributesOp():
            # An existing attribute that differs stays in the batch: Marketo answers 1017.
            left = tuple(
                a for a in step.attributes if not _matches(version.attribute(a.apiName), a)
            )
            return _shrunk(step, left)
        case UpdateAttributesOp():
            left = tuple(a for a in step.attributes if not _matches(_any(version, a.apiName), a))
            return _shrunk(step, left)
    return step


def _shrunk(
    step: DeleteAttributesOp | CreateAttributesOp | UpdateAttributesOp,
    left: tuple[Any, ...],
) -> Step | None:
    """None when nothing is left, the step itself when nothing is live, else the rest."""
    if not left:
        return None
    if len(left) == len(step.attributes):
        return step
    return step.model_copy(update={"attributes": left})


def _any(version: TypeVersion, api_name: str) -> LiveAttribute | None:
    if version.primaryAttribute.apiName == api_name:
        return version.primaryAttribute
    return version.attribute(api_name)


def _type_fields_match(
    version: TypeVersion, step: CreateTypeOp | UpdateTypeOp, *, all_keys: bool
) -> bool:
    """Whether the version holds every field the create or update sets."""
    if version.apiName != step.apiName:
        return False
    for key in _TYPE_FIELDS:
        value = getattr(step, key)
        if value is not None and getattr(version, key) != value:
            return False
    if (step.description is not None or all_keys) and version.description != (
        step.description or None
    ):
        return False
    return step.primaryAttribute is None or _matches(
        version.primaryAttribute, step.primaryAttribute
    )


def _matches(live: LiveAttribute | None, wanted: LiveAttribute) -> bool:
    """Whether a live attribute holds what the request sets (a missing description clears)."""
    return live is not None and live == wanted
