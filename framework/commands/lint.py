"""`activities lint`: review the definitions changed since the merge base with a base ref."""

from __future__ import annotations

from pathlib import Path

import click

from framework.commands.common import EXIT_ERROR, EXIT_OK, command_line, dir_option


def lint(
    base: str, directory: Path | None = None, env: str | None = None, *, fmt: str = "text",
    fix: bool = False,
) -> int:
    """Review the definitions changed since the merge base with REF: versions, rules,
    acknowledgements."""
    # Imported here: gitpython and the client are slow to import.
    import asyncio

    from framework.errors import ActivitiesError
    from framework.invocation import Invocation
    from framework.lint.approvals import read_approvals
    from framework.lint.history import changed_definitions
    from framework.lint.render import render, workflow_error
    from framework.lint.review import grades_objects, lint_history
    from framework.settings import load_settings

    try:
        settings = load_settings()
        history = changed_definitions(directory or settings.definitions_dir, base)
        if history.note:
            click.echo(f"Note: {history.note}", err=True)
        approvals = None
        if env is not None:
            invocation = Invocation.of(env, None, directory)  # what every hint repeats
            approvals = asyncio.run(read_approvals(
                settings, env, invocation, objects=grades_objects(history)
            ))
        report = lint_history(history, fix=fix, approvals=approvals)
    except ActivitiesError as exc:
        if fmt == "github":  # shown on the run's summary, not only in its log
            click.echo(workflow_error(str(exc)))
        raise
    click.echo(render(report, fmt), nl=False)
    return EXIT_OK if report.ok else EXIT_ERROR


command = command_line(
    "lint", lint,
    click.Option(
        ["--base"], required=True, metavar="REF",
        help="The branch or commit SHA the change goes into (CI: the pull request's base SHA).",
    ),
    click.Option(
        ["--format", "fmt"], type=click.Choice(["text", "json", "github"]), default="text",
        show_default=True, help="text for terminals, json for machines, github for annotations.",
    ),
    click.Option(["--fix"], is_flag=True,
                 help="Write the expected version into the changed files."),
    click.Option(
        ["-e", "--env", "env"], default=None, metavar="NAME",
        help="Also grade against this environment: what harms only approved types is graded "
             "there.",
    ),
    dir_option(),
)
