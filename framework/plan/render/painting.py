"""Symbols, terminal colours and Markdown escaping shared by the templates."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import click

ACTION_SYMBOLS: dict[str, str] = {
    "create": "+",
    "update": "~",
    "replace": "-/+",
    "delete": "-",
    "approve-draft": "^",
    "discard-draft": "x",
    "no-op": "=",
}
ATTRIBUTE_SYMBOLS: dict[str, str] = {
    "add": "+",
    "update": "~",
    "remove": "-",
    "rename": "-/+",
    "replace": "-/+",
}
ACTION_SYMBOLS.update({f"attribute:{k}": v for k, v in ATTRIBUTE_SYMBOLS.items()})

# Styles by the word they colour: an action, a risk, or a plain emphasis (click.style's words).
_STYLES: dict[str, dict[str, Any]] = {
    "create": {"fg": "green"},
    "add": {"fg": "green"},
    "update": {"fg": "yellow"},
    "approve-draft": {"fg": "cyan"},
    "discard-draft": {"fg": "cyan"},
    "replace": {"fg": "red"},
    "rename": {"fg": "red"},
    "delete": {"fg": "red"},
    "remove": {"fg": "red"},
    "destructive": {"fg": "red", "bold": True},
    "breaking": {"fg": "yellow", "bold": True},
    "safe": {"dim": True},
    "bold": {"bold": True},
    "dim": {"dim": True},
}


def painter(color: bool) -> Callable[[str, str], str]:
    """A `paint(text, style)` for the templates: terminal colours, or the text as is."""

    def paint(text: str, style: str) -> str:
        words = _STYLES.get(style)
        return click.style(text, **words) if color and words else text

    return paint


def markdown_text(value: object) -> str:
    """Text safe inside Markdown tables and HTML blocks: no raw tags, no cell breaks."""
    text = str(value)
    for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "&#124;")):
        text = text.replace(raw, entity)
    return text.replace("\n", " ")


def markdown_code(value: object) -> str:
    """VALUE as one Markdown code span: the fence is a run of backticks longer than any in
    the text (CommonMark ends a span at the next run of its own length), so a backtick in a
    definition's text cannot end the span and turn the rest into Markdown of its own."""
    text = markdown_text(value)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    if not longest:
        return f"`{text}`"
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"  # CommonMark strips one space each side
