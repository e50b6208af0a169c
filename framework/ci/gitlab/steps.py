"""The pipeline's jobs: plan each environment on a merge request, apply the reviewed plan
after the merge, report drift on a schedule.

The steps are the GitHub workflows' (framework/ci): the same plan, digest, merge rule
(framework/ci/verdict.py), apply and drift; what differs is where they are written. A plan is
a note on the merge request, one per environment, updated in place, written by the token's
user: only that user's notes are review records, and on GitLab only a note's author can edit
it. The lock file is committed back through the API, as the token's user, with [ci skip],
merged onto the branch's (lock_commit).
"""

from __future__ import annotations

from dataclasses import dataclass

from framework.ci.gitlab.api import GitLab, MergeRequest, Note
from framework.ci.gitlab.context import JobContext
from framework.ci.gitlab.lock_commit import commit_lock
from framework.ci.gitlab.pipeline import check_apply_jobs
from framework.ci.header import header, plan_digest, read_header
from framework.ci.pull_request import PlanFiles, failed
from framework.ci.tool import CLIENT_ID, CLIENT_SECRET, credentials, run_activities
from framework.ci.verdict import LABEL, Refusal, Reviewed, judge
from framework.commands.common import EXIT_CHANGES, EXIT_ERROR, EXIT_OK
from framework.errors import ActivitiesError
from framework.plan.planfile import document, load_plan
from framework.settings import Settings


class NotReviewed(ActivitiesError):
    """The merge has no review record, or the plan on the default branch is not the reviewed one."""


@dataclass(frozen=True)
class Planned:
    """One environment's plan on a merge request: the note's body and how the job ends."""

    body: str
    code: int  # EXIT_OK, or EXIT_ERROR when it failed or apply would refuse it


def _environ(ctx: JobContext, environment: str, kind: str) -> dict[str, str]:
    """The step's variables with ENVIRONMENT's credentials (KIND: READ_ or '') as the shared
    steps expect them."""
    return {**ctx.environ, CLIENT_ID: ctx.secret(environment, f"{kind}CLIENT_ID"),
            CLIENT_SECRET: ctx.secret(environment, f"{kind}CLIENT_SECRET")}


def read_only(ctx: JobContext, environment: str) -> JobContext:
    """CTX with ENVIRONMENT's read-only credentials where the shared steps look for them."""
    return JobContext(_environ(ctx, environment, "READ_"))


def plan_environment(settings: Settings, environment: str, ctx: JobContext,
                     labelled: bool) -> Planned:
    """Plan ENVIRONMENT with its read-only credentials; the note body with its header."""
    files = PlanFiles.of(environment)
    args = ["plan", "-e", environment, "--format", "markdown", "--out", str(files.plan),
            "--detailed-exitcode"] + (["--allow-destructive"] if labelled else [])
    files.plan.unlink(missing_ok=True)
    done = run_activities(args, credentials(settings, environment,
                                            _environ(ctx, environment, "READ_"), read_only=True))
    fields: dict[str, object] = {"project": ctx.repository, "environment": environment,
                                 "allowDestructive": labelled}
    code = EXIT_OK
    if done.code in (EXIT_OK, EXIT_CHANGES) and files.plan.is_file():
        plan = load_plan(files.plan)
        fields["digest"] = plan_digest(document(plan))
        markdown = done.stdout
        if plan.summary.destructive and not labelled:
            code = EXIT_ERROR  # apply would refuse it: a red pipeline, so the merge waits
            markdown += (f"\n\nApply refuses the destructive changes above unless the label "
                         f"`{LABEL}` is on this merge request: review them, add the label, "
                         "and run the pipeline again.")
    else:
        markdown, code = failed(environment, done.stderr), EXIT_ERROR
    made = f"commit {ctx.sha[:12]}" if ctx.sha else "this commit"
    job = f" in [this job]({ctx.run_url})" if ctx.run_url else ""
    footer = (f"<sub>Planned from {made}{job}. After the merge, the pipeline of the default "
              "branch makes the plan again and applies it only if it is this one.</sub>")
    body = f"{header(fields)}\n{markdown.rstrip()}\n\n{footer}\n"
    files.comment.parent.mkdir(parents=True, exist_ok=True)
    files.comment.write_text(body, encoding="utf-8")
    ctx.add_summary(markdown)
    return Planned(body, code)


def plan_note(notes: list[Note], author_id: int, project: str, environment: str) -> Note | None:
    """The newest note the plan job wrote for ENVIRONMENT: by the token's user, with a header
    naming this project and ENVIRONMENT on its first line."""
    found = None
    for note in notes:  # oldest first: the last match is the newest
        fields = read_header(note.body)
        if (note.author_id == author_id and fields is not None
                and fields.get("project") == project
                and fields.get("environment") == environment):
            found = note
    return found


