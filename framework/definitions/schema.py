"""The JSON Schema of a definition file, generated from the pydantic models.

The committed copy (activity-type.schema.json, beside this module) is what editors read through
the modeline at the top of each definition; a test fails when it drifts from the models.
Regenerate it with `activities schema --write`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from framework.definitions.model import ActivityType

SCHEMA_PATH = Path(__file__).with_name("activity-type.schema.json")
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def activity_type_schema() -> dict[str, Any]:
    """The schema as a JSON value."""
    schema = ActivityType.model_json_schema()
    return {"$schema": SCHEMA_DIALECT, **schema}


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
