"""Command output shown in a comment, note or job summary, as one Markdown code block."""

from __future__ import annotations

import re


def code_block(value: object) -> str:
    """VALUE's text as one fenced code block whose fence is longer than any run of backticks in it.

    An error can quote a definition's text (a description, a display name), which a
    contributor wrote: with a fixed fence of three, "```" in it would end the block and the
    rest would render as Markdown of its own (images, links, a fake "No changes") in a comment
    or summary the tool posts. CommonMark closes a block only with a fence at least as long as
    the opening one (https://spec.commonmark.org/0.31.2/#fenced-code-blocks)."""
    text = str(value)
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"
