"""The codec between Marketo's `ObjectMetaData` and our one model of a custom object version.

An `ObjectVersion` is what Marketo reads back of a version (approved or draft): the type's
display name and description, and per field its name, display name, data type, and whether
it is a dedupe or a link field. Both directions meet here, so comparing and verifying are
plain equality:

- from Marketo: link fields read back with the linked field's data type and show only in
  `relationships`, dedupe fields only in `dedupeFields`; the three system fields are left out;
- from a definition: the keys Marketo never reads back (`pluralName`, `showInLeadDetail`,
  field descriptions) are left out: they are sent with every sync of the type, but a change to
  them alone never makes a plan non-empty.

Standard link targets (`lead`, `company`) are matched case-insensitively (Adobe's request says
`lead`, its read-back `Lead`), so they are kept in lower case.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from framework.kinds.custom_object.model import CustomObject, ObjectField
from framework.kinds.custom_object.vocabulary import STANDARD_LINK_TARGETS, SYSTEM_FIELDS

ObjectStatus = Literal["draft", "approved", "approvedWithDraft"]
OBJECT_STATUSES: tuple[ObjectStatus, ...] = ("draft", "approved", "approvedWithDraft")


class Link(BaseModel):
    """Where a link field points: an object and its field."""

    model_config = ConfigDict(frozen=True)

    name: str
    field: str

    @classmethod
    def of(cls, name: str, field: str) -> Link:
        if name.casefold() in STANDARD_LINK_TARGETS:
            return cls(name=name.casefold(), field=field.casefold())
        return cls(name=name, field=field)


class FieldVersion(BaseModel):
    """A field as Marketo reads it back."""

    model_config = ConfigDict(frozen=True)

    name: str
    displayName: str
    dataType: str
    isDedupeField: bool = False
    relatedTo: Link | None = None

    @property
    def frozen_part(self) -> tuple[bool, Link | None]:
        """What Marketo freezes once the type is approved: being a dedupe or a link field."""
        return self.isDedupeField, self.relatedTo


class ObjectVersion(BaseModel):
    """One version (approved or draft) of a custom object type."""

    model_config = ConfigDict(frozen=True)

    apiName: str
    displayName: str
    description: str | None = None
    fields: tuple[FieldVersion, ...] = ()

    def field(self, name: str) -> FieldVersion | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def dedupe_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.isDedupeField)

    @property
    def links(self) -> tuple[FieldVersion, ...]:
        return tuple(f for f in self.fields if f.relatedTo is not None)

    @classmethod
    def from_marketo(cls, item: dict[str, Any]) -> ObjectVersion:
        """Decode a list or describe result item (ObjectMetaData)."""
        dedupe = {str(n) for n in item.get("dedupeFields") or []}
        links: dict[str, Link] = {}
        for relation in item.get("relationships") or []:
            related = relation.get("relatedTo") or {}
            links[str(relation.get("field"))] = Link.of(
                str(related.get("name", "")), str(related.get("field", ""))
            )
        fields = [
            FieldVersion(
                name=str(raw.get("name", "")),
                displayName=str(raw.get("displayName", "")),
                dataType="link" if raw.get("name") in links else str(raw.get("dataType", "")),
                isDedupeField=raw.get("name") in dedupe,
                relatedTo=links.get(str(raw.get("name"))),
            )
            for raw in item.get("fields") or []
            if raw.get("name") not in SYSTEM_FIELDS
        ]
        return cls(
            apiName=str(item["apiName"]),
            displayName=str(item.get("displayName", "")),
            description=item.get("description") or None,
            fields=tuple(sorted(fields, key=lambda f: f.name)),
        )

    @classmethod
    def from_definition(cls, definition: CustomObject) -> ObjectVersion:
        """The version Marketo should hold once `definition` is applied and approved."""
        return cls(
            apiName=definition.apiName,
            displayName=definition.displayName,
            description=definition.description or None,
            fields=tuple(sorted((field_version(f) for f in definition.fields),
                                key=lambda f: f.name)),
        )


def field_version(field: ObjectField) -> FieldVersion:
    """What Marketo reads back of a defined field."""
    related = field.relatedTo
    return FieldVersion(
        name=field.name,
        displayName=field.displayName,
        dataType=str(field.dataType),
        isDedupeField=field.isDedupeField,
        relatedTo=Link.of(related.name, related.field) if related is not None else None,
    )


class DependentAsset(BaseModel):
    """An asset that uses a custom object type (Get Custom Object Type Dependent Assets)."""

    model_config = ConfigDict(frozen=True)

    assetType: str
    assetId: int
    assetName: str


class LiveObject(BaseModel):
    """A custom object type on the instance: its state and the versions it holds."""

    model_config = ConfigDict(frozen=True)

    apiName: str
    status: ObjectStatus
    approved: ObjectVersion | None = None
    draft: ObjectVersion | None = None
    # Read only for a type the plan would delete or replace (Get Custom Object Type Dependent
    # Assets); not part of the fingerprint.
    dependentAssets: tuple[DependentAsset, ...] = ()

    @property
    def ever_approved(self) -> bool:
        return self.status != "draft"

    @property
    def reference(self) -> ObjectVersion | None:
        """The version users see: the approved one, or the draft of a type never approved."""
        return self.approved if self.ever_approved else self.draft

    @property
    def working(self) -> ObjectVersion | None:
        """The version edits go to: the draft when there is one, else the approved one."""
        return self.draft or self.approved

    def fingerprint(self) -> str:
        """A stable digest of this type's live state (status and both versions)."""
        payload = self.model_dump(mode="json", exclude={"dependentAssets"})
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def states_for(status: ObjectStatus) -> tuple[str, ...]:
    """The describe calls (`state` of each) a listed status needs."""
    return {"approved": ("approved",), "draft": ("draft",),
            "approvedWithDraft": ("approved", "draft")}[status]
