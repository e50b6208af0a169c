"""`activities import` for custom object types: a live type written as a definition file.

The file holds what Marketo reads back (the codec's ObjectVersion): the display name, the
description, and each field with its data type and whether it is a dedupe or a link field.
`pluralName`, `showInLeadDetail` and field descriptions are never read back, so an imported
file leaves them out (add them by hand: a change to them alone plans nothing). The text is
passed through `activities fmt`'s own formatter, so an imported file is what `fmt --check`
accepts.
"""

from __future__ import annotations

from typing import Any

from framework.importer.content import file_text
from framework.kinds.custom_object.live import FieldVersion, ObjectVersion
from framework.kinds.custom_object.model import CustomObject

# Instances without custom objects (a paid option), or an API user without the Custom Object
# Type roles, answer the schema calls with these: an import of every type then has none.
NO_CUSTOM_OBJECTS = frozenset({"1026", "616", "603"})


def object_definition_text(
    live: ObjectVersion, *, modeline: str, existing: CustomObject | None = None
) -> str:
    """A definition file holding `live`; over an existing file (`import --force`) its
    version is bumped when the content changes, and its `protect` and write-only keys kept."""
    version, protect = 1, False
    data: dict[str, Any] = {"kind": "customObject"}
    if existing is not None:
        same = ObjectVersion.from_definition(existing) == live and existing.ensure == "present"
        version = existing.version if same else existing.version + 1
        protect = existing.protect
    data.update({"version": version, "apiName": live.apiName, "displayName": live.displayName})
    if existing is not None and existing.pluralName is not None:
        data["pluralName"] = existing.pluralName
    if live.description is not None:
        data["description"] = live.description
    if existing is not None and existing.showInLeadDetail:
        data["showInLeadDetail"] = True
    data["fields"] = [_field(f, existing) for f in live.fields]
    if protect:
        data["protect"] = True
    return file_text(data, modeline)


def _field(field: FieldVersion, existing: CustomObject | None) -> dict[str, Any]:
    data: dict[str, Any] = {"name": field.name, "displayName": field.displayName}
    before = existing.field(field.name) if existing is not None else None
    if before is not None and before.description is not None:
        data["description"] = before.description
    data["dataType"] = field.dataType
    if field.isDedupeField:
        data["isDedupeField"] = True
    if field.relatedTo is not None:
        data["relatedTo"] = {"name": field.relatedTo.name, "field": field.relatedTo.field}
    return data
