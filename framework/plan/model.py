"""The plan vocabulary shared by compare (which makes it), render (which shows it) and apply
(which runs it). All values are frozen and sort stably, so plans and checksums are deterministic.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from framework.definitions.model import DefinitionFile
from framework.kinds.custom_object.change import ObjectChange
from framework.live import LiveState, TypeVersion
from framework.plan.ops import Step
from framework.plan.reasons import Action, AttributeAction, Reason, Risk

FORMAT_VERSION = 2

# The words every kind's changes share (framework.plan.reasons), re-exported.
__all__ = ["Action", "AttributeAction", "Reason", "Risk"]

class AttributeChange(BaseModel):
    """A change to one attribute of a type."""

    model_config = ConfigDict(frozen=True)

    apiName: str
    action: AttributeAction
    reason: Reason
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    renamedFrom: str | None = None
    primary: bool = False  # the change is to the primary attribute

    @property
    def risk(self) -> Risk:
        return self.reason.risk

class TypeChange(BaseModel):
    """What the plan does to one custom activity type."""

    model_config = ConfigDict(frozen=True)

    apiName: str
    action: Action
    risk: Risk
    reasons: tuple[Reason, ...]
    file: str | None = None
    protected: bool = False
    # The live approved version (or the draft of a never-approved type).
    before: TypeVersion | None = None
    after: TypeVersion | None = None  # the approved version once applied; None for a delete
    attributeChanges: tuple[AttributeChange, ...] = ()
    steps: tuple[Step, ...] = ()
    liveStatus: str | None = None  # the status read from Marketo, None when the type is absent
    # A pending draft made outside the repository that the plan discards or overwrites: what
    # it held, for the reviewer (absent from the saved plan when there is none).
    pendingDraft: TypeVersion | None = None

    @model_serializer(mode="wrap")
    def _without_absent_draft(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict) and data.get("pendingDraft") is None:
            data.pop("pendingDraft", None)
        return data

    @property
    def destructive(self) -> bool:
        """The one definition: the change throws history away (a delete, a replace, an approved
        attribute dropped). compare makes the risk the worst of the change's reasons."""
        return self.action != "no-op" and self.risk == "destructive"

    def destructive_reasons(self) -> list[Reason]:
        """What makes the change destructive, in words (empty when it is not)."""
        if not self.destructive:
            return []
        own = [r for r in self.reasons if r.risk == "destructive"]
        return own + [a.reason for a in self.attributeChanges if a.risk == "destructive"]

class Wave(BaseModel):
    """Types staged, then approved, together: apply stages every type of the wave (each after
    the types `after` names, whose staging frees what it takes), then runs their approves."""

    model_config = ConfigDict(frozen=True)

    number: int
    types: tuple[str, ...]
    after: dict[str, tuple[str, ...]] = Field(default_factory=dict)


class NameClaim(BaseModel):
    """A trigger or filter name the plan gives a type that does not hold it yet, and the other
    types that held it when the plan was made (those the plan frees it from)."""

    model_config = ConfigDict(frozen=True)

    field: Literal["triggerName", "filterName"]
    name: str
    takenBy: str
    heldBy: tuple[str, ...] = ()


class Assumptions(BaseModel):
    """What the plan's steps and order rely on beyond the types it touches; apply re-reads it
    and refuses the plan as stale when it no longer holds."""

    model_config = ConfigDict(frozen=True)

    names: tuple[NameClaim, ...] = ()
    liveTypes: int = 0  # custom activity types on the instance when planned
    maxTypes: int = 0  # the subscription's limit the plan was checked against (max_types)
    slotsNeeded: int = 0  # the most types the plan adds at any point of its order
    # The custom object type limit the plan was checked against (max_custom_objects); 0, and
    # left out of the saved plan, when it has no custom objects.
    maxObjectTypes: int = 0

    @model_serializer(mode="wrap")
    def _without_object_limit(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict) and not data.get("maxObjectTypes"):
            data.pop("maxObjectTypes", None)
        return data


