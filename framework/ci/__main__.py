"""`python -P -m framework.ci STEP`: one step of the GitHub workflows (framework/ci/__init__)."""

from __future__ import annotations

from pathlib import Path

import click

from framework.ci.workflow import StepContext
from framework.commands.common import EXIT_OK, ExitCodes
from framework.settings import load_settings


@click.group(cls=ExitCodes, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Steps of the activities GitHub workflows."""


@main.command()
@click.option("--with-local", is_flag=True, help="List `local` when no environment is named.")
def environments(with_local: bool) -> int:
    """Set the step output `environments` to the JSON list of environments."""
    import json

    from framework.ci.tool import environments as names

    listed = names(load_settings(), with_local)
    StepContext.current().set_output("environments", json.dumps(listed))
    click.echo(f"environments: {', '.join(listed) or '(none)'}")
    return EXIT_OK


@main.command()
@click.argument("environment")
def plan(environment: str) -> int:
    """Plan ENVIRONMENT for the pull request: comment body, summary and JSON plan."""
    from framework.ci.github import GitHub
    from framework.ci.pull_request import plan_step

    ctx = StepContext.current()
    return plan_step(load_settings(), environment, ctx, GitHub(ctx.repository))


@main.command()
@click.argument("number", type=int)
@click.argument("body_file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
def comment(number: int, body_file: Path) -> int:
    """Post BODY_FILE on pull request NUMBER, or update the environment's plan comment."""
    from framework.ci.github import GitHub
    from framework.ci.pull_request import comment_step

    ctx = StepContext.current()
    return comment_step(number, body_file, ctx, GitHub(ctx.repository))


@main.command()
@click.argument("environment")
def apply(environment: str) -> int:
    """Apply on ENVIRONMENT the plan reviewed on the merged pull request, or refuse.

    The pull request is the one whose merge made GITHUB_SHA, or PULL_REQUEST when set (a run
    by hand after a refusal)."""
    from framework.ci.github import GitHub
    from framework.ci.merge import apply_step

    ctx = StepContext.current()
    return apply_step(load_settings(), environment, ctx, GitHub(ctx.repository))


@main.command()
@click.argument("environment")
def queue(environment: str) -> int:
    """In a merge queue: fail unless the queued merge plans what was reviewed on its PR."""
    from framework.ci.github import GitHub
    from framework.ci.queue import queue_step

    ctx = StepContext.current()
    return queue_step(load_settings(), environment, ctx, GitHub(ctx.repository))


@main.command("commit-lock")
@click.argument("environment")
def commit_lock(environment: str) -> int:
    """Commit ENVIRONMENT's lock file on top of the newest checked-out branch, and push it."""
    from framework.ci.lock_commit import commit_lock_step

    return commit_lock_step(load_settings(), environment, StepContext.current())


@main.command()
@click.argument("environment")
def drift(environment: str) -> int:
    """Report drift on ENVIRONMENT: open or update its issue, or fail, as ON_DRIFT says."""
    from framework.ci.drift import drift_step
    from framework.ci.github import GitHub

    ctx = StepContext.current()
    return drift_step(load_settings(), environment, ctx, GitHub(ctx.repository))


if __name__ == "__main__":
    main()
