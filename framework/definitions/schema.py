"""The JSON Schema of a definition file, both kinds, generated from the pydantic models.

`kind` is the discriminator: a file with `kind: customObject` is a custom object type, any
other file a custom activity type (`kind` absent or `activityType`), as the loader reads them.

The committed copy (activity-type.schema.json, beside this module) is what editors read through
the modeline at the top of each definition; a test fails when it drifts from the models.
Regenerate it with `activities schema --write`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from framework.definitions.model import ActivityType
from framework.kinds.custom_object.model import CustomObject

SCHEMA_PATH = Path(__file__).with_name("activity-type.schema.json")
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def activity_type_schema() -> dict[str, Any]:
    """The schema as a JSON value: one definition of each kind in `$defs`, chosen by `kind`."""
    refs, schema = models_json_schema(
        [(ActivityType, "validation"), (CustomObject, "validation")],
        ref_template="#/$defs/{model}",
    )
    activity = refs[(ActivityType, "validation")]
    custom_object = refs[(CustomObject, "validation")]
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "Definition",
        "description": "A custom activity type, or with `kind: customObject` a custom object "
        "type, managed by activities.",
        "type": "object",
        "if": {"properties": {"kind": {"const": "customObject"}}, "required": ["kind"]},
        "then": custom_object,
        "else": activity,
        **schema,
    }


def schema_text() -> str:
    """The schema as committed: 2-space indented JSON with a final newline."""
    return json.dumps(activity_type_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> bool:
    """Write the schema to `path`; True when the file changed."""
    text = schema_text()
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
