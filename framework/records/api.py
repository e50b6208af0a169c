"""The library call: `activities send` for Python code.

    from framework.records import send_records

    report = send_records("attendWebinar", "webinars.jsonl", env="production")
    if not report.all_added:
        print(report.to_json())

It loads the definitions and settings of the project (the current folder's pyproject.toml),
resolves the instance as the CLI does (`env`, `endpoint`, or the built-in `local`), takes the
type id from the environment's lock file (else from the instance), and runs the same sender.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from framework.client.marketo import MarketoClient
from framework.definitions.loader import display_path, load_definitions
from framework.definitions.model import activity_type_files
from framework.environment import LOCAL, Target, connect, resolve_target
from framework.errors import ConfigError
from framework.invocation import again
from framework.lock import load_lock, lock_name, lock_path
from framework.records.schema import RecordSchema
from framework.records.sender import Listener, SendReport, default_paths, send_file
from framework.settings import Settings, load_settings


def send_records(
    api_name: str,
    path: str | Path,
    *,
    env: str | None = None,
    endpoint: str | None = None,
    directory: str | Path | None = None,
    journal: str | Path | None = None,
    rejects: str | Path | None = None,
    type_id: int | None = None,
    listener: Listener | None = None,
) -> SendReport:
    """Validate and send the records of `path` (JSON Lines, or CSV for `*.csv`) as type
    `api_name`; returns the report. Raises ActivitiesError subclasses for bad input or
    settings before anything is sent."""
    settings = load_settings()
    schema = record_schema(api_name, settings, Path(directory) if directory else None)
    source = Path(path)
    if not source.is_file():
        raise ConfigError(f"{source}: no such record file\n  fix: check the path")
    target = resolve_target(settings, env, endpoint)
    journal_default, rejects_default = default_paths(source, lock_name(target))
    return asyncio.run(_send(
        settings, target, schema, source, type_id,
        Path(journal) if journal else journal_default,
        Path(rejects) if rejects else rejects_default, listener))


def record_schema(api_name: str, settings: Settings, directory: Path | None) -> RecordSchema:
    """The record schema of the definition `api_name` (ConfigError naming the known ones)."""
    files = load_definitions(directory or settings.definitions_dir, settings)
    found = {f.definition.apiName: f.definition for f in activity_type_files(files)
             if f.definition.ensure == "present"}
    if api_name not in found:
        known = ", ".join(sorted(found)) or "none"
        raise ConfigError(f"no definition of type {api_name!r} (defined: {known})\n"
                          "  fix: pass the apiName of a type under activities/")
    return RecordSchema(found[api_name])


async def _send(settings: Settings, target: Target, schema: RecordSchema, source: Path,
                type_id: int | None, journal: Path, rejects: Path,
                listener: Listener | None) -> SendReport:
    async with connect(target, settings) as (started, client):
        found, origin = type_id, "given by the caller"
        if found is None:
            found, origin = await resolve_type_id(client, settings, started, schema.api_name)
        report = await send_file(client, schema, source, type_id=found, journal=journal,
                                 rejects=rejects, listener=listener)
        report.type_id_from = origin
        return report


async def resolve_type_id(client: MarketoClient, settings: Settings, target: Target,
                          api_name: str) -> tuple[int, str]:
    """(type id, where it came from): the environment's lock file, else the instance."""
    read = load_lock(lock_path(settings, lock_name(target)))
    if read.lock is not None:
        locked = read.lock.type_id(api_name)
        if locked is not None:
            return locked, f"the lock file {display_path(read.path)}"
        note = f"the lock file {display_path(read.path)} has no id for {api_name}"
    else:
        # Paths as every other command prints them: relative to the working folder.
        note = read.note.replace(str(read.path), display_path(read.path))
    for live in await client.list_types():
        if live.get("apiName") == api_name:
            if live.get("status") not in ("approved", "approved with draft"):
                raise ConfigError(
                    f"type {api_name} is not approved on {_instance(target)}: "
                    "Marketo takes records only of approved types\n"
                    f"  fix: `{again('plan')}`, then apply it")
            return int(live["id"]), f"the instance, looked up by apiName (1 call; {note})"
    raise ConfigError(f"type {api_name} does not exist on {_instance(target)}\n"
                      f"  fix: `{again('plan')}`, then apply it")


def _instance(target: Target) -> str:
    # The embedded `local` instance listens on a new loopback port each run: name it instead.
    return f"{target.name} ({'embedded emulator' if target.name == LOCAL else target.host})"
