"""Command output the CI steps post (comments, notes, job summaries) stays inside its block."""

from __future__ import annotations

import re

import pytest

from framework.ci.markdown import code_block
from framework.ci.pull_request import failed

# An error quoting a contributor's text: a closing fence, then Markdown of their own.
HOSTILE = ("Error: activities/x.yaml:3: description 'a\n```\n![tracker](https://evil.example/p.png)"
           "\n**No changes**\n````' is too long")


def blocks(markdown: str) -> list[tuple[str, str]]:
    """(content, what follows) of each fenced block, closed as CommonMark closes it: by a line
    of at least as many backticks as the opening fence, and nothing else."""
    found = []
    lines = markdown.split("\n")
    index = 0
    while index < len(lines):
        opening = re.fullmatch(r"(`{3,})[^`]*", lines[index])
        if opening is None:
            index += 1
            continue
        fence = opening.group(1)
        end = next((j for j in range(index + 1, len(lines))
                    if re.fullmatch(rf"`{{{len(fence)},}}\s*", lines[j])), len(lines))
        found.append(("\n".join(lines[index + 1:end]), "\n".join(lines[end + 1:])))
        index = end + 1
    return found


@pytest.mark.parametrize("text", [HOSTILE, "plain", "`one` and ``two``", "```", "`" * 9])
def test_a_code_block_holds_any_text_whole(text: str) -> None:
    [(content, after)] = blocks(code_block(text))
    assert content == text
    assert after == ""


def test_a_failed_plan_comment_quotes_the_error_in_one_block() -> None:
    # With a fixed fence of three, the contributor's "```" ended the block and their image and
    # bold "No changes" rendered in the comment the plan job posts.
    comment = failed("production", HOSTILE)
    [(content, after)] = blocks(comment)
    assert content == HOSTILE
    assert "evil.example" not in after
