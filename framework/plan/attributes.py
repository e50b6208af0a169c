"""Attribute-level changes between a type's live version and its desired version.

What differs comes from the kind's differ (framework.plan.differ); how risky each difference is
comes from the policy (framework.policy.grade with the kind's rule book): this module only turns
them into the plan's `AttributeChange` values, with the plan's reason codes and words.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import Any

from framework.live import LiveAttribute, TypeVersion
from framework.plan.model import AttributeAction, AttributeChange, Reason, Risk
from framework.plan.rules import (
    NEVER_APPROVED,
    RULE_BOOK,
    attribute_name_reason,
    attribute_removal_reason,
    attribute_rename_reason,
    data_type_reason,
    primary_edit_reason,
)
from framework.policy.grade import RISK_ORDER, grade, worst
from framework.policy.model import Difference, Standing

__all__ = ["RISK_ORDER", "attribute_changes", "worst"]


def _dump(attribute: LiveAttribute | None) -> dict[str, Any] | None:
    return attribute.model_dump(mode="json") if attribute is not None else None


def attribute_changes(
    before: TypeVersion,
    target: TypeVersion,
    found: Sequence[Difference],
    standing: Standing,
) -> list[AttributeChange]:
    """What happens to each attribute (the primary first), in the differ's stable order."""
    of_attributes = [d for d in found if d.member is not None]
    return [
        _change(before, target, list(group), standing)
        for _, group in groupby(of_attributes, key=lambda d: (d.rule.startswith("primary"),
                                                              d.member))
    ]


def _change(
    before: TypeVersion, target: TypeVersion, found: list[Difference], standing: Standing
) -> AttributeChange:
    first = found[0]
    name = str(first.member)
    risk = worst(grade(d, standing, RULE_BOOK) for d in found)
    ever = standing == "approved"
    if first.rule.startswith("primary-"):
        return _primary(before.primaryAttribute, target.primaryAttribute, risk, ever)
    old = before.attribute(name)
    new = target.attribute(name)
    action: AttributeAction
    match first.rule:
        case "attribute-renamed":
            renamed_from = str(first.before)
            return AttributeChange(
                apiName=name, action="rename",
                reason=Reason(code="attribute-renamed", risk=risk,
                              text=attribute_rename_reason(renamed_from, name, ever)),
                before=_dump(before.attribute(renamed_from)), after=_dump(new),
                renamedFrom=renamed_from,
            )
        case "attribute-added":
            assert new is not None
            action, code = "add", "attribute-added"
            text = f"attribute {name} ({new.dataType}) is added"
        case "attribute-removed":
            action, code, text = "remove", "attribute-removed", attribute_removal_reason(name, ever)
        case "data-type-changed":
            action, code = "replace", "attribute-data-type-changed"
            text = data_type_reason(name, str(first.before), str(first.after), ever)
        case _:
            assert old is not None and new is not None
            action = "update"
            if risk == "breaking":
                code = "attribute-display-name-changed"
                text = f"attribute {name}: {attribute_name_reason(old, new)}"
            else:
                code, text = "attribute-edited", f"attribute {name}: {_edited(old, new)}"
    return AttributeChange(
        apiName=name, action=action, reason=Reason(code=code, text=text, risk=risk),
        before=_dump(old), after=_dump(new),
    )


def _primary(
    before: LiveAttribute, after: LiveAttribute, risk: Risk, ever_approved: bool
) -> AttributeChange:
    action: AttributeAction
    if before.apiName != after.apiName or before.dataType != after.dataType:
        action, code = "replace", "primary-replaced"
        text = (
            f"primary attribute {before.apiName} ({before.dataType}) becomes "
            f"{after.apiName} ({after.dataType})"
        )
        text += (
            "; Marketo allows this only by replacing the type"
            if ever_approved
            else f" in the draft; {NEVER_APPROVED}"
        )
    elif risk == "breaking":
        action, code, text = "update", "primary-display-name-changed", primary_edit_reason(
            before, after
        )
    else:
        action, code = "update", "primary-edited"
        text = f"primary attribute {after.apiName}: {_edited(before, after)}"
    return AttributeChange(
        apiName=after.apiName, action=action, reason=Reason(code=code, text=text, risk=risk),
        before=_dump(before), after=_dump(after), primary=True,
    )


def _edited(before: LiveAttribute, after: LiveAttribute) -> str:
    parts = []
    if before.name != after.name:
        parts.append(f"display name changes from {before.name!r} to {after.name!r}")
    if before.description != after.description:
        parts.append(f"description changes from {before.description!r} to {after.description!r}")
    return "; ".join(parts)
