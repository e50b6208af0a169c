"""The live state of an instance, as read from Marketo's describe endpoints.

A `TypeVersion` is one version of a type (the approved one or the draft), in the shape of
Marketo's `CustomActivityType` without its bookkeeping fields. The desired state is mapped to
the same shape by `TypeVersion.from_definition`, so comparing and verifying are plain equality.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from framework.definitions.model import ActivityType
from framework.kinds.custom_object.live import LiveObject

Status = Literal["draft", "approved", "approved with draft", "deleted"]


class LiveAttribute(BaseModel):
    """An attribute as Marketo describes it."""

    model_config = ConfigDict(frozen=True)

    apiName: str
    name: str
    description: str | None = None
    dataType: str = "string"


class TypeVersion(BaseModel):
    """One version (approved or draft) of a custom activity type."""

    model_config = ConfigDict(frozen=True)

    apiName: str
    name: str
    description: str | None = None
    triggerName: str
    filterName: str
    primaryAttribute: LiveAttribute
    attributes: tuple[LiveAttribute, ...] = ()

    @classmethod
    def from_marketo(cls, item: dict[str, Any]) -> TypeVersion:
        """Build from a describe result item (extra keys such as id and status are ignored)."""
        primary = item.get("primaryAttribute") or {}
        return cls(
            apiName=item["apiName"],
            name=item.get("name", ""),
            description=item.get("description") or None,
            triggerName=item.get("triggerName", ""),
            filterName=item.get("filterName", ""),
            primaryAttribute=_attribute(primary),
            attributes=tuple(
                sorted(
                    (_attribute(a) for a in item.get("attributes") or []), key=lambda a: a.apiName
                )
            ),
        )

    @classmethod
    def from_definition(cls, definition: ActivityType) -> TypeVersion:
        """The version Marketo should hold once `definition` is applied and approved."""
        primary = definition.primaryAttribute
        return cls(
            apiName=definition.apiName,
            name=definition.name,
            description=definition.description or None,
            triggerName=definition.triggerName,
            filterName=definition.filterName,
            primaryAttribute=LiveAttribute(
                apiName=primary.apiName,
                name=primary.name,
                description=primary.description or None,
                dataType=str(primary.dataType),
            ),
            attributes=tuple(
                sorted(
                    (
                        LiveAttribute(
                            apiName=a.apiName,
                            name=a.name,
                            description=a.description or None,
                            dataType=str(a.dataType),
                        )
                        for a in definition.attributes
                    ),
                    key=lambda a: a.apiName,
                )
            ),
        )

    def attribute(self, api_name: str) -> LiveAttribute | None:
        """The secondary attribute named `api_name`, if any."""
        return next((a for a in self.attributes if a.apiName == api_name), None)


def _attribute(raw: dict[str, Any]) -> LiveAttribute:
    return LiveAttribute(
        apiName=raw.get("apiName", ""),
        name=raw.get("name", ""),
        description=raw.get("description") or None,
        dataType=raw.get("dataType") or "string",
    )


class LiveType(BaseModel):
    """A custom activity type on the instance: its status and the versions it holds."""

    model_config = ConfigDict(frozen=True)

    apiName: str
    id: int | None = None
    status: Status
    approved: TypeVersion | None = None
    draft: TypeVersion | None = None

    @property
    def ever_approved(self) -> bool:
        return self.status in ("approved", "approved with draft")

    def fingerprint(self) -> str:
        """A stable digest of this type's live state (status and both versions)."""
        payload = self.model_dump(mode="json", exclude={"id"})
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


class LiveState(BaseModel):
    """Everything read from the instance for a plan, and what reading it cost: the custom
    activity types, and the custom object types when the repository defines any."""

    model_config = ConfigDict(frozen=True)

    types: dict[str, LiveType] = Field(default_factory=dict)
    calls: int = 0
    objects: dict[str, LiveObject] = Field(default_factory=dict)

    @model_serializer(mode="wrap")
    def _without_empty_objects(self, handler: SerializerFunctionWrapHandler) -> Any:
        # Absent means none read: a plan without custom objects is saved as it always was.
        data = handler(self)
        if isinstance(data, dict) and not data.get("objects"):
            data.pop("objects", None)
        return data

    def fingerprint_of(self, api_name: str) -> str:
        """The fingerprint of a type, or of its absence."""
        live = self.types.get(api_name)
        return live.fingerprint() if live else "absent"

    def object_fingerprint(self, api_name: str) -> str:
        """The fingerprint of a custom object type, or of its absence."""
        live = self.objects.get(api_name)
        return live.fingerprint() if live else "absent"
