"""Apply a plan: refuse early, re-read, run the waves, verify, and say what happened."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from framework.apply.guard import check_destructive, check_order
from framework.apply.journal import Journal, JournalState
from framework.apply.model import (
    ApplyEvent,
    ApplyResult,
    Listener,
    Notice,
    StepEvent,
    TypeOutcome,
    TypeState,
)
from framework.apply.preflight import TypeCheck, changes_to_apply, check_plan
from framework.apply.reconcile import at_target
from framework.apply.runner import MUTATING_CLIENT_OPS, StepFailed, StepRunner
from framework.apply.verify import mismatches
from framework.client.marketo import MarketoClient
from framework.errors import MarketoError, RefusedError, StalePlanError
from framework.invocation import NO_OPTIONS, Invocation
from framework.kinds.custom_object.apply import (
    MUTATING_OBJECT_OPS,
    ObjectCheck,
    ObjectStepRunner,
    check_object,
)
from framework.kinds.custom_object.apply import at_target as object_at_target
from framework.kinds.custom_object.apply import describe_move as describe_object_move
from framework.kinds.custom_object.apply import mismatches as object_mismatches
from framework.kinds.custom_object.live import LiveObject
from framework.kinds.custom_object.ops import ObjectStep
from framework.kinds.custom_object.read import read_objects
from framework.live import LiveState
from framework.plan.model import Plan, Wave
from framework.plan.ops import Step
from framework.plan.order import split_phases
from framework.plan.read import read_for_apply, read_live


@dataclass
class _Tally:
    """Progress of one type during the run."""

    check: TypeCheck | ObjectCheck
    done: int = 0
    skipped: int = 0
    failed: str = ""
    blocked: str = ""
    staged: asyncio.Event = field(default_factory=asyncio.Event)

    def outcome(self) -> TypeOutcome:
        change = self.check.change
        state: TypeState
        if self.failed:
            state, detail = "failed", self.failed
        elif self.blocked:
            state, detail = "not-run", self.blocked
        elif self.check.standing == "done" or self.done == 0:
            state, detail = "already-live", ""
        else:
            state, detail = "applied", ""
        return TypeOutcome(
            change.apiName,
            change.action,
            state,
            self.done,
            self.skipped,
            len(change.steps),
            detail,
        )


_T = TypeVar("_T")


class _Runner(Protocol):
    """Runs one step of either kind (StepRunner, ObjectStepRunner)."""

    async def run(self, change: Any, index: int, step: Any, phase: int, wave: int) -> Any: ...


def _mutating_calls(client: MarketoClient) -> int:
    mutating = MUTATING_CLIENT_OPS | MUTATING_OBJECT_OPS
    return sum(n for op, n in client.stats.calls_by_op.items() if op in mutating)


async def apply_plan(
    plan: Plan,
    client: MarketoClient,
    *,
    journal: Journal | None = None,
    listeners: Sequence[Listener] = (),
    plan_name: str = "the plan",
    clock: Callable[[], float] = time.perf_counter,
    invocation: Invocation = NO_OPTIONS,
) -> ApplyResult:
    """Apply `plan` with `client`; the journal must be open (it holds the plan's lock).

    The types run in the plan's own order (`plan.order`, computed when it was made). Raises
    RefusedError (destructive changes not allowed) or StalePlanError before any mutating call;
    their fixes repeat the options of `invocation`.
    """
    started, calls, mutating = clock(), client.stats.calls, _mutating_calls(client)
    sinks: list[Listener] = [*([journal] if journal else []), *listeners]

    def emit(event: ApplyEvent) -> None:
        for sink in sinks:
            sink(event)

    def result(
        outcome: str,
        tallies: list[_Tally],
        found: Sequence[str] = (),
        verified: LiveState | None = None,
    ) -> ApplyResult:
        done = ApplyResult(
            outcome,  # type: ignore[arg-type]
            tuple(t.outcome() for t in tallies),
            client.stats.calls - calls,
            _mutating_calls(client) - mutating,
            clock() - started,
            tuple(found),
            journal.path if journal else None,
            verified,
        )
        if journal:
            journal.end(done)
        return done

    check_destructive(plan, invocation)
    check_order(plan, plan_name, invocation)
    changes = changes_to_apply(plan)
    objects = [c for c in plan.objectChanges if c.action != "no-op"]
    if not changes and not objects:
        return result("nothing-to-do", [])
    waves = plan.order
    names = sorted(c.apiName for c in changes)
    object_names = sorted(c.apiName for c in objects)
    # Both kinds are re-read at once.
    (live, held), live_objects = await asyncio.gather(
        read_for_apply(client, set(names), with_drafts=bool(plan.assumptions.names))
        if changes else _nothing((LiveState(), {})),
        read_objects(client, set(object_names)) if objects else _nothing({}),
    )
    # Read after the live state: a step that moved it was journaled before it was sent.
    state = journal.read() if journal else JournalState()
    if state.completed_at and journal and not (
        all(at_target(c, live.types.get(c.apiName)) for c in changes)
        and all(object_at_target(c, live_objects.get(c.apiName)) for c in objects)
    ):
        raise RefusedError(_replayed(plan_name, state.completed_at, journal, invocation))
    checks: list[TypeCheck | ObjectCheck] = [
        *check_plan(plan, live, state, plan_name, held if changes else None,
                    invocation=invocation),
        *check_objects(plan, live_objects, state, plan_name, invocation),
    ]
    tallies = {c.change.apiName: _Tally(c, skipped=len(c.already_live)) for c in checks}
    emit(_preflight_notice(list(tallies.values())))
    if all(t.check.standing == "done" for t in tallies.values()):
        before = live.model_copy(update={"objects": live_objects})
        return result("already-applied", list(tallies.values()), verified=before)
    if journal:
        journal.begin({"types": [*names, *object_names]})
    runs: list[tuple[Wave, _Runner]] = [
        *((wave, StepRunner(client, emit)) for wave in waves),
        *((wave, ObjectStepRunner(client, emit)) for wave in plan.objectOrder),
    ]
    for position, (wave, runner) in enumerate(runs):
        if not await _run_wave(wave, tallies, runner, emit):
            _block_rest([w for w, _ in runs[position + 1 :]], tallies, emit)
            # Re-read all the same: the types that did reach their target are recorded.
            try:
                after = await _reread(client, names, object_names)
            except MarketoError:
                after = None
            return result("failed", list(tallies.values()), verified=after)
    everything = [*names, *object_names]
    emit(Notice("verify", f"verifying {len(everything)} type(s)", {"types": everything}))
    try:
        after = await _reread(client, names, object_names)
    except MarketoError as exc:  # every step ran: say so, rather than lose the summary
        found = [f"the types could not be re-read to verify them: {exc}"]
        return result("verify-failed", list(tallies.values()), found)
    found = [*mismatches(changes, after), *object_mismatches(objects, after.objects)]
    return result("verify-failed" if found else "applied", list(tallies.values()), found, after)


async def _reread(
    client: MarketoClient, names: Sequence[str], object_names: Sequence[str]
) -> LiveState:
    """The touched types of both kinds after the steps: what verify checks and the lock is
    written from (framework/lock/record.py), read once."""
    live, objects = await asyncio.gather(
        read_live(client, set(names)) if names else _nothing(LiveState()),
        read_objects(client, set(object_names)) if object_names else _nothing({}),
    )
    return live.model_copy(update={"objects": objects})


async def _nothing(value: _T) -> _T:
    """`value`, as a read that is not needed (so that both kinds' reads can be gathered)."""
    return value


def check_objects(
    plan: Plan, live: dict[str, LiveObject], journal: JournalState, plan_name: str,
    invocation: Invocation,
) -> list[ObjectCheck]:
    """Every custom object change checked against the live types; StalePlanError naming the
    types that moved since the plan was made (its fix repeats the options of `invocation`)."""
    checks = [check_object(c, live, plan.fingerprints.get(c.apiName), journal)
              for c in plan.objectChanges if c.action != "no-op"]
    stale = [c for c in checks if c.standing == "stale"]
    if stale:
        lines = [
            f"  - {c.change.apiName}: "
            f"{describe_object_move(c.change, live.get(c.change.apiName))}"
            for c in stale
        ]
        raise StalePlanError(
            f"{plan_name} is stale: the live instance changed since the plan was made, and is "
            "neither as planned nor as the plan would leave it; nothing was changed\n"
            + "\n".join(lines)
            + f"\n  fix: make a new plan (`{invocation.command('plan')}`), review it, and apply "
            "that one"
        )
    return checks


async def _run_wave(
    wave: Wave, tallies: dict[str, _Tally], runner: _Runner, emit: Listener
) -> bool:
    """Stage every type of the wave, then approve; False when a step failed."""
    number = wave.number
    members = [tallies[name] for name in wave.types]
    for tally in members:
        if tally.check.standing == "done":
            tally.staged.set()
        for index in tally.check.already_live:
            step = tally.check.change.steps[index]
            why = "its effect is already live"
            emit(StepEvent(step.apiName, index, step.op, "already-live", 0, number, (), why))
    active = [t for t in members if t.check.standing != "done"]
    if not active:
        return True
    staging = [(t, split_phases_indexed(t.check.todo)[0]) for t in active]
    emit(
        Notice(
            "phase",
            f"wave {number}, phase 1: staging drafts of {len(active)} type(s)",
            {"wave": number, "phase": 1},
        )
    )
    await asyncio.gather(
        *(_stage(t, steps, wave, tallies, runner, number, emit) for t, steps in staging)
    )
    if any(t.failed or t.blocked for t in members):
        reason = "a step of this wave failed before the approves"
        for tally in active:
            approves = split_phases_indexed(tally.check.todo)[1]
            if approves and not tally.failed and not tally.blocked:
                tally.blocked = reason
                _not_run(tally, approves, 2, number, reason, emit)
        return False
    approving = [(t, split_phases_indexed(t.check.todo)[1]) for t in active]
    emit(
        Notice(
            "phase",
            f"wave {number}, phase 2: approving {len(active)} type(s)",
            {"wave": number, "phase": 2},
        )
    )
    await asyncio.gather(*(_steps(t, steps, runner, 2, number, emit) for t, steps in approving))
    return not any(t.failed for t in members)


def split_phases_indexed(
    todo: tuple[tuple[int, Any], ...],
) -> tuple[list[tuple[int, Any]], list[tuple[int, Any]]]:
    first = split_phases([step for _, step in todo])
    return list(todo[:first]), list(todo[first:])


async def _stage(
    tally: _Tally,
    steps: list[tuple[int, Step]],
    wave: Wave,
    tallies: dict[str, _Tally],
    runner: _Runner,
    number: int,
    emit: Listener,
) -> None:
    try:
        for other in wave.after.get(tally.check.change.apiName, ()):
            await tallies[other].staged.wait()
            if tallies[other].failed or tallies[other].blocked:
                tally.blocked = f"waits for {other}, which did not finish staging"
                _not_run(
                    tally,
                    [*split_phases_indexed(tally.check.todo)[0]],
                    1,
                    number,
                    tally.blocked,
                    emit,
                )
                return
        await _steps(tally, steps, runner, 1, number, emit)
    finally:
        tally.staged.set()


async def _steps(
    tally: _Tally,
    steps: list[tuple[int, Step]],
    runner: _Runner,
    phase: int,
    wave: int,
    emit: Listener,
) -> None:
    change = tally.check.change
    for position, (index, step) in enumerate(steps):
        try:
            await runner.run(change, index, step, phase, wave)
        except StepFailed as exc:
            tally.failed = f"step {index + 1} ({step.op}) failed: {exc.reason}"
            _not_run(
                tally,
                steps[position + 1 :],
                phase,
                wave,
                "an earlier step of the type failed",
                emit,
            )
            return
        tally.done += 1


def _not_run(
    tally: _Tally, steps: Sequence[tuple[int, Step | ObjectStep]], phase: int, wave: int,
    why: str, emit: Listener,
) -> None:
    for index, step in steps:
        emit(
            StepEvent(
                step.apiName, index, step.op, "not-run", phase, wave, step.attribute_names(), why
            )
        )


def _block_rest(waves: Sequence[Wave], tallies: dict[str, _Tally], emit: Listener) -> None:
    why = "waits for the approves of an earlier wave, which did not all happen"
    for wave in waves:
        for name in wave.types:
            tally = tallies[name]
            if tally.check.standing != "done":
                tally.blocked = why
                _not_run(tally, list(tally.check.todo), 0, wave.number, why, emit)


def _replayed(
    plan_name: str, completed_at: str, journal: Journal, invocation: Invocation
) -> str:
    """Why a plan applied once is not run again: the rule for a rollback within its expiry."""
    return (
        f"refusing to apply {plan_name} again: it was applied and verified at {completed_at} "
        f"(its journal {journal.path} says so); a plan applies once: the instance has moved "
        "since (back to where the plan started, or elsewhere), so what was reviewed is not "
        "what it would do now; nothing was changed\n"
        f"  fix: make a fresh plan with `{invocation.command('plan', '--out', 'FILE')}`, review "
        "it, and apply that one"
    )


def _preflight_notice(tallies: list[_Tally]) -> Notice:
    counts = {
        s: sum(t.check.standing == s for t in tallies) for s in ("pending", "resuming", "done")
    }
    skipped = {
        t.check.change.apiName: list(t.check.already_live) for t in tallies if t.check.already_live
    }
    steps = sum(len(t.check.todo) for t in tallies)
    message = (
        f"re-read {len(tallies)} type(s): {counts['pending']} as planned, "
        f"{counts['resuming']} resuming an earlier run, {counts['done']} already at the target; "
        f"{steps} step(s) to run"
    )
    return Notice("preflight", message, {**counts, "steps": steps, "alreadyLive": skipped})
