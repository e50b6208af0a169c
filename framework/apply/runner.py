"""Send one step, and reconcile it with the live type when its outcome is uncertain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from framework.apply.model import Listener, StepEvent, StepStatus
from framework.apply.reconcile import ALREADY_DONE_CODES, residual
from framework.client.marketo import MarketoClient
from framework.errors import MarketoError
from framework.live import LiveType
from framework.plan.model import TypeChange
from framework.plan.ops import (
    ApproveOp,
    CreateAttributesOp,
    CreateTypeOp,
    DeleteAttributesOp,
    DeleteTypeOp,
    DiscardDraftOp,
    Step,
    UpdateAttributesOp,
    UpdateTypeOp,
)
from framework.plan.read import read_live

# The client methods that change the instance (the emulator counts them the same way).
MUTATING_CLIENT_OPS: frozenset[str] = frozenset(
    {
        "create_type",
        "update_type",
        "approve_type",
        "discard_draft",
        "delete_type",
        "create_attributes",
        "update_attributes",
        "delete_attributes",
    }
)


class StepFailed(Exception):
    """A step failed for good in this run; `reason` says why, in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def send(client: MarketoClient, step: Step) -> None:
    """Make the Marketo call the step is, with its body."""
    name = step.apiName
    match step:
        case CreateTypeOp():
            await client.create_type(step.body())
        case UpdateTypeOp():
            await client.update_type(name, step.body())
        case CreateAttributesOp():
            await client.create_attributes(name, step.body()["attributes"])
        case UpdateAttributesOp():
            await client.update_attributes(name, step.body()["attributes"])
        case DeleteAttributesOp():
            await client.delete_attributes(name, list(step.attributes))
        case ApproveOp():
            await client.approve_type(name)
        case DiscardDraftOp():
            await client.discard_draft(name)
        case DeleteTypeOp():
            await client.delete_type(name)
        case _:
            assert_never(step)


@dataclass
class StepRunner:
    """Runs steps on one client, reporting each start and outcome to `emit`."""

    client: MarketoClient
    emit: Listener
    # Sends of one step, counting resends after a lost answer that turned out not to have run.
    attempts: int = 3

    async def run(
        self, change: TypeChange, index: int, step: Step, phase: int, wave: int
    ) -> StepStatus:
        """Send `step` until its effect is live; raises StepFailed otherwise."""

        def report(status: StepStatus, detail: str = "", sent: Step = step) -> None:
            self.emit(
                StepEvent(
                    step.apiName,
                    index,
                    step.op,
                    status,
                    phase,
                    wave,
                    sent.attribute_names(),
                    detail,
                )
            )

        report("started")
        current = step
        for _ in range(self.attempts):
            try:
                await send(self.client, current)
            except MarketoError as exc:
                uncertain = exc.may_have_happened or exc.code in ALREADY_DONE_CODES.get(step.op, ())
                if not uncertain:
                    report("failed", str(exc), current)
                    raise StepFailed(str(exc)) from exc
                try:
                    live = await self.describe(step.apiName)
                except MarketoError as read_exc:
                    why = f"{exc}; re-reading the type to check failed: {read_exc}"
                    report("failed", why, current)
                    raise StepFailed(why) from read_exc
                rest = residual(current, live, change.after)
                if rest is None:
                    report("reconciled", f"its effect is live after: {exc}", current)
                    return "reconciled"
                if rest == current and not exc.may_have_happened:
                    report("failed", str(exc), current)
                    raise StepFailed(str(exc)) from exc
                current = rest
                continue
            report("done", "", current)
            return "done"
        why = (
            f"its effect was still not live after {self.attempts} attempts whose answers were lost"
        )
        report("failed", why, current)
        raise StepFailed(why)

    async def describe(self, api_name: str) -> LiveType | None:
        live = await read_live(self.client, {api_name})
        return live.types.get(api_name)
