"""Which custom object changes are allowed, and in what order they run. Pure: no I/O.

Refusals (each a line naming the file and the fix, all reported at once):
- `protect`: a protected type deleted or replaced, or a field dropped;
- a type in use: before a delete or a replace, the assets Marketo lists as depending on the
  type (Get Custom Object Type Dependent Assets), each named; and a live type that links to
  it and stays (Adobe: delete the intermediary object first);
- limits: at most `max_custom_objects` types, at most 20 fields added after approval;
- links: a link to a custom object type that will not be approved, or that links itself.

Order: a type that links to a custom object type created or replaced by the same plan runs in
a later wave, after that type's approve (Adobe: "approve edge" before "create bridge"); a type
deleted while a bridge that links to it is deleted too runs after the bridge.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from framework.errors import RefusedError
from framework.kinds.custom_object.change import ObjectChange
from framework.kinds.custom_object.live import LiveObject, ObjectVersion
from framework.kinds.custom_object.vocabulary import (
    MAX_FIELDS_ADDED_AFTER_APPROVAL,
    STANDARD_LINK_TARGETS,
)
from framework.plan.model import Wave
from framework.policy.model import Refusal

PROTECT_FIX = ("revert this change, or first merge a reviewed change that sets "
               "`protect: false` in {file}")


def object_refusals(
    changes: Sequence[ObjectChange], live: Mapping[str, LiveObject], max_objects: int
) -> list[Refusal]:
    """Every refusal of the plan's custom object changes, as data (framework.policy raises
    them with the activity types' refusals)."""
    return [
        *_protected(changes),
        *_in_use(changes, live),
        *_limits(changes, live, max_objects),
        *_links(changes, live),
    ]


def _protected(changes: Sequence[ObjectChange]) -> list[Refusal]:
    refusals = []
    for change in changes:
        if not change.protected:
            continue
        what = [f"{change.action} the type"] if change.action in ("delete", "replace") else []
        dropped = [f.renamedFrom or f.name for f in change.fieldChanges
                   if f.action in ("remove", "rename")]
        if dropped and change.action != "delete":
            what.append("drop field" + ("s " if len(dropped) > 1 else " ") + ", ".join(dropped))
        if what:
            file = str(change.file)
            refusals.append(Refusal(
                "protected", file,
                f"{file}: custom object type {change.apiName} is protected (protect: true) and "
                f"the plan would {' and '.join(what)}", PROTECT_FIX.format(file=file)))
    return refusals


def _in_use(changes: Sequence[ObjectChange], live: Mapping[str, LiveObject]) -> list[Refusal]:
    refusals = []
    leaving = {c.apiName for c in changes if c.action in ("delete", "replace")}
    for change in changes:
        if change.action not in ("delete", "replace"):
            continue
        file = str(change.file)
        found = live.get(change.apiName)
        assets = found.dependentAssets if found else ()
        if assets:
            named = "; ".join(f"{a.assetType} {a.assetId} {a.assetName!r}" for a in assets)
            refusals.append(Refusal(
                "type-in-use", file,
                f"{file}: custom object type {change.apiName} is in use, and Marketo refuses to "
                f"{change.action} a type while assets use it: {named}",
                "remove the type from those assets in Marketo (Get Custom Object Type "
                "Dependent Assets lists them), then make the plan again"))
        bridges = sorted(
            other.apiName for other in live.values()
            if other.apiName not in leaving and any(
                link.relatedTo is not None and link.relatedTo.name == change.apiName
                for version in (other.approved, other.draft) if version is not None
                for link in version.links))
        if bridges:
            refusals.append(Refusal(
                "type-linked", file,
                f"{file}: custom object type {change.apiName} is linked to by "
                f"{', '.join(bridges)}, which stay{'s' if len(bridges) == 1 else ''}; Marketo "
                f"cannot {change.action} a type another one links to",
                f"delete {', '.join(bridges)} first (`ensure: absent`), in this plan or an "
                "earlier one"))
    return refusals


