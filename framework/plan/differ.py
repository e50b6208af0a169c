"""What differs between two versions of a custom activity type: facts, no judgement. Pure.

The one differ of the kind: plan runs it on the live version against the desired one, lint on
the definition at the merge base against the definition now, and both grade its differences
with the same rule book (framework.plan.rules.RULE_BOOK) through framework.policy.

Order is stable: the type's fields, the primary attribute, the secondary attributes of `after`
by apiName, then those `after` no longer has.
"""

from __future__ import annotations

from collections.abc import Mapping

from framework.live import LiveAttribute, TypeVersion
from framework.plan.rules import FIELD_RULES, TYPE_FIELDS
from framework.policy.model import Difference


def differences(
    before: TypeVersion, after: TypeVersion, renamed_from: Mapping[str, str]
) -> list[Difference]:
    """Every difference from `before` to `after`; `renamed_from` maps a new attribute apiName
    to the one it replaces (`renamedFrom` in the definition)."""
    name = after.apiName
    found = [
        Difference(FIELD_RULES[field], name, None, field, getattr(before, field),
                   getattr(after, field))
        for field in TYPE_FIELDS
        if getattr(before, field) != getattr(after, field)
    ]
    found += _primary(name, before.primaryAttribute, after.primaryAttribute)
    if before.attributes == after.attributes and not renamed_from:
        return found  # the common case of a large plan: nothing to look up
    had = {a.apiName: a for a in before.attributes}
    wanted = {a.apiName for a in after.attributes}
    renames = renames_of(before, after, renamed_from)
    for attribute in after.attributes:
        found += _secondary(name, had, attribute, renames.get(attribute.apiName))
    # An attribute promoted to primary shows in the primary's difference, not as a removal.
    gone = {*renames.values(), after.primaryAttribute.apiName}
    found += [
        Difference("attribute-removed", name, a.apiName, before=a.dataType)
        for a in before.attributes
        if a.apiName not in wanted and a.apiName not in gone
    ]
    return found


def renames_of(
    before: TypeVersion, after: TypeVersion, renamed_from: Mapping[str, str]
) -> dict[str, str]:
    """The renames that hold: new apiName -> old, where the old one existed and is gone."""
    had = {a.apiName for a in before.attributes}
    wanted = {a.apiName for a in after.attributes}
    return {
        new: old
        for new, old in renamed_from.items()
        if new not in had and old in had and old not in wanted
    }


def _primary(name: str, before: LiveAttribute, after: LiveAttribute) -> list[Difference]:
    if (before.apiName, before.dataType) != (after.apiName, after.dataType):
        return [Difference("primary-attribute-changed", name, after.apiName, "apiName",
                           f"{before.apiName} ({before.dataType})",
                           f"{after.apiName} ({after.dataType})")]
    return [
        Difference("primary-attribute-edited", name, after.apiName, field,
                   getattr(before, field), getattr(after, field))
        for field in ("name", "description")
        if getattr(before, field) != getattr(after, field)
    ]


def _secondary(
    name: str, had: Mapping[str, LiveAttribute], attribute: LiveAttribute, old_name: str | None
) -> list[Difference]:
    api_name = attribute.apiName
    if old_name is not None:
        return [Difference("attribute-renamed", name, api_name, "apiName", old_name, api_name)]
    old = had.get(api_name)
    if old is None:
        return [Difference("attribute-added", name, api_name, after=attribute.dataType)]
    if old.dataType != attribute.dataType:
        return [Difference("data-type-changed", name, api_name, "dataType", old.dataType,
                           attribute.dataType)]
    rules = {"name": "attribute-display-name-changed",
             "description": "attribute-description-changed"}
    return [
        Difference(rule, name, api_name, field, getattr(old, field), getattr(attribute, field))
        for field, rule in rules.items()
        if getattr(old, field) != getattr(attribute, field)
    ]
