"""Marketo's rules that shape a plan, each written once and citing its source.

The source is Adobe's Activities guide unless a rule says otherwise:
https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/activities
Compare and read use these functions and constants; nothing else in the package restates them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from framework.definitions.catalog import smart_list_key as smart_list_key_of_definitions
from framework.definitions.model import MAX_ATTRIBUTES as MAX_ATTRIBUTES
from framework.live import LiveAttribute, LiveState, Status, TypeVersion
from framework.policy.model import Rule, RuleBook

if TYPE_CHECKING:
    from framework.plan.model import TypeChange

# MAX_ATTRIBUTES: 0 to 20 secondary attributes per type (1028); the offline checks and the
# plan share the definitions' constant. The type limit is `max_types` in the settings (1027).

# The type fields update_type (endpoint 4) can change in place, in Marketo's own names.
TYPE_FIELDS: tuple[str, ...] = ("name", "description", "triggerName", "filterName")

# Adobe's Activities guide ("Create type"): once a type is "approved and in use", its display
# name, API name, description, trigger name, filter name and primary attribute can no longer
# be changed. No API call tells whether a smart list or campaign uses a custom activity type,
# so an edit of these on an ever-approved type is *breaking*, and its reason says what apply
# does if the type turns out to be in use.
FROZEN_WHEN_IN_USE: frozenset[str] = frozenset({"name", "description", "triggerName",
                                                "filterName"})
ACTIVITIES_GUIDE = (
    "https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/"
    "activities"
)
# What the plan cannot know, and what apply then does (framework/apply/executor.py: a failed
# staging step stops its wave before the approves, and no later wave runs).
IN_USE_UNKNOWN = (
    "Marketo freezes it once the type is approved and in use, and no API call says whether a "
    "smart list or campaign uses the type, so this plan cannot know: if one does, Marketo "
    "refuses the edit (709) and apply stops at this step, approving nothing of its wave, so "
    "the published types stay as they were; then remove the type from those smart lists and "
    f"campaigns, or keep the old value ({ACTIVITIES_GUIDE})"
)


def smart_list_key(name: str) -> str:
    """Trigger and filter names are one namespace across types; people read them, so case
    and spacing do not make two names different. The definitions' own key, so that the offline
    check and the plan's check against live types agree."""
    return smart_list_key_of_definitions(name)


@dataclass(frozen=True, order=True)
class NameHolder:
    """A type holding a trigger or filter name: which field, and in which version."""

    apiName: str
    field: str
    value: str
    where: str = ""  # "" for the type's target or only version; "its pending draft", ...

    def describe(self, files: Mapping[str, str]) -> str:
        """`buyCar (triggerName)`, `sellCar (unmanaged, filterName of its pending draft)`."""
        what = self.field + (f" of {self.where}" if self.where else "")
        return f"{self.apiName} ({'' if self.apiName in files else 'unmanaged, '}{what})"


def names_held_after(
    live: LiveState, changes: Sequence[TypeChange]
) -> dict[str, list[NameHolder]]:
    """Every trigger and filter name, by smart_list_key, with the types that hold it once the
    plan is applied: a changed type holds its target's names, a deleted one none, every other
    live type (unmanaged ones) the names of each version it has, pending drafts included."""
    versions: dict[str, list[tuple[TypeVersion, str]]] = {}
    for name, live_type in live.types.items():
        if live_type.status == "deleted":
            continue
        held = [(live_type.approved, ""), (live_type.draft, "its pending draft")]
        if live_type.status == "draft":
            held = [(live_type.draft, "its draft")]
        versions[name] = [(v, where) for v, where in held if v is not None]
    for change in changes:
        if change.action == "delete":
            versions.pop(change.apiName, None)
        elif change.after is not None:
            versions[change.apiName] = [(change.after, "")]
    holders: dict[str, list[NameHolder]] = {}
    for name, held_versions in versions.items():
        seen: set[tuple[str, str]] = set()
        for version, where in held_versions:
            for field in ("triggerName", "filterName"):
                value = getattr(version, field)
                key = smart_list_key(value)
                if (key, field) in seen:
                    continue
                seen.add((key, field))
                holders.setdefault(key, []).append(NameHolder(name, field, value, where))
    return holders


