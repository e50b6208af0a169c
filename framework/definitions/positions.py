"""Where a field of a parsed definition is: 1-based line and column from ruamel's `.lc` data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

Loc = Sequence[str | int]


def field_path(loc: Loc) -> str:
    """`('attributes', 2, 'dataType')` → `attributes[2].dataType`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _start(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return 1, 1
    return lc.line + 1, lc.col + 1


def locate(data: Any, loc: Loc, *, key: bool = False) -> tuple[int, int]:
    """The position of the value at `loc` (of its key when `key`), or of the nearest parent.

    A missing key is reported at the start of the mapping that lacks it.
    """
    node = data
    position = _start(data)
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(node, CommentedMap) and part in node:
            line, column = node.lc.key(part) if key and last else node.lc.value(part)
            position = (line + 1, column + 1)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, column = node.lc.item(part)
            position = (line + 1, column + 1)
            node = node[part]
        else:
            break
    return position


def key_line(mapping: Any, key: str) -> int:
    """The line of `key` in `mapping` (1-based)."""
    return int(mapping.lc.key(key)[0]) + 1
