"""The merge's apply step: apply only the reviewed plan (framework/ci/lock_commit.py then commits
the lock file back to main).

Apply runs on the push of a merge to main, or by hand (`workflow_dispatch` naming a merged
pull request): the one way back after a refusal. Either way it reads the pull request's review
record (framework/ci/record.py), makes the plan again on main, and applies it only if
  - the newest plan comment shows what the record's run wrote,
  - a destructive plan has the `activities:allow-destructive` label on the pull request now
    (read through the API) and was made while the label was there (the record says so),
  - its digest equals the record's.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from framework.ci.github import Comment, GitHub, PullRequest
from framework.ci.header import comment_author, find_plan_comment
from framework.ci.markdown import code_block
from framework.ci.pull_request import WORDS, PlanFiles
from framework.ci.record import LABEL, NotReviewed, ReviewRecord, read_record, way_forward
from framework.ci.tool import credentials, run_activities
from framework.ci.verdict import Reviewed, refusal
from framework.ci.workflow import StepContext
from framework.commands.common import EXIT_CHANGES, EXIT_ERROR, EXIT_OK
from framework.errors import ActivitiesError, RefusedError
from framework.plan.model import Plan
from framework.plan.planfile import load_plan
from framework.plan.render import render_markdown
from framework.settings import Settings

# A refused plan shown in the apply summary: the way out is the loop, never a flag.
ALLOW_HINT = f"Apply runs it only with the label `{LABEL}` on the pull request (see above)."


def apply_step(settings: Settings, environment: str, ctx: StepContext, github: GitHub) -> int:
    """Make the plan on main; apply it if it is the plan reviewed on the merged PR."""
    files = PlanFiles.of(environment)
    try:
        pr = _merged_pull_request(ctx, github)
        record = read_record(github, pr, environment, Path(ctx.get("RUNNER_TEMP") or "plans")
                             / f"activities-review-{environment}")
        comment = _shown(record, github, ctx, environment)
    except NotReviewed as exc:
        ctx.add_summary(f"### activities apply `{environment}`: refused\n\n{code_block(exc)}")
        raise
    allow = record.allow_destructive and LABEL in pr.labels
    args = ["plan", "-e", environment, "--format", "json", "--out", str(files.plan),
            "--detailed-exitcode"] + (["--allow-destructive"] if allow else [])
    env = credentials(settings, environment, ctx.environ, read_only=False)
    planned = run_activities(args, env)
    ctx.set_output("plan-file", str(files.plan))
    if planned.code not in (EXIT_OK, EXIT_CHANGES):
        ctx.add_summary(f"### activities apply `{environment}`: the plan failed\n\n"
                        f"{code_block(planned.stderr.strip())}")
        return EXIT_ERROR
    plan = load_plan(files.plan)
    shown = render_markdown(plan, allow_hint=ALLOW_HINT, words=WORDS)
    if not plan.has_changes:
        ctx.add_summary(f"### activities apply `{environment}`: no changes\n\n{shown}")
        return EXIT_OK
    refusal = _refusal(environment, record, plan, LABEL in pr.labels)
    if refusal:
        ctx.add_summary(f"### activities apply `{environment}`: refused\n\n{code_block(refusal)}"
                        f"\n\nThe plan made on main:\n\n{shown}")
        raise RefusedError(refusal)
    applied = run_activities(["apply", str(files.plan), "-e", environment], env)
    outcome = "applied" if applied.code == EXIT_OK else "failed"
    # The summary of the apply; its progress lines are in the step's log.
    text = applied.stdout.strip()
    if applied.code != EXIT_OK:
        text = f"{text}\n{applied.stderr.strip()}".strip()
    ctx.add_summary(f"### activities apply `{environment}`: {outcome}\n\n{code_block(text)}")
    mark = "Applied" if applied.code == EXIT_OK else "Apply failed"
    run = f" in [this run]({ctx.run_url})" if ctx.run_url else ""
    github.edit_comment(comment.id, f"{comment.body.rstrip()}\n\n**{mark}** to "
                        f"`{environment}` after the merge{run}.\n")
    return applied.code


def _merged_pull_request(ctx: StepContext, github: GitHub) -> PullRequest:
    """The pull request this run applies: the one whose merge made the pushed commit, or the
    one named by hand (PULL_REQUEST), which must be merged into the checked-out main."""
    commit = ctx.sha[:12] or "HEAD"
    named = ctx.get("PULL_REQUEST").strip()
    if named:
        if not named.isdigit():
            raise NotReviewed(f"pull-request is {named!r}, not a number\n  fix: run the "
                              "workflow again with the number of the merged pull request")
        pr = github.pull_request(int(named))
        if not pr.merged or not _contains(Path.cwd(), pr.merge_commit_sha):
            raise NotReviewed(
                f"pull request #{pr.number} is not merged into {commit}: only a merged pull "
                "request's plan is applied\n  fix: merge it, or name the pull request that "
                "was merged"
            )
        return pr
    number = github.merged_pull_request(ctx.sha)
    if number is None:
        raise NotReviewed(f"no pull request merged {commit}, so no plan was reviewed: only "
                          "reviewed plans are applied\n  fix: make the change in a pull request")
    return github.pull_request(number)


def _shown(
    record: ReviewRecord, github: GitHub, ctx: StepContext, environment: str
) -> Comment:
    """The newest plan comment, which must show what the record's run wrote: what reviewers
    read is what runs."""
    comment = find_plan_comment(github.comments(record.pull_request.number), ctx.repository,
                                environment, comment_author(ctx))
    written = record.comment.replace("\r\n", "\n").rstrip()
    if comment is None or not comment.body.replace("\r\n", "\n").startswith(written):
        number = record.pull_request.number
        raise NotReviewed(
            f"the newest plan comment for {environment!r} on pull request #{number} is not "
            f"the plan its newest plan run ({record.run.url}) wrote: it is missing, or was "
            "edited after the run\n" + way_forward(number, "add any label to it to post the "
                                                   "plan again")
        )
    return comment


def _refusal(environment: str, record: ReviewRecord, plan: Plan, labelled: bool) -> str:
    """Why the plan made on main may not be applied, or "" when it is the reviewed one."""
    # The decision is the shared merge rule's (framework/ci/verdict.py); the words are GitHub's.
    verdict = refusal(plan, Reviewed(record.digest, record.allow_destructive), labelled)
    if verdict is None:
        return ""
    number = record.pull_request.number
    if verdict == "differs":
        return (f"the plan made on main for {environment!r} differs from the one reviewed on "
                f"pull request #{number} ({record.run.url}): main or the instance changed "
                "since the review\n" + way_forward(
                    number, "add any label to it (or remove one) to plan it as it is now"))
    if verdict == "label-removed":
        why = f"the label `{LABEL}` was removed from pull request #{number} after its review"
        first = f"add the label `{LABEL}` again"
    elif verdict == "planned-before-label":
        why = (f"the newest plan of pull request #{number} ({record.run.url}) was made "
               f"before the label `{LABEL}` was added")
        first = "remove the label and add it again, to plan it with the label"
    else:
        why = f"the label `{LABEL}` is not on pull request #{number}"
        first = f"review the destructive changes, then add the label `{LABEL}`"
    return (f"the plan made on main for {environment!r} has {plan.summary.destructive} "
            f"destructive change(s), and {why}\n" + way_forward(number, first))


def _contains(root: Path, commit: str) -> bool:
    """Whether COMMIT is in the history of the checked-out HEAD."""
    if not commit:
        return False
    return _git(root, "merge-base", "--is-ancestor", commit, "HEAD", check=False).returncode == 0


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise ActivitiesError(f"git {args[0]} failed: {done.stderr.strip()}")
    return done
