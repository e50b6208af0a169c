"""`activities fmt`: canonical key order and indentation of the definition files."""

from __future__ import annotations

from pathlib import Path

import click

from framework.commands.common import EXIT_ERROR, EXIT_OK, command_line, dir_option
from framework.definitions.formatting import FormatResult, format_directory
from framework.definitions.loader import display_path
from framework.settings import load_settings


def _files(count: int) -> str:
    return f"{count} file{'' if count == 1 else 's'}"


def unified_diff(path: str, before: str, after: str) -> str:
    """The change as `git diff` shows it (a/ and b/ paths), for `git apply` or `patch -p1`."""
    import difflib  # only --diff needs it; fmt runs as a pre-commit hook on every commit

    diff = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True),
        f"a/{path}", f"b/{path}",
    )
    # A last line without a newline is marked as diff and patch expect.
    return "".join(
        line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n"
        for line in diff
    )


def fmt(directory: Path | None = None, *, check: bool = False, show_diff: bool = False) -> int:
    """Rewrite definition files in canonical key order and indentation, comments kept."""
    settings = load_settings()
    folder = directory or settings.definitions_dir
    dry = check or show_diff
    result = format_directory(folder, write=not dry)

    # With --diff, stdout is the patch alone: the file list and the summary go to stderr.
    def say(text: str) -> None:
        click.echo(text, err=show_diff)

    if not (result.changed or result.unchanged or result.refused):
        say(f"0 files: {display_path(folder)} holds no *.yaml or *.yml file")
        return EXIT_OK
    for path in result.changed:
        if show_diff:
            click.echo(unified_diff(path, *result.texts[path]), nl=False)
        say(f"{'would reformat' if dry else 'reformatted'} {path}")
    for problem in result.refused:
        say(str(problem))
    say(_summary(result, dry))
    if result.refused or (check and result.changed):
        return EXIT_ERROR
    return EXIT_OK


def _summary(result: FormatResult, dry: bool) -> str:
    """How many files were (or would be) reformatted, already were, or could not be."""
    done = "would be reformatted" if dry else "reformatted"
    summary = [f"{_files(len(result.changed))} {done}",
               f"{_files(len(result.unchanged))} already formatted"]
    if result.refused:
        skipped = len({problem.path for problem in result.refused})
        summary.append(f"{_files(skipped)} not formatted: fix the problems above, "
                       "then run fmt again")
    return ", ".join(summary)


command = command_line(
    "fmt", fmt,
    click.Option(["--check"], is_flag=True,
                 help="Change nothing; list the files that would change and exit 1 if any."),
    click.Option(["--diff", "show_diff"], is_flag=True,
                 help="Change nothing; print the changes as a unified diff (with --check: exit 1 "
                      "if any)."),
    dir_option(),
)
