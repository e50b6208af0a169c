"""What apply reports while it runs (events) and when it is done (the result)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from framework.live import LiveState

# How a step ended. `reconciled`: the call failed or its answer was lost, and a re-read showed
# its effect live; `already-live`: not sent, because the live state already had its effect.
StepStatus = Literal["started", "done", "reconciled", "already-live", "failed", "not-run"]
FINISHED: frozenset[str] = frozenset({"done", "reconciled", "already-live"})

# How a type ended: every step done; nothing needed; a step failed; waited on a failed step.
TypeState = Literal["applied", "already-live", "failed", "not-run"]

Outcome = Literal["applied", "already-applied", "nothing-to-do", "failed", "verify-failed"]


@dataclass(frozen=True)
class StepEvent:
    """One step starting or ending."""

    apiName: str
    index: int  # the step's position in its TypeChange.steps
    op: str
    status: StepStatus
    phase: int  # 1 stages drafts (and deletes), 2 approves
    wave: int
    attributes: tuple[str, ...] = ()  # the attribute apiNames the step sends
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "event": "step",
            "apiName": self.apiName,
            "index": self.index,
            "op": self.op,
            "status": self.status,
            "phase": self.phase,
            "wave": self.wave,
        }
        if self.attributes:
            data["attributes"] = list(self.attributes)
        if self.detail:
            data["detail"] = self.detail
        return data


@dataclass(frozen=True)
class Notice:
    """A stage of the apply: the pre-flight check, a phase starting, the verify."""

    kind: Literal["preflight", "phase", "verify"]
    message: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"event": self.kind, "message": self.message, **self.data}


ApplyEvent = StepEvent | Notice
Listener = Callable[[ApplyEvent], None]


@dataclass(frozen=True)
class TypeOutcome:
    """What apply did to one type."""

    apiName: str
    action: str
    state: TypeState
    stepsDone: int  # sent and done, or reconciled
    stepsSkipped: int  # already live, so not sent
    stepsTotal: int
    detail: str = ""  # why it failed or did not run

    def to_json(self) -> dict[str, Any]:
        return {
            "apiName": self.apiName,
            "action": self.action,
            "state": self.state,
            "stepsDone": self.stepsDone,
            "stepsSkipped": self.stepsSkipped,
            "stepsTotal": self.stepsTotal,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class ApplyResult:
    """The whole apply: per-type outcomes, the verify, and what it cost."""

    outcome: Outcome
    types: tuple[TypeOutcome, ...]
    calls: int  # REST calls this apply made (reads, retries and reconciling describes included)
    mutatingCalls: int
    seconds: float
    mismatches: tuple[str, ...] = ()  # types that do not match the target after apply
    journal: Path | None = None
    # The touched types as apply last read them (after its steps; before them when none was
    # left to run): what the lock is written from, so that it is never read a second time.
    # None when they were not read (nothing to do) or the read failed.
    verified: LiveState | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in ("applied", "already-applied", "nothing-to-do")

    def to_json(self) -> dict[str, Any]:
        return {
            "event": "summary",
            "outcome": self.outcome,
            "ok": self.ok,
            "types": [t.to_json() for t in self.types],
            "calls": self.calls,
            "mutatingCalls": self.mutatingCalls,
            "seconds": round(self.seconds, 3),
            "mismatches": list(self.mismatches),
            "journal": str(self.journal) if self.journal else None,
            "rolledBack": False,
        }
