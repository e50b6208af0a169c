"""A merge train's pipeline: the merged result plans what was reviewed, or the train drops it.

GitLab runs a merge request's pipeline again for its place in a merge train, on the merged
result (the merge request on top of the target branch and of the merge requests ahead of it),
with CI_MERGE_REQUEST_EVENT_TYPE `merge_train`. There the plan job must not write a plan note:
that note would become the review record of a plan no one read. It makes each environment's
plan of the merged result and fails unless it is the plan the newest plan note shows, by the
rule apply keeps (framework/ci/verdict.py), as GitHub's merge queue does (framework/ci/queue.py).
https://docs.gitlab.com/ci/pipelines/merge_trains/
"""

from __future__ import annotations

from framework.ci.gitlab.api import GitLab
from framework.ci.gitlab.context import JobContext
from framework.ci.gitlab.steps import plan_note, read_only
from framework.ci.header import read_header
from framework.ci.markdown import code_block
from framework.ci.pull_request import PlanFiles
from framework.ci.verdict import LABEL, Reviewed, judge, refusal
from framework.commands.common import EXIT_ERROR, EXIT_OK
from framework.settings import Settings

EVENT_TYPE = "merge_train"  # CI_MERGE_REQUEST_EVENT_TYPE of a merge train's pipeline

WORDS = {
    "differs": "it is not the plan reviewed on the merge request: a merge request ahead of it "
               "in the train, or the instance, changed what it plans since the review",
    "label-removed": f"the label `{LABEL}` was removed after the review of its destructive "
                     "changes",
    "planned-before-label": f"its reviewed plan was made before the label `{LABEL}` was added",
    "destructive-unlabelled": f"it has destructive changes and the label `{LABEL}` is not on "
                              "the merge request",
}


def train_step(settings: Settings, environments: list[str], ctx: JobContext, gitlab: GitLab,
               iid: int) -> int:
    """Plan every environment on the merged result of merge request IID; fail unless each is
    the plan its note shows. No note is written."""
    labelled = LABEL in gitlab.merge_request(iid).labels
    author_id, _ = gitlab.current_user()
    notes = gitlab.notes(iid)
    code = EXIT_OK
    for environment in environments:
        title = f"### activities merge train `{environment}`"
        note = plan_note(notes, author_id, ctx.repository, environment)
        fields = read_header(note.body) if note else None
        if fields is None or not isinstance(fields.get("digest"), str):
            ctx.add_summary(f"{title}: refused\n\nMerge request !{iid} has no plan note for "
                            f"`{environment}` written by the plan job, so nothing was "
                            "reviewed: the train drops it. Retry its plan job, review the "
                            "plan, then add it to the train again.")
            code = EXIT_ERROR
            continue
        reviewed = Reviewed(str(fields["digest"]), bool(fields.get("allowDestructive")))
        judged = judge(settings, environment, read_only(ctx, environment).environ,
                       PlanFiles.of(environment).plan, reviewed, labelled)
        if judged.plan is None:
            ctx.add_summary(f"{title}: the plan failed\n\n"
                            f"{code_block(judged.outcome.stderr.strip())}")
            code = EXIT_ERROR
            continue
        # As in GitHub's merge queue: a merged result that plans nothing where the review
        # planned changes is not what was reviewed either.
        why = judged.refused or refusal(judged.plan, reviewed, labelled)
        if why is not None:
            ctx.add_summary(
                f"{title}: refused\n\nThe merged result of merge request !{iid} does not plan "
                f"what was reviewed: {WORDS[why]}. The train drops it; push to the merge "
                "request (or retry its plan job) to review the plan as it is now, then add it "
                f"to the train again.\n\nThe plan of the merged result:\n\n"
                f"{judged.outcome.stdout}")
            code = EXIT_ERROR
            continue
        ctx.add_summary(f"{title}: the reviewed plan\n\nThe merged result of merge request "
                        f"!{iid} plans exactly what its plan note shows.")
    return code
