"""In which order apply runs the types of a plan. Pure: no I/O.

Types are independent except through what Marketo keeps unique across types: trigger and
filter names, and the number of types. So:

- a type that claims a name another type gives up by an *update* waits for that type's
  approve (the approved version holds the name until then): it runs in a later wave;
- a type that claims a name another type gives up by a *delete* (or a replace, which deletes
  first) waits only for that type's staging phase, in the same wave;
- new types wait for the deletes of the same wave, which free their slots (1027 otherwise).

Within a wave, every type's drafts are staged (phase 1) before any approve (phase 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from framework.errors import RefusedError
from framework.live import TypeVersion
from framework.plan.model import TypeChange
from framework.plan.ops import Step


@dataclass(frozen=True)
class Wave:
    """Types staged then approved together; `waits` maps a type to those it stages after."""

    changes: tuple[TypeChange, ...]
    waits: dict[str, frozenset[str]] = field(default_factory=dict)


def split_phases(steps: tuple[Step, ...]) -> tuple[tuple[Step, ...], tuple[Step, ...]]:
    """(staging steps, steps from the first approve on)."""
    first = next((i for i, s in enumerate(steps) if s.op == "approve"), len(steps))
    return steps[:first], steps[first:]


def _names(version: TypeVersion | None) -> set[str]:
    return set() if version is None else {version.triggerName, version.filterName}


def _deletes_first(change: TypeChange) -> bool:
    return bool(change.steps) and change.steps[0].op == "delete_type"


def plan_waves(changes: list[TypeChange]) -> list[Wave]:
    """Group the changes to run into waves; refuses a cycle of name swaps."""
    by_name = {c.apiName: c for c in changes}
    across: dict[str, set[str]] = {c.apiName: set() for c in changes}  # wait for approve
    within: dict[str, set[str]] = {c.apiName: set() for c in changes}  # wait for staging
    for taker in changes:
        claims = _names(taker.after) - _names(taker.before)
        for giver in changes:
            if giver is taker or not claims & (_names(giver.before) - _names(giver.after)):
                continue
            (within if _deletes_first(giver) else across)[taker.apiName].add(giver.apiName)
    deletes = {c.apiName for c in changes if c.after is None}
    for change in changes:
        if change.before is None and change.steps and change.steps[0].op == "create_type":
            within[change.apiName] |= deletes
    level = _levels(across, within, sorted(by_name))
    waves: list[Wave] = []
    for number in range(max(level.values(), default=-1) + 1):
        members = sorted(n for n in by_name if level[n] == number)
        waits = {n: frozenset(within[n] & set(members)) for n in members}
        waves.append(Wave(tuple(by_name[n] for n in members), waits))
    return waves


def _levels(
    across: dict[str, set[str]], within: dict[str, set[str]], names: list[str]
) -> dict[str, int]:
    """Each type's wave: after the approves it waits for, not before the stagings."""
    level: dict[str, int] = {}
    visiting: set[str] = set()

    def visit(name: str) -> int:
        if name in level:
            return level[name]
        if name in visiting:
            raise _swap_refusal(sorted(visiting))
        visiting.add(name)
        after_approves = (visit(g) + 1 for g in across[name])
        after_stagings = (visit(g) for g in within[name])
        level[name] = max([*after_approves, *after_stagings], default=0)
        visiting.discard(name)
        return level[name]

    for name in names:
        visit(name)
    return level


def _swap_refusal(names: list[str]) -> RefusedError:
    return RefusedError(
        f"types {', '.join(names)} swap trigger or filter names with each other; Marketo keeps "
        "these names unique across types, so no order of calls can apply this plan\n"
        "  fix: rename one of them to a temporary name first, plan and apply that, then plan "
        "the final names"
    )
