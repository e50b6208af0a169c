"""Classify the change of one definition under stable rule ids. Pure: two models in, findings out.

What differs comes from the kind's differ (framework.plan.differ) and how risky it is from the
policy (framework.policy) with the kind's rule book (framework.plan.rules.RULE_BOOK): the same
answer plan gives for the same change on the instance. Lint adds its own rules about the file
(versions, acknowledgements, `protect`, a likely rename, a deleted file).

Severities: `error` always fails; `destructive` and `breaking` fail unless the file acknowledges
them for its version; `warning` never fails. Without `-e ENV` every type is graded as approved
on the instance (the case where history is at stake); `lint -e ENV` grades each type where it
stands there, and a change that is safe there is a warning.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from framework.definitions.model import ActivityType, Attribute
from framework.kinds.custom_object.model import CustomObject
from framework.kinds.custom_object.rulebook import OBJECT_RULE_BOOK
from framework.live import TypeVersion
from framework.plan.differ import differences
from framework.plan.rules import (
    ATTRIBUTE_DROPPED,
    FROZEN_SUMMARY,
    REPLACE_LOSES,
    RULE_BOOK,
)
from framework.policy.grade import grade
from framework.policy.model import Difference, RuleBook, Standing

Severity = Literal["error", "destructive", "breaking", "warning"]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity  # on a type approved on the instance (lint's default)
    summary: str  # for README and `--format json`
    # Graded where the type stands on the instance (`-e ENV`): the policy's rules.
    needs_approval: bool = False


# The policy's rules a definition's edit can meet and that are not safe once approved.
POLICY_RULES: tuple[Rule, ...] = tuple(
    Rule(rule.id, rule.approved, rule.summary, needs_approval=True)
    for rule in RULE_BOOK
    if rule.approved != "safe" and not rule.live_only
)

# The custom object rule book's own rules of that kind (the ids both kinds share are above).
OBJECT_POLICY_RULES: tuple[Rule, ...] = tuple(
    Rule(rule.id, rule.approved, rule.summary, needs_approval=True)
    for rule in OBJECT_RULE_BOOK
    if rule.approved != "safe" and not rule.live_only and rule.id not in RULE_BOOK.rules
)

RULES: dict[str, Rule] = {rule.id: rule for rule in (
    Rule("version-not-increased", "error",
         "the definition changed but its version did not increase"),
    Rule("version-not-initial", "error", "a new definition does not start at version 1"),
    Rule("definition-invalid", "error", "the definition does not validate"),
    *POLICY_RULES,
    Rule("likely-rename", "warning",
         "an attribute was removed while a similar one appeared without renamedFrom"),
    Rule("protect-removed", "breaking", "protect: true was removed"),
    *OBJECT_POLICY_RULES,
    Rule("type-unmanaged", "warning",
         "no definition names the type any more: it stays on the instance, unmanaged"),
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


def severity(rule: str, standing: Standing, book: RuleBook = RULE_BOOK) -> Severity:
    """A finding's severity where the type stands: the policy's grade under the type's kind's
    rule `book` for the rules it shares with plan (a change safe there is a warning), lint's
    own otherwise."""
    if rule not in book.rules:
        return RULES[rule].severity
    risk = grade(Difference(rule, ""), standing, book)
    return "warning" if risk == "safe" else risk


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
    renamed = {a.apiName: a.renamedFrom for a in new.attributes if a.renamedFrom}
    found = differences(
        TypeVersion.from_definition(old), TypeVersion.from_definition(new), renamed
    )
    changes = [
        _change(d, old, new) for d in found if RULE_BOOK[d.rule].approved != "safe"
    ]
    changes += _likely_renames(old, new, found)
    if old.protect and not new.protect:
        changes.append(Change(
            "protect-removed", name,
            f"{name}: protect was changed from true to false: plans may now delete or replace "
            "the type and drop its attributes",
            "keep `protect: true`, or acknowledge removing it", ("protect",),
        ))
    return changes


def removed_file(
    old: ActivityType | CustomObject, path: str, *, reused: bool = False
) -> Change:
    """No definition names the type any more: its file was deleted, or (`reused`) it now
    defines another type."""
    name = old.apiName
    what = "now defines another type" if reused else "was deleted"
    return Change(
        "type-unmanaged", name,
        f"{name}: its definition {path} {what}: the type stays on the instance, unmanaged "
        "(nothing deletes it)",
        "to delete the type, keep the file with `ensure: absent`; to stop managing it, nothing",
    )


def _quoted(value: str | None) -> str:
    return f'"{value}"' if value is not None else "nothing"


def _change(d: Difference, old: ActivityType, new: ActivityType) -> Change:
    """The finding of one difference the policy grades as more than safe (once approved)."""
    name = new.apiName
    index = {a.apiName: i for i, a in enumerate(new.attributes)}
    was = {a.apiName: a for a in old.attributes}
    keep = f'keep "{d.before}", or acknowledge the change'
    match d.rule:
        case "trigger-name-changed" | "filter-name-changed":
            return Change(
                d.rule, name,
                f'{name}: {d.field} was changed from "{d.before}" to "{d.after}": Smart Lists '
                "and campaigns that use it must be updated by hand",
                keep, (str(d.field),),
            )
        case "display-name-changed" | "description-changed":
            return Change(
                d.rule, name,
                f"{name}: {d.field} was changed from {_quoted(d.before)} to "
                f"{_quoted(d.after)}: {FROZEN_SUMMARY}",
                f"keep {_quoted(d.before)}, or acknowledge the change", (str(d.field),),
            )
        case "primary-attribute-changed":
            return Change(
                d.rule, name,
                f"{name}: the primary attribute was changed from {d.before} to {d.after}: "
                "Marketo replaces the type (deleted and created again, with a new id and no "
                "history)",
                f"keep {d.before} as the primary attribute, or acknowledge the replace",
                ("primaryAttribute",),
            )
        case "primary-attribute-edited":
            return Change(
                d.rule, name,
                f"{name}: the primary attribute {d.member} {d.field} was changed from "
                f"{_quoted(d.before)} to {_quoted(d.after)}: {FROZEN_SUMMARY}",
                f"keep {_quoted(d.before)}, or acknowledge the change",
                ("primaryAttribute", str(d.field)),
            )
        case "attribute-removed":
            return Change(
                d.rule, name,
                f"{name}: attribute {d.member} ({d.before}) was removed: {ATTRIBUTE_DROPPED}",
                f"keep {d.member}, or acknowledge its removal", ("attributes",),
            )
        case "attribute-renamed":
            gone, successor = was[str(d.before)], new.attributes[index[str(d.member)]]
            return Change(
                d.rule, name,
                f"{name}: attribute {gone.apiName} ({gone.dataType}) was renamed to "
                f"{successor.apiName} ({successor.dataType}): Marketo cannot rename, so "
                f"{gone.apiName} is deleted and {successor.apiName} is created; for "
                f"{gone.apiName}, {ATTRIBUTE_DROPPED}",
                f"keep {gone.apiName}, or acknowledge the rename",
                ("attributes", index[successor.apiName], "renamedFrom"),
            )
        case "data-type-changed":
            return Change(
                d.rule, name,
                f"{name}: attribute {d.member} dataType was changed from {d.before} to "
                f"{d.after}: Marketo allows it only by replacing the type (deleted and created "
                f"again): {REPLACE_LOSES}",
                f"keep dataType {d.before} (add a new attribute for the new type), or "
                "acknowledge the change",
                ("attributes", index[str(d.member)], "dataType"),
            )
        case "attribute-display-name-changed":
            return Change(
                d.rule, name,
                f'{name}: attribute {d.member} name was changed from "{d.before}" to '
                f'"{d.after}": senders that name it by its display name instead of its apiName '
                "must change",
                keep, ("attributes", index[str(d.member)], "name"),
            )
    raise AssertionError(f"lint has no words for the policy rule {d.rule!r}")


def _likely_renames(
    old: ActivityType, new: ActivityType, found: list[Difference]
) -> list[Change]:
    """An attribute removed while a similar one was added without renamedFrom: a rename?"""
    name = new.apiName
    index = {a.apiName: i for i, a in enumerate(new.attributes)}
    removed_names = {d.member for d in found if d.rule == "attribute-removed"}
    removed = [a for a in old.attributes if a.apiName in removed_names]
    added = [a for a in new.attributes if a.apiName in
             {d.member for d in found if d.rule == "attribute-added"}]
    changes: list[Change] = []
    for gone in removed:
        similar = _similar(gone, added, removed)
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
