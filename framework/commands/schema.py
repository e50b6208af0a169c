"""`activities schema`: print the JSON Schema of definition files, or write the project's copy."""

from __future__ import annotations

from pathlib import Path

import click

from framework.commands.common import EXIT_OK, command_line, dir_option
from framework.errors import FileAccessError


def schema(directory: Path | None = None, *, write: bool = False) -> int:
    """Print the JSON Schema of definition files (for editors and other tools)."""
    from framework.definitions.schema import project_schema, shipped_schema, write_project_schema

    if not write:
        click.echo(shipped_schema(), nl=False)
        return EXIT_OK
    from framework.definitions.loader import display_path
    from framework.settings import load_settings

    folder = directory or load_settings().definitions_dir
    shown = display_path(project_schema(folder))
    try:
        changed = write_project_schema(folder)
    except OSError as exc:
        raise FileAccessError(f"{shown} cannot be written: {exc.strerror or exc}\n"
                              "  fix: check the folder's permissions") from exc
    click.echo(f"wrote {shown}" if changed else f"{shown} is already up to date")
    return EXIT_OK


command = command_line(
    "schema", schema,
    click.Option(["--write"], is_flag=True,
                 help="Write it as .schema.json in the definitions folder, where every "
                      "definition's modeline points (refresh it after upgrading)."),
    dir_option(),
)
