"""The steps apply takes for a change: typed operations (framework.plan.ops), in order.

Every edit goes to the type's draft and is published by one approve, so a change is: the
draft edits, batched one call per endpoint, then `ApproveOp`. Attribute deletes come before
creates because the 20-attribute limit (1028) applies to the draft while it is staged.
"""

from __future__ import annotations

from framework.live import TypeVersion
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
from framework.plan.rules import TYPE_FIELDS


def create_steps(target: TypeVersion) -> list[Step]:
    """CreateTypeOp, CreateAttributesOp when there are any, ApproveOp."""
    steps: list[Step] = [
        CreateTypeOp(
            apiName=target.apiName,
            name=target.name,
            description=target.description,
            triggerName=target.triggerName,
            filterName=target.filterName,
            primaryAttribute=target.primaryAttribute,
        )
    ]
    if target.attributes:
        steps.append(CreateAttributesOp(apiName=target.apiName, attributes=target.attributes))
    steps.append(ApproveOp(apiName=target.apiName))
    return steps


def approve_step(api_name: str) -> ApproveOp:
    return ApproveOp(apiName=api_name)


def discard_step(api_name: str) -> DiscardDraftOp:
    return DiscardDraftOp(apiName=api_name)


def delete_step(api_name: str) -> DeleteTypeOp:
    return DeleteTypeOp(apiName=api_name)


def type_update(working: TypeVersion, target: TypeVersion) -> UpdateTypeOp | None:
    """Only the type fields that differ (the update endpoint takes partial bodies)."""
    fields: dict[str, object] = {}
    for field in TYPE_FIELDS:
        before, after = getattr(working, field), getattr(target, field)
        if before != after:
            fields[field] = after if after is not None else ""
    if working.primaryAttribute != target.primaryAttribute:
        fields["primaryAttribute"] = target.primaryAttribute
    return UpdateTypeOp.model_validate({"apiName": target.apiName, **fields}) if fields else None


def draft_steps(working: TypeVersion, target: TypeVersion) -> list[Step]:
    """The draft edits that turn `working` into `target`, then approve.

    An attribute whose dataType differs is deleted and created again (only reached for an
    attribute never approved: after approval that is replace-only).
    """
    had = {a.apiName: a for a in working.attributes}
    wanted = {a.apiName for a in target.attributes}
    recreate = {
        t.apiName
        for t in target.attributes
        if (w := had.get(t.apiName)) is not None and w.dataType != t.dataType
    }
    removed = tuple(
        a.apiName for a in working.attributes if a.apiName not in wanted or a.apiName in recreate
    )
    updated = tuple(
        t
        for t in target.attributes
        if t.apiName not in recreate and had.get(t.apiName) not in (None, t)
    )
    created = tuple(
        t for t in target.attributes if t.apiName not in had or t.apiName in recreate
    )
    name = target.apiName
    steps: list[Step] = []
    if removed:
        steps.append(DeleteAttributesOp(apiName=name, attributes=removed))
    if (update := type_update(working, target)) is not None:
        steps.append(update)
    if updated:
        steps.append(UpdateAttributesOp(apiName=name, attributes=updated))
    if created:
        steps.append(CreateAttributesOp(apiName=name, attributes=created))
    steps.append(approve_step(name))
    return steps
