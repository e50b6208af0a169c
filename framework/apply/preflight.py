"""Reviewed means applied: compare the re-read live state with the plan's fingerprints. Pure.

Per type to change:
- `pending`: live is as planned; every step runs;
- `done`: live already is the change's target; nothing runs;
- `resuming`: an earlier run of this plan (per the journal) started it and did not finish it;
  the steps the journal shows finished are skipped, then those whose effect is already live;
- `stale`: anything else. One stale type refuses the whole plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from framework.apply.assumed import assumption_moves
from framework.apply.journal import JournalState
from framework.apply.reconcile import at_target, residual
from framework.errors import StalePlanError
from framework.invocation import Invocation
from framework.live import LiveState, LiveType, TypeVersion
from framework.plan.model import Plan, TypeChange
from framework.plan.ops import Step

Standing = Literal["pending", "done", "resuming", "stale"]


@dataclass(frozen=True)
class TypeCheck:
    """Where one type stands, and (when resuming) the steps still to send, by index."""

    change: TypeChange
    standing: Standing
    todo: tuple[tuple[int, Step], ...]
    already_live: tuple[int, ...] = ()  # indexes not sent because their effect is live


def changes_to_apply(plan: Plan) -> list[TypeChange]:
    return [c for c in plan.changes if c.action != "no-op"]


def check_type(
    change: TypeChange, live: LiveState, fingerprint: str | None, journal: JournalState
) -> TypeCheck:
    """Where `change` stands against the live state and the journal."""
    now = live.types.get(change.apiName)
    everything = tuple(enumerate(change.steps))
    if at_target(change, now):
        return TypeCheck(change, "done", (), tuple(i for i, _ in everything))
    if fingerprint is not None and live.fingerprint_of(change.apiName) == fingerprint:
        return TypeCheck(change, "pending", everything)
    finished = journal.finished_steps(change.apiName)
    if not journal.touched(change.apiName) or len(finished) >= len(change.steps):
        return TypeCheck(change, "stale", everything)
    todo = [(i, s) for i, s in everything if i not in finished]
    skipped: list[int] = []
    # Skip the leading steps already in effect; a partly applied batch shrinks to its rest.
    while todo:
        index, step = todo[0]
        rest = residual(step, now, change.after)
        if rest is not None:
            todo[0] = (index, rest)
            break
        skipped.append(index)
        todo.pop(0)
    return TypeCheck(change, "resuming", tuple(todo), tuple(skipped))


def check_plan(
    plan: Plan,
    live: LiveState,
    journal: JournalState,
    plan_name: str,
    held: Mapping[str, frozenset[str]] | None = None,
    *,
    invocation: Invocation,
) -> list[TypeCheck]:
    """Every type to change, checked, and the plan's assumptions about the rest of the
    instance (`held`: the names each live type holds); raises StalePlanError naming what
    moved (its fix repeats the options of `invocation`). A plan whose types are all at their
    target is not stale."""
    checks = [
        check_type(c, live, plan.fingerprints.get(c.apiName), journal)
        for c in changes_to_apply(plan)
    ]
    stale = [c for c in checks if c.standing == "stale"]
    lines = [
        f"  - {c.change.apiName}: {describe_move(c.change, live.types.get(c.change.apiName))}"
        for c in stale
    ]
    if held is not None and any(c.standing != "done" for c in checks):
        lines += [f"  - {line}" for line in assumption_moves(plan, held)]
    if lines:
        raise StalePlanError(
            f"{plan_name} is stale: the live instance changed since the plan was made, and is "
            "neither as planned nor as the plan would leave it; nothing was changed\n"
            + "\n".join(lines)
            + f"\n  fix: make a new plan (`{invocation.command('plan')}`), review it, and apply "
            "that one"
        )
    return checks


def describe_move(change: TypeChange, now: LiveType | None) -> str:
    """How a type differs now from when the plan was made (and from its target), in words."""
    was = change.liveStatus
    if now is None:
        return f"{was} when planned; now absent (deleted)" if was else "absent, as planned"
    current = now.approved or now.draft
    assert current is not None
    if was is None:
        parts = [f"absent when planned; now exists ({now.status})"]
    else:
        parts = [] if was == now.status else [f"{was} when planned; now {now.status}"]
        if change.before is not None:
            parts.extend(version_differences(change.before, current))
        if not parts:
            parts.append(f"{now.status}; its draft changed since the plan was made")
    if change.after is not None:
        missed = version_differences(change.after, current, target=True)
        if missed:
            parts.append("differs from the plan's target: " + ", ".join(missed))
    return "; ".join(parts)


def version_differences(
    before: TypeVersion, now: TypeVersion, *, target: bool = False
) -> list[str]:
    """Field and attribute differences between two versions, in words.

    With `target`, `before` is what the type should be rather than what it was.
    """
    was, added_label, removed_label = (
        ("should be", "unexpected attributes", "attributes missing")
        if target
        else ("was", "attributes added", "attributes removed")
    )
    out: list[str] = []
    for key in ("name", "description", "triggerName", "filterName"):
        old, new = getattr(before, key), getattr(now, key)
        if old != new:
            out.append(f"{key} is now {new!r} ({was} {old!r})")
    old_primary, new_primary = before.primaryAttribute, now.primaryAttribute
    if old_primary != new_primary:
        out.append(
            f"primary attribute is now {new_primary.apiName} ({new_primary.dataType}) "
            f"({was} {old_primary.apiName} ({old_primary.dataType}))"
        )
    old_attrs = {a.apiName: a for a in before.attributes}
    new_attrs = {a.apiName: a for a in now.attributes}
    added = sorted(new_attrs.keys() - old_attrs.keys())
    removed = sorted(old_attrs.keys() - new_attrs.keys())
    changed = sorted(n for n in old_attrs.keys() & new_attrs.keys() if old_attrs[n] != new_attrs[n])
    for label, names in (
        (added_label, added),
        (removed_label, removed),
        ("attributes changed", changed),
    ):
        if names:
            out.append(f"{label}: {', '.join(names)}")
    return out
