"""`activities lint` for custom object files: the plan's own differ classifies the change.

Lint grades a change as if the old file were approved on the instance (the case where records
are at stake), so the differ is asked what a plan from the old file's approved type to the new
file would do: the answer is graded under lint's rule ids (framework.lint.rules), the same
ids as activity types where they apply (`type-deleted`, `data-type-changed`,
`protect-removed`, `likely-rename`) and their own where they do not.
"""

from __future__ import annotations

from framework.kinds.custom_object.differ import change_for
from framework.kinds.custom_object.live import LiveObject, ObjectVersion
from framework.kinds.custom_object.model import CustomObject
from framework.lint.rules import Change

# A field change the differ grades as destructive, under its lint rule id.
FIELD_RULES = {"remove": "field-removed", "rename": "field-renamed",
               "replace": "data-type-changed"}


def classify_object(old: CustomObject, new: CustomObject) -> list[Change]:
    """Every breaking or destructive change from `old` to `new`."""
    name = new.apiName
    if old.ensure == "present" and new.ensure == "absent":
        return [Change(
            "type-deleted", name,
            f"{name}: ensure was changed from present to absent: the custom object type and "
            "every record of it are to be deleted",
            "keep `ensure: present`, or acknowledge the deletion", ("ensure",),
        )]
    changes: list[Change] = []
    if new.ensure == "present" and old.ensure == "present":
        approved = ObjectVersion.from_definition(old)
        live = LiveObject(apiName=old.apiName, status="approved", approved=approved)
        planned = change_for("", new, live)
        if planned.action == "replace":
            why = "; ".join(r.text for r in planned.reasons if r.code == "replace-required")
            changes.append(Change(
                "type-replaced", name,
                f"{name}: {why}: the type is replaced and every record of it is lost",
                "keep what Marketo freezes on approval, or acknowledge the replace",
                ("displayName",),
            ))
        else:
            changes += [
                Change(FIELD_RULES[f.action], name, f"{name}: {f.reason.text}",
                       "keep the field, or acknowledge the change", _field_path(new, f.name))
                for f in planned.fieldChanges if f.action in FIELD_RULES and f.risk != "safe"
            ]
    if old.protect and not new.protect:
        changes.append(Change(
            "protect-removed", name,
            f"{name}: protect was changed from true to false: plans may now delete or replace "
            "the type and drop its fields",
            "keep `protect: true`, or acknowledge removing it", ("protect",),
        ))
    return changes


def _field_path(definition: CustomObject, name: str) -> tuple[str | int, ...]:
    for index, field in enumerate(definition.fields):
        if field.name == name:
            return ("fields", index, "name")
    return ("fields",)
