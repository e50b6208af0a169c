"""Compare custom object definitions with the live types: a pure function, no I/O.

As for activity types (framework.plan.compare) a live type is absent, a draft never approved,
approved, or approved with a pending draft; the change is decided against the version users
see (the approved one, or the draft of a type never approved) and its steps are computed from
the version edits land in (the draft if any). Adobe's guide says what freezes on approval:
https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/custom-objects
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from framework.kinds.custom_object.change import FieldChange, ObjectChange
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
from framework.plan.reasons import Action, Reason, Risk

RISK_ORDER: dict[Risk, int] = {"safe": 0, "breaking": 1, "destructive": 2}
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


def worst(risks: Sequence[Risk]) -> Risk:
    return max(risks, key=RISK_ORDER.__getitem__, default="safe")


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
    if live.ever_approved and (why := frozen_differences(reference, target)):
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


def frozen_differences(approved: ObjectVersion, target: ObjectVersion) -> list[str]:
    """Why `target` cannot be reached in place from an approved version (Adobe: once approved,
    the display name and the link and dedupe fields cannot change); empty when it can."""
    reasons: list[str] = []
    if approved.displayName != target.displayName:
        reasons.append(f"displayName changes from {approved.displayName!r} to "
                       f"{target.displayName!r}, which Marketo does not allow once a custom "
                       "object type was approved")
    if approved.dedupe_fields != target.dedupe_fields:
        reasons.append(f"the dedupe fields change from {list(approved.dedupe_fields)} to "
                       f"{list(target.dedupe_fields)}, which Marketo does not allow once "
                       "approved")
    retyped = sorted(f.name for f in target.fields if f.isDedupeField
                     and (old := approved.field(f.name)) is not None
                     and old.isDedupeField and old.dataType != f.dataType)
    if retyped:
        reasons.append(f"dedupe field{'s' if len(retyped) > 1 else ''} {', '.join(retyped)} "
                       "change data type; a dedupe field cannot be deleted and added again "
                       "once the type was approved")
    before = {f.name: f.relatedTo for f in approved.links}
    after = {f.name: f.relatedTo for f in target.links}
    if before != after:
        reasons.append(f"the link fields change from {_links(approved)} to {_links(target)}, "
                       "which Marketo does not allow once approved")
    return reasons


def _links(version: ObjectVersion) -> str:
    parts = [f"{f.name} -> {f.relatedTo.name}.{f.relatedTo.field}"
             for f in version.links if f.relatedTo is not None]
    return "[" + ", ".join(parts) + "]"


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
    reasons = _type_reasons(reference, target)
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
        reasons, fields, risk = [Reason(code="stray-draft-discarded", text=(
            "a pending draft nobody in the repository made differs from the desired state; "
            "the approved version already matches it, so the draft is discarded"))], [], "safe"
    else:
        action, steps = "update", draft_steps(definition, draft, target, ever)
        reasons = [*reasons, Reason(code="stray-draft-overwritten" if ever else "draft-updated",
                                    text="a pending draft differs from the desired state; it is "
                                    "edited to match, then approved")]
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


def _type_reasons(before: ObjectVersion, after: ObjectVersion) -> list[Reason]:
    reasons = []
    for key in ("displayName", "description"):
        old, new = getattr(before, key), getattr(after, key)
        if old != new:
            reasons.append(Reason(code="field-changed", text=f"{key} changes from {old!r} to "
                                  f"{new!r}"))
    return reasons


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


def field_changes(before: ObjectVersion, target: ObjectVersion, renamed: Mapping[str, str],
                  *, ever_approved: bool) -> list[FieldChange]:
    """What happens to each field, in name order (removals last)."""
    had = {f.name: f for f in before.fields}
    wanted = {f.name for f in target.fields}
    renames = {new: old for new, old in renamed.items()
               if new not in had and old in had and old not in wanted}
    lost: Risk = "destructive" if ever_approved else "safe"
    tail = f"; {NEVER_APPROVED}" if not ever_approved else "; its values are lost"
    changes: list[FieldChange] = []
    for field in target.fields:
        old = had.get(field.name)
        if field.name in renames:
            previous = renames[field.name]
            changes.append(FieldChange(
                name=field.name, action="rename", renamedFrom=previous, before=had[previous],
                after=field, reason=Reason(code="field-renamed", risk=lost, text=(
                    f"field {previous} is renamed to {field.name}; Marketo cannot rename a "
                    f"field, so {previous} is deleted and {field.name} is added{tail}"))))
        elif old is None:
            changes.append(FieldChange(name=field.name, action="add", after=field, reason=Reason(
                code="field-added", text=f"field {field.name} ({field.dataType}) is added")))
        elif _recreated(old, field):
            changes.append(FieldChange(
                name=field.name, action="replace", before=old, after=field, reason=Reason(
                    code="field-data-type-changed", risk=lost, text=(
                        f"field {field.name} changes from {_shape(old)} to {_shape(field)}; it "
                        f"is deleted and added again{tail}"))))
        elif old != field:
            changes.append(FieldChange(
                name=field.name, action="update", before=old, after=field, reason=Reason(
                    code="field-edited", text=(f"field {field.name}: display name changes "
                                               f"from {old.displayName!r} to "
                                               f"{field.displayName!r}"))))
    gone = set(renames.values())
    for field in before.fields:
        if field.name not in wanted and field.name not in gone:
            changes.append(FieldChange(
                name=field.name, action="remove", before=field, reason=Reason(
                    code="field-removed", risk=lost,
                    text=f"field {field.name} is removed{tail}")))
    return changes


def _shape(field: FieldVersion) -> str:
    parts = [field.dataType]
    if field.isDedupeField:
        parts.append("dedupe")
    if field.relatedTo is not None:
        parts.append(f"-> {field.relatedTo.name}.{field.relatedTo.field}")
    return " ".join(parts)