def describes_for(status: Status) -> tuple[bool, ...]:
    """The describe calls (draft flag of each) a type's listed status needs.

    `approved` needs the approved version, `draft` only the draft (nothing was ever approved),
    `approved with draft` both; a `deleted` type has nothing left to read.
    """
    if status == "approved":
        return (False,)
    if status == "draft":
        return (True,)
    if status == "approved with draft":
        return (False, True)
    return ()


def replacing_differences(approved: TypeVersion, target: TypeVersion) -> list[str]:
    """Why `target` cannot be reached in place from an approved version; empty when it can.

    the primary attribute cannot change after approval (709 in practice, the UI forbids
    it), and an attribute's dataType change after the first approval is replace-only.
    """
    reasons: list[str] = []
    before, after = approved.primaryAttribute, target.primaryAttribute
    if before.apiName != after.apiName:
        reasons.append(
            f"the primary attribute changes from {before.apiName} to {after.apiName}, which "
            "Marketo does not allow once a type was approved"
        )
    elif before.dataType != after.dataType:
        reasons.append(
            f"the primary attribute {after.apiName} changes data type from {before.dataType} to "
            f"{after.dataType}, which Marketo does not allow once a type was approved"
        )
    for attribute in target.attributes:
        old = approved.attribute(attribute.apiName)
        if old is not None and old.dataType != attribute.dataType:
            reasons.append(
                data_type_reason(attribute.apiName, old.dataType, attribute.dataType, True)
            )
    return reasons


# Adobe's Activities guide ("Custom Activity Type Attributes"): attribute edits on a live type
# apply to activities created after the approve, "Changes will not be applied retroactively to
# existing activities", and removing an attribute affects "their availability for use in the
# corresponding filters". Said once here; lint, plan and README use these words.
ATTRIBUTES_GUIDE = f"{ACTIVITIES_GUIDE}#custom-activity-type-attributes"
ATTRIBUTE_DROPPED = (
    "records sent before the approve keep their old attributes, values included, but the "
    "type's Smart List filters can no longer use it, and records sent after the approve "
    "cannot carry it"
)

# Edits land in a draft; the live version changes at the approve.
UPDATE_THROUGH_DRAFT = (
    "edited in a draft and published by the approve; records sent before it keep their old "
    "attributes"
)

# What a type replace loses: a new type (new id) whose Smart List trigger and filter are new.
REPLACE_LOSES = "its history and Smart List use are lost"
FROZEN_SUMMARY = (
    "Marketo freezes it once the type is approved and in use, which no API call can tell"
)
STRAY_DRAFT_LOST = "the work it holds is lost"

# How each kind of difference of a custom activity type is graded, on an approved type and on
# one never approved (nothing published, no records: nothing to lose but a draft). The ids are
# the rule ids lint reports and definitions acknowledge; plan grades with the same table.
RULE_BOOK = RuleBook("custom activity type", {rule.id: rule for rule in (
    Rule("type-created", "a new type is created as a draft, then approved", "safe"),
    Rule("type-deleted",
         "the type is to be deleted (`ensure: absent`) with its Smart List trigger and filter; "
         "its history is lost", "destructive", draft="destructive"),
    Rule("display-name-changed", f"the type's display name changed: {FROZEN_SUMMARY}",
         "breaking"),
    Rule("description-changed", f"the type's description changed: {FROZEN_SUMMARY}",
         "breaking"),
    Rule("trigger-name-changed",
         f"the Smart List trigger name changed: {FROZEN_SUMMARY}, and Smart Lists and "
         "campaigns that use it must be checked", "breaking"),
    Rule("filter-name-changed",
         f"the Smart List filter name changed: {FROZEN_SUMMARY}, and Smart Lists and "
         "campaigns that use it must be checked", "breaking"),
    Rule("primary-attribute-changed",
         "the primary attribute's apiName or data type changed: Marketo allows it only by "
         f"replacing the type (deleted and created again): {REPLACE_LOSES}", "destructive"),
    Rule("primary-attribute-edited",
         f"the primary attribute's display name or description changed: {FROZEN_SUMMARY}",
         "breaking"),
    Rule("attribute-added", "an attribute was added", "safe"),
    Rule("attribute-removed", f"an attribute was removed: {ATTRIBUTE_DROPPED}", "destructive"),
    Rule("attribute-renamed",
         "an attribute was renamed (`renamedFrom`): Marketo cannot rename an apiName, so the "
         f"old one is removed and the new one created; {ATTRIBUTE_DROPPED}", "destructive"),
    Rule("data-type-changed",
         "an attribute's data type changed: Marketo allows it only by replacing the type "
         f"(deleted and created again): {REPLACE_LOSES}", "destructive"),
    Rule("attribute-display-name-changed",
         "an attribute's display name changed: senders that name it by its display name "
         "instead of its apiName must change", "breaking"),
    Rule("attribute-description-changed", "an attribute's description changed", "safe"),
    Rule("stray-draft-discarded",
         "a pending draft made outside the repository (in the Marketo UI) is discarded: "
         f"{STRAY_DRAFT_LOST}", "breaking", live_only=True),
    Rule("stray-draft-overwritten",
         "a pending draft made outside the repository (in the Marketo UI) is overwritten: "
         f"{STRAY_DRAFT_LOST}", "breaking", live_only=True),
)})

