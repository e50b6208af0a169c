"""`activities codegen`: typed record models and record JSON Schemas from the definitions."""

from __future__ import annotations

from pathlib import Path

import click

from framework.commands.common import EXIT_ERROR, EXIT_OK, command_line, dir_option
from framework.definitions.loader import display_path, load_definitions
from framework.definitions.model import ActivityType, activity_type_files
from framework.errors import ConfigError
from framework.files import write_atomically
from framework.settings import load_settings


def codegen(
    out: Path, directory: Path | None = None, *, schema_dir: Path | None = None,
    check: bool = False,
) -> int:
    """Generate typed record models (pydantic) and record JSON Schemas from the definitions."""
    from framework.records.codegen import stale_files

    settings = load_settings()
    folder = directory or settings.definitions_dir
    # Records are sent for activity types only: custom object records are out of scope.
    definitions = [f.definition for f in activity_type_files(load_definitions(folder, settings))
                   if f.definition.ensure == "present"]
    expected = _generated(definitions, folder, out, schema_dir)
    stale = stale_files(expected)
    if check:
        return _checked(stale, len(expected), folder)
    for path in stale:
        _write(path, expected[path])
    click.echo(f"{len(definitions)} type(s): wrote {len(stale)} file(s), "
               f"{len(expected) - len(stale)} already up to date.")
    return EXIT_OK


def _generated(
    definitions: list[ActivityType], folder: Path, out: Path, schema_dir: Path | None
) -> dict[Path, str]:
    """Each file codegen writes, and what it holds: the module, and a schema per type."""
    from framework.records.codegen import render_json_schema, render_module, schema_file_name

    expected = {out: render_module(definitions, display_path(folder), str(out))}
    if schema_dir is not None:
        for definition in definitions:
            expected[schema_dir / schema_file_name(definition.apiName)] = render_json_schema(
                definition)
    return expected


def _checked(stale: list[Path], count: int, folder: Path) -> int:
    """--check: 1 and each stale file named, or 0 when all COUNT files are up to date."""
    for path in stale:
        click.echo(f"{path}: out of date with the definitions in {display_path(folder)}/",
                   err=True)
    if stale:
        click.echo("  fix: run `activities codegen` with the same options and commit the "
                   "result", err=True)
        return EXIT_ERROR
    click.echo(f"{count} generated file(s) up to date.")
    return EXIT_OK


def _write(path: Path, text: str) -> None:
    try:
        write_atomically(path, text)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the generated file: {exc.strerror}\n"
                          "  fix: check that the folder exists and is writable") from exc


command = command_line(
    "codegen", codegen, dir_option(),
    click.Option(["--out", "out"], required=True, type=click.Path(path_type=Path, dir_okay=False),
                 help="The Python module to write (e.g. app/activity_records.py)."),
    click.Option(["--schema-dir"], type=click.Path(path_type=Path, file_okay=False), default=None,
                 help="Also write each type's record JSON Schema here "
                      "(<apiName>.record.schema.json)."),
    click.Option(["--check"], is_flag=True,
                 help="Write nothing; exit 1 when a generated file is missing or out of date "
                      "(CI)."),
)
