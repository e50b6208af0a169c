"""The review record: what the merge trusts as "the plan reviewed on the pull request".

The record is the plan artifact (`activities-plan-ENV`: the saved plan and the comment body
the plan step wrote) of the newest run of the plan workflow for the pull request's head
commit. A comment was the record before, and it could not be one: every workflow of the
repository comments as the same bot, such comments quote user text, a maintainer can edit any
comment, and its header can be copied. An artifact can only be uploaded by the run it belongs
to, cannot be edited after the run, and GitHub (not the text) says which workflow file, event
and commit that run was for and when its event happened. So the run is looked up through the
API by workflow file and head commit, the newest one wins (a label change starts a newer run),
and its plan gives the digest and whether the `activities:allow-destructive` label was on the
pull request when it was made. The comment still matters: apply also checks that the newest
plan comment shows exactly what that run wrote, so what reviewers read is what runs.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from framework.ci.github import GitHub, PullRequest, WorkflowRun
from framework.ci.header import plan_digest
from framework.errors import ActivitiesError
from framework.plan.model import Plan
from framework.plan.planfile import document, load_plan

PLAN_WORKFLOW = "activities-pull-request.yml"
LABEL = "activities:allow-destructive"
APPLY_WORKFLOW = "activities apply"


class NotReviewed(ActivitiesError):
    """The merge has no review record it can trust, or the record does not allow the plan."""


@dataclass(frozen=True)
class ReviewRecord:
    """The newest plan a plan run made for ENVIRONMENT of a pull request, and how it was shown."""

    pull_request: PullRequest
    run: WorkflowRun
    plan: Plan
    digest: str
    comment: str  # the comment body the plan step wrote (the comment posted must show it)

    @property
    def allow_destructive(self) -> bool:
        """Whether the label was on the pull request when the plan step read it."""
        return self.plan.provenance.allowDestructive


def artifact_name(environment: str) -> str:
    return f"activities-plan-{environment}"


def read_record(
    github: GitHub, pr: PullRequest, environment: str, folder: Path,
    workflow: str = PLAN_WORKFLOW,
) -> ReviewRecord:
    """The review record of ENVIRONMENT on PR, downloaded into FOLDER, or NotReviewed."""
    runs = github.workflow_runs(workflow, pr.head_sha)
    if not runs:
        raise NotReviewed(
            f"pull request #{pr.number} has no run of the plan workflow ({workflow}) for its "
            f"head commit {pr.head_sha[:12]}, so no plan for {environment!r} was reviewed\n"
            + way_forward(pr.number, "add any label to it to run the plan workflow")
        )
    run = runs[0]
    if run.status != "completed":
        raise NotReviewed(
            f"the newest plan run of pull request #{pr.number} ({run.url}) has not finished: "
            "its plan is not reviewed yet\n"
            + way_forward(pr.number, "wait for that run to finish")
        )
    shutil.rmtree(folder, ignore_errors=True)  # only this run's files, never an older one's
    folder.mkdir(parents=True)
    name = artifact_name(environment)
    plan_file = comment_file = None
    if github.download_artifact(run.id, name, folder):
        plan_file = next(folder.rglob(f"{environment}.plan.json"), None)
        comment_file = next(folder.rglob(f"{environment}.comment.md"), None)
    if plan_file is None or comment_file is None:
        raise NotReviewed(
            f"the newest plan run of pull request #{pr.number} ({run.url}) left no plan for "
            f"{environment!r} (artifact {name}): its plan failed or was not made\n"
            + way_forward(pr.number, "fix what that run reports, or add any label to plan "
                          "it again")
        )
    plan = load_plan(plan_file)
    return ReviewRecord(pr, run, plan, plan_digest(document(plan)),
                        comment_file.read_text(encoding="utf-8"))


def way_forward(number: int, first: str) -> str:
    """The one recovery loop for a refused merge, starting with FIRST."""
    return (
        f"  fix: on pull request #{number}, {first}; every label change on it, merged or "
        "not, runs the plan workflow, which plans its merge commit again and posts the new "
        f"plan; once that plan is the one to apply, run the `{APPLY_WORKFLOW}` workflow by "
        f"hand (Actions, {APPLY_WORKFLOW}, Run workflow) with pull-request {number}: it "
        "applies that plan only if it equals the plan made on main then"
    )
