"""The text of an imported definition file: the canonical layout of `activities fmt`.

The file is dumped once with ruamel and then passed through `canonical_text`, the formatter
`activities fmt` itself uses, so an imported file is exactly what `fmt --check` accepts.
"""

from __future__ import annotations

import io
import os
from pathlib import Path, PurePosixPath
from typing import Any

from framework.definitions.document import Document, new_yaml
from framework.definitions.formatting import INDENT, canonical_text
from framework.live import LiveAttribute, TypeVersion

SCHEMA_PATH = PurePosixPath("framework/definitions/activity-type.schema.json")
# What the example files in activities/ carry; used when the project has no copy of the schema.
DEFAULT_MODELINE = f"# yaml-language-server: $schema=../{SCHEMA_PATH}"


def schema_modeline(directory: Path, root: Path) -> str:
    """The yaml-language-server modeline pointing from `directory` to the project's schema.

    A relative path is only right when the schema file is really there (this repository, or a
    project that keeps a copy at framework/definitions/); otherwise the examples' line is used.
    """
    schema = root / SCHEMA_PATH
    if not schema.is_file():
        return DEFAULT_MODELINE
    try:
        relative = os.path.relpath(schema.resolve(), directory.resolve())
    except ValueError:  # another drive on Windows: no relative path exists
        return DEFAULT_MODELINE
    return f"# yaml-language-server: $schema={PurePosixPath(Path(relative).as_posix())}"


def definition_text(
    live: TypeVersion, *, modeline: str, version: int = 1, protect: bool = False
) -> str:
    """A definition file holding `live`: descriptions only when present, protect only if set."""
    data: dict[str, Any] = {"version": version, **_type_fields(live)}
    if protect:
        data["protect"] = True
    stream = io.StringIO()
    yaml = new_yaml()
    yaml.indent(**INDENT)
    yaml.width = 1_000_000  # never fold a long description over lines
    yaml.dump(data, stream)
    text = f"{modeline}\n{stream.getvalue()}"
    return canonical_text(Document(path="", data=new_yaml().load(text), text=text))


def _type_fields(live: TypeVersion) -> dict[str, Any]:
    fields: dict[str, Any] = {"apiName": live.apiName, "name": live.name}
    if live.description:
        fields["description"] = live.description
    fields["triggerName"] = live.triggerName
    fields["filterName"] = live.filterName
    fields["primaryAttribute"] = _attribute(live.primaryAttribute)
    if live.attributes:
        fields["attributes"] = [_attribute(a) for a in live.attributes]
    return fields


def _attribute(attribute: LiveAttribute) -> dict[str, str]:
    fields = {"apiName": attribute.apiName, "name": attribute.name}
    if attribute.description:
        fields["description"] = attribute.description
    fields["dataType"] = attribute.dataType
    return fields
