"""The merge queue's check: the queued merge plans what was reviewed, or the queue drops it.

A repository that requires the plan check can use GitHub's merge queue: the pull-request
workflow also runs on `merge_group`, for the commit the queue would push to main (the pull
request merged onto main and onto the pull requests queued ahead of it). For each environment
this step makes the plan of that commit and fails the check unless it is the plan reviewed on
the pull request: the rule apply keeps after the merge (framework/ci/verdict.py), against the
pull request's review record (framework/ci/record.py). A pull request ahead that changed what
this one plans, or an instance that moved since the review, sends it back to review before it
reaches main. It posts no comment; the job summary says why.
"""

from __future__ import annotations

import re
from pathlib import Path

from framework.ci.github import GitHub
from framework.ci.markdown import code_block
from framework.ci.pull_request import PlanFiles
from framework.ci.record import LABEL, NotReviewed, read_record
from framework.ci.verdict import Reviewed, judge, refusal
from framework.ci.workflow import StepContext
from framework.commands.common import EXIT_ERROR, EXIT_OK
from framework.settings import Settings

# The branch GitHub pushes a queued merge to: gh-readonly-queue/<base>/pr-<number>-<head sha>.
QUEUE_REF = re.compile(r"(?:refs/heads/)?gh-readonly-queue/.+/pr-(?P<number>\d+)-[0-9a-f]{40}")

WORDS = {
    "differs": "it is not the plan reviewed on the pull request: a pull request queued ahead "
               "of it, or the instance, changed what it plans since the review",
    "label-removed": f"the label `{LABEL}` was removed after the review of its destructive "
                     "changes",
    "planned-before-label": f"its reviewed plan was made before the label `{LABEL}` was added",
    "destructive-unlabelled": f"it has destructive changes and the label `{LABEL}` is not on "
                              "the pull request",
}


def queued_pull_request(ref: str) -> int:
    """The pull request a merge group's head ref names."""
    match = QUEUE_REF.fullmatch(ref)
    if match is None:
        raise NotReviewed(f"{ref!r} is no merge-queue branch (gh-readonly-queue/BASE/pr-N-SHA)"
                          "\n  fix: run this step on merge_group events, with MERGE_GROUP_REF: "
                          "${{ github.event.merge_group.head_ref }}")
    return int(match["number"])


def queue_step(settings: Settings, environment: str, ctx: StepContext, github: GitHub) -> int:
    """Plan ENVIRONMENT on the queued merge; fail unless it is the reviewed plan."""
    files = PlanFiles.of(environment)
    number = queued_pull_request(ctx.get("MERGE_GROUP_REF"))
    try:
        pr = github.pull_request(number)
        record = read_record(github, pr, environment, Path(ctx.get("RUNNER_TEMP") or "plans")
                             / f"activities-review-{environment}")
    except NotReviewed as exc:
        ctx.add_summary(f"### activities merge queue `{environment}`: refused\n\n"
                        f"{code_block(exc)}")
        raise
    reviewed = Reviewed(record.digest, record.allow_destructive)
    judged = judge(settings, environment, ctx.environ, files.plan, reviewed, LABEL in pr.labels)
    if judged.plan is None:
        ctx.add_summary(f"### activities merge queue `{environment}`: the plan failed\n\n"
                        f"{code_block(judged.outcome.stderr.strip())}")
        return EXIT_ERROR
    # The rule apply keeps, with one difference: a queued merge that plans nothing where the
    # review planned changes is not what was reviewed either.
    why = judged.refused or refusal(judged.plan, reviewed, LABEL in pr.labels)
    if why is not None:
        ctx.add_summary(
            f"### activities merge queue `{environment}`: refused\n\nThe queued merge of pull "
            f"request #{number} does not plan what was reviewed: {WORDS[why]}. The queue drops "
            "it; push to the pull request (or re-run its plan workflow) to review the plan as "
            f"it is now, then queue it again.\n\nThe plan of the queued merge:\n\n"
            f"{judged.outcome.stdout}")
        return EXIT_ERROR
    ctx.add_summary(f"### activities merge queue `{environment}`: the reviewed plan\n\n"
                    f"The queued merge of pull request #{number} plans exactly what was "
                    f"reviewed ({record.run.url}).")
    return EXIT_OK
