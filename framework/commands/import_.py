"""`activities import`: write definition files for live types, so that they become managed."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import click

from framework.commands.common import (
    EXIT_ERROR,
    EXIT_OK,
    command_line,
    dir_option,
    target_options,
)
from framework.definitions.loader import display_path
from framework.environment import Target, connect, resolve_target
from framework.errors import DefinitionError
from framework.importer.importer import (
    Folder,
    ImportedType,
    ImportResult,
    import_types,
    read_folder,
    refuse_existing,
)
from framework.invocation import Invocation
from framework.settings import Settings, load_settings


def import_(
    api_names: tuple[str, ...] = (),
    directory: Path | None = None,
    env: str | None = None,
    endpoint: str | None = None,
    *,
    force: bool = False,
) -> int:
    """Write definition files for live types: the named ones, or every unmanaged one."""
    settings = load_settings()
    invocation = Invocation.of(env, endpoint, directory)  # what every hint repeats
    folder = read_folder(directory or settings.definitions_dir, settings)  # before connecting
    # Named files: refused before connecting.
    refuse_existing(folder, api_names, force=force, invocation=invocation)
    target = resolve_target(settings, env, endpoint)
    result = asyncio.run(_import(settings, target, folder, api_names, force, invocation))
    where = display_path(folder.directory)
    if not result.imported:
        click.echo(f"Nothing to import: every live type has a definition file in {where}/ "
                   f"(read with {_calls(result.calls)}).")
        return EXIT_OK
    for item in result.imported:
        click.echo(_line(item, invocation))
    if result.schema:
        click.echo(f"wrote {result.schema}: the JSON Schema each file's first line names, "
                   "for editors")
    count = len(result.imported)
    click.echo(f"Imported {count} type{'' if count == 1 else 's'} into {where}/ with "
               f"{_calls(result.calls)}; review them with `{invocation.command('plan')}`.")
    if result.problems:
        click.echo(f"Error: the files were written, but the folder no longer validates: "
                   f"{DefinitionError(result.problems)}\n"
                   "  then: fix the problems above (too many types: raise max_types under "
                   "[tool.activities] in pyproject.toml) and run "
                   f"`{invocation.command('validate', target=False)}`",
                   err=True)
        return EXIT_ERROR
    return EXIT_OK


async def _import(
    settings: Settings, target: Target, folder: Folder, names: Sequence[str], force: bool,
    invocation: Invocation,
) -> ImportResult:
    async with connect(target, settings) as (started, client):
        return await import_types(
            client, folder, settings, names, force=force,
            instance=f"{started.name} ({started.host})", invocation=invocation,
        )


def _calls(count: int) -> str:
    return f"{count} call{'' if count == 1 else 's'}"


def _line(item: ImportedType, invocation: Invocation) -> str:
    verb = "replaced" if item.replaced else "wrote"
    if item.source == "draft":
        what = f"its draft (never approved; `{invocation.command('plan')}` will approve it)"
    elif item.pending_draft:
        what = ("its approved version (its pending draft was not imported; "
                f"`{invocation.command('plan')}` shows it)")
    else:
        what = "its approved version"
    return f"{verb} {item.path}: {item.api_name}, {what}"


command = command_line(
    "import", import_, dir_option(), *target_options(),
    click.Option(
        ["--force"], is_flag=True,
        help="Overwrite existing files with the live type (protect kept, version bumped if "
             "changed).",
    ),
    click.Argument(["api_names"], nargs=-1, metavar="[API_NAME]..."),
)
