"""Compare custom object definitions with the live types: a pure function, no I/O.

As for activity types (framework.plan.compare) a live type is absent, a draft never approved,
approved, or approved with a pending draft; the change is decided against the version users
see (the approved one, or the draft of a type never approved) and its steps are computed from
the version edits land in (the draft if any). Adobe's guide says what freezes on approval:
https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/custom-objects
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from framework.kinds.custom_object.change import FieldAction, FieldChange, ObjectChange
from framework.kinds.custom_object.live import FieldVersion, LiveObject, ObjectVersion
from framework.kinds.custom_object.model import CustomObject
from framework.kinds.custom_object.ops import (
    AddObjectFieldsOp,
    ApproveObjectTypeOp,
    DeleteObjectFieldsOp,
    DeleteObjectTypeOp,
    DiscardObjectDraftOp,
    FieldSpec,
    ObjectStep,
    SyncObjectTypeOp,
    UpdateObjectFieldOp,
)
from framework.kinds.custom_object.rulebook import OBJECT_RULE_BOOK
from framework.plan.reasons import Action, Reason, Risk
from framework.policy.grade import grade
from framework.policy.grade import worst as worst_of
from framework.policy.model import Difference, Standing

# Said on every custom object change whose file sets a key Marketo never reads back.
WRITE_ONLY = Reason(
    code="write-only-keys",
    text="pluralName, showInLeadDetail and field descriptions are sent whenever the type is "
    "created or updated, but Marketo never reads them back: a change to them alone plans "
    "nothing",
)
NEVER_APPROVED = "the type was never approved, so nothing published is lost"


def compare_objects(
    desired: Sequence[tuple[str, CustomObject]], live: Mapping[str, LiveObject]
) -> tuple[list[ObjectChange], list[str]]:
    """The change for every custom object file (path, definition), and the live custom object
    types no file manages."""
    managed = {definition.apiName for _, definition in desired}
    changes = sorted(
        (change_for(path, definition, live.get(definition.apiName))
         for path, definition in desired),
        key=lambda c: c.apiName,
    )
    return changes, sorted(name for name in live if name not in managed)


def worst(risks: Iterable[Risk]) -> Risk:
    return worst_of(risks)


def change_for(path: str, definition: CustomObject, live: LiveObject | None) -> ObjectChange:
    base = {"apiName": definition.apiName, "file": path, "protected": definition.protect,
            "liveStatus": live.status if live else None}
    if definition.ensure == "absent":
        return _tombstone(base, definition, live)
    target = ObjectVersion.from_definition(definition)
    notes = [WRITE_ONLY] if _sets_write_only(definition) else []
    if live is None:
        return _create(base, definition, target, notes)
    reference = live.reference
    assert reference is not None, "a listed type has a version"
    if live.ever_approved and (why := frozen_differences(reference, target,
                                                          _renames(definition))):
        return _replace(base, definition, target, live, reference, why, notes)
    return _existing(base, definition, target, live, reference, notes)


def _sets_write_only(definition: CustomObject) -> bool:
    return (definition.pluralName is not None or definition.showInLeadDetail
            or any(f.description is not None for f in definition.fields))


def create_steps(definition: CustomObject) -> list[ObjectStep]:
    """Create the draft, add every field in one call, approve."""
    steps: list[ObjectStep] = [SyncObjectTypeOp.of(definition, "createOnly", display_name=True)]
    if definition.fields:
        steps.append(AddObjectFieldsOp(apiName=definition.apiName,
                                       fields=tuple(FieldSpec.of(f) for f in definition.fields)))
    steps.append(ApproveObjectTypeOp(apiName=definition.apiName))
    return steps


def _tombstone(base: dict[str, object], definition: CustomObject,
               live: LiveObject | None) -> ObjectChange:
    name = definition.apiName
    if live is None:
        return ObjectChange(**base, action="no-op", risk="safe", reasons=(Reason(
            code="already-absent", text=f"custom object type {name} is already absent "
            "(ensure: absent)"),))
    what = (f"custom object type {name} is deleted with every record of it; Marketo refuses "
            "while an asset uses it, and it cannot be restored" if live.ever_approved
            else f"custom object type {name} (a draft never approved) is deleted")
    return ObjectChange(
        **base, action="delete", risk="destructive",
        reasons=(Reason(code="type-deleted", text=f"ensure: absent; {what}", risk="destructive"),),
        before=live.reference, steps=(DeleteObjectTypeOp(apiName=name),),
    )


def _create(base: dict[str, object], definition: CustomObject, target: ObjectVersion,
            notes: list[Reason]) -> ObjectChange:
    count = len(target.fields)
    reason = Reason(code="type-created", text=(
        f"custom object type {target.apiName} does not exist; it is created as a draft with "
        f"{count} field{'s' if count != 1 else ''}, then approved"))
    empty = target.model_copy(update={"fields": ()})
    return ObjectChange(
        **base, action="create", risk="safe", reasons=(reason, *notes), after=target,
        fieldChanges=tuple(field_changes(empty, target, {}, ever_approved=False)),
        steps=tuple(create_steps(definition)),
    )


def object_differences(
    before: ObjectVersion, after: ObjectVersion, renamed: Mapping[str, str]
) -> list[Difference]:
    """Every difference from `before` to `after`: facts, no judgement (the policy grades them
    with OBJECT_RULE_BOOK). `renamed` maps a new field name to the one it replaces. What Marketo
    freezes on approval (the display name, dedupe fields and their data types, link fields)
    is a `type-replaced` difference."""
    name = after.apiName
    found: list[Difference] = []
    if before.displayName != after.displayName:
        found.append(Difference("type-replaced", name, None, "displayName",
                                before.displayName, after.displayName))
    if before.description != after.description:
        found.append(Difference("object-description-changed", name, None, "description",
                                before.description, after.description))
    had = {f.name: f for f in before.fields}
    wanted = {f.name for f in after.fields}
    renames = {new: old for new, old in renamed.items()
               if new not in had and old in had and old not in wanted}
    for field in after.fields:
        old = had.get(renames.get(field.name, field.name))
        if field.name in renames:
            found.append(Difference("field-renamed", name, field.name, "name",
                                    renames[field.name], field.name))
        elif old is None:
            found.append(Difference("field-added", name, field.name, after=_shape(field)))
        else:
            if old.dataType != field.dataType and not (old.frozen_part != field.frozen_part
                                                      or field.isDedupeField):
                found.append(Difference("data-type-changed", name, field.name, "dataType",
                                        old.dataType, field.dataType))
            if old.displayName != field.displayName:
                found.append(Difference("field-display-name-changed", name, field.name,
                                        "displayName", old.displayName, field.displayName))
        if _frozen(old, field):
            found.append(Difference("type-replaced", name, field.name, "field",
                                    _shape(old) if old else None, _shape(field)))
    gone = set(renames.values())
    for field in before.fields:
        if field.name not in wanted and field.name not in gone:
            found.append(Difference("field-removed", name, field.name, before=_shape(field)))
        if field.name not in wanted and _frozen(field, None):
            found.append(Difference("type-replaced", name, field.name, "field", _shape(field)))
    return found


def _frozen(old: FieldVersion | None, new: FieldVersion | None) -> bool:
    """Whether a field's change touches what Marketo freezes on approval: a dedupe or link
    field added, removed or changed (a dedupe field's data type included)."""
    if old is None or new is None:
        present = old or new
        return present is not None and (present.isDedupeField or present.relatedTo is not None)
    return _frozen_key(old) != _frozen_key(new)


def _frozen_key(field: FieldVersion) -> tuple[object, ...]:
    return (*field.frozen_part, field.dataType if field.isDedupeField else None)


def frozen_differences(approved: ObjectVersion, target: ObjectVersion,
                       renamed: Mapping[str, str] | None = None) -> list[str]:
    """Why `target` cannot be reached in place from an approved version, in words; empty when
    it can (the `type-replaced` differences)."""
    return [words(d, ever_approved=True)
            for d in object_differences(approved, target, renamed or {})
            if d.rule == "type-replaced"]


def _replace(base: dict[str, object], definition: CustomObject, target: ObjectVersion,
             live: LiveObject, reference: ObjectVersion, why: list[str],
             notes: list[Reason]) -> ObjectChange:
    reasons = [
        *(Reason(code="replace-required", text=w, risk="destructive") for w in why),
        Reason(code="type-replaced", risk="destructive", text=(
            f"custom object type {target.apiName} is deleted and created again: every record "
            "of it is lost, and Marketo offers no way to restore them")),
    ]
    if live.status == "approvedWithDraft":
        reasons.append(Reason(code="pending-draft-lost", text="its pending draft is lost with it",
                              risk="destructive"))
    renamed = _renames(definition)
    return ObjectChange(
        **base, action="replace", risk="destructive", reasons=(*reasons, *notes),
        before=reference, after=target,
        fieldChanges=tuple(field_changes(reference, target, renamed, ever_approved=True)),
        steps=(DeleteObjectTypeOp(apiName=target.apiName), *create_steps(definition)),
    )


def _renames(definition: CustomObject) -> dict[str, str]:
    return {f.name: f.renamedFrom for f in definition.fields if f.renamedFrom}


def _existing(base: dict[str, object], definition: CustomObject, target: ObjectVersion,
              live: LiveObject, reference: ObjectVersion, notes: list[Reason]) -> ObjectChange:
    ever = live.ever_approved
    name = target.apiName
    renamed = _renames(definition)
    fields = field_changes(reference, target, renamed, ever_approved=ever)
    reasons = _type_reasons(reference, target, ever)
    risk = worst([*(r.risk for r in reasons), *(f.risk for f in fields)])
    draft = live.draft
    action: Action
    steps: list[ObjectStep]
    if draft is None:
        if reference == target:
            return ObjectChange(**base, action="no-op", risk="safe", before=reference,
                                after=target, reasons=(_matches(name, definition), *notes))
        action, steps = "update", draft_steps(definition, reference, target, ever)
    elif ever and draft == target and reference == target:
        action, steps = "discard-draft", [DiscardObjectDraftOp(apiName=name)]
        reasons, fields, risk = [Reason(code="draft-discarded", text=(
            "a pending draft equals the approved version; it is discarded"))], [], "safe"
    elif draft == target:
        action, steps = "approve-draft", [ApproveObjectTypeOp(apiName=name)]
        reasons = [*reasons, Reason(code="draft-approved", text=(
            "a pending draft already equals the desired state; approving it publishes it"))]
    elif ever and reference == target:
        action, steps = "discard-draft", [DiscardObjectDraftOp(apiName=name)]
        reasons, fields, risk = [Reason(code="stray-draft-discarded", risk="breaking", text=(
            "a pending draft nobody in the repository made differs from the desired state; "
            "the approved version already matches it, so the draft is discarded: the work it "
            "holds is lost"))], [], "breaking"
    else:
        action, steps = "update", draft_steps(definition, draft, target, ever)
        stray = Reason(code="stray-draft-overwritten", risk="breaking", text=(
            "a pending draft nobody in the repository made differs from the desired state; it "
            "is edited to match, then approved: the work it holds is lost"))
        reasons = [*reasons, stray if ever else Reason(code="draft-updated", text=(
            "the type is a draft never approved; it differs from the desired state, so the "
            "draft is edited to match, then approved"))]
        risk = worst([risk, stray.risk]) if ever else risk
    if ever and action == "update":
        reasons.insert(0, Reason(code="update-through-draft", text=(
            "edited in a draft and published by the approve")))
    return ObjectChange(
        **base, action=action, risk=risk, reasons=(*reasons, *notes), before=reference,
        after=target, fieldChanges=tuple(fields), steps=tuple(steps),
    )


def _matches(name: str, definition: CustomObject) -> Reason:
    return Reason(code="already-matches",
                  text=f"custom object type {name} already matches its definition")


def _type_reasons(before: ObjectVersion, after: ObjectVersion, ever: bool) -> list[Reason]:
    """The type-level differences (no field): graded by the policy."""
    standing: Standing = "approved" if ever else "draft"
    return [
        Reason(code=d.rule, risk=grade(d, standing, OBJECT_RULE_BOOK),
               text=words(d, ever) if d.rule == "type-replaced"
               else f"{d.field} changes from {d.before!r} to {d.after!r}")
        for d in object_differences(before, after, {}) if d.member is None
    ]


def draft_steps(definition: CustomObject, working: ObjectVersion, target: ObjectVersion,
                ever_approved: bool) -> list[ObjectStep]:
    """The draft edits that turn `working` into `target`, then approve. A field whose data
    type, dedupe or link part differs is deleted and added again (after approval only the
    data type of a plain field can reach here: the rest is a replace of the type)."""
    had = {f.name: f for f in working.fields}
    wanted = {f.name: f for f in target.fields}
    recreate = {n for n, f in wanted.items() if n in had and _recreated(had[n], f)}
    removed = tuple(n for n in had if n not in wanted or n in recreate)
    updated = [n for n, f in wanted.items()
               if n in had and n not in recreate and had[n].displayName != f.displayName]
    added = [n for n in wanted if n not in had or n in recreate]
    name = target.apiName
    steps: list[ObjectStep] = []
    if working.description != target.description or working.displayName != target.displayName:
        steps.append(SyncObjectTypeOp.of(definition, "updateOnly",
                                         display_name=not ever_approved))
    if removed:
        steps.append(DeleteObjectFieldsOp(apiName=name, fields=tuple(sorted(removed))))
    specs = {f.name: FieldSpec.of(f) for f in definition.fields}
    for field in sorted(updated):
        spec = specs[field]
        steps.append(UpdateObjectFieldOp(apiName=name, field=field, displayName=spec.displayName,
                                         description=spec.description))
    if added:
        steps.append(AddObjectFieldsOp(apiName=name,
                                       fields=tuple(specs[n] for n in sorted(added))))
    steps.append(ApproveObjectTypeOp(apiName=name))
    return steps


def _recreated(old: FieldVersion, new: FieldVersion) -> bool:
    return old.dataType != new.dataType or old.frozen_part != new.frozen_part


# The field change each difference makes, most telling first when a field has several.
FIELD_ACTIONS: dict[str, FieldAction] = {
    "field-renamed": "rename", "field-removed": "remove", "type-replaced": "replace",
    "data-type-changed": "replace", "field-added": "add", "field-display-name-changed": "update",
}


def field_changes(before: ObjectVersion, target: ObjectVersion, renamed: Mapping[str, str],
                  *, ever_approved: bool) -> list[FieldChange]:
    """What happens to each field, graded by the policy, in the differ's order."""
    standing: Standing = "approved" if ever_approved else "draft"
    by_field: dict[str, list[Difference]] = {}
    for difference in object_differences(before, target, renamed):
        if difference.member is None:
            continue
        if difference.rule == "type-replaced" and difference.before is None and not ever_approved:
            continue  # a dedupe or link field a draft gains is only added: field-added says so
        by_field.setdefault(difference.member, []).append(difference)
    had = {f.name: f for f in before.fields}
    changes = []
    for name, found in by_field.items():
        found.sort(key=lambda d: list(FIELD_ACTIONS).index(d.rule))
        first = found[0]
        risk = worst(grade(d, standing, OBJECT_RULE_BOOK) for d in found)
        old = had.get(first.before if first.rule == "field-renamed" else name)  # type: ignore[arg-type]
        changes.append(FieldChange(
            name=name, action=FIELD_ACTIONS[first.rule], before=old, after=target.field(name),
            renamedFrom=first.before if first.rule == "field-renamed" else None,
            reason=Reason(code=first.rule, risk=risk,
                          text="; ".join(words(d, ever_approved) for d in found)),
        ))
    return changes


def words(d: Difference, ever_approved: bool) -> str:
    """A difference in words, for the plan's reasons."""
    tail = "; its values are lost" if ever_approved else f"; {NEVER_APPROVED}"
    match d.rule:
        case "field-added":
            return f"field {d.member} ({d.after}) is added"
        case "field-removed":
            return f"field {d.member} is removed{tail}"
        case "field-renamed":
            return (f"field {d.before} is renamed to {d.after}; Marketo cannot rename a field, "
                    f"so {d.before} is deleted and {d.after} is added{tail}")
        case "data-type-changed":
            return (f"field {d.member} changes data type from {d.before} to {d.after}; it is "
                    f"deleted and added again{tail}")
        case "field-display-name-changed":
            return f"field {d.member}: display name changes from {d.before!r} to {d.after!r}"
        case "type-replaced" if d.member is None:
            return (f"displayName changes from {d.before!r} to {d.after!r}"
                    + (", which Marketo does not allow once a custom object type was approved"
                       if ever_approved else ""))
        case "type-replaced":
            change = (f"is added as {d.after}" if d.before is None else
                      f"({d.before}) is removed" if d.after is None else
                      f"changes from {d.before} to {d.after}")
            return (f"field {d.member} {change}" + (
                ", and Marketo does not allow adding, removing or changing a dedupe or link "
                "field once the type was approved" if ever_approved else
                "; it is deleted and added again in the draft"))
    return f"{d.field} changes from {d.before!r} to {d.after!r}"


def _shape(field: FieldVersion) -> str:
    parts = [field.dataType]
    if field.isDedupeField:
        parts.append("dedupe")
    if field.relatedTo is not None:
        parts.append(f"-> {field.relatedTo.name}.{field.relatedTo.field}")
    return " ".join(parts)
