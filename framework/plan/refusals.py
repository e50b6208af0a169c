"""Plans that are refused outright: `protect` violations and Marketo limits.

A refusal names the definition file and what to do; every violation is reported at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from framework.definitions.model import DefinitionFile
from framework.errors import RefusedError
from framework.invocation import again
from framework.live import LiveState
from framework.plan.model import TypeChange
from framework.plan.rules import MAX_ATTRIBUTES, names_held_after

PROTECT_FIX = (
    "  fix: revert this change, or first merge a reviewed change that sets `protect: false` "
    "in {file}"
)


def check_refusals(
    desired: Sequence[DefinitionFile],
    changes: Sequence[TypeChange],
    live: LiveState,
    *,
    max_types: int,
) -> None:
    """Raise RefusedError listing every protect violation and broken limit."""
    problems = [*_protect_violations(changes), *_attribute_limits(changes)]
    problems += _type_limit(changes, live, max_types)
    problems += _name_clashes(desired, changes, live)
    if problems:
        count = len(problems)
        head = f"plan refused: {count} problem{'s' if count != 1 else ''}"
        raise RefusedError("\n".join([head, *problems]))


def _protect_violations(changes: Sequence[TypeChange]) -> list[str]:
    problems: list[str] = []
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
            problems.append(
                f"{change.file}: type {change.apiName} is protected (protect: true) and the plan "
                f"would {' and '.join(what)}\n" + PROTECT_FIX.format(file=change.file)
            )
    return problems


def _attribute_limits(changes: Sequence[TypeChange]) -> list[str]:
    # Marketo: 0 to 20 secondary attributes per type, error 1028.
    return [
        f"{change.file}: type {change.apiName} has {len(change.after.attributes)} attributes, "
        f"over Marketo's limit of {MAX_ATTRIBUTES} besides the primary (error 1028)\n"
        "  fix: remove attributes until there are at most 20"
        for change in changes
        if change.after is not None and len(change.after.attributes) > MAX_ATTRIBUTES
    ]


def _type_limit(changes: Sequence[TypeChange], live: LiveState, max_types: int) -> list[str]:
    # Marketo: a subscription holds max_types custom activity types, error 1027.
    existing = sum(1 for t in live.types.values() if t.status != "deleted")
    created = [c for c in changes if c.action == "create"]
    deleted = sum(1 for c in changes if c.action == "delete")
    total = existing + len(created) - deleted
    if total <= max_types:
        return []
    files = ", ".join(str(c.file) for c in created)
    return [
        f"{files}: the plan would leave {total} custom activity types on the instance, over the "
        f"limit of {max_types} (max_types; Marketo error 1027)\n"
        "  fix: delete types with `ensure: absent` tombstones first, or raise max_types in "
        "[tool.activities] of pyproject.toml if the subscription allows more"
    ]


def _name_clashes(
    desired: Sequence[DefinitionFile], changes: Sequence[TypeChange], live: LiveState
) -> list[str]:
    """Trigger and filter names held after apply by more than one type (Marketo: 709).

    One namespace for both kinds across types, and every version counts: an unmanaged type's
    pending draft holds its names as its approved version does.
    """
    files = {d.definition.apiName: d.path for d in desired}
    holders = names_held_after(live, changes)
    problems: list[str] = []
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
                    f"`{again('import', *unmanaged)}` and change its file)")
        problems.append(
            f"{where}: the Smart List name {held[0].value!r} would be held by {who}; Marketo "
            "requires trigger and filter names to be unique across all custom activity types, "
            f"the two kinds together (error 709)\n  fix: {fix}"
        )
    return problems
