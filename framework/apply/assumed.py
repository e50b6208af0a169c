"""Do the plan's assumptions still hold on the instance? Pure: no I/O.

The names the plan gives must not have been taken since by a type the plan does not change
(an unmanaged type, another managed one, a draft made in the UI), and the types added since
must leave the slots its creates need. The types the plan changes are left out: their own
state is checked against their fingerprints, and a resumed run has already moved them.
"""

from __future__ import annotations

from collections.abc import Mapping

from framework.plan.assumptions import holders
from framework.plan.model import Plan
from framework.plan.rules import smart_list_key


def assumption_moves(plan: Plan, held: Mapping[str, frozenset[str]]) -> list[str]:
    """One line per assumption that no longer holds, saying what changed."""
    changed = {c.apiName for c in plan.changes if c.action != "no-op"}
    outside = {name: names for name, names in held.items() if name not in changed}
    index = holders(outside)
    lines: list[str] = []
    for claim in plan.assumptions.names:
        was = set(claim.heldBy) - changed
        now = index.get(smart_list_key(claim.name), set()) - {claim.takenBy}
        if now - was:
            before = f"held by {', '.join(sorted(was))}" if was else "free"
            lines.append(
                f"{claim.field} {claim.name!r}, which the plan gives to {claim.takenBy}: {before} "
                f"when planned; now also held by {_types(now - was, plan)}"
            )
    lines.extend(_slots(plan, outside))
    return lines


def _types(names: set[str], plan: Plan) -> str:
    managed = {c.apiName for c in plan.changes}
    return ", ".join(n if n in managed else f"{n} (unmanaged)" for n in sorted(names))


def _slots(plan: Plan, outside: Mapping[str, frozenset[str]]) -> list[str]:
    made = plan.assumptions
    if made.slotsNeeded <= 0:
        return []
    changed = sum(1 for c in plan.changes if c.action != "no-op" and c.liveStatus is not None)
    others_then = made.liveTypes - changed
    grown = len(outside) - others_then
    room = made.maxTypes - made.liveTypes - made.slotsNeeded
    if grown <= room:
        return []
    return [
        f"free slots: the instance held {made.liveTypes} custom activity types when planned "
        f"and the plan adds up to {made.slotsNeeded} (max_types {made.maxTypes}); {grown} "
        f"type(s) it does not change were added since, so its creates would fail with "
        "Marketo's 1027 (type limit reached)"
    ]
