"""The merge rule, the same on every platform: apply only the plan that was reviewed.

After a merge the pipeline makes the plan again on the default branch and compares it with
the review record of the merged pull or merge request: the digest of the plan that was shown,
and whether the `activities:allow-destructive` label was on it when that plan was made. The
plan is applied only if its digest is the reviewed one, and a destructive plan only while
the label is still on (it was the review of that risk). What each refusal tells the user to
do is the platform's to word (framework/ci/merge.py for GitHub, framework/ci/gitlab).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from framework.ci.header import plan_digest
from framework.ci.tool import Outcome, credentials, run_activities
from framework.commands.common import EXIT_CHANGES, EXIT_OK
from framework.plan.model import Plan
from framework.plan.planfile import document, load_plan
from framework.settings import Settings

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


@dataclass(frozen=True)
class Judgement:
    """The plan made again after a review, and what the merge rule says of it."""

    outcome: Outcome  # the `activities plan` run (its Markdown on stdout, errors on stderr)
    plan: Plan | None  # None when the plan could not be made
    refused: Refusal | None

    @property
    def to_apply(self) -> bool:
        """Whether there is a reviewed plan with changes to apply."""
        return self.plan is not None and self.refused is None and self.plan.has_changes


def judge(settings: Settings, environment: str, environ: Mapping[str, str], out: Path,
          reviewed: Reviewed, labelled: bool) -> Judgement:
    """Make ENVIRONMENT's plan again (into OUT) with the options the review allows, and judge
    it: the one step after a review that every platform runs (apply, the merge queue)."""
    args = ["plan", "-e", environment, "--format", "markdown", "--out", str(out),
            "--detailed-exitcode"]
    if allow_destructive(reviewed, labelled):
        args.append("--allow-destructive")
    out.unlink(missing_ok=True)
    outcome = run_activities(args, credentials(settings, environment, environ,
                                                read_only=False))
    if outcome.code not in (EXIT_OK, EXIT_CHANGES) or not out.is_file():
        return Judgement(outcome, None, None)
    plan = load_plan(out)
    if not plan.has_changes:
        return Judgement(outcome, plan, None)  # nothing to apply: nothing to refuse
    return Judgement(outcome, plan, refusal(plan, reviewed, labelled))
