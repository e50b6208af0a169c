"""The hidden header of a plan comment, and the digest that ties a merge to the reviewed plan.

As dflook/terraform-github-actions does (image/src/github_pr_comment/comment.py and hash.py):
the comment starts with an HTML comment carrying JSON (invisible on GitHub), by which the step
finds its own comment again to update it in place, and which records a hash of the plan. After
the merge, apply makes the plan again on main and runs it only when its digest equals the
reviewed one: if main moved on or the instance changed since the review, it refuses.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

from framework.ci.github import Comment
from framework.ci.workflow import StepContext

TAG = "activities-plan"
# The account `github.token` comments as: only its comments count as reviewed plans, so a
# comment pasted by someone else cannot stand in for one.
BOT = "github-actions[bot]"


def comment_author(ctx: StepContext) -> str:
    """Whose comments are plans: github-actions[bot], or ACTIVITIES_COMMENT_AUTHOR."""
    return ctx.get("ACTIVITIES_COMMENT_AUTHOR") or BOT

_HEADER = re.compile(rf"^<!-- {TAG} (?P<json>\{{.*?\}}) -->", re.MULTILINE)

# What does not change what a plan does: when and from which commit it was made, the tool
# that made it, what reading cost, the inputs it was derived from (their comments and file
# positions; the live state of what it touches is in its fingerprints), its signature and
# the checksum over all of that.
_VOLATILE_PROVENANCE = ("createdAt", "gitCommit", "gitDirty", "toolVersion")
_VOLATILE = ("checksum", "readCalls", "inputs", "signature")


def plan_digest(document: dict[str, Any]) -> str:
    """sha256 of what a saved plan does: its changes, steps, fingerprints and options."""
    body = {k: v for k, v in document.items() if k not in _VOLATILE}
    provenance = body.get("provenance")
    if isinstance(provenance, dict):
        body["provenance"] = {
            k: v for k, v in provenance.items() if k not in _VOLATILE_PROVENANCE
        }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def header(fields: dict[str, Any]) -> str:
    """The first line of a plan comment: `<!-- activities-plan {...} -->`."""
    return f"<!-- {TAG} {json.dumps(fields, sort_keys=True, separators=(',', ':'))} -->"


def read_header(body: str) -> dict[str, Any] | None:
    """The fields of a comment's header, or None when it has none."""
    match = _HEADER.search(body)
    if match is None:
        return None
    try:
        fields = json.loads(match["json"])
    except json.JSONDecodeError:
        return None
    return fields if isinstance(fields, dict) else None


def find_plan_comment(
    comments: Sequence[Comment], environment: str, author: str | None = None
) -> Comment | None:
    """The plan comment of ENVIRONMENT, by AUTHOR when given (the oldest: later runs update it)."""
    found = None
    for comment in comments:
        fields = read_header(comment.body)
        if fields is None or fields.get("environment") != environment:
            continue
        if author is not None and comment.author != author:
            continue
        found = found or comment  # the first one is the one every later run updated
    return found
