"""The pull request's steps: make each environment's plan, and post it as one comment.

The plan step reads the pull request through the API (its labels as they are now, not as an
event replayed by a re-run recorded them), plans with `--allow-destructive` only while the
`activities:allow-destructive` label is on it, and fails (a red check, so branch protection
stops the merge) when the plan is one apply would refuse. The comment is posted either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from framework.ci.github import GitHub
from framework.ci.header import (
    comment_author,
    find_plan_comment,
    plan_digest,
    read_header,
    seal,
)
from framework.ci.markdown import code_block
from framework.ci.record import LABEL, artifact_name
from framework.ci.tool import credentials, has_credentials, run_activities
from framework.ci.workflow import StepContext
from framework.commands.common import EXIT_CHANGES, EXIT_ERROR, EXIT_OK
from framework.errors import ActivitiesError, ConfigError
from framework.plan.model import Plan
from framework.plan.planfile import document, load_plan
from framework.plan.render import MARKDOWN_LIMIT, render_markdown
from framework.settings import Settings

PLANS = Path("plans")
# Room kept free in a comment for its header line (the fields and the seal) and for the line
# apply adds below it, so that neither can push it past GitHub's limit.
RESERVED = 1_500

# What a refused destructive plan tells the pull request to do: the label, never a flag.
ALLOW_HINT = (
    f"Review them; to go ahead, add the label `{LABEL}` to this pull request: the plan is "
    "made again with it, and the merge applies exactly that plan."
)

# The reasons that tell a person at a terminal about the flag, as the pull request says them.
WORDS = {
    "destructive-not-allowed": (
        f"destructive: apply refuses it until the label `{LABEL}` is on the pull request"
    ),
    "destructive-allowed": (
        f"destructive: allowed: the label `{LABEL}` was on the pull request when this plan "
        "was made"
    ),
}


@dataclass(frozen=True)
class PlanFiles:
    """Where a step leaves an environment's plan (uploaded) and its comment (posted)."""

    plan: Path
    comment: Path

    @classmethod
    def of(cls, environment: str) -> PlanFiles:
        return cls(PLANS / f"{environment}.plan.json", PLANS / f"{environment}.comment.md")


def plan_step(settings: Settings, environment: str, ctx: StepContext, github: GitHub) -> int:
    """Plan ENVIRONMENT; write the comment body, the job summary and the step's outputs."""
    files = PlanFiles.of(environment)
    if not has_credentials(settings, environment, ctx.environ) and ctx.flag("FORK"):
        # GitHub gives a fork's pull request no secrets: the checks ran, the plan cannot.
        ctx.add_summary(
            f"### activities plan for `{environment}`: not made\n\n"
            "This pull request comes from a fork, and GitHub gives those no secrets, so there "
            f"are no read-only credentials for `{environment}`. Nothing from it can be applied "
            "as it is: a maintainer pushes its branch to this repository and opens a pull "
            "request from there, which gets the plan."
        )
        return EXIT_OK
    number = ctx.get("PR_NUMBER")
    if not number.isdigit():
        raise ConfigError("PR_NUMBER is not set\n  fix: run this step in the pull-request "
                              "workflow, with PR_NUMBER: ${{ github.event.pull_request.number }}")
    allow = LABEL in github.pull_request(int(number)).labels
    args = ["plan", "-e", environment, "--format", "json", "--out", str(files.plan),
            "--detailed-exitcode"] + (["--allow-destructive"] if allow else [])
    files.plan.unlink(missing_ok=True)
    done = run_activities(args, credentials(settings, environment, ctx.environ, read_only=True))
    fields: dict[str, object] = {"repository": ctx.repository, "environment": environment,
                                 "run": ctx.get("GITHUB_RUN_ID")}
    plan = None
    if done.code in (EXIT_OK, EXIT_CHANGES) and files.plan.is_file():
        plan = load_plan(files.plan)
        fields |= {"digest": plan_digest(document(plan)), "allowDestructive": allow}
        ctx.set_output("plan-file", str(files.plan))
        ctx.set_output("changes", "true" if plan.has_changes else "false")
    body, markdown = plan_comment(ctx, environment, fields, plan, done.stderr)
    files.comment.parent.mkdir(parents=True, exist_ok=True)
    files.comment.write_text(body, encoding="utf-8")
    ctx.set_output("comment-file", str(files.comment))
    if plan is not None and plan.summary.destructive and not allow:
        ctx.add_summary(refused(environment, plan))
        ctx.add_summary(markdown)
        return EXIT_ERROR
    ctx.add_summary(markdown)
    return EXIT_OK if plan is not None else EXIT_ERROR


