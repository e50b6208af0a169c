"""The text of an imported definition file: the canonical layout of `activities fmt`.

The file is dumped once with ruamel and then passed through `canonical_text`, the formatter
`activities fmt` itself uses, so an imported file is exactly what `fmt --check` accepts. Over
an existing file (`import --force`) the file itself is edited, so its comments and the order of
its attributes survive.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from framework.definitions.document import Document, new_yaml
from framework.definitions.formatting import INDENT, canonical_text
from framework.definitions.schema import MODELINE
from framework.live import LiveAttribute, TypeVersion

# Every imported file points its editor at the schema beside it (written by import when it is
# missing; `activities schema --write` refreshes it).
DEFAULT_MODELINE = MODELINE


def definition_text(
    live: TypeVersion, *, modeline: str, version: int = 1, protect: bool = False
) -> str:
    """A definition file holding `live`: descriptions only when present, protect only if set."""
    data: dict[str, Any] = {"version": version, **_type_fields(live)}
    if protect:
        data["protect"] = True
    return file_text(data, modeline)


def file_text(data: dict[str, Any], modeline: str) -> str:
    """DATA as a definition file in `activities fmt`'s canonical layout, of either kind."""
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


def updated_text(existing: str, live: TypeVersion, *, version: int) -> str:
    """The text of an existing definition file (`import --force`) made to hold `live`.

    Its comments, key order, attribute order and other keys (`protect`, `acknowledge`, ...)
    are kept; attributes no longer live are dropped, new ones added after the others, and a
    tombstone (`ensure: absent`) becomes present again."""
    data = _round_trip().load(existing)
    data["version"] = version
    for key, value in _type_fields(live).items():
        if key not in ("primaryAttribute", "attributes"):
            _assign(data, key, value)
    if data.get("description") and not live.description:
        del data["description"]
    if data.get("ensure") == "absent":
        del data["ensure"]
    primary = data.get("primaryAttribute")
    if isinstance(primary, CommentedMap):
        _update_attribute(primary, live.primaryAttribute, primary=True)
    else:
        data["primaryAttribute"] = _attribute(live.primaryAttribute)
    _update_attributes(data, live.attributes)
    stream = io.StringIO()
    _round_trip().dump(data, stream)
    text = stream.getvalue()
    return canonical_text(Document(path="", data=new_yaml().load(text), text=text))


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(**INDENT)
    yaml.width = 1_000_000
    return yaml


def _assign(mapping: CommentedMap, key: str, value: Any) -> None:
    # Only a changed value is set, so that an unchanged one keeps its quoting.
    if mapping.get(key) != value:
        mapping[key] = value


def _update_attribute(mapping: CommentedMap, live: LiveAttribute, *, primary: bool) -> None:
    fields = _attribute(live)
    if primary and live.dataType == "string" and "dataType" not in mapping:
        del fields["dataType"]  # the primary's default, left out as the file had it
    for key, value in fields.items():
        _assign(mapping, key, value)
    for key in ("description", "renamedFrom"):
        if key in mapping and key not in fields:
            del mapping[key]


def _update_attributes(data: CommentedMap, live: Sequence[LiveAttribute]) -> None:
    wanted = {attribute.apiName: attribute for attribute in live}
    items = data.get("attributes")
    if not isinstance(items, CommentedSeq):
        items = CommentedSeq()
    for index in range(len(items) - 1, -1, -1):
        item = items[index]
        name = item.get("apiName") if isinstance(item, CommentedMap) else None
        if name in wanted:
            _update_attribute(item, wanted.pop(name), primary=False)
        else:
            del items[index]
    for attribute in live:
        if attribute.apiName in wanted:
            items.append(CommentedMap(_attribute(attribute)))
    if items:
        data["attributes"] = items
    else:
        data.pop("attributes", None)
