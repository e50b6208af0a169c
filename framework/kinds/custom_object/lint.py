"""`activities lint` for custom object files: the plan's own differ classifies the change.

Lint names every change the policy grades as more than safe once approved (the case where
records are at stake): the kind's one differ says what differs, and the policy grades it with
the kind's rule book (framework.kinds.custom_object.rulebook), the answer plan gives too;
`lint -e ENV` grades each where the type stands there (framework.lint.review). The rule
ids are the same as activity types' where they apply (`type-deleted`, `data-type-changed`,
`protect-removed`) and their own where they do not.
"""

from __future__ import annotations

from framework.kinds.custom_object.differ import object_differences, words
from framework.kinds.custom_object.live import ObjectVersion
from framework.kinds.custom_object.model import CustomObject
from framework.kinds.custom_object.rulebook import OBJECT_RULE_BOOK
from framework.lint.rules import Change
from framework.policy.grade import grade


def classify_object(old: CustomObject, new: CustomObject) -> list[Change]:
    """Every change from `old` to `new` the policy grades as more than safe once approved."""
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
        renamed = {f.name: f.renamedFrom for f in new.fields if f.renamedFrom}
        found = [d for d in object_differences(ObjectVersion.from_definition(old),
                                               ObjectVersion.from_definition(new), renamed)
                 if grade(d, "approved", OBJECT_RULE_BOOK) != "safe"]
        frozen = [d for d in found if d.rule == "type-replaced"]
        if frozen:
            why = "; ".join(words(d, ever_approved=True) for d in frozen)
            changes.append(Change(
                "type-replaced", name,
                f"{name}: {why}: the type is replaced and every record of it is lost",
                "keep what Marketo freezes on approval, or acknowledge the replace",
                _field_path(new, frozen[0].member) if frozen[0].member else ("displayName",),
            ))
        else:
            changes += [
                Change(d.rule, name, f"{name}: {words(d, ever_approved=True)}",
                       "keep the field, or acknowledge the change",
                       _field_path(new, d.member or ""))
                for d in found
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