def _limits(changes: Sequence[ObjectChange], live: Mapping[str, LiveObject],
            max_objects: int) -> list[Refusal]:
    refusals = []
    created = [c for c in changes if c.action == "create"]
    total = len(live) + len(created) - sum(c.action == "delete" for c in changes)
    if total > max_objects:
        files = ", ".join(str(c.file) for c in created)
        refusals.append(Refusal(
            "object-type-limit", files,
            f"{files}: the plan would leave {total} custom object types on the instance, over "
            f"the limit of {max_objects} (max_custom_objects)",
            "delete types with `ensure: absent` tombstones first, or raise max_custom_objects "
            "in [tool.activities] of pyproject.toml if the subscription allows more"))
    for change in changes:
        found = live.get(change.apiName)
        if change.action != "update" or found is None or found.approved is None:
            continue
        assert change.after is not None
        added = [f.name for f in change.after.fields if found.approved.field(f.name) is None]
        if len(added) > MAX_FIELDS_ADDED_AFTER_APPROVAL:
            file = str(change.file)
            refusals.append(Refusal(
                "field-addition-limit", file,
                f"{file}: custom object type {change.apiName} would get {len(added)} fields "
                f"added after its approval; Marketo allows {MAX_FIELDS_ADDED_AFTER_APPROVAL}",
                f"add at most {MAX_FIELDS_ADDED_AFTER_APPROVAL} fields in this plan, the rest "
                "in a later one"))
    return refusals


def _links(changes: Sequence[ObjectChange], live: Mapping[str, LiveObject]) -> list[Refusal]:
    """A link field's target must be approved when the link is added and must not link."""
    after: dict[str, ObjectVersion | None] = {
        name: found.approved for name, found in live.items()}
    for change in changes:
        after[change.apiName] = change.after
    refusals = []
    for change in changes:
        if change.after is None or change.action == "no-op":
            continue
        file = str(change.file)
        for field in change.after.links:
            assert field.relatedTo is not None
            target = field.relatedTo.name
            if target.casefold() in STANDARD_LINK_TARGETS:
                continue
            version = after.get(target)
            if version is None:
                refusals.append(Refusal(
                    "link-target-missing", file,
                    f"{file}: field {field.name} of {change.apiName} links to {target}, which "
                    "is not a custom object type the instance will have approved",
                    f"define {target} in the repository (or create it in Marketo), or link to "
                    "lead or company"))
            elif version.links:
                refusals.append(Refusal(
                    "link-target-links", file,
                    f"{file}: field {field.name} of {change.apiName} links to {target}, which "
                    "has a link field itself; Marketo does not let a custom object type link "
                    "to one that links", "link to a type without link fields"))
    return refusals


def object_order(changes: Sequence[ObjectChange]) -> tuple[Wave, ...]:
    """The waves of the custom object changes that do something."""
    active = {c.apiName: c for c in changes if c.action != "no-op"}
    fresh = {n for n, c in active.items() if c.action in ("create", "replace")}
    leaving = {n for n, c in active.items() if c.action in ("delete", "replace")}
    waits: dict[str, set[str]] = {n: set() for n in active}
    for name, change in active.items():
        if change.after is not None:
            waits[name] |= {f.relatedTo.name for f in change.after.links
                            if f.relatedTo is not None and f.relatedTo.name in fresh} - {name}
        if name in leaving:
            # A bridge that is deleted too goes first.
            waits[name] |= {other for other, c in active.items() if other != name
                            and other in leaving and c.before is not None and any(
                                f.relatedTo is not None and f.relatedTo.name == name
                                for f in c.before.links)}
    level: dict[str, int] = {}

    def visit(name: str, path: tuple[str, ...]) -> int:
        if name in level:
            return level[name]
        if name in path:
            raise RefusedError(
                f"plan refused: custom object types {', '.join(sorted(path))} wait for each "
                "other (links both ways); nothing was planned\n  fix: split the change into "
                "two plans")
        level[name] = max((visit(o, (*path, name)) + 1 for o in sorted(waits[name])),
                          default=0)
        return level[name]

    for name in sorted(active):
        visit(name, ())
    return tuple(
        Wave(number=number + 1, types=tuple(sorted(n for n in active if level[n] == number)))
        for number in range(max(level.values(), default=-1) + 1)
    )
