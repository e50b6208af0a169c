"""The plan comment's hidden header and the digest that ties an apply to the reviewed plan."""

from __future__ import annotations

import copy
from typing import Any

from framework.ci.github import Comment
from framework.ci.header import BOT, find_plan_comment, header, plan_digest, read_header

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


def test_the_header_is_found_again_only_in_the_bots_comment_of_its_environment() -> None:
    mine = header({"environment": "sandbox", "digest": "sha256:x"})
    assert read_header(f"{mine}\n### plan") == {"environment": "sandbox", "digest": "sha256:x"}
    assert read_header("no header here") is None
    comments = [
        Comment(1, f"quoting it: {mine}", author="mallory"),
        Comment(2, header({"environment": "production"}), author=BOT),
        Comment(3, f"{mine}\nfirst", author=BOT),
        Comment(4, f"{mine}\nsecond", author=BOT),
    ]
    assert find_plan_comment(comments, "sandbox", BOT) == comments[2]
    assert find_plan_comment(comments, "staging", BOT) is None
