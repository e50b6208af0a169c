"""Send one step, and reconcile it with the live type when its outcome is uncertain."""

from __future__ import annotations

from dataclasses import dataclass

from framework.apply.model import Listener, StepEvent, StepStatus
from framework.apply.reconcile import ALREADY_DONE_CODES, residual
from framework.client.marketo import MarketoClient
from framework.errors import MarketoError
from framework.live import LiveType
from framework.plan.model import Step, TypeChange
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
    """Call the client method named by the step, with the step's body."""
    body = step.body or {}
    name = step.apiName
    attributes = list(body.get("attributes") or [])
    if step.op == "create_type":
        await client.create_type(body)
    elif step.op == "update_type":
        await client.update_type(name, body)
    elif step.op == "create_attributes":
        await client.create_attributes(name, attributes)
    elif step.op == "update_attributes":
        await client.update_attributes(name, attributes)
    elif step.op == "delete_attributes":
        await client.delete_attributes(name, [a["apiName"] for a in attributes])
    elif step.op == "approve":
        await client.approve_type(name)
    elif step.op == "discard_draft":
        await client.discard_draft(name)
    else:
        await client.delete_type(name)


def attribute_names(step: Step) -> tuple[str, ...]:
    return tuple(a.get("apiName", "") for a in (step.body or {}).get("attributes") or [])


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
                    step.apiName, index, step.op, status, phase, wave, attribute_names(sent), detail
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
