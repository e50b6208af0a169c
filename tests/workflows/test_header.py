"""The plan comment's hidden header and the digest that ties an apply to the reviewed plan."""

from __future__ import annotations

import copy
from typing import Any

from framework.ci.github import Comment
from framework.ci.header import (
    BOT,
    find_plan_comment,
    header,
    is_plan_comment,
    plan_digest,
    read_header,
    seal,
)

PLAN: dict[str, Any] = {
    "format_version": 2,
    "provenance": {"environment": "sandbox", "endpointHost": "h", "toolVersion": "0.1.0",
                   "gitCommit": "a" * 40, "gitDirty": False, "createdAt": "2026-12-01T10:00:00Z",
                   "definitionsDir": "activities", "allowDestructive": False},
    "changes": [{"apiName": "buyCar", "action": "create", "steps": [{"op": "create_type"}]}],
    "fingerprints": {"buyCar": "absent"},
    "readCalls": 1,
    "inputs": {"desired": [{"path": "activities/buyCar.yaml", "line": 3}], "live": {"calls": 1}},
    "checksum": "sha256:0",
}


def variant(**changes: Any) -> dict[str, Any]:
    plan = copy.deepcopy(PLAN)
    for path, value in changes.items():
        node = plan
        *parents, last = path.split("__")
        for key in parents:
            node = node[key]
        node[last] = value
    return plan


def test_the_digest_ignores_when_where_and_how_a_plan_was_made() -> None:
    same = variant(provenance__createdAt="2026-12-02T09:00:00Z", provenance__gitCommit="b" * 40,
                   provenance__toolVersion="0.2.0", readCalls=3, checksum="sha256:1",
                   inputs={"desired": [], "live": {"calls": 9}})
    assert plan_digest(same) == plan_digest(PLAN)


def test_the_digest_changes_with_what_the_plan_does() -> None:
    for other in (
        variant(changes=[{"apiName": "buyCar", "action": "update", "steps": []}]),
        variant(fingerprints={"buyCar": "sha256:live"}),  # the instance moved
        variant(provenance__allowDestructive=True),
        variant(provenance__environment="production"),
    ):
        assert plan_digest(other) != plan_digest(PLAN)


def test_a_header_counts_only_on_the_first_line() -> None:
    mine = header({"repository": "acme/marketing", "environment": "sandbox"})
    assert read_header(f"{mine}\n### plan") == {"repository": "acme/marketing",
                                                "environment": "sandbox"}
    assert read_header(f"{mine}\r\n### plan") is not None  # a body edited in the browser
    assert read_header("no header here") is None
    assert read_header(f"> quoting it:\n{mine}\n### plan") is None
    assert read_header(f"quoting it: {mine}") is None
    assert read_header(f"{mine} and more") is None


def test_a_header_nested_past_the_parser_is_no_header() -> None:
    # Anyone can comment on a pull or merge request: a note whose first line is a header
    # nested deeper than the JSON parser's stack crashed every plan and apply job reading them.
    deep = "<!-- activities-plan {\"a\":" + "[" * 100_000 + "]" * 100_000 + "} -->"
    assert read_header(deep) is None
    assert find_plan_comment([Comment(1, deep, "intruder")], "acme/marketing", "sandbox",
                             BOT) is None


def test_the_plan_comment_is_the_newest_by_the_bot_naming_this_repository_and_environment(
) -> None:
    def mine(text: str, environment: str = "sandbox", repository: str = "acme/marketing") -> str:
        return seal({"repository": repository, "environment": environment}, text)

    first_line = mine("x").split("\n")[0]
    comments = [
        Comment(1, mine("first\n"), author=BOT),
        Comment(2, mine("second\n") + "\n**Applied** to `sandbox` after the merge.\n",
                author=BOT),
        Comment(3, mine("pasted by a person\n"), author="mallory"),
        Comment(4, mine("production's\n", "production"), author=BOT),
        Comment(5, f"Sticky test report quoting a body:\n{mine('third')}\n", author=BOT),
        Comment(6, mine("another repository's\n", repository="acme/other"), author=BOT),
        Comment(7, f"{first_line}\nNo changes: the live instance matches.\n", author=BOT),
    ]
    assert find_plan_comment(comments, "acme/marketing", "sandbox", BOT) == comments[1]
    assert find_plan_comment(comments, "acme/marketing", "production", BOT) == comments[3]
    assert find_plan_comment(comments, "acme/marketing", "staging", BOT) is None
    assert find_plan_comment(comments, "acme/marketing", "sandbox", "mallory") == comments[2]


def test_a_sealed_comment_is_one_as_written_give_or_take_what_follows_it() -> None:
    body = seal({"repository": "acme/marketing", "environment": "sandbox"}, "plan\ntext\n")
    assert is_plan_comment(body)
    assert is_plan_comment(body + "\n**Applied**\n")
    assert is_plan_comment(body.replace("\n", "\r\n"))  # GitHub's page saves CRLF
    assert not is_plan_comment(body.replace("plan", "nothing"))
    assert not is_plan_comment(body.replace('"size":10', '"size":4'))  # only "plan"
    assert not is_plan_comment("no header")
