"""The definition format: pydantic models keyed as in Marketo's API, plus our own keys.

Field names follow Marketo's REST API (`apiName`, `triggerName`, ...) so users recognise them;
`version`, `protect`, `ensure`, `renamedFrom` and `acknowledge` are ours. Rules that span fields
or files (limits, uniqueness, file names) live in `framework.definitions.rules`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# Marketo: apiName is alphanumeric with at least one letter, at most 255 characters
# (Adobe's Activities guide and its Swagger spec):
# https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/activities
API_NAME_PATTERN = r"^[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*$"
MAX_API_NAME_LENGTH = 255
# Marketo: 0 to 20 secondary attributes, the primary not counted (error 1028).
MAX_ATTRIBUTES = 20
# Marketo: 10 custom activity types per subscription by default (error 1027).
DEFAULT_MAX_TYPES = 10
# Display names need one visible character: a blank name shows as nothing in Smart Lists.
NOT_BLANK_PATTERN = r"\S"
# Adobe's Activities guide ("Create type", Display Name): a type's display name accepts
# alphanumeric characters, spaces and underscores, and must contain at least one letter.
# https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/activities
# The guide states it for the type's display name only; attribute, trigger and filter names
# are free text (its own trigger example has an en dash).
TYPE_NAME_PATTERN = r"^[A-Za-z0-9 _]*[A-Za-z][A-Za-z0-9 _]*$"
# Lengths Marketo does not document for names and descriptions: the emulator (our reference
# instance) refuses longer ones with 1003, so validate refuses them first.
MAX_NAME_LENGTH = 255
MAX_DESCRIPTION_LENGTH = 2000


class DataType(StrEnum):
    """The 11 attribute data types Marketo accepts (its Activities guide and Swagger enum)."""

    string = "string"
    boolean = "boolean"
    integer = "integer"
    float = "float"
    link = "link"
    email = "email"
    currency = "currency"
    date = "date"
    datetime = "datetime"
    phone = "phone"
    text = "text"


_STRICT = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)


def _api_name(description: str) -> str:
    return Field(  # type: ignore[no-any-return]
        pattern=API_NAME_PATTERN, max_length=MAX_API_NAME_LENGTH, description=description
    )


def _display_name(description: str) -> str:
    return Field(  # type: ignore[no-any-return]
        min_length=1, max_length=MAX_NAME_LENGTH, pattern=NOT_BLANK_PATTERN,
        description=description,
    )


def _type_name(description: str) -> str:
    return Field(  # type: ignore[no-any-return]
        min_length=1, max_length=MAX_NAME_LENGTH, pattern=TYPE_NAME_PATTERN,
        description=description,
    )


def _description() -> str | None:
    return Field(
        default=None, max_length=MAX_DESCRIPTION_LENGTH, description="Optional description."
    )


class Attribute(BaseModel):
    """A secondary attribute of a custom activity type."""

    model_config = _STRICT

    apiName: str = _api_name("Attribute API name; cannot be renamed.")
    name: str = _display_name("Display name.")
    description: str | None = _description()
    dataType: DataType = Field(description="One of Marketo's 11 data types.")
    renamedFrom: str | None = Field(
        default=None,
        pattern=API_NAME_PATTERN,
        max_length=MAX_API_NAME_LENGTH,
        description="The attribute's previous apiName: planned as delete + create (destructive).",
    )


class PrimaryAttribute(BaseModel):
    """The primary attribute: the main value of every activity record of the type."""

    model_config = _STRICT

    apiName: str = _api_name("Primary attribute API name.")
    name: str = _display_name("Display name.")
    description: str | None = _description()
    dataType: DataType = Field(
        default=DataType.string,
        validate_default=True,
        description="Defaults to string, as in Marketo.",
    )


# The `activities lint` rules a definition can acknowledge (framework/lint/rules.py grades them).
AcknowledgeableRule = Literal[
    "attribute-removed",
    "attribute-renamed",
    "likely-rename",
    "data-type-changed",
    "primary-attribute-changed",
    "type-deleted",
    "trigger-name-changed",
    "filter-name-changed",
    "protect-removed",
]


class Acknowledgement(BaseModel):
    """A breaking or destructive change accepted on purpose, for one version of the file.

    `activities lint` lets a change flagged under `rule` pass only while the file's `version`
    equals `version`: the next change bumps the version, and the acknowledgement expires."""

    model_config = _STRICT

    rule: AcknowledgeableRule = Field(description="The lint rule id acknowledged.")
    version: int = Field(ge=1, strict=True, description="The file version it was given for.")
    reason: str = _display_name("Why the change is acceptable (shown in the review).")


class ActivityType(BaseModel):
    """One custom activity type: the content of one `<apiName>.yaml` file."""

    model_config = _STRICT

    # strict: YAML `true` or `3.0` must not silently become a version number.
    version: int = Field(ge=1, strict=True, description="Bumped on every change to the file.")
    apiName: str = _api_name("Type API name; the file is named after it.")
    name: str = _type_name("Display name: letters, digits, spaces and underscores.")
    description: str | None = _description()
    triggerName: str = _display_name(
        "Smart List trigger name, unique among the trigger and filter names of all types."
    )
    filterName: str = _display_name(
        "Smart List filter name, unique among the trigger and filter names of all types."
    )
    primaryAttribute: PrimaryAttribute
    attributes: list[Attribute] = Field(
        default_factory=list, description="Up to 20 attributes besides the primary."
    )
    # strict: pydantic would otherwise read the text "yes" or "no" as a boolean.
    protect: bool = Field(
        default=False,
        strict=True,
        description="Refuse any plan that deletes, replaces or drops.",
    )
    ensure: Literal["present", "absent"] = Field(
        default="present", description="`absent` asks for the type's deletion (a tombstone)."
    )
    acknowledge: list[Acknowledgement] = Field(
        default_factory=list,
        description="Breaking or destructive changes accepted for one version (activities lint).",
    )


class DefinitionFile(BaseModel):
    """A loaded definition together with where it came from (for messages)."""

    model_config = ConfigDict(frozen=True)

    path: str
    definition: ActivityType
