"""What drift found: findings with a stable shape, and the report around them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

DRIFT_FORMAT_VERSION = 1

# edited     an approved version differs from the one the last apply left (approved in the UI)
# draft      a draft is pending on a type the last apply left with none
# deleted    a type the last apply left is gone
# recreated  a type of that apiName is back with another id (deleted and created again)
# appeared   an unmanaged type that was not there at the last apply
# Without a lock file (compared with the definitions): `differs`, `missing`, `unmanaged`.
Kind = Literal[
    "edited", "draft", "deleted", "recreated", "appeared", "differs", "missing", "unmanaged"
]
Baseline = Literal["lock", "definitions"]


class Finding(BaseModel):
    """One thing that changed on the instance, at one field of one type."""

    model_config = ConfigDict(frozen=True)

    kind: Kind
    type: str  # the type's apiName
    field: str  # `name`, `attributes.venue.dataType`, `draft`, `(type)`, `id`
    before: str | None = None
    after: str | None = None
    message: str  # past tense, names the type, the field and both values

    def sort_key(self) -> tuple[str, str, str]:
        return (self.type, self.kind, self.field)


class DriftReport(BaseModel):
    """Everything `activities drift` says; `to_json` is its documented, stable shape."""

    model_config = ConfigDict(frozen=True)

    environment: str
    endpointHost: str
    baseline: Baseline
    note: str = ""  # why there is no lock to compare with, and what drift does instead
    lockPath: str | None = None
    lockUpdatedAt: str | None = None
    lockCommit: str | None = None
    findings: tuple[Finding, ...] = ()
    ignored: tuple[Finding, ...] = ()
    notApplied: tuple[str, ...] = ()  # definitions that differ from the lock: plan's business
    calls: int = 0

    @property
    def drifted(self) -> bool:
        return bool(self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": DRIFT_FORMAT_VERSION,
            "environment": self.environment,
            "endpointHost": self.endpointHost,
            "baseline": self.baseline,
            "note": self.note,
            "lock": (
                {"path": self.lockPath, "updatedAt": self.lockUpdatedAt,
                 "gitCommit": self.lockCommit}
                if self.baseline == "lock" else None
            ),
            "drift": self.drifted,
            "findings": [f.model_dump() for f in self.findings],
            "ignored": len(self.ignored),
            "ignoredFindings": [f.model_dump() for f in self.ignored],
            "notApplied": list(self.notApplied),
            "calls": self.calls,
        }
