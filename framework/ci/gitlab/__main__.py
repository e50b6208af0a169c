"""`python -P -m framework.ci.gitlab JOB`: one job of the GitLab pipeline (see __init__)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from framework.commands.common import EXIT_OK, ExitCodes
from framework.settings import load_settings

if TYPE_CHECKING:
    from framework.ci.gitlab.api import GitLab
    from framework.ci.gitlab.context import JobContext


@click.group(cls=ExitCodes, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Jobs of the activities GitLab CI pipeline."""


@main.command()
def check() -> int:
    """Check that the pipeline has an apply job for each environment of pyproject.toml."""
    from framework.ci.gitlab.pipeline import check_apply_jobs

    settings = load_settings()
    check_apply_jobs(settings.root, list(settings.environments))
    return EXIT_OK


@main.command()
def plan() -> int:
    """Plan every environment for the merge request; one note each, updated in place (in a
    merge train: check that the merged result plans what the notes show)."""
    from framework.ci.gitlab.context import JobContext
    from framework.ci.gitlab.steps import plan_step
    from framework.ci.gitlab.train import EVENT_TYPE, train_step
    from framework.ci.tool import environments

    settings = load_settings()
    ctx = JobContext.current()
    named = environments(settings, with_local=True)
    with _gitlab(ctx) as gitlab:
        if ctx.get("CI_MERGE_REQUEST_EVENT_TYPE") == EVENT_TYPE and ctx.merge_request:
            return train_step(settings, named, ctx, gitlab, ctx.merge_request)
        return plan_step(settings, named, ctx, gitlab)


@main.command()
@click.argument("environment")
def apply(environment: str) -> int:
    """Apply on ENVIRONMENT the plan reviewed on the merged merge request, or refuse."""
    from framework.ci.gitlab.context import JobContext
    from framework.ci.gitlab.steps import apply_step

    ctx = JobContext.current()
    with _gitlab(ctx) as gitlab:
        return apply_step(load_settings(), environment, ctx, gitlab)


@main.command()
def drift() -> int:
    """Report drift on every environment: open or update its issue, or fail (ON_DRIFT)."""
    from framework.ci.drift import drift_step
    from framework.ci.gitlab.context import JobContext
    from framework.ci.gitlab.steps import read_only
    from framework.ci.tool import environments

    settings = load_settings()
    ctx = JobContext.current()
    code = EXIT_OK
    with _gitlab(ctx) as gitlab:
        for environment in environments(settings, with_local=False):
            code = max(code, drift_step(settings, environment, read_only(ctx, environment),
                                        gitlab))
    return code


def _gitlab(ctx: JobContext) -> GitLab:
    """The API client for this job's project (the predefined variables and the token)."""
    from framework.ci.gitlab.api import GitLab

    return GitLab(ctx.get("CI_API_V4_URL"), ctx.get("CI_PROJECT_ID"),
                  ctx.get("ACTIVITIES_GITLAB_TOKEN"))


if __name__ == "__main__":
    main()
