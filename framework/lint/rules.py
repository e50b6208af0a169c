"""Classify the change of one definition under stable rule ids. Pure: two models in, findings out.

Severities: `error` always fails; `destructive` and `breaking` fail unless the file acknowledges
them for its version; `warning` never fails. Destructive and breaking assume the type is
approved on the instance (the case where history is at stake); `lint -e ENV` regrades them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from framework.definitions.model import ActivityType, Attribute

Severity = Literal["error", "destructive", "breaking", "warning"]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str  # for README and `--format json`
    needs_approval: bool = False  # harmless on a type not approved on the instance


RULES: dict[str, Rule] = {rule.id: rule for rule in (
    Rule("version-not-increased", "error",
         "the definition changed but its version did not increase"),
    Rule("version-not-initial", "error", "a new definition does not start at version 1"),
    Rule("definition-invalid", "error", "the definition does not validate"),
    Rule("attribute-removed", "destructive",
         "an attribute was removed: Marketo deletes it and its values", needs_approval=True),
    Rule("attribute-renamed", "destructive",
         "an attribute was renamed (renamedFrom): Marketo deletes the old one and its values",
         needs_approval=True),
    Rule("likely-rename", "warning",
         "an attribute was removed while a similar one appeared without renamedFrom"),
    Rule("data-type-changed", "destructive",
         "an attribute's data type changed: Marketo replaces the attribute", needs_approval=True),
    Rule("primary-attribute-changed", "destructive",
         "the primary attribute's apiName or data type changed: Marketo replaces the type",
         needs_approval=True),
    Rule("type-deleted", "destructive", "the type is to be deleted (ensure: absent)",
         needs_approval=True),
    Rule("trigger-name-changed", "breaking",
         "the Smart List trigger name changed", needs_approval=True),
    Rule("filter-name-changed", "breaking",
         "the Smart List filter name changed", needs_approval=True),
    Rule("protect-removed", "breaking", "protect: true was removed"),
    Rule("type-unmanaged", "warning",
         "the definition file was deleted: the type stays on the instance, unmanaged"),
    Rule("acknowledgement-expired", "warning",
         "an acknowledgement names an older version: it no longer applies"),
    Rule("acknowledgement-unused", "warning",
         "an acknowledgement names a rule that found nothing in this change"),
)}


@dataclass(frozen=True)
class Change:
    """One classified change: the rule, where (a field path in the new file), and words."""

    rule: str
    type: str
    message: str  # past tense, naming the type, the attribute and the old and new values
    fix: str
    path: tuple[str | int, ...] = ()  # where in the new file (for the line number)


def classify(old: ActivityType, new: ActivityType) -> list[Change]:
    """Every breaking, destructive or suspicious change from `old` to `new`."""
    name = new.apiName
    if old.ensure == "present" and new.ensure == "absent":
        return [Change(
            "type-deleted", name,
            f"{name}: ensure was changed from present to absent: the type and its activity "
            "history are to be deleted",
            "keep `ensure: present`, or acknowledge the deletion", ("ensure",),
        )]
    changes = _primary(old, new) + _attributes(old, new)
    for field, rule in (("triggerName", "trigger-name-changed"),
                        ("filterName", "filter-name-changed")):
        before, after = getattr(old, field), getattr(new, field)
        if before != after:
            changes.append(Change(
                rule, name,
                f'{name}: {field} was changed from "{before}" to "{after}": Smart Lists and '
                "campaigns that use it must be updated by hand",
                f'keep "{before}", or acknowledge the change', (field,),
            ))
    if old.protect and not new.protect:
        changes.append(Change(
            "protect-removed", name,
            f"{name}: protect was changed from true to false: plans may now delete or replace "
            "the type and drop its attributes",
            "keep `protect: true`, or acknowledge removing it", ("protect",),
        ))
    return changes


def removed_file(old: ActivityType, path: str) -> Change:
    name = old.apiName
    return Change(
        "type-unmanaged", name,
        f"{name}: its definition {path} was deleted: the type stays on the instance, "
        "unmanaged (nothing deletes it)",
        "to delete the type, keep the file with `ensure: absent`; to stop managing it, nothing",
    )


def _primary(old: ActivityType, new: ActivityType) -> list[Change]:
    before, after = old.primaryAttribute, new.primaryAttribute
    if (before.apiName, before.dataType) == (after.apiName, after.dataType):
        return []
    return [Change(
        "primary-attribute-changed", new.apiName,
        f"{new.apiName}: the primary attribute was changed from {before.apiName} "
        f"({before.dataType}) to {after.apiName} ({after.dataType}): Marketo replaces the "
        "type (deleted and created again, with a new id and no history)",
        f"keep {before.apiName} ({before.dataType}) as the primary attribute, or acknowledge "
        "the replace", ("primaryAttribute",),
    )]


def _attributes(old: ActivityType, new: ActivityType) -> list[Change]:
    name = new.apiName
    before = {a.apiName: a for a in old.attributes}
    after = {a.apiName: a for a in new.attributes}
    index = {a.apiName: i for i, a in enumerate(new.attributes)}
    renamed = {a.renamedFrom: a for a in new.attributes if a.renamedFrom in before}
    added = [a for a in new.attributes if a.apiName not in before and a.renamedFrom is None]
    changes: list[Change] = []
    for gone in (a for a in old.attributes if a.apiName not in after):
        if gone.apiName in renamed:
            successor = renamed[gone.apiName]
            changes.append(Change(
                "attribute-renamed", name,
                f"{name}: attribute {gone.apiName} ({gone.dataType}) was renamed to "
                f"{successor.apiName} ({successor.dataType}): Marketo cannot rename, so "
                f"{gone.apiName} and its values are deleted and {successor.apiName} is created",
                f"keep {gone.apiName}, or acknowledge the rename",
                ("attributes", index[successor.apiName], "renamedFrom"),
            ))
            continue
        changes.append(Change(
            "attribute-removed", name,
            f"{name}: attribute {gone.apiName} ({gone.dataType}) was removed: Marketo deletes "
            "it and its values",
            f"keep {gone.apiName}, or acknowledge its removal", ("attributes",),
        ))
        similar = _similar(gone, added, [a for a in old.attributes if a.apiName not in after])
        if similar is not None:
            changes.append(Change(
                "likely-rename", name,
                f"{name}: attribute {gone.apiName} ({gone.dataType}) was removed while a "
                f"similar attribute {similar.apiName} ({similar.dataType}) was added without "
                "renamedFrom: a rename?",
                f"if {similar.apiName} replaces {gone.apiName}, add `renamedFrom: "
                f"{gone.apiName}` to it, so plans show the rename",
                ("attributes", index[similar.apiName]),
            ))
    for attribute in new.attributes:
        was = before.get(attribute.apiName)
        if was is not None and was.dataType != attribute.dataType:
            changes.append(Change(
                "data-type-changed", name,
                f"{name}: attribute {attribute.apiName} dataType was changed from "
                f"{was.dataType} to {attribute.dataType}: Marketo replaces the attribute "
                "(its values are deleted)",
                f"keep dataType {was.dataType} (add a new attribute for the new type), or "
                "acknowledge the change",
                ("attributes", index[attribute.apiName], "dataType"),
            ))
    return changes


def _similar(gone: Attribute, added: list[Attribute], removed: list[Attribute]) -> Attribute | None:
    """The added attribute most like `gone`: the same data type, and a close apiName or name,
    or the only one of that type added while `gone` is the only one of it removed."""

    def likeness(candidate: Attribute) -> float:
        return max(
            difflib.SequenceMatcher(None, gone.apiName.lower(), candidate.apiName.lower()).ratio(),
            difflib.SequenceMatcher(None, gone.name.lower(), candidate.name.lower()).ratio(),
        )

    same_type = [a for a in added if a.dataType == gone.dataType]
    best = max(same_type, key=likeness, default=None)
    if best is None:
        return None
    alone = len(same_type) == 1 and [a.dataType for a in removed].count(gone.dataType) == 1
    return best if alone or likeness(best) >= 0.6 else None
