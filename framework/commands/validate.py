"""`activities validate`: check every definition file offline and report every problem."""

from __future__ import annotations

from pathlib import Path

import click

from framework.commands.common import EXIT_ERROR, EXIT_OK, dir_option, handle_errors
from framework.definitions.loader import check_definitions
from framework.settings import load_settings


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@click.command("validate")
@dir_option
@handle_errors
def command(directory: Path | None) -> int:
    """Check the definition files offline: the schema and every Marketo rule."""
    settings = load_settings()
    result = check_definitions(directory or settings.definitions_dir, settings)
    for problem in result.problems:
        click.echo(str(problem))
    if result.problems:
        click.echo(
            f"{_plural(len(result.problems), 'problem')} in "
            f"{_plural(result.files_with_problems, 'file')} "
            f"({_plural(result.checked, 'definition file')} checked)"
        )
        return EXIT_ERROR
    click.echo(f"{_plural(result.checked, 'definition')} valid")
    return EXIT_OK