# The rule of each type field update_type can change.
FIELD_RULES: dict[str, str] = {
    "name": "display-name-changed",
    "description": "description-changed",
    "triggerName": "trigger-name-changed",
    "filterName": "filter-name-changed",
}


def frozen_field_reason(field: str, before: str | None, after: str | None) -> str:
    """The reason an edit of a field frozen once in use is breaking."""
    what = {"name": "display name", "triggerName": "trigger name", "filterName": "filter name"}
    text = f"{what.get(field, field)} changes from {before!r} to {after!r}"
    if field in ("triggerName", "filterName"):
        text += "; Smart Lists and campaigns that use it by its old name must be checked"
    return f"{text}; {IN_USE_UNKNOWN}"


def primary_frozen(before: LiveAttribute, after: LiveAttribute, ever_approved: bool) -> bool:
    """Whether an in-place edit of the primary attribute touches what Marketo freezes once the
    type is approved and in use: the whole primary attribute (its name and description)."""
    return ever_approved and before != after


def primary_edit_reason(before: LiveAttribute, after: LiveAttribute) -> str:
    """The reason an edit of the primary attribute on an approved type is breaking."""
    edits = [
        f"{label} changes from {old!r} to {new!r}"
        for label, old, new in (("display name", before.name, after.name),
                                ("description", before.description, after.description))
        if old != new
    ]
    return f"primary attribute {after.apiName} {' and '.join(edits)}; {IN_USE_UNKNOWN}"


def attribute_name_reason(before: LiveAttribute, after: LiveAttribute) -> str:
    """Why renaming an attribute's display name on an approved type is breaking."""
    return (
        f"display name changes from {before.name!r} to {after.name!r}; senders that refer to "
        "the attribute by its display name instead of its apiName must change"
    )


NEVER_APPROVED = "the type was never approved, so nothing published is lost"


def attribute_removal_reason(api_name: str, ever_approved: bool) -> str:
    """Why removing an attribute is destructive once approved."""
    if not ever_approved:
        return f"attribute {api_name} is removed; {NEVER_APPROVED}"
    return f"attribute {api_name} is removed; {ATTRIBUTE_DROPPED}"


def attribute_rename_reason(old: str, new: str, ever_approved: bool) -> str:
    """Why `renamedFrom` is a delete and a create (attribute apiNames cannot change)."""
    text = (
        f"attribute {old} is renamed to {new}; Marketo cannot rename an attribute's apiName, so "
        f"{old} is deleted and {new} is created"
    )
    if not ever_approved:
        return f"{text}; {NEVER_APPROVED}"
    return f"{text}; for {old}, {ATTRIBUTE_DROPPED}"


def data_type_reason(api_name: str, before: str, after: str, ever_approved: bool) -> str:
    """A dataType change: replace-only after approval, delete and re-create in a draft."""
    text = f"attribute {api_name} changes data type from {before} to {after}"
    if ever_approved:
        return text + ", which is replace-only once a type was approved"
    return text + f"; it is deleted and created again in the draft; {NEVER_APPROVED}"


def type_deletion_reason(api_name: str, ever_approved: bool) -> str:
    """Why deleting a type is destructive."""
    if not ever_approved:
        return f"type {api_name} (a draft never approved) is deleted"
    return (
        f"type {api_name} is deleted with its Smart List trigger and filter; Marketo refuses "
        "(1022) while a smart list or campaign still uses it, and its history is lost"
    )


def can_discard_draft(status: Status) -> bool:
    """discardDraft only works on a type that has an approved version to fall back to."""
    return status == "approved with draft"
