"""The emulated instance's data: activity types, their approved and draft versions, attributes.

A type has at most two versions: the approved (live) one and a draft. Its status follows from
which exist: only a draft is `draft`, only approved is `approved`, both is `approved with draft`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

DATA_TYPES = frozenset(
    ["string", "boolean", "integer", "float", "link", "email", "currency", "date", "datetime",
     "phone", "text"]
)
FIRST_TYPE_ID = 100001


@dataclass(frozen=True)
class Attribute:
    """One attribute of one version of a type; `primary` marks the primary attribute."""

    api_name: str
    name: str
    data_type: str = "string"
    description: str | None = None
    primary: bool = False

    def to_api(self) -> dict[str, Any]:
        """The attribute as Marketo's describe shows it (no isPrimary, as in the ACT example)."""
        body: dict[str, Any] = {"apiName": self.api_name, "name": self.name}
        if self.description is not None:
            body["description"] = self.description
        body["dataType"] = self.data_type
        return body

    def to_json(self) -> dict[str, Any]:
        return {"apiName": self.api_name, "name": self.name, "dataType": self.data_type,
                "description": self.description, "primary": self.primary}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Attribute:
        return cls(data["apiName"], data["name"], data["dataType"], data["description"],
                   data["primary"])


@dataclass(frozen=True)
class TypeVersion:
    """The editable content of a type: what approve publishes and discardDraft throws away."""

    name: str
    trigger_name: str
    filter_name: str
    description: str | None = None
    attributes: tuple[Attribute, ...] = ()

    @property
    def primary(self) -> Attribute | None:
        return next((a for a in self.attributes if a.primary), None)

    @property
    def secondaries(self) -> tuple[Attribute, ...]:
        return tuple(a for a in self.attributes if not a.primary)

    def attribute(self, api_name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.api_name == api_name), None)

    # Looked up once per attribute of every record added: worth keeping (the version is frozen).
    @cached_property
    def by_api_name(self) -> dict[str, Attribute]:
        """Secondary attributes by apiName."""
        return {a.api_name: a for a in self.attributes if not a.primary}

    @cached_property
    def by_name(self) -> dict[str, Attribute]:
        """Secondary attributes by display name."""
        return {a.name: a for a in self.attributes if not a.primary}

    def with_attributes(self, attributes: tuple[Attribute, ...]) -> TypeVersion:
        return replace(self, attributes=attributes)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "triggerName": self.trigger_name,
                "filterName": self.filter_name, "description": self.description,
                "attributes": [a.to_json() for a in self.attributes]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TypeVersion:
        return cls(data["name"], data["triggerName"], data["filterName"], data["description"],
                   tuple(Attribute.from_json(a) for a in data["attributes"]))


@dataclass
class ActivityType:
    """One custom activity type with its versions, keyed by apiName."""

    id: int
    api_name: str
    created_at: str
    updated_at: str
    approved: TypeVersion | None = None
    draft: TypeVersion | None = None
    ever_approved: bool = False
    in_use: bool = False  # used by a smart list trigger or filter: delete is refused
    records: list[dict[str, Any]] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.approved is None:
            return "draft"
        return "approved" if self.draft is None else "approved with draft"

    @property
    def latest(self) -> TypeVersion:
        """The version edits start from: the draft if there is one, else the approved one."""
        version = self.draft or self.approved
        assert version is not None, "a type always has a draft or an approved version"
        return version

    def summary(self, version: TypeVersion) -> dict[str, Any]:
        """The type as the list endpoint shows it: no primaryAttribute, no attributes."""
        body: dict[str, Any] = {"id": self.id, "apiName": self.api_name, "name": version.name}
        if version.description is not None:
            body["description"] = version.description
        body.update({"triggerName": version.trigger_name, "filterName": version.filter_name,
                     "createdAt": self.created_at, "updatedAt": self.updated_at,
                     "status": self.status})
        return body

    def describe(self, version: TypeVersion, status: str | None = None) -> dict[str, Any]:
        """The type as describe and the mutating endpoints show it."""
        body = self.summary(version)
        if status is not None:
            body["status"] = status
        primary = version.primary
        if primary is not None:
            body["primaryAttribute"] = primary.to_api()
        secondaries = version.secondaries
        # After every attribute is deleted Marketo leaves the key out rather than sending [].
        if secondaries:
            body["attributes"] = [a.to_api() for a in secondaries]
        return body

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "apiName": self.api_name, "createdAt": self.created_at,
                "updatedAt": self.updated_at,
                "approved": self.approved.to_json() if self.approved else None,
                "draft": self.draft.to_json() if self.draft else None,
                "everApproved": self.ever_approved, "inUse": self.in_use,
                "records": self.records}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ActivityType:
        return cls(
            id=data["id"], api_name=data["apiName"], created_at=data["createdAt"],
            updated_at=data["updatedAt"],
            approved=TypeVersion.from_json(data["approved"]) if data["approved"] else None,
            draft=TypeVersion.from_json(data["draft"]) if data["draft"] else None,
            ever_approved=data["everApproved"], in_use=data["inUse"], records=data["records"],
        )
