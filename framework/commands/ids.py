"""`activities ids`: the Marketo id of each custom activity type of an environment."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from pathlib import Path

import click

from framework.commands.common import EXIT_OK, command_line, dir_option, target_options
from framework.definitions.loader import display_path
from framework.environment import LOCAL, Target, connect, resolve_target
from framework.errors import ConfigError
from framework.ids import TypeIds, contradictions, ids_from_list, ids_from_lock
from framework.invocation import Invocation
from framework.settings import Settings, load_settings


def ids(
    directory: Path | None = None, env: str | None = None, endpoint: str | None = None, *,
    live: bool = False, check: bool = False, as_json: bool = False,
) -> int:
    """Print the Marketo id of each type (apiName -> id), for integration code."""
    settings = load_settings()
    invocation = Invocation.of(env, endpoint, directory)  # what every hint repeats
    directory = directory or settings.definitions_dir
    if check and (live or endpoint):
        _refuse_check("--live" if live else "--endpoint")
    found = None if live or endpoint else _from_lock(settings, env or LOCAL, invocation)
    if found is None or found.note:
        note = found.note if found else ""
        target = resolve_target(settings, env, endpoint)
        found = replace(asyncio.run(_from_instance(settings, target, directory)), note=note)
    elif check:
        target = resolve_target(settings, env, endpoint)
        found = asyncio.run(_checked(settings, target, found, invocation))
    if as_json:
        click.echo(json.dumps(found.to_json(), indent=2))
        return EXIT_OK
    click.echo(_source_line(found, invocation), err=True)
    width = max((len(name) for name in found.ids), default=0)
    for name, type_id in found.ids.items():
        mark = "  (unmanaged)" if name in found.unmanaged else ""
        click.echo(f"{name:<{width}}  {'-' if type_id is None else type_id}{mark}")
    return EXIT_OK


def _source_line(ids: TypeIds, invocation: Invocation) -> str:
    count = f"{len(ids.ids)} type{'' if len(ids.ids) == 1 else 's'}"
    if ids.source == "lock" and ids.checked:
        return (f"Ids of {ids.environment} from its lock file {ids.where} ({count}), confirmed "
                "against the instance (its type list).")
    if ids.source == "lock":
        check = invocation.command("ids", "--check", directory=False)
        return (f"Ids of {ids.environment} from its lock file {ids.where} as the last apply "
                f"wrote it ({count}), not checked against the instance: `{check}` confirms "
                "them.")
    why = f"; {ids.note}" if ids.note else ""
    return f"Ids of {ids.environment} read from the instance ({ids.where}, {count}){why}."


def _from_lock(settings: Settings, env: str, invocation: Invocation) -> TypeIds | None:
    """The ids in ENV's lock file; one with a note (why not) when it has none to give (none,
    or one written for another instance: framework/lock/binding.py)."""
    from framework.lock.binding import environment_instance, read_bound_lock

    here = environment_instance(settings, env)
    if here is None:
        return None  # resolve_target says what is wrong with the name
    read = read_bound_lock(settings, here, env, invocation=invocation)
    if read.lock is None:
        return TypeIds(env, "instance", {}, "", note=read.note)
    return ids_from_lock(read.lock, display_path(read.path))


def _refuse_check(option: str) -> None:
    raise ConfigError(
        f"--check confirms the ids of a lock file against the instance, and {option} reads "
        f"them from the instance already\n  fix: leave out {option} (or --check)"
    )


async def _checked(
    settings: Settings, target: Target, ids: TypeIds, invocation: Invocation
) -> TypeIds:
    """The lock file's ids, confirmed against the instance's type list (one call); a
    ConfigError naming both ids of every one it contradicts."""
    async with connect(target, settings, read_only=True) as (_, client):
        listed = await client.list_types()
    lines = contradictions(ids, listed)
    if lines:
        raise ConfigError(
            f"the lock file's ids do not match the instance (lock file {ids.where}): "
            f"{'; '.join(lines)}\n  fix: `{invocation.command('lock', 'repair')}` rebuilds "
            "it from the instance and the definitions"
        )
    return replace(ids, checked=True)


async def _from_instance(settings: Settings, target: Target, directory: Path) -> TypeIds:
    managed = {p.stem for p in directory.glob("*.y*ml")} if directory.is_dir() else set()
    async with connect(target, settings) as (started, client):
        listed = await client.list_types()
    # `target.host`: the embedded instance listens on a new port each run, so name it instead.
    return ids_from_list(started.name, target.host, listed, managed)


command = command_line(
    "ids", ids, dir_option(), *target_options(),
    click.Option(["--live"], is_flag=True, help="Read the instance even when a lock file exists."),
    click.Option(["--check"], is_flag=True, help=(
        "Confirm the lock file's ids against the instance (one call); exit 1 on a mismatch.")),
    click.Option(["--json", "as_json"], is_flag=True,
                 help="Print {environment, source, ids} as JSON."),
)
