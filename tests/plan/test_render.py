"""Rendering: golden files for text, Markdown and JSON; colour; the Markdown size limit.

Refresh the golden files on purpose with `UPDATE_GOLDEN=1 pytest tests/plan`, then review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from framework.plan.model import Plan
from framework.plan.pipeline import derive_plan
from framework.plan.render import MARKDOWN_LIMIT, render, render_markdown, use_color
from tests.plan.plan_literals import PROVENANCE, definition, every_kind_of_change, live, no_changes

GOLDEN = Path(__file__).parent / "golden"
def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed: UPDATE_GOLDEN=1 to accept"


@pytest.mark.parametrize(
    ("fmt", "color", "name"),
    [
        ("text", False, "plan.txt"),
        ("text", True, "plan.color.txt"),
        ("markdown", False, "plan.md"),
        ("json", False, "plan.json"),
    ],
)
def test_golden(fmt: str, color: bool, name: str) -> None:
    check_golden(name, render(every_kind_of_change(), fmt, color=color))  # type: ignore[arg-type]


def test_golden_no_changes() -> None:
    check_golden("no-changes.txt", render(no_changes(), "text"))
    check_golden("no-changes.md", render(no_changes(), "markdown"))


def test_json_is_the_saved_plan_document_with_stable_key_order() -> None:
    text = render(every_kind_of_change(), "json")
    document = json.loads(text)
    assert list(document) == [
        "format_version", "provenance", "changes", "order", "unmanaged", "fingerprints",
        "assumptions", "summary",
        "readCalls", "estimatedApplyCalls", "inputs", "signature", "checksum",
    ]
    assert document["format_version"] == 2
    assert Plan.model_validate(document) == every_kind_of_change()


def test_colour_only_on_a_terminal_without_no_color() -> None:
    assert use_color(True, {}) is True
    assert use_color(False, {}) is False
    assert use_color(True, {"NO_COLOR": "1"}) is False
    assert "\x1b[" not in render(every_kind_of_change(), "text")
    assert "\x1b[32m+ create newType\x1b[0m" in render(every_kind_of_change(), "text", color=True)


def big_plan(count: int) -> Plan:
    many = [{"apiName": f"attribute{i}", "name": f"Attribute {i}", "description": "d" * 200,
             "dataType": "string"} for i in range(20)]
    desired = [definition(f"type{i:04}", attributes=many) for i in range(count)]
    state = live()
    return derive_plan(PROVENANCE, desired, state, max_types=count)


def test_markdown_trims_details_never_the_summary_to_fit_a_comment() -> None:
    plan = big_plan(60)
    full = render_markdown(plan, limit=10**9)
    assert len(full) > MARKDOWN_LIMIT
    text = render(plan, "markdown")
    assert len(text) <= MARKDOWN_LIMIT
    summary = full.split("#### Details")[0]
    assert text.startswith(summary)
    kept = text.count("<details>")
    assert 0 < kept < 60
    assert (
        f"_Details of {60 - kept} changes omitted to keep this comment within 65,536 "
        "characters; run `activities show PLAN` for the whole plan._"
    ) in text
    assert text.count("| `+` | `type") == 60


def test_markdown_never_exceeds_its_limit_even_when_the_summary_does_not_fit() -> None:
    # The CI comment must always post: rows, risk notes and at last the text itself give way.
    plan = big_plan(3)
    text = render_markdown(plan, limit=300)
    assert len(text) <= 300
    assert text.startswith("### activities plan for `local` (127.0.0.1:8080)\n")
    assert text.endswith(
        "\n\n_Cut to 300 characters; run `activities show PLAN` for the whole plan._\n")


def code_spans_of_steps(markdown: str) -> list[tuple[str, str]]:
    """Each create_type step's body as CommonMark reads its code span (opened by a run of
    backticks, closed by the next run of the same length, one space stripped from each end
    when both are spaces), and what follows the span on the line."""
    bodies = []
    for line in markdown.splitlines():
        head = line.partition("`create_type` ")
        if not head[1]:
            continue
        rest = head[2]
        fence = len(rest) - len(rest.lstrip("`"))
        inner = rest[fence:]
        closes = [i for i in range(len(inner)) if inner.startswith("`" * fence, i)
                  and (i == 0 or inner[i - 1] != "`")
                  and not inner.startswith("`" * (fence + 1), i)]
        content = inner[:closes[0]] if closes else ""
        if content.startswith(" ") and content.endswith(" ") and content.strip():
            content = content[1:-1]
        bodies.append((content, inner[closes[0] + fence:]) if closes else ("", "unclosed"))
    return bodies


def test_a_backtick_in_a_definition_cannot_end_the_code_span_of_a_step() -> None:
    # A contributor's description with backticks closed the step's one-backtick code span,
    # and what followed (an image, a link, any Markdown) was rendered into the plan comment.
    text = "` ![tracker](https://evil.example/p.png) **No changes** `` `"
    primary = {"apiName": "webinarName", "name": "Webinar Name", "dataType": "string",
               "description": text}
    plan = derive_plan(PROVENANCE, [definition("newType", primaryAttribute=primary)], live(),
                       max_types=10)
    markdown = render_markdown(plan, limit=10**9)
    [(content, after)] = code_spans_of_steps(markdown)
    assert after == ""  # nothing after the code span is Markdown of the contributor's
    assert json.loads(content.replace("&#124;", "|"))["primaryAttribute"]["description"] == text
