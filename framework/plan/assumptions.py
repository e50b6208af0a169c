"""What a plan assumes about the instance beyond the types it touches. Pure: no I/O.

A plan's steps and order hold only while the names it gives are free (or held by the types it
frees them from) and while the subscription has the slots its creates need. Both are recorded
in the plan; apply re-reads them (one list call, plus the drafts of untouched types when the
plan takes names) and refuses the plan as stale when they moved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from framework.live import LiveState, LiveType
from framework.plan.model import Assumptions, NameClaim, TypeChange, Wave
from framework.plan.rules import smart_list_key

NAME_FIELDS = ("triggerName", "filterName")


def names_held(live: LiveType) -> frozenset[str]:
    """The trigger and filter names (compared as Marketo users read them) a live type holds, in
    its approved version and its draft alike."""
    versions = [v for v in (live.approved, live.draft) if v is not None]
    return frozenset(smart_list_key(getattr(v, f)) for v in versions for f in NAME_FIELDS)


def holders(held: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """name -> the types holding it, from apiName -> the names each holds."""
    index: dict[str, set[str]] = {}
    for api_name, names in held.items():
        for name in names:
            index.setdefault(name, set()).add(api_name)
    return index


def plan_assumptions(
    changes: Sequence[TypeChange], order: Sequence[Wave], live: LiveState, max_types: int
) -> Assumptions:
    """The names the plan takes, the slots it needs, and the instance it saw."""
    present = {n: t for n, t in live.types.items() if t.status != "deleted"}
    held = {name: names_held(t) for name, t in present.items()}
    index = holders(held)
    claims: list[NameClaim] = []
    for change in changes:
        if change.action == "no-op" or change.after is None:
            continue
        own = held.get(change.apiName, frozenset())
        for field in NAME_FIELDS:
            value = getattr(change.after, field)
            key = smart_list_key(value)
            if key in own:
                continue
            others = sorted(index.get(key, set()) - {change.apiName})
            claims.append(
                NameClaim(field=field, name=value, takenBy=change.apiName, heldBy=tuple(others))
            )
    return Assumptions(
        names=tuple(claims),
        liveTypes=len(present),
        maxTypes=max_types,
        slotsNeeded=_slots_needed(changes, order),
    )


def _slots_needed(changes: Sequence[TypeChange], order: Sequence[Wave]) -> int:
    """The most types the plan adds at the end of any wave's staging (deletes stage first)."""
    actions = {c.apiName: c.action for c in changes}
    peak = running = 0
    for wave in order:
        running += sum(
            {"create": 1, "delete": -1}.get(actions[name], 0) for name in wave.types
        )
        peak = max(peak, running)
    return peak
