"""The steps of a custom object change: one frozen class per Marketo call apply makes.

As framework.plan.ops does for activity types: the differ makes them, render shows them,
apply sends them (framework.kinds.custom_object.apply dispatches on the class, exhaustively);
`body()` is the exact JSON body apply sends. Every call answers `result: []`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from framework.kinds.custom_object.model import CustomObject, ObjectField


class FieldSpec(BaseModel):
    """A field as Add Custom Object Type Fields takes it, write-only description included."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    displayName: str
    dataType: str
    description: str | None = None
    isDedupeField: bool = False
    relatedTo: dict[str, str] | None = None

    @classmethod
    def of(cls, field: ObjectField) -> FieldSpec:
        related = field.relatedTo
        return cls(
            name=field.name,
            displayName=field.displayName,
            dataType=str(field.dataType),
            description=field.description,
            isDedupeField=field.isDedupeField,
            relatedTo={"name": related.name, "field": related.field} if related else None,
        )

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"name": self.name, "displayName": self.displayName,
                                "dataType": self.dataType}
        if self.description is not None:
            body["description"] = self.description
        if self.isDedupeField:
            body["isDedupeField"] = True
        if self.relatedTo is not None:
            body["relatedTo"] = dict(self.relatedTo)
        return body


class _ObjectOp(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    op: str
    apiName: str

    def body(self) -> dict[str, Any] | None:
        """The JSON body of the request, None for calls that send none."""
        return None

    def attribute_names(self) -> tuple[str, ...]:
        """The field names the call sends (for progress and the journal)."""
        return ()


class SyncObjectTypeOp(_ObjectOp):
    """Create the type as a draft (`createOnly`) or change its draft (`updateOnly`). The keys
    Marketo never reads back (pluralName, showInLeadDetail) are sent every time."""

    op: Literal["sync_object_type"] = "sync_object_type"
    action: Literal["createOnly", "updateOnly"]
    displayName: str | None = None
    pluralName: str | None = None
    description: str | None = None
    showInLeadDetail: bool = False

    @classmethod
    def of(cls, definition: CustomObject, action: Literal["createOnly", "updateOnly"],
           *, display_name: bool) -> SyncObjectTypeOp:
        return cls(
            apiName=definition.apiName,
            action=action,
            # displayName is frozen once approved: an update of an approved type leaves it out.
            displayName=definition.displayName if display_name else None,
            pluralName=definition.pluralName,
            description=definition.description or "",
            showInLeadDetail=definition.showInLeadDetail,
        )

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"action": self.action, "apiName": self.apiName}
        if self.displayName is not None:
            body["displayName"] = self.displayName
        if self.pluralName is not None:
            body["pluralName"] = self.pluralName
        if self.description is not None:
            body["description"] = self.description
        body["showInLeadDetail"] = self.showInLeadDetail
        return body


class AddObjectFieldsOp(_ObjectOp):
    """Add fields to the draft, in one call."""

    op: Literal["add_object_fields"] = "add_object_fields"
    fields: tuple[FieldSpec, ...]

    def body(self) -> dict[str, Any]:
        return {"input": [f.body() for f in self.fields]}

    def attribute_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


class UpdateObjectFieldOp(_ObjectOp):
    """Change one field's display name (and its write-only description) in the draft."""

    op: Literal["update_object_field"] = "update_object_field"
    field: str
    displayName: str
    description: str | None = None

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"displayName": self.displayName}
        if self.description is not None:
            body["description"] = self.description
        return body

    def attribute_names(self) -> tuple[str, ...]:
        return (self.field,)


class DeleteObjectFieldsOp(_ObjectOp):
    """Remove fields from the draft, by name."""

    op: Literal["delete_object_fields"] = "delete_object_fields"
    fields: tuple[str, ...]

    def body(self) -> dict[str, Any]:
        return {"input": [{"name": name} for name in self.fields]}

    def attribute_names(self) -> tuple[str, ...]:
        return self.fields


class ApproveObjectTypeOp(_ObjectOp):
    """Publish the draft: it becomes the approved version."""

    op: Literal["approve_object_type"] = "approve_object_type"


class DiscardObjectDraftOp(_ObjectOp):
    """Throw the draft away; the approved version stays."""

    op: Literal["discard_object_draft"] = "discard_object_draft"


class DeleteObjectTypeOp(_ObjectOp):
    """Delete the type and every record of it."""

    op: Literal["delete_object_type"] = "delete_object_type"


ObjectStep = Annotated[
    SyncObjectTypeOp
    | AddObjectFieldsOp
    | UpdateObjectFieldOp
    | DeleteObjectFieldsOp
    | ApproveObjectTypeOp
    | DiscardObjectDraftOp
    | DeleteObjectTypeOp,
    Field(discriminator="op"),
]