def plan_step(settings: Settings, environments: list[str], ctx: JobContext,
              gitlab: GitLab) -> int:
    """Plan every environment for the merge request and keep one note each, updated in place."""
    iid = ctx.merge_request
    if iid is None:
        raise ActivitiesError("CI_MERGE_REQUEST_IID is not set\n  fix: run the plan job in a "
                              'merge-request pipeline ($CI_PIPELINE_SOURCE == '
                              '"merge_request_event")')
    check_apply_jobs(settings.root, list(settings.environments))
    labelled = LABEL in gitlab.merge_request(iid).labels  # as it is now, not at pipeline start
    author_id, _ = gitlab.current_user()
    code = EXIT_OK
    for environment in environments:
        planned = plan_environment(settings, environment, ctx, labelled)
        existing = plan_note(gitlab.notes(iid), author_id, ctx.repository, environment)
        if existing is None:
            gitlab.add_note(iid, planned.body)
        else:
            gitlab.edit_note(iid, existing.id, planned.body)
        code = max(code, planned.code)
    return code


def merged_merge_request(gitlab: GitLab, sha: str) -> MergeRequest:
    """The merged merge request whose merge made SHA (a merge, squash or fast-forward)."""
    for mr in gitlab.merge_requests_of(sha):
        if mr.state == "merged" and sha in (mr.merge_commit_sha, mr.squash_commit_sha, mr.sha):
            return mr
    raise NotReviewed(f"no merge request merged {sha[:12] or 'HEAD'}, so no plan was reviewed: "
                      "only reviewed plans are applied\n  fix: make the change in a merge "
                      "request")


def apply_step(settings: Settings, environment: str, ctx: JobContext, gitlab: GitLab) -> int:
    """Make the plan on the default branch; apply it only if it is the one reviewed on the
    merged merge request; then mark the note and commit the lock file."""
    files = PlanFiles.of(environment)
    try:
        mr = merged_merge_request(gitlab, ctx.sha)
        author_id, _ = gitlab.current_user()
        note = plan_note(gitlab.notes(mr.iid), author_id, ctx.repository, environment)
        fields = read_header(note.body) if note else None
        if note is None or fields is None or not isinstance(fields.get("digest"), str):
            raise NotReviewed(
                f"merge request !{mr.iid} has no plan note for {environment!r} written by the "
                "plan job, so this plan was never reviewed\n  fix: open a merge request (an "
                "empty change will do) to review the plan as it is now")
    except NotReviewed as exc:
        ctx.add_summary(f"### activities apply `{environment}`: refused\n\n```text\n{exc}\n```")
        raise
    reviewed = Reviewed(str(fields["digest"]), bool(fields.get("allowDestructive")))
    environ = _environ(ctx, environment, "")
    judged = judge(settings, environment, environ, files.plan, reviewed, LABEL in mr.labels)
    if judged.plan is None:
        ctx.add_summary(f"### activities apply `{environment}`: the plan failed\n\n"
                        f"```text\n{judged.outcome.stderr.strip()}\n```")
        return EXIT_ERROR
    if judged.refused is not None:
        message = _refusal_words(judged.refused, environment, mr.iid)
        ctx.add_summary(f"### activities apply `{environment}`: refused\n\n```text\n{message}\n"
                        f"```\n\nThe plan made on the default branch:\n\n{judged.outcome.stdout}")
        raise NotReviewed(message)
    if not judged.to_apply:
        ctx.add_summary(f"### activities apply `{environment}`: no changes\n\n"
                        f"{judged.outcome.stdout}")
        return EXIT_OK
    env = credentials(settings, environment, environ, read_only=False)
    applied = run_activities(["apply", str(files.plan), "-e", environment], env)
    outcome = "applied" if applied.code == EXIT_OK else "failed"
    text = applied.stdout.strip()
    if applied.code != EXIT_OK:
        text = f"{text}\n{applied.stderr.strip()}".strip()
    ctx.add_summary(f"### activities apply `{environment}`: {outcome}\n\n```text\n{text}\n```")
    mark = "Applied" if applied.code == EXIT_OK else "Apply failed"
    job = f" in [this job]({ctx.run_url})" if ctx.run_url else ""
    assert note is not None
    gitlab.edit_note(mr.iid, note.id, f"{note.body.rstrip()}\n\n**{mark}** to `{environment}` "
                     f"after the merge{job}.\n")
    if applied.code == EXIT_OK:
        commit_lock(settings, environment, ctx, gitlab,
                    f"activities: lock file of {environment} after applying !{mr.iid} [ci skip]")
    return applied.code


def _refusal_words(why: Refusal, environment: str, iid: int) -> str:
    rerun = (f"  fix: on merge request !{iid}, {{}}; then run the pipeline of the default "
             "branch again (Build, Pipelines, Run pipeline), which applies the plan only if "
             "it is the one then shown")
    if why == "differs":
        return (f"the plan made on the default branch for {environment!r} differs from the one "
                f"reviewed on merge request !{iid}: the branch or the instance changed since "
                "the review\n  fix: open a merge request (an empty change will do) to review "
                "the plan as it is now")
    words = {
        "label-removed": (f"the label `{LABEL}` was removed from merge request !{iid} after "
                          "its review", f"add the label `{LABEL}` again"),
        "planned-before-label": (f"the plan shown on merge request !{iid} was made before the "
                                 f"label `{LABEL}` was added",
                                 "run its pipeline again to plan it with the label"),
        "destructive-unlabelled": (f"the label `{LABEL}` is not on merge request !{iid}",
                                   f"review the destructive changes, then add the label "
                                   f"`{LABEL}`"),
    }
    reason, first = words[why]
    return (f"the plan made on the default branch for {environment!r} has destructive "
            f"changes, and {reason}\n" + rerun.format(first))
