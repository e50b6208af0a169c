"""The canonical key order of one kind of definition file, for `activities fmt`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Layout:
    """Key order at the top of a file, inside its mapping blocks and inside list items."""

    keys: tuple[str, ...]
    # Keys whose value is a mapping, and the order of its keys (primaryAttribute).
    blocks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Keys whose value is a list of mappings, and the order of each item's keys.
    items: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Mappings inside list items, and their key order (a field's relatedTo).
    item_blocks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
