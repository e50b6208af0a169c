"""The emulated instance's custom object types: versions, fields, links and how describe shows them.

A type has at most two versions, the approved (live) one and a draft; its `state` follows from
which exist: only a draft is `draft`, only approved is `approved`, both is `approvedWithDraft`.
A version holds the custom fields only: the three system fields are the same for every type.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

# CO, "List Field Data Types": the answer of fieldDataTypes.json, in Adobe's order.
FIELD_DATA_TYPES = ("string", "boolean", "integer", "float", "link", "email", "currency", "date",
                    "datetime", "phone", "text")
STRING_LENGTH = 255  # CO examples: a string field reads back with length 255
GUID_LENGTH = 36
ID_FIELD = "marketoGUID"


def folded(name: str) -> str:
    """How names are compared for uniqueness and links: without case (`lead` is `Lead`)."""
    return name.casefold()


@dataclass(frozen=True)
class Link:
    """Where a link field points: the related object as describe names it (`Lead`, `Company` or
    a custom object's apiName), its field, and that field's dataType (the link reads back as it)."""

    object: str
    field: str
    data_type: str

    @property
    def standard(self) -> bool:
        """A link to Lead or Company rather than to another custom object."""
        return self.object in ("Lead", "Company")

    def to_json(self) -> dict[str, Any]:
        return {"object": self.object, "field": self.field, "dataType": self.data_type}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Link:
        return cls(data["object"], data["field"], data["dataType"])


@dataclass(frozen=True)
class ObjectField:
    """One custom field of one version. `data_type` is as sent (`link` for a link field)."""

    name: str
    display_name: str
    data_type: str
    description: str | None = None
    dedupe: bool = False
    link: Link | None = None

    @property
    def read_type(self) -> str:
        """The dataType describe shows: a link field shows its target's type, as in CO's car."""
        return self.link.data_type if self.link is not None else self.data_type

    def to_api(self) -> dict[str, Any]:
        """The field as describe shows it (SPEC's ObjectField: no description, dedupe or link)."""
        return field_body(self.name, self.display_name, self.read_type, updateable=True)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "displayName": self.display_name, "dataType": self.data_type,
                "description": self.description, "dedupe": self.dedupe,
                "link": self.link.to_json() if self.link else None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ObjectField:
        link = Link.from_json(data["link"]) if data["link"] else None
        return cls(data["name"], data["displayName"], data["dataType"], data["description"],
                   data["dedupe"], link)


# CO: "By default, all custom object types contain the following standard fields"; CO's
# approved examples list them in this order, before the custom fields.
SYSTEM_FIELDS = (("createdAt", "Created At", "datetime"), (ID_FIELD, "Marketo GUID", "string"),
                 ("updatedAt", "Updated At", "datetime"))
SYSTEM_NAMES = frozenset(folded(name) for name, _, _ in SYSTEM_FIELDS)
SYSTEM_DISPLAY_NAMES = frozenset(folded(label) for _, label, _ in SYSTEM_FIELDS)


def field_body(name: str, display_name: str, data_type: str, updateable: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name, "displayName": display_name, "dataType": data_type}
    if name == ID_FIELD:
        body["length"] = GUID_LENGTH
    elif data_type == "string":
        body["length"] = STRING_LENGTH
    body.update({"updateable": updateable, "crmManaged": False})
    return body


@dataclass(frozen=True)
class ObjectVersion:
    """The editable content of a type: what approve publishes and discardDraft throws away."""

    display_name: str
    plural_name: str | None = None
    description: str | None = None
    show_in_lead_detail: bool = False
    fields: tuple[ObjectField, ...] = ()

    def field(self, name: str) -> ObjectField | None:
        """The custom field with this name, compared without case."""
        return next((f for f in self.fields if folded(f.name) == folded(name)), None)

    @property
    def dedupe_names(self) -> list[str]:
        return [f.name for f in self.fields if f.dedupe]

    @property
    def links(self) -> tuple[ObjectField, ...]:
        return tuple(f for f in self.fields if f.link is not None)

    def with_fields(self, fields: tuple[ObjectField, ...]) -> ObjectVersion:
        return replace(self, fields=fields)

    def to_json(self) -> dict[str, Any]:
        return {"displayName": self.display_name, "pluralName": self.plural_name,
                "description": self.description, "showInLeadDetail": self.show_in_lead_detail,
                "fields": [f.to_json() for f in self.fields]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ObjectVersion:
        return cls(data["displayName"], data["pluralName"], data["description"],
                   data["showInLeadDetail"],
                   tuple(ObjectField.from_json(f) for f in data["fields"]))


@dataclass(frozen=True)
class DependentAsset:
    """A smart campaign or list that uses a type, declared by a test through /_emulator/."""

    asset_type: str
    asset_id: int
    asset_name: str
    used_fields: tuple[str, ...] = ()

    def to_api(self) -> list[dict[str, Any]]:
        """The items dependentAssets shows for it: CO's example lists an asset once without
        `usedFields`, then again with them when it uses fields."""
        bare = {"assetType": self.asset_type, "assetId": self.asset_id,
                "assetName": self.asset_name}
        if not self.used_fields:
            return [bare]
        return [bare, {**bare, "usedFields": list(self.used_fields)}]

    def to_json(self) -> dict[str, Any]:
        return {"assetType": self.asset_type, "assetId": self.asset_id,
                "assetName": self.asset_name, "usedFields": list(self.used_fields)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DependentAsset:
        return cls(data["assetType"], data["assetId"], data["assetName"],
                   tuple(data["usedFields"]))


@dataclass
class ObjectType:
    """One custom object type with its versions, keyed by apiName."""

    api_name: str
    order: int  # creation order: how the list endpoint sorts types
    created_at: str
    updated_at: str
    approved: ObjectVersion | None = None
    draft: ObjectVersion | None = None
    # fields added by approvals after the first one (the `lifetime-field-additions` reading)
    added_after_approval: int = 0
    assets: list[DependentAsset] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.approved is None:
            return "draft"
        return "approved" if self.draft is None else "approvedWithDraft"

    @property
    def ever_approved(self) -> bool:
        # Versions are never dropped back to none: once approved, always an approved version.
        return self.approved is not None

    @property
    def latest(self) -> ObjectVersion:
        """The version edits start from: the draft if there is one, else the approved one."""
        version = self.draft or self.approved
        assert version is not None, "a type always has a draft or an approved version"
        return version

    def versions(self) -> tuple[ObjectVersion, ...]:
        return tuple(v for v in (self.approved, self.draft) if v is not None)

    def describe(self, version: ObjectVersion) -> dict[str, Any]:
        """The type as list and describe show one of its versions (SPEC's ObjectMetaData)."""
        which = "approved" if version is self.approved else "draft"
        body: dict[str, Any] = {"state": self.state, "version": which,
                                "apiName": self.api_name, "displayName": version.display_name}
        if version.description is not None:
            body["description"] = version.description
        approved = self.ever_approved
        dedupe = version.dedupe_names
        links = version.links
        searchable = [dedupe] + ([[ID_FIELD]] if approved else []) + [[f.name] for f in links]
        body.update({
            # CO's example of a fresh draft: no id field and no timestamps before approval
            "idField": ID_FIELD if approved else None,
            "createdAt": self.created_at if approved else None,
            "updatedAt": self.updated_at if approved else None,
            "dedupeFields": dedupe,
            "searchableFields": searchable,
            "relationships": [relationship(f) for f in links],
            "fields": [field_body(name, label, kind, updateable=False)
                       for name, label, kind in SYSTEM_FIELDS]
                      + [f.to_api() for f in sorted(version.fields, key=lambda f: folded(f.name))],
        })
        return body

    def to_json(self) -> dict[str, Any]:
        return {"apiName": self.api_name, "order": self.order, "createdAt": self.created_at,
                "updatedAt": self.updated_at,
                "approved": self.approved.to_json() if self.approved else None,
                "draft": self.draft.to_json() if self.draft else None,
                "addedAfterApproval": self.added_after_approval,
                "assets": [a.to_json() for a in self.assets]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ObjectType:
        return cls(
            api_name=data["apiName"], order=data["order"], created_at=data["createdAt"],
            updated_at=data["updatedAt"],
            approved=ObjectVersion.from_json(data["approved"]) if data["approved"] else None,
            draft=ObjectVersion.from_json(data["draft"]) if data["draft"] else None,
            added_after_approval=data["addedAfterApproval"],
            assets=[DependentAsset.from_json(a) for a in data["assets"]],
        )


def relationship(link_field: ObjectField) -> dict[str, Any]:
    """A link field as `relationships` shows it; `type` is `child`, as in CO's schema examples."""
    assert link_field.link is not None
    return {"field": link_field.name, "type": "child",
            "relatedTo": {"name": link_field.link.object, "field": link_field.link.field}}
