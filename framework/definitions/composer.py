"""Composing a definition's YAML: what a definition never needs is refused where it is written.

A definition is a mapping of text, numbers, booleans and lists, four levels deep. YAML can say
much more, and some of it does harm before any rule runs: aliases (a 1 KB "billion laughs" file
expands to gigabytes, `a: &a [*a]` never ends), nesting deep enough to exhaust Python's stack,
tags that build other Python types (`!!omap`, `!!set`, `!!binary`, `!custom`), merge keys
(`<<:`, which fmt cannot keep), and numbers too long to print. Each becomes one positioned
problem for its file, so the other files are still checked.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import Node, ScalarNode

# A definition nests 4 levels (type, attributes, an attribute, its values); leave room.
MAX_NESTING = 20
# `version` is the only number a definition needs; Python cannot print an int of 4,300 digits.
MAX_NUMBER_LENGTH = 100
_CORE = "tag:yaml.org,2002:"
# Tags a definition may write explicitly (`!!str 123`); the types YAML resolves by itself.
PLAIN_TAGS = frozenset(
    _CORE + name for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)
_NUMBER_TAGS = (_CORE + "int", _CORE + "float")


class RefusedYAML(MarkedYAMLError):
    """YAML that is valid but never part of a definition; `fix` says what to write instead."""

    def __init__(self, problem: str, fix: str, mark: Any) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.fix = fix


class DefinitionComposer(Composer):
    """ruamel's composer, refusing aliases, deep nesting, other tags, merge keys, huge numbers."""

    nesting = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            raise RefusedYAML(
                f"uses the alias *{event.anchor}; a definition needs no anchors or aliases",
                "write the value out in full where the alias is, and remove the `&anchor`",
                event.start_mark,
            )
        tag = event.tag
        if tag not in (None, "!") and tag not in PLAIN_TAGS:
            raise RefusedYAML(
                f"the tag {_short(tag)} makes a value no definition holds",
                "remove the tag; a definition holds text, numbers, true/false, mappings and "
                "lists",
                event.start_mark,
            )
        self.nesting += 1
        try:
            if self.nesting > MAX_NESTING:
                raise RefusedYAML(
                    f"is nested more than {MAX_NESTING} levels deep; a definition needs 4",
                    "remove the extra levels of lists or mappings",
                    event.start_mark,
                )
            node: Node = super().compose_node(parent, index)
        finally:
            self.nesting -= 1
        if isinstance(node, ScalarNode):
            _check_scalar(node)
        return node


def _check_scalar(node: ScalarNode) -> None:
    if node.tag == _CORE + "merge":
        raise RefusedYAML(
            "uses a merge key (`<<:`); a definition writes every key out",
            "replace `<<:` with the keys it would merge",
            node.start_mark,
        )
    if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_LENGTH:
        raise RefusedYAML(
            f"holds a number written with {len(node.value):,} characters, too long to be a "
            "definition's value",
            "shorten it; if it is text, put it in quotes",
            node.start_mark,
        )


def _short(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
