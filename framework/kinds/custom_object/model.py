"""The definition of a custom object type: keys as in Adobe's create request, plus our own.

`apiName`, `displayName`, `pluralName`, `description`, `showInLeadDetail` and each field's
`name`, `displayName`, `dataType`, `description`, `isDedupeField` and `relatedTo` are the keys
of Marketo's Sync Custom Object Type and Add Custom Object Type Fields requests; `kind`,
`version`, `protect`, `ensure`, `acknowledge` and `renamedFrom` are ours and mean what they
mean for activity types. Rules that span fields or files are in `rules`.

Adobe's guide: https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/custom-objects
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from framework.definitions.vocabulary import (
    MAX_API_NAME_LENGTH,
    MAX_DESCRIPTION_LENGTH,
    MAX_NAME_LENGTH,
    NOT_BLANK_PATTERN,
    DataType,
)
from framework.kinds.custom_object.vocabulary import (
    DISPLAY_NAME_PATTERN,
    OBJECT_NAME_PATTERN,
)


def _name(description: str) -> str:
    return Field(  # type: ignore[no-any-return]
        pattern=OBJECT_NAME_PATTERN, max_length=MAX_API_NAME_LENGTH, description=description
    )


def _display_name(description: str) -> str:
    return Field(  # type: ignore[no-any-return]
        min_length=1, max_length=MAX_NAME_LENGTH, pattern=DISPLAY_NAME_PATTERN,
        description=description,
    )


def _description(what: str = "Optional description.") -> str | None:
    return Field(default=None, max_length=MAX_DESCRIPTION_LENGTH, description=what)


# defer_build: built when first used; a folder without custom objects never builds these.
_STRICT = ConfigDict(extra="forbid", frozen=True, use_enum_values=True, defer_build=True)


class RelatedTo(BaseModel):
    """What a link field points at: an object (lead, company or a custom object type) and
    the field of it whose value the link holds."""

    model_config = _STRICT

    name: str = Field(
        pattern=OBJECT_NAME_PATTERN, max_length=MAX_API_NAME_LENGTH,
        description="lead, company, or the apiName of an approved custom object type.",
    )
    field: str = Field(
        pattern=OBJECT_NAME_PATTERN, max_length=MAX_API_NAME_LENGTH,
        description="The linked object's field, e.g. id for a lead.",
    )


class ObjectField(BaseModel):
    """A field of a custom object type (Add Custom Object Type Fields)."""

    model_config = _STRICT

    name: str = _name("Field API name: letters, digits and underscores; cannot be renamed.")
    displayName: str = _display_name("Display name, unique within the type.")
    dataType: DataType = Field(description="One of Marketo's 11 data types; `link` with relatedTo.")
    description: str | None = _description(
        "Optional; Marketo never reads it back, so a change alone plans nothing."
    )
    # strict: pydantic would otherwise read the text "yes" as a boolean.
    isDedupeField: bool = Field(
        default=False, strict=True,
        description="Part of the type's key (1 to 3 per type); frozen once approved.",
    )
    relatedTo: RelatedTo | None = Field(
        default=None, description="Makes the field a link field; frozen once approved."
    )
    renamedFrom: str | None = Field(
        default=None, pattern=OBJECT_NAME_PATTERN, max_length=MAX_API_NAME_LENGTH,
        description="The field's previous name: planned as delete + add (its values are lost).",
    )

    @property
    def is_link(self) -> bool:
        return self.relatedTo is not None


# The `activities lint` rules a custom object definition can acknowledge.
ObjectAcknowledgeableRule = Literal[
    "field-removed",
    "field-renamed",
    "likely-rename",
    "data-type-changed",
    "type-deleted",
    "type-replaced",
    "protect-removed",
]


class ObjectAcknowledgement(BaseModel):
    """A breaking or destructive change accepted on purpose, for one version of the file."""

    model_config = _STRICT

    rule: ObjectAcknowledgeableRule = Field(description="The lint rule id acknowledged.")
    version: int = Field(ge=1, strict=True, description="The file version it was given for.")
    reason: str = Field(
        min_length=1, max_length=MAX_NAME_LENGTH, pattern=NOT_BLANK_PATTERN,
        description="Why the change is acceptable (shown in the review).",
    )


class CustomObject(BaseModel):
    """One custom object type: the content of one `<apiName>.yaml` file with
    `kind: customObject`."""

    model_config = _STRICT

    kind: Literal["customObject"] = Field(description="Tells a custom object type's file apart.")
    version: int = Field(ge=1, strict=True, description="Bumped on every change to the file.")
    apiName: str = _name("Type API name; the file is named after it; frozen once approved.")
    displayName: str = _display_name("Display name, unique among types; frozen once approved.")
    pluralName: str | None = Field(
        default=None, min_length=1, max_length=MAX_NAME_LENGTH, pattern=NOT_BLANK_PATTERN,
        description="Plural of displayName; Marketo never reads it back.",
    )
    description: str | None = _description()
    # strict: pydantic would otherwise read the text "yes" or "no" as a boolean.
    showInLeadDetail: bool = Field(
        default=False, strict=True,
        description="Show records on the person's detail page; Marketo never reads it back.",
    )
    fields: list[ObjectField] = Field(
        default_factory=list, description="Up to 50 fields, 1 to 3 of them dedupe fields."
    )
    protect: bool = Field(
        default=False, strict=True,
        description="Refuse any plan that deletes, replaces or drops a field.",
    )
    ensure: Literal["present", "absent"] = Field(
        default="present", description="`absent` asks for the type's deletion (a tombstone)."
    )
    acknowledge: list[ObjectAcknowledgement] = Field(
        default_factory=list,
        description="Breaking or destructive changes accepted for one version (activities lint).",
    )

    def field(self, name: str) -> ObjectField | None:
        """The field called `name`, if any."""
        return next((f for f in self.fields if f.name == name), None)

    @property
    def dedupe_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.isDedupeField)

    @property
    def link_fields(self) -> tuple[ObjectField, ...]:
        return tuple(f for f in self.fields if f.relatedTo is not None)
