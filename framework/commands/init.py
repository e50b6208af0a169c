"""`activities init`: start a repository with settings, folders, workflows and hooks."""

from __future__ import annotations

from pathlib import Path

import click

from framework.commands.common import EXIT_OK, command_line


def init(root: Path = Path("."), *, force: bool = False, ci: str = "github") -> int:
    """Start a repository: settings, activities/, plans/, CI workflows and pre-commit hooks."""
    from framework.scaffold.init import init_repository

    root.mkdir(parents=True, exist_ok=True)
    report = init_repository(root, force=force, ci=ci)
    for path in report.written:
        click.echo(f"wrote {path}")
    for path in report.replaced:
        click.echo(f"replaced {path}: it differed from what init writes, and those differences "
                   f"are gone (`git diff -- {path}` shows them if it was committed)")
    for path in report.updated:
        click.echo(f"updated {path}")
    for path in report.kept:
        click.echo(f"kept {path} (it has what init adds)")
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(
        "Next: `activities validate` and `activities plan` (on the built-in local instance); "
        "then add an environment to pyproject.toml and adopt its types with "
        "`activities import -e NAME`."
    )
    return EXIT_OK


command = command_line(
    "init", init,
    click.Argument(
        ["root"], required=False, default=".", type=click.Path(path_type=Path, file_okay=False)
    ),
    click.Option(["--force"], is_flag=True,
                 help="Write the files init owns again, over existing ones."),
    click.Option(["--ci"], type=click.Choice(["github", "gitlab"]), default="github",
                 show_default=True, help="The CI system to write the pipeline for."),
)
