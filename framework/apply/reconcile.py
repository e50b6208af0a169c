"""What part of a step is not yet in effect on the live type. Pure: no I/O.

Apply asks this after a lost answer (the call may have run), after an error that a finished
call would also cause (1017 "already exists", 709 "no draft", 702 "no data", 1006 "field not
found"), and when it resumes a killed or failed run. A step whose effect is live is accepted;
an attribute batch that ran in part shrinks to the attributes still missing.
"""

from __future__ import annotations

from typing import Any

from framework.live import LiveAttribute, LiveType, TypeVersion
from framework.plan.model import Step, TypeChange

# Errors that a call which already happened would also cause, by op (emulator's §7 choices).
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
    body = step.body or {}
    version = latest_version(live)
    if step.op == "delete_type":
        return None if live is None else step
    if step.op == "discard_draft":
        return None if live is None or live.draft is None else step
    if step.op == "approve":
        if live is None or live.draft is not None or live.status != "approved":
            return step
        return None if target is None or live.approved == target else step
    if version is None:
        return step  # every other op needs the type; sending it reports Marketo's 702
    if step.op == "create_type":
        return None if _type_fields_match(version, body, all_keys=True) else step
    if step.op == "update_type":
        return None if _type_fields_match(version, body, all_keys=False) else step
    attributes: list[dict[str, Any]] = list(body.get("attributes") or [])
    if step.op == "delete_attributes":
        left = [a for a in attributes if version.attribute(a["apiName"]) is not None]
    elif step.op == "create_attributes":
        # An existing attribute that differs stays in the batch: Marketo answers 1017, a conflict.
        left = [a for a in attributes if not _attribute_matches(version.attribute(a["apiName"]), a)]
    else:  # update_attributes
        left = [a for a in attributes if not _attribute_matches(_any_attribute(version, a), a)]
    if not left:
        return None
    if len(left) == len(attributes):
        return step
    return step.model_copy(update={"body": {**body, "attributes": left}})


def _any_attribute(version: TypeVersion, raw: dict[str, Any]) -> LiveAttribute | None:
    if version.primaryAttribute.apiName == raw.get("apiName"):
        return version.primaryAttribute
    return version.attribute(str(raw.get("apiName")))


def _type_fields_match(version: TypeVersion, body: dict[str, Any], *, all_keys: bool) -> bool:
    """Whether the version holds every field the create/update body sets."""
    if version.apiName != body.get("apiName", version.apiName):
        return False
    for key in _TYPE_FIELDS:
        if key in body and getattr(version, key) != body[key]:
            return False
    if ("description" in body or all_keys) and version.description != (
        body.get("description") or None
    ):
        return False
    primary = body.get("primaryAttribute")
    return primary is None or _attribute_matches(version.primaryAttribute, primary)


def _attribute_matches(live: LiveAttribute | None, raw: dict[str, Any]) -> bool:
    """Whether a live attribute holds every field the request sets (dataType: string default)."""
    if live is None or live.apiName != raw.get("apiName"):
        return False
    if "name" in raw and live.name != raw["name"]:
        return False
    if "dataType" in raw and live.dataType != raw["dataType"]:
        return False
    return "description" not in raw or live.description == (raw["description"] or None)
