"""The lock file's shape. It holds ids, versions, fingerprints and names, never a secret."""

from __future__ import annotations

from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from framework.kinds.custom_object.live import LiveObject
from framework.live import LiveType

LOCK_FORMAT_VERSION = 1


class LockedType(BaseModel):
    """One managed type as the last apply that verified it left it."""

    model_config = ConfigDict(frozen=True)

    id: int | None  # Marketo's id of the type: what integration code sends records with
    version: int | None  # the definition's `version`; None when the file no longer matched
    fingerprint: str  # LiveType.fingerprint() of `state`, as plans record it
    appliedAt: str  # when this entry was last written (UTC, ISO 8601)
    gitCommit: str | None  # the commit checked out by the apply that wrote it
    state: LiveType  # the verified live state: what drift compares the instance with


class LockedObject(BaseModel):
    """One managed custom object type as the last apply that verified it left it. Custom
    object types have no numeric id: their apiName is their key."""

    model_config = ConfigDict(frozen=True)

    version: int | None  # the definition's `version`; None when the file no longer matched
    fingerprint: str  # LiveObject.fingerprint() of `state`, as plans record it
    appliedAt: str
    gitCommit: str | None
    state: LiveObject


class Lock(BaseModel):
    """Every managed type of one environment, as the last apply left it."""

    model_config = ConfigDict(frozen=True)

    format_version: int = LOCK_FORMAT_VERSION
    environment: str  # the environment it was written for: `local`, a name, or `endpoint`
    endpointHost: str  # that instance's host (`embedded emulator` for local)
    # `local` only: the lineage of the state the embedded instance kept when this was written
    # (framework/lock/binding.py); absent for every other environment.
    instanceLineage: str | None = None
    toolVersion: str  # the activities version that wrote it
    updatedAt: str  # when an entry last changed (UTC); a run that changes none keeps it
    gitCommit: str | None = None  # the commit checked out by the apply that last changed it
    types: dict[str, LockedType] = Field(default_factory=dict)
    # Live types without a definition when the lock was written: drift reports only new ones.
    unmanaged: tuple[str, ...] = ()
    # Managed custom object types, beside `types` (left out of the file when there are none).
    objects: dict[str, LockedObject] = Field(default_factory=dict)

    @model_serializer(mode="wrap")
    def _without_what_is_absent(self, handler: SerializerFunctionWrapHandler) -> Any:
        # No custom object, and no lineage (only `local` has one): a lock keeps the shape it
        # always had.
        data = handler(self)
        if isinstance(data, dict):
            if not data.get("objects"):
                data.pop("objects", None)
            if data.get("instanceLineage") is None:
                data.pop("instanceLineage", None)
        return data

    def type_id(self, api_name: str) -> int | None:
        """The Marketo id of a managed type, or None when the lock does not know it."""
        entry = self.types.get(api_name)
        return entry.id if entry else None
