"""The merge's steps: apply only the reviewed plan, then commit the lock file back to main."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from framework.ci.github import GitHub
from framework.ci.header import comment_author, find_plan_comment, plan_digest, read_header
from framework.ci.pull_request import PlanFiles
from framework.ci.tool import credentials, run_activities
from framework.ci.workflow import StepContext
from framework.commands.common import EXIT_CHANGES, EXIT_ERROR, EXIT_OK
from framework.errors import ActivitiesError
from framework.settings import Settings

BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"


def apply_step(settings: Settings, environment: str, ctx: StepContext, github: GitHub) -> int:
    """Make the plan on main; apply it if it equals the plan reviewed on the merged PR."""
    files = PlanFiles.of(environment)
    number = github.merged_pull_request(ctx.sha)
    comment = None
    if number is not None:
        comment = find_plan_comment(github.comments(number), environment, comment_author(ctx))
    reviewed = read_header(comment.body) if comment else None
    allow = bool(reviewed and reviewed.get("allowDestructive"))
    env = credentials(settings, environment, ctx.environ, read_only=False)
    args = ["plan", "-e", environment, "--format", "markdown", "--out", str(files.plan),
            "--detailed-exitcode"] + (["--allow-destructive"] if allow else [])
    planned = run_activities(args, env)
    ctx.set_output("plan-file", str(files.plan))
    if planned.code == EXIT_OK:
        ctx.add_summary(f"### activities apply `{environment}`: no changes\n\n{planned.stdout}")
        return EXIT_OK
    if planned.code != EXIT_CHANGES:
        ctx.add_summary(f"### activities apply `{environment}`: the plan failed\n\n"
                        f"```text\n{planned.stderr.strip()}\n```")
        return EXIT_ERROR
    digest = plan_digest(json.loads(files.plan.read_text(encoding="utf-8")))
    refusal = _refusal(environment, ctx.sha[:12] or "HEAD", number, reviewed, digest)
    if refusal:
        ctx.add_summary(f"### activities apply `{environment}`: refused\n\n{refusal}\n\n"
                        f"The plan made on main:\n\n{planned.stdout}")
        raise ActivitiesError(refusal)
    applied = run_activities(["apply", str(files.plan), "-e", environment], env)
    outcome = "applied" if applied.code == EXIT_OK else "failed"
    # The summary of the apply; its progress lines are in the step's log.
    shown = applied.stdout.strip()
    if applied.code != EXIT_OK:
        shown = f"{shown}\n{applied.stderr.strip()}".strip()
    ctx.add_summary(f"### activities apply `{environment}`: {outcome}\n\n```text\n{shown}\n```")
    if comment is not None:
        mark = "Applied" if applied.code == EXIT_OK else "Apply failed"
        run = f" in [this run]({ctx.run_url})" if ctx.run_url else ""
        github.edit_comment(comment.id, f"{comment.body.rstrip()}\n\n**{mark}** to "
                            f"`{environment}` after the merge{run}.\n")
    return applied.code


def _refusal(
    environment: str, commit: str, number: int | None, reviewed: dict[str, object] | None,
    digest: str,
) -> str:
    """Why the plan made on main may not be applied, or "" when it is the reviewed one."""
    if number is None:
        return (f"no pull request merged {commit}, so no plan for {environment!r} was "
                "reviewed: only reviewed plans are applied\n  fix: make the change in a pull "
                "request")
    if reviewed is None:
        return (f"pull request #{number} has no plan comment for {environment!r}, so this "
                "plan was never reviewed\n  fix: open a pull request to review it")
    if reviewed.get("digest") != digest:
        return (f"the plan made on main for {environment!r} differs from the one reviewed on "
                f"pull request #{number}: main or the instance changed since the review\n"
                "  fix: open a pull request (an empty change will do) to review the plan "
                "as it is now")
    return ""


def commit_lock_step(settings: Settings, environment: str, ctx: StepContext) -> int:
    """Commit the lock file apply wrote for ENVIRONMENT and push it to the checked-out branch."""
    folder = settings.definitions_dir / ".lock"
    lock = folder / f"{environment}.json"
    if not lock.is_file():
        ctx.add_summary(f"No lock file for `{environment}` to commit ({lock}).")
        return EXIT_OK
    root = settings.root
    _git(root, "add", "--", str(lock))
    if _git(root, "diff", "--cached", "--quiet", check=False).returncode == 0:
        return EXIT_OK  # unchanged: apply had nothing to do
    short = ctx.sha[:12] or "HEAD"
    _git(root, "-c", f"user.name={BOT_NAME}", "-c", f"user.email={BOT_EMAIL}", "commit",
         "--quiet", "-m", f"activities: lock file of {environment} after applying {short}")
    branch = _git(root, "rev-parse", "--abbrev-ref", "HEAD").stdout.strip()
    for _ in range(3):
        # Another environment's job may have pushed its lock in between: replay ours on it.
        if _git(root, "push", "--quiet", "origin", f"HEAD:{branch}", check=False).returncode == 0:
            ctx.add_summary(f"Committed `{lock.relative_to(root)}` to {branch}.")
            return EXIT_OK
        _git(root, "pull", "--quiet", "--rebase", "origin", branch)
    raise ActivitiesError(f"could not push {lock} to {branch} after 3 tries\n  fix: run the "
                          "workflow again; the lock is rewritten by the next apply")


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise ActivitiesError(f"git {args[0]} failed: {done.stderr.strip()}")
    return done
