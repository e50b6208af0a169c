"""Compare the desired state with the live state: a pure function, no I/O.

For each definition file the live type is in one of four shapes: absent, a draft never
approved, approved, or approved with a pending draft. The change is decided against the live
*approved* version (what users see) and its steps against the *working* version (the pending
draft if any, which every edit lands in).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from framework.definitions.model import ActivityTypeFile
from framework.errors import PlanError
from framework.live import LiveState, LiveType, TypeVersion
from framework.plan.attributes import attribute_changes
from framework.plan.differ import differences
from framework.plan.model import Action, Reason, TypeChange
from framework.plan.ops import Step
from framework.plan.rules import (
    RULE_BOOK,
    STRAY_DRAFT_LOST,
    TYPE_FIELDS,
    UPDATE_THROUGH_DRAFT,
    can_discard_draft,
    frozen_field_reason,
    replacing_differences,
    type_deletion_reason,
)
from framework.plan.steps import approve_step, create_steps, delete_step, discard_step, draft_steps
from framework.policy.grade import grade, worst
from framework.policy.model import Difference, Standing

# The reason every edit of an ever-approved type carries (framework.plan.rules words it).
THROUGH_DRAFT = Reason(code="update-through-draft", text=UPDATE_THROUGH_DRAFT)
# Reasons of a change that throws away a pending draft made outside the repository.
STRAY_DRAFT_CODES = frozenset({"stray-draft-discarded", "stray-draft-overwritten"})


def compare(
    desired: Sequence[ActivityTypeFile], live: LiveState
) -> tuple[list[TypeChange], list[str]]:
    """The change for every definition file, and the live types no file manages.

    Whether the plan may do all that (protect, limits, destructive allowed) is the policy's
    question, asked of these changes next (framework.plan.pipeline.judged_changes).
    """
    managed = {d.definition.apiName for d in desired}
    changes = sorted(
        (_change_for(d, present(live, d.definition.apiName)) for d in desired),
        key=lambda c: c.apiName,
    )
    unmanaged = sorted(
        name for name in live.types if name not in managed and present(live, name) is not None
    )
    return changes, unmanaged


def present(live: LiveState, api_name: str) -> LiveType | None:
    """The live type, or None when it is absent (or only listed as deleted)."""
    found = live.types.get(api_name)
    return found if found is not None and found.status != "deleted" else None


def _change_for(file: ActivityTypeFile, live: LiveType | None) -> TypeChange:
    definition = file.definition
    if definition.ensure == "absent":
        return _tombstone(file, live)
    target = TypeVersion.from_definition(definition)
    if live is None:
        return _create(file, target)
    renamed = {a.apiName: a.renamedFrom for a in definition.attributes if a.renamedFrom}
    return _existing(file, target, live, renamed)


def _base(file: ActivityTypeFile, live: LiveType | None) -> dict[str, object]:
    return {
        "apiName": file.definition.apiName,
        "file": file.path,
        "protected": file.definition.protect,
        "liveStatus": live.status if live else None,
    }


def _create(file: ActivityTypeFile, target: TypeVersion) -> TypeChange:
    count = len(target.attributes)
    reason = Reason(
        code="type-created",
        text=f"type {target.apiName} does not exist; it is created as a draft with "
        f"{count} attribute{'s' if count != 1 else ''} besides the primary, then approved",
    )
    empty = target.model_copy(update={"attributes": ()})
    changes = attribute_changes(empty, target, differences(empty, target, {}), "absent")
    return TypeChange(
        **_base(file, None),
        action="create",
        risk="safe",
        reasons=(reason,),
        after=target,
        attributeChanges=tuple(changes),
        steps=tuple(create_steps(target)),
    )


def _tombstone(file: ActivityTypeFile, live: LiveType | None) -> TypeChange:
    name = file.definition.apiName
    if live is None:
        return TypeChange(
            **_base(file, live),
            action="no-op",
            risk="safe",
            reasons=(
                Reason(
                    code="already-absent", text=f"type {name} is already absent (ensure: absent)"
                ),
            ),
        )
    risk = RULE_BOOK["type-deleted"].risk(standing_of(live))
    return TypeChange(
        **_base(file, live),
        action="delete",
        risk=risk,
        reasons=(
            Reason(
                code="type-deleted",
                text=f"ensure: absent; {type_deletion_reason(name, live.ever_approved)}",
                risk=risk,
            ),
        ),
        before=_reference(live),
        steps=(delete_step(name),),
    )


def standing_of(live: LiveType | None) -> Standing:
    """Where a live type stands for the policy: approved once, a draft only, or absent."""
    if live is None:
        return "absent"
    return "approved" if live.ever_approved else "draft"


def _reference(live: LiveType) -> TypeVersion:
    """The version users see: the approved one, or the draft of a type never approved."""
    version = live.approved if live.ever_approved else live.draft
    if version is None:
        raise PlanError(
            f"type {live.apiName} is listed as {live.status!r} but its version was not read\n"
            "  fix: run the plan again; if it persists, report it as a bug"
        )
    return version


def _existing(
    file: ActivityTypeFile, target: TypeVersion, live: LiveType, renamed: Mapping[str, str]
) -> TypeChange:
    reference = _reference(live)
    draft = live.draft if live.status in ("draft", "approved with draft") else None
    ever = live.ever_approved
    if ever and (why := replacing_differences(reference, target)):
        return _replace(file, target, live, reference, renamed, why)
    standing = standing_of(live)
    found = differences(reference, target, renamed)
    attributes = attribute_changes(reference, target, found, standing)
    reasons = _field_changes(found, standing)
    outcome = _settled(target, live, reference, draft)
    if outcome is not None:
        action, steps, notes = outcome
        if action != "approve-draft":  # nothing published changes
            reasons, attributes = [], []
    else:
        action = "update"
        steps = draft_steps(draft or reference, target)
        notes = [_overwrite_note(draft, target, ever)] if draft is not None else []
        reasons = [THROUGH_DRAFT, *reasons] if ever else reasons
    risk = worst([*(r.risk for r in (*reasons, *notes)), *(a.risk for a in attributes)])
    stray = any(n.code in STRAY_DRAFT_CODES for n in notes)
    return TypeChange(
        **_base(file, live),
        action=action,
        risk=risk,
        reasons=(*reasons, *notes) or (_already_matches(target, file),),
        before=reference,
        after=target,
        attributeChanges=tuple(attributes),
        steps=tuple(steps),
        pendingDraft=draft if stray else None,
    )


def _already_matches(target: TypeVersion, file: ActivityTypeFile) -> Reason:
    return Reason(
        code="already-matches", text=f"type {target.apiName} already matches {file.path}"
    )


def _settled(
    target: TypeVersion,
    live: LiveType,
    reference: TypeVersion,
    draft: TypeVersion | None,
) -> tuple[Action, list[Step], list[Reason]] | None:
    """No-op, approve-draft or discard-draft when the live versions already hold the target;
    None when the draft needs editing."""
    name = target.apiName
    if draft is None:
        return ("no-op", [], []) if reference == target else None
    if draft == target and live.ever_approved and reference == target:
        # Same content as the approved version: discarding republishes nothing.
        return "discard-draft", [discard_step(name)], [Reason(
            code="draft-discarded",
            text="a pending draft equals the approved version; it is discarded")]
    if draft == target:
        # Publishing a draft that drops approved attributes is the destructive act itself: the
        # attribute changes (reference to target) carry that risk.
        return "approve-draft", [approve_step(name)], [Reason(
            code="draft-approved",
            text="a pending draft already equals the desired state; approving it publishes it")]
    if reference == target and can_discard_draft(live.status):
        return "discard-draft", [discard_step(name)], [Reason(
            code="stray-draft-discarded",
            text=f"a pending draft nobody in the repository made differs in "
            f"{_differences(draft, target)}; the approved version already matches the desired "
            f"state, so the draft is discarded: {STRAY_DRAFT_LOST}",
            risk=RULE_BOOK["stray-draft-discarded"].risk("approved"))]
    return None


def _overwrite_note(draft: TypeVersion, target: TypeVersion, ever: bool) -> Reason:
    if not ever:
        return Reason(
            code="draft-updated",
            text=f"the type is a draft never approved; it differs from the desired state in "
            f"{_differences(draft, target)}; the draft is updated, then approved",
        )
    return Reason(
        code="stray-draft-overwritten",
        text=f"a pending draft nobody in the repository made differs in "
        f"{_differences(draft, target)}; it is overwritten with the desired state, then approved: "
        f"{STRAY_DRAFT_LOST}",
        risk=RULE_BOOK["stray-draft-overwritten"].risk("approved"),
    )


def _replace(
    file: ActivityTypeFile,
    target: TypeVersion,
    live: LiveType,
    reference: TypeVersion,
    renamed: Mapping[str, str],
    why: list[str],
) -> TypeChange:
    reasons = [
        *(Reason(code="replace-required", text=w, risk="destructive") for w in why),
        Reason(
            code="type-replaced",
            text=f"type {target.apiName} is deleted and created again: its history and Smart "
            "List use are lost",
            risk="destructive",
        ),
    ]
    if live.status == "approved with draft":
        reasons.append(Reason(
            code="pending-draft-lost", text="its pending draft is lost with it", risk="destructive"
        ))
    return TypeChange(
        **_base(file, live),
        action="replace",
        risk="destructive",
        reasons=tuple(reasons),
        before=reference,
        after=target,
        attributeChanges=tuple(
            attribute_changes(
                reference, target, differences(reference, target, renamed), "approved"
            )
        ),
        steps=(delete_step(target.apiName), *create_steps(target)),
    )


def _field_changes(found: list[Difference], standing: Standing) -> list[Reason]:
    """The reasons of the type's own fields that differ, graded by the policy."""
    reasons: list[Reason] = []
    for difference in found:
        if difference.member is not None:
            continue
        field, old, new = str(difference.field), difference.before, difference.after
        risk = grade(difference, standing, RULE_BOOK)
        if risk != "safe":
            text, code = frozen_field_reason(field, old, new), "frozen-field-changed"
        else:
            text, code = f"{field} changes from {old!r} to {new!r}", "field-changed"
        reasons.append(Reason(code=code, text=text, risk=risk))
    return reasons


def _differences(a: TypeVersion, b: TypeVersion) -> str:
    """Where version `a` differs from `b`, in words (for pending drafts)."""
    fields = (*TYPE_FIELDS, "primaryAttribute")
    parts = [field for field in fields if getattr(a, field) != getattr(b, field)]
    for attribute in a.attributes:
        other = b.attribute(attribute.apiName)
        if other is None:
            parts.append(f"attribute {attribute.apiName} (only in the draft)")
        elif other != attribute:
            parts.append(f"attribute {attribute.apiName}")
    parts.extend(
        f"attribute {x.apiName} (missing from the draft)"
        for x in b.attributes
        if a.attribute(x.apiName) is None
    )
    return ", ".join(parts)