class PlanInputs(BaseModel):
    """What the plan was derived from: the definitions and the live state it read. Apply
    derives the plan again from these and refuses one whose content differs."""

    model_config = ConfigDict(frozen=True)

    desired: tuple[DefinitionFile, ...] = ()
    live: LiveState = LiveState()


class Provenance(BaseModel):
    """Where and when a plan was made. Never holds a secret."""

    model_config = ConfigDict(frozen=True)

    environment: str
    endpointHost: str
    # `local` only: the lineage of the local instance's state it was made against
    # (framework/lock/binding.py), so that it applies to that state and no other.
    instanceLineage: str | None = None
    toolVersion: str
    gitCommit: str | None = None
    gitDirty: bool | None = None
    createdAt: str
    expiresAt: str | None = None  # apply refuses it after this (UTC); None: createdAt + the setting
    definitionsDir: str = "activities"
    allowDestructive: bool = False
    # --target / --exclude (framework/plan/targeting.py): the types the plan may touch.
    targets: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()

    @model_serializer(mode="wrap")
    def _without_empty_targeting(self, handler: SerializerFunctionWrapHandler) -> Any:
        # Absent means every type: a plan made without targeting is saved as it always was.
        data = handler(self)
        if isinstance(data, dict):
            for key in ("targets", "excludes", "instanceLineage", "expiresAt"):
                if not data.get(key):
                    data.pop(key, None)
        return data

class Summary(BaseModel):
    """Counts by action and risk."""

    model_config = ConfigDict(frozen=True)

    create: int = 0
    update: int = 0
    replace: int = 0
    delete: int = 0
    approve_draft: int = Field(default=0, alias="approve-draft")
    discard_draft: int = Field(default=0, alias="discard-draft")
    no_op: int = Field(default=0, alias="no-op")
    destructive: int = 0
    breaking: int = 0
    unmanaged: int = 0

class Plan(BaseModel):
    """A saved plan: provenance, one change per type, fingerprints, estimate and checksum."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    format_version: int = FORMAT_VERSION
    provenance: Provenance
    changes: tuple[TypeChange, ...]
    order: tuple[Wave, ...] = ()  # the order apply runs the changes in (framework.plan.order)
    unmanaged: tuple[str, ...] = ()
    # Custom object types (framework.kinds.custom_object), beside the activity types: one
    # change per file, their order, and the live ones no file manages. Left out of the saved
    # plan when empty, so a plan of activity types only reads as it always did.
    objectChanges: tuple[ObjectChange, ...] = ()
    objectOrder: tuple[Wave, ...] = ()
    objectUnmanaged: tuple[str, ...] = ()
    fingerprints: dict[str, str] = Field(default_factory=dict)  # apiName -> LiveType.fingerprint()
    assumptions: Assumptions = Assumptions()
    summary: Summary = Summary()
    readCalls: int = 0  # calls made to read the live state (besides the token)
    estimatedApplyCalls: int = 0
    inputs: PlanInputs = PlanInputs()
    signature: str | None = None  # HMAC-SHA256 with the plan key, when one is configured
    checksum: str = ""

    @model_serializer(mode="wrap")
    def _without_empty_objects(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            for key in ("objectChanges", "objectOrder", "objectUnmanaged"):
                if not data.get(key):
                    data.pop(key, None)
        return data

    @property
    def has_changes(self) -> bool:
        return any(c.action != "no-op" for c in self.changes) or any(
            c.action != "no-op" for c in self.objectChanges
        )

    def all_changes(self) -> tuple[TypeChange | ObjectChange, ...]:
        """Every change, activity types first, then custom object types."""
        return (*self.changes, *self.objectChanges)

    def body_for_checksum(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude={"checksum"})

    def canonical(self, *, signed: bool = True) -> bytes:
        """The content sealed by the checksum (and, without the signature, by the signature):
        compact JSON in declaration order."""
        exclude = {"checksum"} if signed else {"checksum", "signature"}
        return self.model_dump_json(by_alias=True, exclude=exclude).encode()

    def compute_checksum(self) -> str:
        return "sha256:" + hashlib.sha256(self.canonical()).hexdigest()

    def sealed(self) -> Plan:
        """This plan with its checksum filled in."""
        return self.model_copy(update={"checksum": self.compute_checksum()})
