"""Typed record models (a Python module) and JSON Schemas generated from the definitions.

The module has one pydantic model per type: the class is the type's apiName with its first
letter upper-cased, its fields are the attributes' apiNames (the primary one included), and
`VERSION` is the definition's version. The JSON Schema of a type describes one line of a JSON
Lines record file for `activities send`. Both are rendered deterministically (no time stamp),
so `--check` can compare them with what is on disk.
"""

from __future__ import annotations

import json
import keyword
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from pydantic import BaseModel

from framework.definitions.model import ActivityType
from framework.records import values
from framework.records.schema import MAX_ATTRIBUTE_BYTES

ALIASES = {
    "string": "_String", "text": "_Text", "integer": "_Integer", "float": "_Float",
    "currency": "_Float", "boolean": "_Boolean", "email": "_Email", "phone": "_Phone",
    "link": "_Link", "date": "_Date", "datetime": "_Datetime",
}
# Field names a model cannot take as they are: they get a trailing `_` and the apiName as alias.
RESERVED = frozenset({*dir(BaseModel), "leadId", "activityDate", "to_record", "API_NAME",
                      "VERSION", "PRIMARY", "ATTRIBUTES"})
JSON_SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class Field:
    field: str
    declaration: str


@dataclass(frozen=True)
class Model:
    class_name: str
    api_name: str
    title: str
    version: int
    primary: Field
    attributes: list[Field]
    attribute_map: str


def class_name(api_name: str) -> str:
    """`attendWebinar` -> `AttendWebinar`."""
    return api_name[:1].upper() + api_name[1:]


def render_module(definitions: list[ActivityType], source: str, out: str) -> str:
    """The Python module for these types (sorted by apiName)."""
    ordered = sorted(definitions, key=lambda d: d.apiName)
    models = [_model(d) for d in ordered]
    template = _templates().get_template("models.py.j2")
    text = template.render(
        source=source, out=out, models=models,
        patterns={name: getattr(values, name)
                  for name in ("TIMESTAMP", "DATE", "EMAIL", "PHONE", "LINK")},
        limits={"string": values.MAX_STRING_CHARACTERS, "text_bytes": values.MAX_TEXT_BYTES,
                "min_integer": values.MIN_INTEGER, "max_integer": values.MAX_INTEGER,
                "max_lead_id": values.MAX_LEAD_ID},
        versions=_literal({d.apiName: d.version for d in ordered}, 0),
        registry=_literal({m.api_name: m.class_name for m in models}, 0, quote_values=False),
    )
    return text.rstrip("\n") + "\n"


def record_json_schema(definition: ActivityType) -> dict[str, Any]:
    """The JSON Schema of one record of the type, as a line of a JSON Lines file."""
    primary = definition.primaryAttribute
    attributes = {a.apiName: {**_value_schema(str(a.dataType)), "title": a.name}
                  for a in definition.attributes}
    return {
        "$schema": JSON_SCHEMA_DRAFT,
        "title": f"{definition.name} record ({definition.apiName}, version "
                 f"{definition.version})",
        "type": "object",
        "additionalProperties": False,
        "required": ["leadId", "activityDate", "primaryAttributeValue"],
        "properties": {
            "leadId": {"type": "integer", "minimum": 1, "maximum": values.MAX_LEAD_ID},
            "activityDate": _value_schema("datetime"),
            "primaryAttributeValue": {**_value_schema(str(primary.dataType)),
                                      "title": primary.name},
            "attributes": {
                "type": "object",
                "additionalProperties": False,
                "properties": attributes,
                "description": f"At most {MAX_ATTRIBUTE_BYTES} bytes as JSON (Marketo's 1049).",
            },
        },
    }


def schema_file_name(api_name: str) -> str:
    return f"{api_name}.record.schema.json"


def render_json_schema(definition: ActivityType) -> str:
    return json.dumps(record_json_schema(definition), indent=2, ensure_ascii=False) + "\n"


def stale_files(expected: dict[Path, str]) -> list[Path]:
    """The files whose content on disk is not `expected` (missing ones included)."""
    stale = []
    for path, text in expected.items():
        try:
            current = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != text:
            stale.append(path)
    return stale


def _value_schema(data_type: str) -> dict[str, Any]:
    string = values.MAX_STRING_CHARACTERS
    schemas: dict[str, dict[str, Any]] = {
        "string": {"type": "string", "maxLength": string},
        # 30,000 bytes of UTF-8: a schema can only bound characters (activities send checks bytes)
        "text": {"type": "string", "maxLength": values.MAX_TEXT_BYTES},
        "integer": {"type": "integer", "minimum": values.MIN_INTEGER,
                    "maximum": values.MAX_INTEGER},
        "float": {"type": "number"},
        "currency": {"type": "number"},
        "boolean": {"type": "boolean"},
        "email": {"type": "string", "maxLength": string, "pattern": f"^{values.EMAIL}$"},
        "phone": {"type": "string", "maxLength": string, "pattern": f"^{values.PHONE}$"},
        "link": {"type": "string", "maxLength": string, "pattern": f"^{values.LINK}$"},
        "date": {"type": "string", "format": "date", "pattern": f"^{values.DATE}$"},
        "datetime": {"type": "string", "format": "date-time",
                     "pattern": f"^{values.TIMESTAMP}$"},
    }
    return {**schemas[data_type], "x-marketo-dataType": data_type}


def _model(definition: ActivityType) -> Model:
    primary = definition.primaryAttribute
    names = [primary.apiName, *(a.apiName for a in definition.attributes)]
    fields = {name: _python_name(name) for name in names}
    declared = [
        Field(fields[a.apiName], _declaration(fields[a.apiName], a.apiName,
                                              ALIASES[str(a.dataType)], optional=True))
        for a in definition.attributes
    ]
    main = Field(fields[primary.apiName], _declaration(
        fields[primary.apiName], primary.apiName, ALIASES[str(primary.dataType)],
        optional=False))
    return Model(
        class_name=class_name(definition.apiName), api_name=definition.apiName,
        title=definition.name, version=definition.version, primary=main, attributes=declared,
        attribute_map=_literal({a.apiName: fields[a.apiName] for a in definition.attributes}, 4),
    )


def _python_name(api_name: str) -> str:
    if api_name in RESERVED or keyword.iskeyword(api_name) or api_name.startswith("model_"):
        return f"{api_name}_"
    return api_name


def _declaration(field: str, api_name: str, alias: str, optional: bool) -> str:
    kind = f"{alias} | None" if optional else alias
    if field == api_name:
        return f"{field}: {kind} = None" if optional else f"{field}: {kind}"
    default = "default=None, " if optional else ""
    return f'{field}: {kind} = Field({default}alias="{api_name}")'


def _literal(items: dict[str, Any], indent: int, quote_values: bool = True) -> str:
    """A dict literal in double quotes, one item a line when it would be long."""
    parts = [f'"{key}": ' + (json.dumps(value) if quote_values else str(value))
             for key, value in items.items()]
    flat = "{" + ", ".join(parts) + "}"
    if len(flat) + indent + 40 <= 100:
        return flat
    pad = " " * (indent + 4)
    return "{\n" + "".join(f"{pad}{part},\n" for part in parts) + " " * indent + "}"


def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("framework.records", "templates"),
        undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True,
        lstrip_blocks=True, autoescape=False,
    )
