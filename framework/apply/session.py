"""The two ways into apply: a saved plan, or a fresh plan confirmed by a person.

Both refuse what they can before connecting (wrong target, destructive changes not allowed),
hold the journal's lock for the whole apply, and leave the plan and its journal under plans/.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from framework.apply.executor import apply_plan
from framework.apply.guard import (
    check_definitions,
    check_derivation,
    check_destructive,
    check_expiry,
    check_target,
)
from framework.apply.journal import Journal, journal_path, utc_now
from framework.apply.model import ApplyResult, Listener
from framework.definitions.model import DefinitionFile
from framework.environment import LOCAL, Target, connect
from framework.invocation import Invocation
from framework.lock.binding import local_lineage
from framework.plan.model import Plan
from framework.plan.pipeline import ALL_TYPES, make_plan
from framework.plan.planfile import save_plan, sign
from framework.plan.targeting import Targeting
from framework.settings import Settings

PLANS_DIR = "plans"


@dataclass(frozen=True)
class Confirmed:
    """A plan made, shown and accepted (or not), and the apply of it when it ran."""

    plan: Plan
    plan_path: Path | None
    result: ApplyResult | None


async def apply_saved(
    settings: Settings,
    target: Target,
    plan: Plan,
    plan_path: Path,
    *,
    invocation: Invocation,
    listeners: Sequence[Listener] = (),
    now: Callable[[], datetime] = utc_now,
) -> ApplyResult:
    """Apply a reviewed, saved plan to `target`; its journal goes next to it. A refusal's fix
    repeats the options of `invocation` (framework.invocation.of_saved_plan)."""
    name = str(plan_path)
    check_derivation(plan, name, invocation)
    lineage = local_lineage(settings) if target.name == LOCAL else None
    check_target(plan, target, name, invocation, lineage=lineage)
    check_expiry(plan, now(), settings, name, invocation)
    check_definitions(plan, settings, name, invocation)
    check_destructive(plan, invocation)
    journal = Journal(journal_path(plan_path), plan.checksum)
    async with journal, connect(target, settings) as (_, client):
        return await apply_plan(
            plan, client, journal=journal, listeners=listeners, plan_name=str(plan_path),
            invocation=invocation,
        )


def interactive_plan_path(
    root: Path, now: datetime, token: Callable[[], str] = lambda: secrets.token_hex(3)
) -> Path:
    """`plans/apply-20261128T123000.123456Z-3f9a0c.json`: where an interactive apply saves its
    plan (and, beside it, its journal). Microseconds and a random suffix keep two applies
    started at once from ever sharing a name; an existing file is never reused."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    while True:
        path = root / PLANS_DIR / f"apply-{stamp}-{token()}.json"
        if not path.exists() and not journal_path(path).exists():
            return path


async def plan_and_apply(
    settings: Settings,
    target: Target,
    directory: Path,
    definitions: Sequence[DefinitionFile],
    *,
    invocation: Invocation,
    allow_destructive: bool,
    show: Callable[[Plan], None],
    confirm: Callable[[Plan], bool],
    listeners: Sequence[Listener] = (),
    now: Callable[[], datetime] = utc_now,
    key: str | None = None,
    targeting: Targeting = ALL_TYPES,
    saved: Callable[[Plan, Path], None] = lambda plan, path: None,
) -> Confirmed:
    """Plan, `show` it, refuse what is not allowed, ask `confirm`, save under plans/ (signed
    with the plan `key` when there is one), tell `saved` where, apply. Fixes repeat the
    options of `invocation` (how apply was typed)."""
    async with connect(target, settings) as (started, client):
        plan = await make_plan(
            settings,
            started,
            client,
            directory,
            allow_destructive=allow_destructive,
            definitions=definitions,
            targeting=targeting,
            invocation=invocation,
        )
        show(plan)
        if not plan.has_changes:
            return Confirmed(plan, None, None)
        check_destructive(plan, invocation)
        if not confirm(plan):
            return Confirmed(plan, None, None)
        plan_path = interactive_plan_path(settings.root, now())
        plan = sign(plan, key)
        save_plan(plan, plan_path)
        saved(plan, plan_path)
        async with Journal(journal_path(plan_path), plan.checksum) as journal:
            result = await apply_plan(
                plan, client, journal=journal, listeners=listeners, plan_name=str(plan_path),
                invocation=invocation,
            )
        return Confirmed(plan, plan_path, result)
