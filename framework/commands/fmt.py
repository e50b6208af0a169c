"""`activities fmt`: canonical key order and indentation of the definition files."""

from __future__ import annotations

from pathlib import Path

import click

from framework.commands.common import EXIT_ERROR, EXIT_OK, dir_option, handle_errors
from framework.definitions.formatting import format_directory
from framework.definitions.loader import display_path
from framework.settings import load_settings


def _files(count: int) -> str:
    return f"{count} file{'' if count == 1 else 's'}"


@click.command("fmt")
@click.option("--check", is_flag=True,
              help="Change nothing; list the files that would change and exit 1 if any.")
@dir_option
@handle_errors
def command(check: bool, directory: Path | None) -> int:
    """Rewrite definition files in canonical key order and indentation, comments kept."""
    settings = load_settings()
    folder = directory or settings.definitions_dir
    result = format_directory(folder, write=not check)
    if not (result.changed or result.unchanged or result.refused):
        click.echo(f"0 files: {display_path(folder)} holds no *.yaml or *.yml file")
        return EXIT_OK
    for path in result.changed:
        click.echo(f"{'would reformat' if check else 'reformatted'} {path}")
    for problem in result.refused:
        click.echo(str(problem))
    done = "would be reformatted" if check else "reformatted"
    summary = [f"{_files(len(result.changed))} {done}",
               f"{_files(len(result.unchanged))} already formatted"]
    if result.refused:
        skipped = len({problem.path for problem in result.refused})
        summary.append(f"{_files(skipped)} not formatted: fix the problems above, "
                       "then run fmt again")
    click.echo(", ".join(summary))
    if result.refused or (check and result.changed):
        return EXIT_ERROR
    return EXIT_OK
