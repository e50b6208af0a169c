"""The steps of a plan: one frozen class per Marketo call apply makes.

compare makes them (framework.plan.steps), render shows them and apply runs them
(framework.apply.runner dispatches on the class, exhaustively); nothing parses them back. In
the plan file each step is an object whose `op` names its class; `body()` is the exact JSON
request body apply sends. Endpoints are those of Adobe's custom activity type API:
https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/activities
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from framework.live import LiveAttribute


def attribute_body(attribute: LiveAttribute, *, clearable: bool = False) -> dict[str, Any]:
    """An attribute as Marketo takes it; `clearable` sends "" for a missing description."""
    body: dict[str, Any] = {"apiName": attribute.apiName, "name": attribute.name}
    if attribute.description is not None or clearable:
        body["description"] = attribute.description or ""
    body["dataType"] = attribute.dataType
    return body


class _Op(BaseModel):
    """What every step has: the call it is and the type it is made on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    op: str
    apiName: str

    def body(self) -> dict[str, Any] | None:
        """The JSON body of the request, None for calls that send none."""
        return None

    def attribute_names(self) -> tuple[str, ...]:
        """The attribute apiNames the call sends (for progress and the journal)."""
        return ()


class CreateTypeOp(_Op):
    """Create the type as a draft with its primary attribute (Create Custom Activity Type)."""

    op: Literal["create_type"] = "create_type"
    name: str
    description: str | None = None
    triggerName: str
    filterName: str
    primaryAttribute: LiveAttribute

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"apiName": self.apiName, "name": self.name}
        if self.description is not None:
            body["description"] = self.description
        body["triggerName"] = self.triggerName
        body["filterName"] = self.filterName
        body["primaryAttribute"] = attribute_body(self.primaryAttribute)
        return body


class UpdateTypeOp(_Op):
    """Change the draft's type fields; only the fields set are sent ("" clears a description)."""

    op: Literal["update_type"] = "update_type"
    name: str | None = None
    description: str | None = None
    triggerName: str | None = None
    filterName: str | None = None
    primaryAttribute: LiveAttribute | None = None

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            field: value
            for field in ("name", "description", "triggerName", "filterName")
            if (value := getattr(self, field)) is not None
        }
        if self.primaryAttribute is not None:
            body["primaryAttribute"] = attribute_body(self.primaryAttribute, clearable=True)
        return body


class CreateAttributesOp(_Op):
    """Add secondary attributes to the draft, in one call."""

    op: Literal["create_attributes"] = "create_attributes"
    attributes: tuple[LiveAttribute, ...]

    def body(self) -> dict[str, Any]:
        return {"attributes": [attribute_body(a) for a in self.attributes]}

    def attribute_names(self) -> tuple[str, ...]:
        return tuple(a.apiName for a in self.attributes)


class UpdateAttributesOp(_Op):
    """Change attributes of the draft, keyed by apiName ("" clears a description)."""

    op: Literal["update_attributes"] = "update_attributes"
    attributes: tuple[LiveAttribute, ...]

    def body(self) -> dict[str, Any]:
        return {"attributes": [attribute_body(a, clearable=True) for a in self.attributes]}

    def attribute_names(self) -> tuple[str, ...]:
        return tuple(a.apiName for a in self.attributes)


class DeleteAttributesOp(_Op):
    """Remove attributes from the draft, by apiName."""

    op: Literal["delete_attributes"] = "delete_attributes"
    attributes: tuple[str, ...]

    def body(self) -> dict[str, Any]:
        return {"attributes": [{"apiName": name} for name in self.attributes]}

    def attribute_names(self) -> tuple[str, ...]:
        return self.attributes


class ApproveOp(_Op):
    """Publish the draft: it becomes the approved version."""

    op: Literal["approve"] = "approve"


class DiscardDraftOp(_Op):
    """Throw the draft away; the approved version stays."""

    op: Literal["discard_draft"] = "discard_draft"


class DeleteTypeOp(_Op):
    """Delete the type, its records and its Smart List trigger and filter."""

    op: Literal["delete_type"] = "delete_type"


Step = Annotated[
    CreateTypeOp
    | UpdateTypeOp
    | CreateAttributesOp
    | UpdateAttributesOp
    | DeleteAttributesOp
    | ApproveOp
    | DiscardDraftOp
    | DeleteTypeOp,
    Field(discriminator="op"),
]
