"""The definition format: pydantic models keyed as in Marketo's API, plus our own keys.

Field names follow Marketo's REST API (`apiName`, `triggerName`, ...) so users recognise them;
`version`, `protect`, `ensure`, `renamedFrom` and `acknowledge` are ours. Rules that span fields
or files (limits, uniqueness, file names) live in `framework.definitions.rules`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from framework.definitions.vocabulary import (
    API_NAME_PATTERN,
    DEFAULT_MAX_TYPES,
    MAX_API_NAME_LENGTH,
    MAX_ATTRIBUTES,
    MAX_DESCRIPTION_LENGTH,
    MAX_NAME_LENGTH,
    NOT_BLANK_PATTERN,
    TYPE_NAME_PATTERN,
    DataType,
)
from framework.kinds import kind_of
from framework.kinds.custom_object.model import CustomObject

# The shared vocabulary is re-exported: activity type code imports it from here.
__all__ = [
    "API_NAME_PATTERN", "DEFAULT_MAX_TYPES", "MAX_API_NAME_LENGTH", "MAX_ATTRIBUTES",
    "MAX_DESCRIPTION_LENGTH", "MAX_NAME_LENGTH", "NOT_BLANK_PATTERN", "TYPE_NAME_PATTERN",
    "AcknowledgeableRule", "Acknowledgement", "ActivityType", "Attribute", "DataType",
    "ActivityTypeFile", "Definition", "DefinitionFile", "PrimaryAttribute",
    "activity_type_files", "kind_of",
]

# defer_build: a model's validator is built when first used, so `validate` (a pre-commit hook)
# builds only those of the kinds the folder holds.
_STRICT = ConfigDict(extra="forbid", frozen=True, use_enum_values=True, defer_build=True)


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
    "primary-attribute-edited",
    "type-deleted",
    "display-name-changed",
    "description-changed",
    "trigger-name-changed",
    "filter-name-changed",
    "attribute-display-name-changed",
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

    # Optional: a file without `kind` is an activity type. Left out of dumps (plans record
    # definitions, and a saved plan reads the same whether the file spelt it out or not).
    kind: Literal["activityType"] = Field(
        default="activityType", exclude=True,
        description="Optional: a file without kind is a custom activity type.",
    )
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


# Either kind of definition, told apart by `kind` (absent: an activity type).
Definition = Annotated[
    Annotated[ActivityType, Tag("activityType")] | Annotated[CustomObject, Tag("customObject")],
    Discriminator(kind_of),
]


class DefinitionFile(BaseModel):
    """A loaded definition together with where it came from (for messages)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    path: str
    definition: Definition

    @property
    def api_name(self) -> str:
        return self.definition.apiName


class ActivityTypeFile(DefinitionFile):
    """A loaded custom activity type."""

    definition: ActivityType


def activity_type_files(files: Iterable[DefinitionFile]) -> list[ActivityTypeFile]:
    """The custom activity types among `files`, in order."""
    return [
        f if isinstance(f, ActivityTypeFile)
        else ActivityTypeFile(path=f.path, definition=f.definition)
        for f in files
        if isinstance(f.definition, ActivityType)
    ]
