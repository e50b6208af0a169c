"""The JSON Schema of a definition file, both kinds, generated from the pydantic models.

`kind` is the discriminator: a file with `kind: customObject` is a custom object type, any
other file a custom activity type (`kind` absent or `activityType`), as the loader reads them.

The package ships it (activity-type.schema.json, beside this module; a test fails when it drifts
from the models: regenerate it with `python -m framework.definitions.schema`). A project keeps a
copy where its definitions are, `activities/.schema.json` (hidden: the loader skips it), which
`activities init`, `activities import` and `activities schema --write` write, and which every
definition's modeline names (`# yaml-language-server: $schema=.schema.json`, beside the file).
`activities validate` warns when that copy is not this version's, as after an upgrade.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("activity-type.schema.json")
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
# The project's copy, in the definitions folder, and the line that points a definition at it.
PROJECT_SCHEMA = ".schema.json"
MODELINE = f"# yaml-language-server: $schema={PROJECT_SCHEMA}"


def activity_type_schema() -> dict[str, Any]:
    """The schema as a JSON value: one definition of each kind in `$defs`, chosen by `kind`."""
    from pydantic.json_schema import models_json_schema

    from framework.definitions.model import ActivityType
    from framework.kinds.custom_object.model import CustomObject

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
    _write(path, text)
    return True


def shipped_schema() -> str:
    """The schema this version ships (equal to `schema_text()`, read instead of generated:
    generating it takes longer than validating a few files)."""
    return SCHEMA_PATH.read_text(encoding="utf-8")


def project_schema(directory: Path) -> Path:
    """Where a project keeps the schema editors read: beside its definitions."""
    return directory / PROJECT_SCHEMA


def write_project_schema(directory: Path) -> bool:
    """Write this version's schema into the definitions folder; True when the file changed."""
    path = project_schema(directory)
    text = shipped_schema()
    if _read(path) == text:
        return False
    _write(path, text)
    return True


def _write(path: Path, text: str) -> None:
    # Imported here: validate (a pre-commit hook) reads this module and never writes.
    from framework.files import write_atomically

    write_atomically(path, text)


def outdated_schema(directory: Path) -> bool:
    """True when the folder has a schema copy that is not this version's (none: False)."""
    found = _read(project_schema(directory))
    return found is not None and found != shipped_schema()


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


if __name__ == "__main__":  # developing activities: regenerate the shipped copy from the models
    print(f"{SCHEMA_PATH}: {'written' if write_schema() else 'already up to date'}")
