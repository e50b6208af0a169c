"""The order of a plan's calls, computed once when the plan is made. Pure: no I/O.

Types are independent except through what Marketo keeps unique across types: trigger and
filter names (one namespace, held by approved versions and drafts alike) and the number of
types. A plan runs in waves; in each wave every type's drafts are staged (its steps before
`approve`), then the approves run. So:

- a type that takes a name another type's *approved* version gives up waits for that type's
  approve: it runs in a later wave;
- a type that takes a name freed by a *staging* call (a delete, a discarded draft, a draft
  overwritten by the update) stages after that type's staging, in the same wave;
- new types stage after the deletes of their wave, which free the slots they need (1027);
- a cycle (two types swapping names) has no order: the plan is refused.

Apply runs exactly `Plan.order`; it never computes an order of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from framework.errors import RefusedError
from framework.kinds.custom_object.ops import ApproveObjectTypeOp, ObjectStep
from framework.live import LiveState, TypeVersion
from framework.plan.model import TypeChange, Wave
from framework.plan.ops import ApproveOp, CreateTypeOp, DeleteTypeOp, DiscardDraftOp, Step
from framework.plan.rules import smart_list_key


def split_phases(steps: Sequence[Step | ObjectStep]) -> int:
    """The index of the first approve: steps before it stage drafts, the rest publish (for
    both kinds of steps)."""
    return next(
        (i for i, s in enumerate(steps) if isinstance(s, ApproveOp | ApproveObjectTypeOp)),
        len(steps),
    )


def _names(version: TypeVersion | None) -> set[str]:
    if version is None:
        return set()
    return {smart_list_key(version.triggerName), smart_list_key(version.filterName)}


def _handovers(change: TypeChange, live: LiveState) -> tuple[set[str], set[str], set[str]]:
    """(names it takes, names its staging frees, names its approve frees)."""
    found = live.types.get(change.apiName)
    approved = _names(found.approved if found else None)
    draft = _names(found.draft if found else None)
    final = _names(change.after)
    takes = final - approved - draft
    if change.steps and isinstance(change.steps[0], DeleteTypeOp):
        return takes, approved | draft, set()
    if change.steps and isinstance(change.steps[0], DiscardDraftOp):
        return takes, draft - approved, set()
    staged_away = draft - approved - final
    return takes, staged_away, approved - final


def plan_order(changes: Sequence[TypeChange], live: LiveState) -> tuple[Wave, ...]:
    """The waves of the changes that do something; raises RefusedError for a swap."""
    active = [c for c in changes if c.action != "no-op"]
    by_name = {c.apiName: c for c in active}
    freed_by_staging: dict[str, list[str]] = {}
    freed_by_approve: dict[str, list[str]] = {}
    takes: dict[str, set[str]] = {}
    for change in active:
        wanted, at_staging, at_approve = _handovers(change, live)
        takes[change.apiName] = wanted
        for name in at_staging:
            freed_by_staging.setdefault(name, []).append(change.apiName)
        for name in at_approve:
            freed_by_approve.setdefault(name, []).append(change.apiName)
    across: dict[str, set[str]] = {n: set() for n in by_name}  # waits for their approve
    within: dict[str, set[str]] = {n: set() for n in by_name}  # waits for their staging
    for taker, names in takes.items():
        for name in names:
            within[taker].update(g for g in freed_by_staging.get(name, ()) if g != taker)
            across[taker].update(g for g in freed_by_approve.get(name, ()) if g != taker)
    deletes = {c.apiName for c in active if c.after is None}
    for change in active:
        if change.steps and isinstance(change.steps[0], CreateTypeOp):
            within[change.apiName] |= deletes
    level = _levels(across, within, sorted(by_name), by_name)
    waves: list[Wave] = []
    for number in range(max(level.values(), default=-1) + 1):
        members = sorted(n for n in by_name if level[n] == number)
        after = {n: tuple(sorted(within[n] & set(members))) for n in members}
        kept = {n: a for n, a in after.items() if a}
        waves.append(Wave(number=number + 1, types=tuple(members), after=kept))
    return tuple(waves)


def _levels(
    across: dict[str, set[str]],
    within: dict[str, set[str]],
    names: list[str],
    changes: dict[str, TypeChange],
) -> dict[str, int]:
    """Each type's wave: after the approves it waits for, not before the stagings."""
    level: dict[str, int] = {}
    path: list[str] = []

    def visit(name: str) -> int:
        if name in level:
            return level[name]
        if name in path:
            raise _swap_refusal([changes[n] for n in path[path.index(name) :]])
        path.append(name)
        after_approves = (visit(g) + 1 for g in sorted(across[name]))
        after_stagings = (visit(g) for g in sorted(within[name]))
        level[name] = max([*after_approves, *after_stagings], default=0)
        path.pop()
        return level[name]

    for name in names:
        visit(name)
    return level


def _swap_refusal(cycle: Iterable[TypeChange]) -> RefusedError:
    members = sorted(cycle, key=lambda c: c.apiName)
    files = " and ".join(str(c.file or c.apiName) for c in members)
    names = sorted(
        {
            name
            for c in members
            if c.after is not None
            for name in (c.after.triggerName, c.after.filterName)
        }
    )
    first = members[0]
    temporary = f"{first.after.triggerName} (old)" if first.after else "a temporary name"
    return RefusedError(
        f"plan refused: {files} swap trigger or filter names ({', '.join(map(repr, names))}) "
        "with each other; Marketo keeps these names unique across types at every call, so no "
        "order of calls can make this change in one plan; nothing was planned\n"
        f"  fix: split it into two pull requests: first give {first.apiName} a temporary name "
        f"(for example {temporary!r}) and apply that, then set the final names in a second one"
    )
