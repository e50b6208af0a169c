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

import subprocess
from dataclasses import dataclass
from pathlib import Path

from framework.ci.gitlab.api import GitLab, MergeRequest, Note
from framework.ci.gitlab.context import JobContext
from framework.ci.gitlab.lock_commit import commit_lock
from framework.ci.gitlab.pipeline import check_apply_jobs
from framework.ci.header import header, plan_digest, read_header
from framework.ci.markdown import code_block
from framework.ci.pull_request import PlanFiles, failed
from framework.ci.tool import CLIENT_ID, CLIENT_SECRET, credentials, run_activities
from framework.ci.verdict import LABEL, Refusal, Reviewed, judge
from framework.commands.common import EXIT_CHANGES, EXIT_ERROR, EXIT_OK
from framework.errors import ActivitiesError, ConfigError
from framework.plan.planfile import document, load_plan
from framework.settings import Settings

# CI/CD variables of a pipeline of the default branch run by hand (Build, Pipelines, Run
# pipeline), after apply refused a merge: plan the merged request again, or apply its plan.
REPLAN_VARIABLE = "ACTIVITIES_REPLAN"
APPLY_VARIABLE = "ACTIVITIES_MERGE_REQUEST"


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
                     labelled: bool, merged: MergeRequest | None = None) -> Planned:
    """Plan ENVIRONMENT with its read-only credentials; the note body with its header. MERGED:
    the merged merge request planned again on the default branch (ACTIVITIES_REPLAN)."""
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
                         "and run this plan job again (its Retry button: the job reads the "
                         "labels when it runs, and GitLab starts no pipeline when a label "
                         "changes).")
    else:
        markdown, code = failed(environment, done.stderr), EXIT_ERROR
    made = f"commit {ctx.sha[:12]}" if ctx.sha else "this commit"
    job = f" in [this job]({ctx.run_url})" if ctx.run_url else ""
    if merged is None:
        footer = (f"<sub>Planned from {made}{job}. After the merge, the pipeline of the "
                  "default branch makes the plan again and applies it only if it is this "
                  "one.</sub>")
    else:
        footer = (f"<sub>Planned again after the merge, from {made} of the default "
                  f"branch{job}. To apply it, run the pipeline of the default branch with the "
                  f"variable `{APPLY_VARIABLE}` = `{merged.iid}`: it makes the plan again and "
                  "applies it only if it is this one.</sub>")
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
    iid, merged = ctx.merge_request, None
    if iid is None and ctx.get(REPLAN_VARIABLE):
        merged = named_merge_request(gitlab, ctx, REPLAN_VARIABLE)
        iid = merged.iid
    if iid is None:
        raise ConfigError("CI_MERGE_REQUEST_IID is not set\n  fix: run the plan job in a "
                              'merge-request pipeline ($CI_PIPELINE_SOURCE == '
                              '"merge_request_event"), or in a pipeline of the default branch '
                              f"with the variable {REPLAN_VARIABLE} (a merged merge request)")
    check_apply_jobs(settings.root, list(settings.environments))
    labelled = LABEL in gitlab.merge_request(iid).labels  # as it is now, not at pipeline start
    author_id, _ = gitlab.current_user()
    code = EXIT_OK
    for environment in environments:
        planned = plan_environment(settings, environment, ctx, labelled, merged)
        existing = plan_note(gitlab.notes(iid), author_id, ctx.repository, environment)
        if existing is None:
            gitlab.add_note(iid, planned.body)
        else:
            gitlab.edit_note(iid, existing.id, planned.body)
        code = max(code, planned.code)
    return code


def named_merge_request(gitlab: GitLab, ctx: JobContext, variable: str) -> MergeRequest:
    """The merge request a pipeline of the default branch names in VARIABLE (run by hand),
    which must be merged into the commit checked out: only a merged request's plan applies."""
    named = ctx.get(variable).strip().lstrip("!")
    if not named.isdigit():
        raise NotReviewed(f"{variable} is {named!r}, not a merge request's number\n  fix: run "
                          f"the pipeline again with {variable} = the number (iid) of the "
                          "merged merge request")
    mr = gitlab.merge_request(int(named))
    merge = mr.merge_commit_sha or mr.squash_commit_sha or mr.sha
    if mr.state != "merged" or not in_history(Path.cwd(), merge):
        raise NotReviewed(f"merge request !{mr.iid} is not merged into "
                          f"{ctx.sha[:12] or 'HEAD'}: only a merged merge request's plan is "
                          "applied\n  fix: merge it, or name the merge request that was merged")
    return mr


