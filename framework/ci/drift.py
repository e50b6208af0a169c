"""The scheduled step: report drift, then open or update one issue, or fail, as configured."""

from __future__ import annotations

from typing import Any, Protocol

from framework.ci.github import Comment
from framework.ci.header import header, read_header
from framework.ci.markdown import code_block
from framework.ci.tool import credentials, run_activities
from framework.ci.workflow import StepContext
from framework.commands.common import EXIT_CHANGES, EXIT_ERROR, EXIT_OK
from framework.errors import ConfigError
from framework.settings import Settings

LABEL = "activities-drift"
MODES = ("issue", "fail")


class IssueTracker(Protocol):
    """The issue calls of a platform (framework.ci.github.GitHub, framework.ci.gitlab.api)."""

    def open_issues(self, label: str) -> list[Comment]: ...
    def open_issue(self, title: str, body: str, label: str) -> None: ...
    def edit_issue(self, number: int, changes: dict[str, Any]) -> None: ...


def drift_step(
    settings: Settings, environment: str, ctx: StepContext, github: IssueTracker
) -> int:
    """Run `activities drift` on ENVIRONMENT and act on it as ON_DRIFT says."""
    mode = ctx.get("ON_DRIFT") or "issue"
    if mode not in MODES:
        raise ConfigError(f"ON_DRIFT is {mode!r}\n  fix: set the repository variable "
                          f"ACTIVITIES_ON_DRIFT to one of: {', '.join(MODES)}")
    env = credentials(settings, environment, ctx.environ, read_only=True)
    done = run_activities(["drift", "-e", environment, "--format", "markdown"], env)
    if done.code not in (EXIT_OK, EXIT_CHANGES):
        ctx.add_summary(f"### activities drift `{environment}`: failed\n\n"
                        f"{code_block(done.stderr.strip())}")
        return EXIT_ERROR
    ctx.add_summary(done.stdout)
    if mode == "fail":
        return done.code
    issue = _drift_issue(github, environment)
    body = _body(environment, done.stdout, ctx)
    if done.code == EXIT_OK:
        if issue is not None:  # the drift is gone: say so on the issue, and close it
            github.edit_issue(issue, {"state": "closed", "body": body})
        return EXIT_OK
    if issue is None:
        github.open_issue(f"Drift in {environment}", body, LABEL)
    else:
        github.edit_issue(issue, {"body": body})
    return EXIT_OK


def _drift_issue(github: IssueTracker, environment: str) -> int | None:
    """The open drift issue of ENVIRONMENT, found by its hidden header."""
    for issue in github.open_issues(LABEL):
        fields = read_header(issue.body)
        if fields is not None and fields.get("drift") == environment:
            return issue.id
    return None


def _body(environment: str, markdown: str, ctx: StepContext) -> str:
    run = f"\n\n<sub>Checked in [this run]({ctx.run_url}).</sub>" if ctx.run_url else ""
    return f"{header({'drift': environment})}\n{markdown.rstrip()}{run}\n"
