"""Plans the policy refuses, as data: `protect` violations, Marketo's limits, one namespace of
trigger and filter names, and destructive changes that were not allowed. Pure: no I/O.

plan collects every refusal at once (`plan_refusals`) and stops with all of them; apply asks
`destructive_refusals` of the saved plan before it connects. Each `Refusal` carries a stable
code, the file, what is wrong and the fix, so no caller parses another's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from framework.definitions.model import ActivityTypeFile
from framework.errors import RefusedError
from framework.invocation import NO_OPTIONS, Invocation
from framework.kinds.custom_object.change import ObjectChange
from framework.live import LiveState
from framework.plan.model import Reason, TypeChange
from framework.plan.rules import MAX_ATTRIBUTES, names_held_after
from framework.policy.model import Refusal

# A change of either kind (custom activity type or custom object type).
AnyChange = TypeVar("AnyChange", TypeChange, ObjectChange)


def not_allowed_fix(invocation: Invocation) -> str:
    """How to let apply run destructive changes: after review, plan them with the allowance
    (the commands repeat the options of `invocation`)."""
    return (
        "review the destructive changes, then make the plan again with "
        f"`{invocation.command('plan', '--allow-destructive')}` (or "
        f"`{invocation.command('apply', '--allow-destructive')}`)"
    )


PROTECT_FIX = (
    "revert this change, or first merge a reviewed change that sets `protect: false` in {file}"
)


def plan_refusals(
    desired: Sequence[ActivityTypeFile],
    changes: Sequence[TypeChange],
    live: LiveState,
    *,
    max_types: int,
    invocation: Invocation = NO_OPTIONS,
) -> list[Refusal]:
    """Every protect violation and broken limit of a plan's changes; a fix that names a command
    repeats the options of `invocation`."""
    return [
        *_protect_violations(changes),
        *_attribute_limits(changes),
        *_type_limit(changes, live, max_types),
        *_name_clashes(desired, changes, live, invocation),
    ]


def raise_if_refused(refusals: Sequence[Refusal]) -> None:
    """Raise RefusedError listing every refusal; nothing when there is none."""
    if refusals:
        count = len(refusals)
        head = f"plan refused: {count} problem{'s' if count != 1 else ''}"
        raise RefusedError("\n".join([head, *(r.lines() for r in refusals)]))


def note_destructive(change: AnyChange, allowed: bool) -> AnyChange:
    """Say on each destructive change whether apply will run it."""
    if not change.destructive:
        return change
    note = (
        Reason(
            code="destructive-allowed",
            text="destructive: allowed because the plan was made with --allow-destructive",
        )
        if allowed
        else Reason(
            code="destructive-not-allowed",
            text="destructive: apply refuses it unless the plan is made with --allow-destructive",
        )
    )
    return change.model_copy(update={"reasons": (*change.reasons, note)})


def destructive_refusals(
    changes: Sequence[TypeChange | ObjectChange], *, allowed: bool,
    invocation: Invocation = NO_OPTIONS,
) -> list[Refusal]:
    """The destructive changes apply may not run: on a protected type always, on any other
    type unless the plan was made with --allow-destructive (the fix repeats the options of
    `invocation`)."""
    refusals: list[Refusal] = []
    for change in changes:
        if not change.destructive or (allowed and not change.protected):
            continue
        why = "; ".join(r.text for r in change.destructive_reasons()) or change.action
        where = f" ({change.file})" if change.file else ""
        if change.protected:
            refusals.append(Refusal(
                "protected", change.file or "",
                f"{change.apiName}{where}: {change.action}, but the type is protected: {why}",
                "remove `protect: true` from the definition of a protected type if you really "
                "mean it",
            ))
        else:
            refusals.append(Refusal(
                "destructive-not-allowed", change.file or "",
                f"{change.apiName}{where}: {change.action}: {why}",
                not_allowed_fix(invocation),
            ))
    return refusals


def _protect_violations(changes: Sequence[TypeChange]) -> list[Refusal]:
    refusals: list[Refusal] = []
    for change in changes:
        if not change.protected:
            continue
        what: list[str] = []
        if change.action in ("delete", "replace"):
            what.append(f"{change.action} the type")
        dropped = [
            a.renamedFrom or a.apiName
            for a in change.attributeChanges
            if a.action in ("remove", "rename") and not a.primary
        ]
        if dropped and change.action != "delete":
            what.append("drop attribute" + ("s " if len(dropped) > 1 else " ") + ", ".join(dropped))
        if what:
            file = str(change.file)
            refusals.append(Refusal(
                "protected", file,
                f"{file}: type {change.apiName} is protected (protect: true) and the plan "
                f"would {' and '.join(what)}",
                PROTECT_FIX.format(file=file),
            ))
    return refusals


def _attribute_limits(changes: Sequence[TypeChange]) -> list[Refusal]:
    # Marketo: 0 to 20 secondary attributes per type, error 1028.
    return [
        Refusal(
            "attribute-limit", str(change.file),
            f"{change.file}: type {change.apiName} has {len(change.after.attributes)} "
            f"attributes, over Marketo's limit of {MAX_ATTRIBUTES} besides the primary "
            "(error 1028)",
            "remove attributes until there are at most 20",
        )
        for change in changes
        if change.after is not None and len(change.after.attributes) > MAX_ATTRIBUTES
    ]


def _type_limit(changes: Sequence[TypeChange], live: LiveState, max_types: int) -> list[Refusal]:
    # Marketo: a subscription holds max_types custom activity types, error 1027.
    existing = sum(1 for t in live.types.values() if t.status != "deleted")
    created = [c for c in changes if c.action == "create"]
    deleted = sum(1 for c in changes if c.action == "delete")
    total = existing + len(created) - deleted
    if total <= max_types:
        return []
    files = ", ".join(str(c.file) for c in created)
    return [Refusal(
        "type-limit", files,
        f"{files}: the plan would leave {total} custom activity types on the instance, over the "
        f"limit of {max_types} (max_types; Marketo error 1027)",
        "delete types with `ensure: absent` tombstones first, or raise max_types in "
        "[tool.activities] of pyproject.toml if the subscription allows more",
    )]


def _name_clashes(
    desired: Sequence[ActivityTypeFile], changes: Sequence[TypeChange], live: LiveState,
    invocation: Invocation,
) -> list[Refusal]:
    """Trigger and filter names held after apply by more than one type (Marketo: 709).

    One namespace for both kinds across types, and every version counts: an unmanaged type's
    pending draft holds its names as its approved version does.
    """
    files = {d.definition.apiName: d.path for d in desired}
    holders = names_held_after(live, changes)
    refusals: list[Refusal] = []
    for _key, held in sorted(holders.items()):
        types = sorted({holder.apiName for holder in held})
        if len(types) < 2 or not any(name in files for name in types):
            continue
        where = ", ".join(files[n] for n in types if n in files)
        held = sorted(held, key=lambda h: (h.apiName not in files, h))
        who = " and ".join(holder.describe(files) for holder in held)
        unmanaged = [n for n in types if n not in files]
        fix = "give each type its own trigger and filter names"
        if unmanaged:
            fix += (f", or change {', '.join(unmanaged)} in Marketo (or import it with "
                    f"`{invocation.command('import', *unmanaged)}` and change its file)")
        refusals.append(Refusal(
            "name-clash", where,
            f"{where}: the Smart List name {held[0].value!r} would be held by {who}; Marketo "
            "requires trigger and filter names to be unique across all custom activity types, "
            "the two kinds together (error 709)",
            fix,
        ))
    return refusals
