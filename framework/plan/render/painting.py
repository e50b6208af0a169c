"""Symbols, terminal colours and Markdown escaping shared by the templates."""

from __future__ import annotations

from collections.abc import Callable

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

# Styles by the word they colour: an action, a risk, or a plain emphasis.
_STYLES: dict[str, str] = {
    "create": "32",
    "add": "32",
    "update": "33",
    "approve-draft": "36",
    "discard-draft": "36",
    "replace": "31",
    "rename": "31",
    "delete": "31",
    "remove": "31",
    "destructive": "1;31",
    "breaking": "1;33",
    "safe": "2",
    "bold": "1",
    "dim": "2",
}


def painter(color: bool) -> Callable[[str, str], str]:
    """A `paint(text, style)` for the templates: ANSI colours, or the text as is."""

    def paint(text: str, style: str) -> str:
        code = _STYLES.get(style)
        return f"\x1b[{code}m{text}\x1b[0m" if color and code else text

    return paint


def markdown_text(value: object) -> str:
    """Text safe inside Markdown tables and HTML blocks: no raw tags, no cell breaks."""
    text = str(value)
    for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "&#124;")):
        text = text.replace(raw, entity)
    return text.replace("\n", " ")