def plan_comment(
    ctx: StepContext, environment: str, fields: dict[str, object], plan: Plan | None,
    stderr: str = "",
) -> tuple[str, str]:
    """The comment (and its Markdown, for the job summary) of PLAN, or of a plan that failed
    with STDERR: within GitHub's limit whatever the plan's size, header line included, with
    room left for apply's mark below it."""
    foot = footer(ctx, environment, plan)
    budget = MARKDOWN_LIMIT - RESERVED - len(foot)
    if plan is not None:
        whole = f"the whole plan is the artifact `{artifact_name(environment)}` of the run"
        markdown = render_markdown(plan, budget, allow_hint=ALLOW_HINT, words=WORDS,
                                   whole_plan=f"{whole}, linked below")
    else:
        markdown = failed(environment, stderr, budget)
    return seal(fields, f"{markdown.rstrip()}\n\n{foot}\n"), markdown


def refused(environment: str, plan: Plan) -> str:
    """The red check's summary: what apply would refuse, and the way forward in the PR."""
    names = ", ".join(f"`{c.apiName}` ({c.action})" for c in plan.changes
                      if c.risk == "destructive")
    return (
        f"### activities plan for `{environment}`: refused\n\n"
        f"Apply refuses this plan: it has {plan.summary.destructive} destructive "
        f"change{'s' if plan.summary.destructive != 1 else ''} ({names}), and the label "
        f"`{LABEL}` is not on this pull request. The way forward, in this pull request:\n\n"
        "1. **lint**: each destructive change must be acknowledged in its definition file, "
        "under `acknowledge:` (`- {rule: RULE, version: N, reason: ...}`, as the `validate, "
        "fmt, lint` check prints it), so the acknowledgement is part of the diff under review.\n"
        f"2. **plan**: once reviewed, add the label `{LABEL}` to the pull request. The plan "
        "workflow runs again, makes the plan with destructive changes allowed, and this check "
        "turns green; after the merge, apply runs exactly that plan, and only while the label "
        "is still on the pull request.\n\n"
        "Or change the definitions so that nothing is destroyed."
    )


def failed(environment: str, stderr: str, limit: int = MARKDOWN_LIMIT) -> str:
    """The comment of a plan that could not be made: the tool's own message, verbatim (its
    first lines, when all of them would not fit)."""
    lines = stderr.strip().splitlines()
    shown: list[str] = []
    room = limit - 500  # the heading, the fences and the closing words
    for line in lines:
        room -= len(line) + 1
        if room < 0:
            break
        shown.append(line)
    if len(shown) < len(lines):
        shown.append(f"... {len(lines) - len(shown)} more lines in the step's log (the run is "
                     "linked below)")
    text = "\n".join(shown)
    return (
        f"### activities plan for `{environment}`: failed\n\n{code_block(text)}\n\n"
        "Nothing can be applied from this pull request until the plan succeeds."
    )


def footer(ctx: StepContext, environment: str, plan: Plan | None) -> str:
    commit = plan.provenance.gitCommit if plan is not None else None
    made = f"commit {(commit or ctx.sha)[:12]}" if commit or ctx.sha else "this commit"
    run = ""
    if ctx.run_url:
        artifact = artifact_name(environment)
        run = (f" in [this run]({ctx.run_url}) (the whole plan: its artifact "
               f"[`{artifact}`]({ctx.run_url}#artifacts))")
    return (
        f"<sub>Planned from {made}{run}. After the merge, the apply workflow makes the plan "
        "again on main and applies it only if it is this one.</sub>"
    )


def comment_step(number: int, body_file: Path, ctx: StepContext, github: GitHub) -> int:
    """Post the plan comment on pull request NUMBER, or update the newest one the plan step
    posted for this environment (never a comment it did not write)."""
    body = body_file.read_text(encoding="utf-8")
    fields = read_header(body)
    if fields is None or fields.get("repository") != ctx.repository:
        raise ActivitiesError(f"{body_file} has no activities-plan header of {ctx.repository} "
                              "on its first line; it is no plan comment")
    environment = str(fields["environment"])
    existing = find_plan_comment(github.comments(number), ctx.repository, environment,
                                 comment_author(ctx))
    if existing is None:
        github.add_comment(number, body)
    else:
        github.edit_comment(existing.id, body)
    return EXIT_OK
