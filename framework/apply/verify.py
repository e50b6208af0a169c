"""After applying: does the live instance hold each change's target? Pure: no I/O."""

from __future__ import annotations

from framework.apply.preflight import version_differences
from framework.apply.reconcile import at_target
from framework.live import LiveState
from framework.plan.model import TypeChange


def mismatches(changes: list[TypeChange], live: LiveState) -> list[str]:
    """One line per type that is not at its target, saying how it differs."""
    lines: list[str] = []
    for change in changes:
        now = live.types.get(change.apiName)
        if at_target(change, now):
            continue
        if change.after is None:
            assert now is not None
            lines.append(f"{change.apiName}: should be deleted, but is still there ({now.status})")
        elif now is None:
            lines.append(f"{change.apiName}: should be approved, but is absent")
        elif now.approved is None:
            lines.append(
                f"{change.apiName}: should be approved, but was never approved ({now.status})"
            )
        else:
            words = version_differences(change.after, now.approved, target=True)
            if now.draft is not None:
                words.append("a draft is left over")
            lines.append(f"{change.apiName}: {'; '.join(words) or now.status}")
    return lines