def in_history(root: Path, commit: str) -> bool:
    """Whether COMMIT is in the history of the checked-out HEAD. GitLab clones 20 commits
    deep by default: a shallow clone fetches the rest of the history first."""
    def ancestor() -> bool:
        done = subprocess.run(["git", "merge-base", "--is-ancestor", commit, "HEAD"],
                              cwd=root, capture_output=True, check=False)
        return done.returncode == 0

    if not commit or ancestor():
        return bool(commit)
    shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=root,
                             capture_output=True, text=True, check=False)
    if shallow.stdout.strip() != "true":
        return False
    subprocess.run(["git", "fetch", "--quiet", "--unshallow", "origin"], cwd=root,
                   capture_output=True, check=False)
    return ancestor()


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
        mr = (named_merge_request(gitlab, ctx, APPLY_VARIABLE) if ctx.get(APPLY_VARIABLE)
              else merged_merge_request(gitlab, ctx.sha))
        author_id, _ = gitlab.current_user()
        note = plan_note(gitlab.notes(mr.iid), author_id, ctx.repository, environment)
        fields = read_header(note.body) if note else None
        if note is None or fields is None or not isinstance(fields.get("digest"), str):
            raise NotReviewed(
                f"merge request !{mr.iid} has no plan note for {environment!r} written by the "
                "plan job, so this plan was never reviewed\n  fix: open a merge request (an "
                "empty change will do) to review the plan as it is now")
    except NotReviewed as exc:
        ctx.add_summary(f"### activities apply `{environment}`: refused\n\n{code_block(exc)}")
        raise
    reviewed = Reviewed(str(fields["digest"]), bool(fields.get("allowDestructive")))
    environ = _environ(ctx, environment, "")
    judged = judge(settings, environment, environ, files.plan, reviewed, LABEL in mr.labels)
    if judged.plan is None:
        ctx.add_summary(f"### activities apply `{environment}`: the plan failed\n\n"
                        f"{code_block(judged.outcome.stderr.strip())}")
        return EXIT_ERROR
    if judged.refused is not None:
        message = _refusal_words(judged.refused, environment, mr.iid)
        ctx.add_summary(f"### activities apply `{environment}`: refused\n\n{code_block(message)}"
                        f"\n\nThe plan made on the default branch:\n\n{judged.outcome.stdout}")
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
    ctx.add_summary(f"### activities apply `{environment}`: {outcome}\n\n{code_block(text)}")
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
    if why == "differs":
        return (f"the plan made on the default branch for {environment!r} differs from the one "
                f"reviewed on merge request !{iid}: the branch or the instance changed since "
                "the review\n" + way_back(iid, ""))
    words = {
        "label-removed": (f"the label `{LABEL}` was removed from merge request !{iid} after "
                          "its review", f"on merge request !{iid}, add the label `{LABEL}` "
                          "again; "),
        "planned-before-label": (f"the plan shown on merge request !{iid} was made before the "
                                 f"label `{LABEL}` was added", ""),
        "destructive-unlabelled": (f"the label `{LABEL}` is not on merge request !{iid}",
                                   f"on merge request !{iid}, review the destructive changes "
                                   f"and add the label `{LABEL}`; "),
    }
    reason, first = words[why]
    return (f"the plan made on the default branch for {environment!r} has destructive "
            f"changes, and {reason}\n" + way_back(iid, first))


def way_back(iid: int, first: str) -> str:
    """The one way to apply a merged request's change after a refusal: FIRST, then a plan
    made again on the default branch, read, then applied only if it is still that plan."""
    return (f"  fix: {first}plan it again: Build, Pipelines, Run pipeline on the default "
            f"branch with the variable {REPLAN_VARIABLE} = {iid}, and read the new plan in its "
            f"note; then Run pipeline with {APPLY_VARIABLE} = {iid}, which applies that plan "
            "only if it is still the one made then")
