"""The pull request's steps: make each environment's plan, and post it as one comment."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from framework.ci.github import GitHub
from framework.ci.header import (
    comment_author,
    find_plan_comment,
    header,
    plan_digest,
    read_header,
)
from framework.ci.tool import credentials, has_credentials, run_activities
from framework.ci.workflow import StepContext
from framework.commands.common import EXIT_CHANGES, EXIT_ERROR, EXIT_OK
from framework.errors import ActivitiesError
from framework.settings import Settings

PLANS = Path("plans")


@dataclass(frozen=True)
class PlanFiles:
    """Where a step leaves an environment's plan (uploaded) and its comment (posted)."""

    plan: Path
    comment: Path

    @classmethod
    def of(cls, environment: str) -> PlanFiles:
        return cls(PLANS / f"{environment}.plan.json", PLANS / f"{environment}.comment.md")


def plan_step(settings: Settings, environment: str, ctx: StepContext) -> int:
    """Plan ENVIRONMENT; write the comment body, the job summary and the step's outputs."""
    files = PlanFiles.of(environment)
    allow = ctx.flag("ALLOW_DESTRUCTIVE")
    if not has_credentials(settings, environment, ctx.environ) and ctx.flag("FORK"):
        # GitHub gives a fork's pull request no secrets: the checks ran, the plan cannot.
        ctx.add_summary(
            f"### activities plan for `{environment}`: not made\n\n"
            "This pull request comes from a fork, and GitHub gives those no secrets, so there "
            f"are no read-only credentials for `{environment}`. A maintainer can push the "
            "branch to this repository to get the plan."
        )
        return EXIT_OK
    args = ["plan", "-e", environment, "--format", "markdown", "--out", str(files.plan),
            "--detailed-exitcode"]
    if allow:
        args.append("--allow-destructive")
    files.plan.unlink(missing_ok=True)
    done = run_activities(args, credentials(settings, environment, ctx.environ, read_only=True))
    fields: dict[str, object] = {"environment": environment, "allowDestructive": allow}
    if done.code in (EXIT_OK, EXIT_CHANGES) and files.plan.is_file():
        document = json.loads(files.plan.read_text(encoding="utf-8"))
        fields["digest"] = plan_digest(document)
        markdown = done.stdout
        ctx.set_output("plan-file", str(files.plan))
        ctx.set_output("changes", "true" if done.code == EXIT_CHANGES else "false")
    else:
        markdown = failed(environment, done.stderr)
    body = f"{header(fields)}\n{markdown.rstrip()}\n\n{footer(ctx)}\n"
    files.comment.parent.mkdir(parents=True, exist_ok=True)
    files.comment.write_text(body, encoding="utf-8")
    ctx.set_output("comment-file", str(files.comment))
    ctx.add_summary(markdown)
    return EXIT_ERROR if done.code not in (EXIT_OK, EXIT_CHANGES) else EXIT_OK


def failed(environment: str, stderr: str) -> str:
    """The comment of a plan that could not be made: the tool's own message, verbatim."""
    return (
        f"### activities plan for `{environment}`: failed\n\n```text\n{stderr.strip()}\n```\n\n"
        "Nothing can be applied from this pull request until the plan succeeds."
    )


def footer(ctx: StepContext) -> str:
    made = f"commit {ctx.sha[:12]}" if ctx.sha else "this commit"
    run = f" in [this run]({ctx.run_url})" if ctx.run_url else ""
    return (
        f"<sub>Planned from {made}{run}. After the merge, the apply workflow makes the plan "
        "again on main and applies it only if it is this one.</sub>"
    )


def comment_step(number: int, body_file: Path, ctx: StepContext, github: GitHub) -> int:
    """Post the plan comment on pull request NUMBER, or update this environment's one."""
    body = body_file.read_text(encoding="utf-8")
    fields = read_header(body)
    if fields is None:
        raise ActivitiesError(f"{body_file} has no activities-plan header; it is no plan comment")
    environment = str(fields["environment"])
    existing = find_plan_comment(github.comments(number), environment, comment_author(ctx))
    if existing is None:
        github.add_comment(number, body)
    else:
        github.edit_comment(existing.id, body)
    return EXIT_OK
