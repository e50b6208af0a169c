"""Canonical formatting of definition files: key order and indentation, comments kept.

ruamel.yaml keeps a full-line comment with the key *above* it, so reordering keys inside ruamel
would carry a comment away from the key it describes. The keys are therefore first reordered as
blocks of source lines (each key with the comment lines right above it), and only then is the
text re-emitted by ruamel with our indentation, which leaves every comment where it now belongs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from framework.definitions.document import FILE_FIELD, Document, new_yaml, read_document
from framework.definitions.layout import Layout
from framework.definitions.loader import definition_paths, display_path
from framework.definitions.model import kind_of
from framework.errors import Problem
from framework.files import write_atomically
from framework.kinds.custom_object.layout import CUSTOM_OBJECT_LAYOUT

TYPE_KEYS = (
    "kind", "version", "apiName", "name", "description", "triggerName", "filterName",
    "primaryAttribute", "attributes", "protect", "ensure", "acknowledge",
)
ATTRIBUTE_KEYS = ("apiName", "name", "description", "dataType", "renamedFrom")
ACKNOWLEDGEMENT_KEYS = ("rule", "version", "reason")
# The lists of mappings, and the key order of their items.
ITEM_KEYS = {"attributes": ATTRIBUTE_KEYS, "acknowledge": ACKNOWLEDGEMENT_KEYS}
ACTIVITY_TYPE_LAYOUT = Layout(
    keys=TYPE_KEYS, blocks={"primaryAttribute": ATTRIBUTE_KEYS}, items=ITEM_KEYS
)
LAYOUTS = {"activityType": ACTIVITY_TYPE_LAYOUT, "customObject": CUSTOM_OBJECT_LAYOUT}
# Mappings indented by 2, list items by 2 under their key ("  - apiName: ..."), as in the README.
INDENT = {"mapping": 2, "sequence": 4, "offset": 2}


@dataclass
class FormatResult:
    """What formatting a folder did (or, with check, would do)."""

    changed: list[str] = field(default_factory=list)
    # For each changed file: its text before and after (what `fmt --diff` shows).
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    # Files that do not parse are never touched; these say why.
    refused: list[Problem] = field(default_factory=list)


def format_directory(directory: Path, *, write: bool) -> FormatResult:
    """Format every definition file of `directory`; with `write=False` only report."""
    listing = definition_paths(directory)
    result = FormatResult(refused=list(listing.problems))
    for path in listing.paths:
        document = read_document(path, display_path(path))
        if document.data is None or document.problems:
            result.refused.extend(document.problems)
            continue
        text = canonical_text(document)
        if text == document.text:
            result.unchanged.append(document.path)
            continue
        if write:
            try:
                # A link inside the folder is written through to its file, and stays a link.
                write_atomically(path.resolve(), text)
            except OSError as exc:
                result.refused.append(Problem(document.path, 1, 1, FILE_FIELD,
                                              f"cannot be written: {exc.strerror}",
                                              "check the file's permissions"))
                continue
        result.changed.append(document.path)
        result.texts[document.path] = (document.text, text)
    return result


def canonical_text(document: Document) -> str:
    """The formatted text of a parsed document (one whose `data` is not None)."""
    lines = document.text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    layout = LAYOUTS.get(kind_of(document.data), ACTIVITY_TYPE_LAYOUT)
    data = _load("".join(_arrange(document.data, lines, 0, len(lines), layout.keys,
                                  nested=layout)))
    _reorder_in_place(data, layout)
    return _indent_comments(_dump(data))


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(**INDENT)
    # Never re-wrap a long description: formatting must not change what a line says.
    yaml.width = 1_000_000
    return yaml


def _load(text: str) -> Any:
    yaml = _yaml()
    yaml.allow_duplicate_keys = True
    return yaml.load(text)


def _dump(data: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


def _reorder_in_place(data: Any, layout: Layout) -> None:
    """Key order for what line blocks could not reorder (flow mappings like `{a: 1, b: 2}`)."""
    if not isinstance(data, CommentedMap):
        return
    _move(data, layout.keys)
    for key, order in layout.blocks.items():
        if isinstance(data.get(key), CommentedMap):
            _move(data[key], order)
    for key, order in layout.items.items():
        if isinstance(data.get(key), CommentedSeq):
            for item in data[key]:
                if isinstance(item, CommentedMap):
                    _move(item, order)
                    for inner, inner_order in layout.item_blocks.items():
                        if isinstance(item.get(inner), CommentedMap):
                            _move(item[inner], inner_order)


def _move(mapping: CommentedMap, order: Sequence[str]) -> None:
    wanted = [key for key in order if key in mapping]
    wanted += [key for key in mapping if key not in order]
    if list(mapping) != wanted:
        for key in wanted:
            mapping.move_to_end(key)


def _indent_comments(text: str) -> str:
    """Indent each comment line like the line it describes (the next one), as people expect.

    ruamel keeps a comment line at the column it was written at, which after re-indentation
    can leave it hanging deeper or shallower than its key.
    """
    lines = text.splitlines(keepends=True)
    protected = _multiline_scalar_lines(text)
    target = 0
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        stripped = line.lstrip(" ")
        if index in protected or not stripped.strip():
            continue
        if stripped.startswith("#"):
            lines[index] = " " * target + stripped
        else:
            target = len(line) - len(stripped)
    return "".join(lines)


def _multiline_scalar_lines(text: str) -> set[int]:
    """Lines inside block or multi-line scalars: text there may start with `#`."""
    lines: set[int] = set()
    pending = [new_yaml().compose(text)]
    while pending:
        node = pending.pop()
        if isinstance(node, ScalarNode):
            # A block scalar ends at the start (column 0) of the line after its text.
            end = node.end_mark.line + (1 if node.end_mark.column else 0)
            lines.update(range(node.start_mark.line + 1, end))
        elif isinstance(node, MappingNode):
            pending.extend(item for pair in node.value for item in pair)
        elif isinstance(node, SequenceNode):
            pending.extend(node.value)
    return lines


# --- reordering blocks of source lines -------------------------------------------------------


def _is_comment_or_blank(line: str, column: int) -> bool:
    stripped = line.lstrip(" ")
    if not stripped.strip():
        return True
    # Deeper-indented lines may be the content of a block scalar: they stay where they are.
    return stripped.startswith("#") and len(line) - len(stripped) <= column


def _lead(lines: list[str], line: int, floor: int, column: int) -> int:
    """First line of the comments and blank lines right above `line` (never above `floor`)."""
    while line - 1 > floor and _is_comment_or_blank(lines[line - 1], column):
        line -= 1
    return line


def _arrange(mapping: Any, lines: list[str], start: int, end: int, order: Sequence[str],
             *, nested: Layout | None) -> list[str]:
    """Lines [start, end) with the keys of `mapping` in canonical order; `nested` (the top
    of a file) also orders the blocks and list items its layout names."""
    if not isinstance(mapping, CommentedMap) or not mapping:
        return lines[start:end]
    keys = list(mapping)
    rows = [mapping.lc.key(key)[0] for key in keys]
    if rows != sorted(set(rows)) or rows[0] < start or rows[-1] >= end:
        return lines[start:end]  # a flow mapping or a layout we do not recognise: _move does it
    column = mapping.lc.key(keys[0])[1]
    leads = [rows[0]] + [_lead(lines, row, rows[i], column) for i, row in enumerate(rows[1:])]
    footer = _lead(lines, end, rows[-1], column)
    bounds = list(zip(leads, [*leads[1:], footer], strict=True))
    chunks: dict[str, list[str]] = {}
    for key, (chunk_start, chunk_end) in zip(keys, bounds, strict=True):
        chunks[key] = _arrange_value(mapping, key, lines, chunk_start, chunk_end, nested)
    ranked = [key for key in order if key in chunks] + [key for key in keys if key not in order]
    arranged = lines[start:rows[0]]
    for key in ranked:
        arranged += chunks[key]
    return arranged + lines[footer:end]


def _arrange_value(mapping: CommentedMap, key: str, lines: list[str], start: int, end: int,
                   nested: Layout | None) -> list[str]:
    value = mapping[key]
    if nested is None or key not in (*nested.blocks, *nested.items):
        return lines[start:end]
    value_row = mapping.lc.value(key)[0]
    if value_row <= mapping.lc.key(key)[0]:
        return lines[start:end]  # flow style on the key's own line
    head = lines[start:value_row]
    if key in nested.blocks:
        return head + _arrange(value, lines, value_row, end, nested.blocks[key], nested=None)
    return head + _arrange_items(value, lines, value_row, end, nested.items[key])


def _arrange_items(
    items: Any, lines: list[str], start: int, end: int, order: Sequence[str]
) -> list[str]:
    if not isinstance(items, CommentedSeq) or not items:
        return lines[start:end]
    rows = [items.lc.item(index)[0] for index in range(len(items))]
    dash = [lines[row].find("-") for row in rows]
    if rows != sorted(set(rows)) or rows[0] < start or any(
        column < 0 or lines[row][:column].strip() for row, column in zip(rows, dash, strict=True)
    ):
        return lines[start:end]
    ends = [_lead(lines, row, rows[i], dash[i + 1]) for i, row in enumerate(rows[1:])]
    arranged = lines[start:rows[0]]
    for index, item in enumerate(items):
        item_end = ends[index] if index < len(ends) else end
        arranged += _arrange_item(item, lines, rows[index], item_end, dash[index], order)
        # The comments right above the next item stay right above it.
        arranged += lines[item_end:rows[index + 1] if index < len(ends) else end]
    return arranged


def _arrange_item(
    item: Any, lines: list[str], start: int, end: int, dash: int, order: Sequence[str]
) -> list[str]:
    """An item's keys in order; the `- ` moves to whichever key now comes first."""
    own = lines[:end]
    own[start] = own[start][:dash] + " " + own[start][dash + 1:]
    arranged = _arrange(item, own, start, end, order, nested=None)
    for index, line in enumerate(arranged):
        if line.strip() and not line.lstrip().startswith("#"):
            arranged[index] = line[:dash] + "-" + line[dash + 1:]
            break
    return arranged
