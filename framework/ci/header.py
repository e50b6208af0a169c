"""The plan comment's header, by which the plan step finds its own comment, and the plan digest.

As dflook/terraform-github-actions does (image/src/github_pr_comment/comment.py and hash.py):
the comment's first line is an HTML comment carrying JSON (invisible on GitHub) naming the
repository, the environment, the run and the digest of the plan. Only the first line counts,
only in a comment by the workflow's bot account, and only with this repository's name in it:
that is how the plan step finds the comment it posted (the newest one) to update it, and never
another workflow's or a person's. The comment is what reviewers read, not what the merge
trusts: the review record is the plan artifact of the plan run (framework/ci/record.py), and
apply checks that the newest plan comment shows exactly what that run wrote.
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
# The account `github.token` comments as: only its comments can be the plan step's, so a
# comment pasted by someone else never counts.
BOT = "github-actions[bot]"


def comment_author(ctx: StepContext) -> str:
    """Whose comments are plans: github-actions[bot], or ACTIVITIES_COMMENT_AUTHOR."""
    return ctx.get("ACTIVITIES_COMMENT_AUTHOR") or BOT


# The whole first line, and nothing else: a header quoted further down a body is no header.
_HEADER = re.compile(rf"<!-- {TAG} (?P<json>\{{[^\n]*\}}) -->")

# What does not change what a plan does: when and from which commit it was made (and so
# when it expires), the tool
# that made it, what reading cost, the inputs it was derived from (their comments and file
# positions; the live state of what it touches is in its fingerprints), its signature and
# the checksum over all of that.
_VOLATILE_PROVENANCE = ("createdAt", "expiresAt", "gitCommit", "gitDirty", "toolVersion")
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
    """The fields of the header on a body's first line, or None when that line is no header."""
    match = _HEADER.fullmatch(body.split("\n", 1)[0].rstrip("\r"))
    if match is None:
        return None
    try:
        fields = json.loads(match["json"])
    except (json.JSONDecodeError, RecursionError):  # anyone can comment: nested past the parser
        return None
    return fields if isinstance(fields, dict) else None


def seal(fields: dict[str, Any], content: str) -> str:
    """A plan comment: the header, which also records the size and sha256 of CONTENT (all
    below it as the plan step wrote it), then CONTENT."""
    sealed = {**fields, "size": len(content), "body": _sha256(content)}
    return f"{header(sealed)}\n{content}"


def is_plan_comment(body: str) -> bool:
    """Whether BODY is a plan comment as the plan step wrote it: a header on its first line
    whose seal matches what follows (a later addition below it, such as apply's mark, is
    allowed). A header copied above another text, as another workflow quoting one would, is
    not one."""
    fields = read_header(body)
    if fields is None or not isinstance(fields.get("size"), int):
        return False
    rest = body.replace("\r\n", "\n").split("\n", 1)[1] if "\n" in body else ""
    return _sha256(rest[: fields["size"]]) == fields.get("body")


def _sha256(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def find_plan_comment(
    comments: Sequence[Comment], repository: str, environment: str, author: str
) -> Comment | None:
    """The newest comment the plan step posted for ENVIRONMENT of REPOSITORY: by AUTHOR, with
    the header naming both on its first line, sealed over what follows. Another workflow
    commenting as the same bot does not write that; a person's comment has another author."""
    found = None
    for comment in comments:  # oldest first: the last match is the newest
        fields = read_header(comment.body)
        if (fields is not None and comment.author == author
                and fields.get("repository") == repository
                and fields.get("environment") == environment
                and is_plan_comment(comment.body)):
            found = comment
    return found
