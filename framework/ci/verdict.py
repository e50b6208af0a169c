"""The merge rule, the same on every platform: apply only the plan that was reviewed.

After a merge the pipeline makes the plan again on the default branch and compares it with
the review record of the merged pull or merge request: the digest of the plan that was shown,
and whether the `activities:allow-destructive` label was on it when that plan was made. The
plan is applied only if its digest is the reviewed one, and a destructive plan only while
the label is still on (it was the review of that risk). What each refusal tells the user to
do is the platform's to word (framework/ci/merge.py for GitHub, framework/ci/gitlab).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from framework.ci.header import plan_digest
from framework.plan.model import Plan
from framework.plan.planfile import document

LABEL = "activities:allow-destructive"

Refusal = Literal["label-removed", "planned-before-label", "destructive-unlabelled", "differs"]


@dataclass(frozen=True)
class Reviewed:
    """What a review record says of the plan that was shown."""

    digest: str
    allow_destructive: bool  # the label was on when the shown plan was made


def allow_destructive(reviewed: Reviewed, labelled: bool) -> bool:
    """Whether the plan on the default branch is made with --allow-destructive: only when the
    reviewed plan was, and the label is on now (LABELLED)."""
    return reviewed.allow_destructive and labelled


def refusal(plan: Plan, reviewed: Reviewed, labelled: bool) -> Refusal | None:
    """Why PLAN (made on the default branch) may not be applied, or None: it is the reviewed one."""
    if plan.summary.destructive and not plan.provenance.allowDestructive:
        if reviewed.allow_destructive:
            return "label-removed"
        return "planned-before-label" if labelled else "destructive-unlabelled"
    if plan_digest(document(plan)) != reviewed.digest:
        return "differs"
    return None
