"""The API calls apply makes for a change, with the exact JSON bodies it sends.

Every edit goes to the type's draft and is published by one approve (custom-activities-api.md
§3), so a change is: the draft edits, batched one call per endpoint, then `approve`. Deletes
come before creates because the 20-attribute limit (§4, 1028) applies to the draft while it is
staged.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from framework.live import LiveAttribute, TypeVersion
from framework.plan.model import Step
from framework.plan.rules import TYPE_FIELDS


def attribute_body(attribute: LiveAttribute, *, clearable: bool = False) -> dict[str, Any]:
    """An attribute as Marketo takes it (§2.7); `clearable` sends "" for a missing description."""
    body: dict[str, Any] = {"apiName": attribute.apiName, "name": attribute.name}
    if attribute.description is not None or clearable:
        body["description"] = attribute.description or ""
    body["dataType"] = attribute.dataType
    return body


def create_steps(target: TypeVersion) -> list[Step]:
    """create_type (3), create_attributes (8) when there are any, approve (5)."""
    body: dict[str, Any] = {"apiName": target.apiName, "name": target.name}
    if target.description is not None:
        body["description"] = target.description
    body["triggerName"] = target.triggerName
    body["filterName"] = target.filterName
    body["primaryAttribute"] = attribute_body(target.primaryAttribute)
    steps = [Step(op="create_type", apiName=target.apiName, body=body)]
    if target.attributes:
        attributes = [attribute_body(a) for a in target.attributes]
        steps.append(
            Step(op="create_attributes", apiName=target.apiName, body={"attributes": attributes})
        )
    steps.append(approve_step(target.apiName))
    return steps


def approve_step(api_name: str, *, destructive: bool = False) -> Step:
    return Step(op="approve", apiName=api_name, destructive=destructive)


def discard_step(api_name: str) -> Step:
    return Step(op="discard_draft", apiName=api_name)


def delete_step(api_name: str) -> Step:
    """delete_type (7): always destructive, the type's history and Smart List use go with it."""
    return Step(op="delete_type", apiName=api_name, destructive=True)


def type_update_body(working: TypeVersion, target: TypeVersion) -> dict[str, Any]:
    """Only the type fields that differ (update_type takes partial bodies, §2.5)."""
    body: dict[str, Any] = {}
    for field in TYPE_FIELDS:
        before, after = getattr(working, field), getattr(target, field)
        if before != after:
            body[field] = after if after is not None else ""
    if working.primaryAttribute != target.primaryAttribute:
        body["primaryAttribute"] = attribute_body(target.primaryAttribute, clearable=True)
    return body


def draft_steps(
    working: TypeVersion, target: TypeVersion, approved_attributes: Collection[str]
) -> list[Step]:
    """The draft edits that turn `working` into `target`, then approve.

    An attribute whose dataType differs is deleted and created again (only reached for an
    attribute never approved: §3 makes it replace-only after approval). Removing an attribute
    named in `approved_attributes` is destructive.
    """
    recreate = {
        t.apiName
        for t in target.attributes
        if (w := working.attribute(t.apiName)) is not None and w.dataType != t.dataType
    }
    removed = [
        a.apiName
        for a in working.attributes
        if target.attribute(a.apiName) is None or a.apiName in recreate
    ]
    updated = [
        t
        for t in target.attributes
        if t.apiName not in recreate and working.attribute(t.apiName) not in (None, t)
    ]
    created = [
        t
        for t in target.attributes
        if working.attribute(t.apiName) is None or t.apiName in recreate
    ]
    name = target.apiName
    steps: list[Step] = []
    if removed:
        steps.append(
            Step(
                op="delete_attributes",
                apiName=name,
                body={"attributes": [{"apiName": a} for a in removed]},
                destructive=any(a in approved_attributes for a in removed),
            )
        )
    if body := type_update_body(working, target):
        steps.append(Step(op="update_type", apiName=name, body=body))
    if updated:
        attributes = [attribute_body(a, clearable=True) for a in updated]
        steps.append(Step(op="update_attributes", apiName=name, body={"attributes": attributes}))
    if created:
        attributes = [attribute_body(a) for a in created]
        steps.append(Step(op="create_attributes", apiName=name, body={"attributes": attributes}))
    steps.append(approve_step(name))
    return steps
