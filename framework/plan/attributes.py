"""Attribute-level changes between a type's live version and its desired version.

Risks follow Marketo's rules (framework.plan.rules): on a type that was never approved nothing
is published yet, so every attribute change is safe; after approval a display-name change is
breaking and a removal or rename is destructive.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from framework.live import LiveAttribute, TypeVersion
from framework.plan.model import AttributeChange, Reason, Risk
from framework.plan.rules import (
    NEVER_APPROVED,
    attribute_name_reason,
    attribute_removal_reason,
    attribute_rename_reason,
    data_type_reason,
    primary_edit_reason,
    primary_frozen,
)

RISK_ORDER: dict[Risk, int] = {"safe": 0, "breaking": 1, "destructive": 2}


def worst(risks: list[Risk]) -> Risk:
    """The highest of several risks (safe when there are none)."""
    return max(risks, key=RISK_ORDER.__getitem__, default="safe")


def _dump(attribute: LiveAttribute) -> dict[str, Any]:
    return attribute.model_dump(mode="json")


def attribute_changes(
    before: TypeVersion,
    target: TypeVersion,
    renamed_from: Mapping[str, str],
    *,
    ever_approved: bool,
) -> list[AttributeChange]:
    """What happens to each attribute (the primary first), in a stable order."""
    changes = _primary_change(before.primaryAttribute, target.primaryAttribute, ever_approved)
    if before.attributes == target.attributes and not renamed_from:
        return changes  # the common case of a large plan: nothing to look up
    had = {a.apiName: a for a in before.attributes}
    wanted = {a.apiName for a in target.attributes}
    renames = {
        new: old
        for new, old in renamed_from.items()
        if new not in had and old in had and old not in wanted
    }
    for attribute in target.attributes:
        change = _secondary_change(had, attribute, renames.get(attribute.apiName), ever_approved)
        if change is not None:
            changes.append(change)
    # An attribute promoted to primary is shown by the primary's change, not as a removal.
    gone = {*renames.values(), target.primaryAttribute.apiName}
    for attribute in before.attributes:
        if attribute.apiName not in wanted and attribute.apiName not in gone:
            changes.append(
                AttributeChange(
                    apiName=attribute.apiName,
                    action="remove",
                    reason=Reason(
                        code="attribute-removed",
                        text=attribute_removal_reason(attribute.apiName, ever_approved),
                        risk="destructive" if ever_approved else "safe",
                    ),
                    before=_dump(attribute),
                )
            )
    return changes


def _primary_change(
    before: LiveAttribute, after: LiveAttribute, ever_approved: bool
) -> list[AttributeChange]:
    if before == after:
        return []
    risk: Risk
    if before.apiName != after.apiName or before.dataType != after.dataType:
        action, code = "replace", "primary-replaced"
        risk = "destructive" if ever_approved else "safe"
        reason = (
            f"primary attribute {before.apiName} ({before.dataType}) becomes "
            f"{after.apiName} ({after.dataType})"
        )
        reason += (
            "; Marketo allows this only by replacing the type"
            if ever_approved
            else f" in the draft; {NEVER_APPROVED}"
        )
    elif primary_frozen(before, after, ever_approved):
        action, risk, reason = "update", "breaking", primary_edit_reason(before, after)
        code = "primary-display-name-changed"
    else:
        action, risk, code = "update", "safe", "primary-edited"
        reason = f"primary attribute {after.apiName}: {_edited(before, after)}"
    return [
        AttributeChange(
            apiName=after.apiName,
            action=action,
            reason=Reason(code=code, text=reason, risk=risk),
            before=_dump(before),
            after=_dump(after),
            primary=True,
        )
    ]


def _secondary_change(
    had: Mapping[str, LiveAttribute],
    attribute: LiveAttribute,
    old_name: str | None,
    ever_approved: bool,
) -> AttributeChange | None:
    old = had.get(attribute.apiName)
    if old_name is not None:
        previous = had.get(old_name)
        return AttributeChange(
            apiName=attribute.apiName,
            action="rename",
            reason=Reason(
                code="attribute-renamed",
                text=attribute_rename_reason(old_name, attribute.apiName, ever_approved),
                risk="destructive" if ever_approved else "safe",
            ),
            before=_dump(previous) if previous else None,
            after=_dump(attribute),
            renamedFrom=old_name,
        )
    if old is None:
        return AttributeChange(
            apiName=attribute.apiName,
            action="add",
            reason=Reason(
                code="attribute-added",
                text=f"attribute {attribute.apiName} ({attribute.dataType}) is added",
            ),
            after=_dump(attribute),
        )
    if old == attribute:
        return None
    if old.dataType != attribute.dataType:
        return AttributeChange(
            apiName=attribute.apiName,
            action="replace",
            reason=Reason(
                code="attribute-data-type-changed",
                text=data_type_reason(
                    attribute.apiName, old.dataType, attribute.dataType, ever_approved
                ),
                risk="destructive" if ever_approved else "safe",
            ),
            before=_dump(old),
            after=_dump(attribute),
        )
    risk: Risk = "breaking" if ever_approved and old.name != attribute.name else "safe"
    reason = (
        f"attribute {attribute.apiName}: {attribute_name_reason(old, attribute)}"
        if risk == "breaking"
        else f"attribute {attribute.apiName}: {_edited(old, attribute)}"
    )
    code = "attribute-display-name-changed" if risk == "breaking" else "attribute-edited"
    return AttributeChange(
        apiName=attribute.apiName,
        action="update",
        reason=Reason(code=code, text=reason, risk=risk),
        before=_dump(old),
        after=_dump(attribute),
    )


def _edited(before: LiveAttribute, after: LiveAttribute) -> str:
    parts = []
    if before.name != after.name:
        parts.append(f"display name changes from {before.name!r} to {after.name!r}")
    if before.description != after.description:
        parts.append(f"description changes from {before.description!r} to {after.description!r}")
    return "; ".join(parts)
