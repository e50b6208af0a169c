"""The library call: `activities send` for Python code.

    from framework.records import send_records

    report = send_records("attendWebinar", "webinars.jsonl", env="production")
    if not report.all_added:
        print(report.to_json())

It loads the definitions and settings of the project (the current folder's pyproject.toml),
resolves the instance as the CLI does (`env`, `endpoint`, or the built-in `local`), takes the
type id from the environment's lock file (else from the instance), confirms it with one read
of the instance before any record is written, and runs the same sender.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framework.client.marketo import MarketoClient
from framework.definitions.loader import display_path, load_definitions
from framework.definitions.model import activity_type_files
from framework.environment import LOCAL, Target, connect, resolve_target
from framework.errors import ConfigError, MarketoError
from framework.files import move
from framework.invocation import NO_OPTIONS, Invocation
from framework.lock import lock_name
from framework.lock.binding import instance_of, read_bound_lock
from framework.records.check import CheckReport, check_file
from framework.records.journal import journal_name
from framework.records.schema import RecordSchema
from framework.records.sender import Listener, ReadBackOptions, SendReport, send_file
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
    options: ReadBackOptions | None = None,
) -> SendReport:
    """Validate and send the records of `path` (JSON Lines, or CSV for `*.csv`) as type
    `api_name`; returns the report. Raises ActivitiesError subclasses for bad input or
    settings before anything is sent. `options`: the read-back's grace and budget. A fix
    that names a command repeats `env`, `endpoint` and `directory` as given."""
    settings = load_settings()
    schema = record_schema(api_name, settings, Path(directory) if directory else None)
    source = Path(path)
    if not source.is_file():
        raise ConfigError(f"{source}: no such record file\n  fix: check the path")
    target = resolve_target(settings, env, endpoint)
    return asyncio.run(_send(
        settings, target, schema, source, type_id, Path(journal) if journal else None,
        Path(rejects) if rejects else rejects_path(source), listener, options,
        Invocation.of(env, endpoint, directory)))


def check_records(api_name: str, path: str | Path, *, directory: str | Path | None = None,
                  listener: Callable[[int, list[str]], None] | None = None) -> CheckReport:
    """Check every record of `path` against the definition of `api_name`, offline: no
    credentials, no connection, nothing written (`activities send --check`)."""
    settings = load_settings()
    schema = record_schema(api_name, settings, Path(directory) if directory else None)
    source = Path(path)
    if not source.is_file():
        raise ConfigError(f"{source}: no such record file\n  fix: check the path")
    return check_file(schema, source, listener)


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
                type_id: int | None, journal: Path | None, rejects: Path,
                listener: Listener | None, options: ReadBackOptions | None,
                invocation: Invocation) -> SendReport:
    async with connect(target, settings) as (started, client):
        confirmed = await confirm_type_id(client, settings, started, schema.api_name, type_id,
                                          invocation=invocation)
        instance = instance_name(started)
        if journal is None:
            journal = default_journal(source, instance, confirmed.type_id, lock_name(target))
        report = await send_file(client, schema, source, type_id=confirmed.type_id,
                                 journal=journal, rejects=rejects, listener=listener,
                                 instance=instance, described=confirmed.described,
                                 options=options)
        report.type_id_from = confirmed.origin
        return report


@dataclass(frozen=True)
class ConfirmedType:
    """The type id records will be sent with, read from the instance itself."""

    type_id: int
    origin: str  # where the id came from, for the summary
    described: dict[str, Any]  # the instance's describe answer (the read-back uses it)


async def confirm_type_id(client: MarketoClient, settings: Settings, target: Target,
                          api_name: str, given: int | None = None, *,
                          invocation: Invocation = NO_OPTIONS) -> ConfirmedType:
    """The type id of `api_name`, confirmed by one read of the instance before any record is
    written: records are write-once, and a lock with swapped ids (a bad merge) or another
    instance's ids would store them in the wrong type for good. The id comes from `given`,
    else the environment's lock file, else the instance (the same one call). A fix that names
    a command repeats the options of `invocation`."""
    wanted, origin = given, "given by the caller"
    if wanted is None:
        # A lock written for another environment, host or local state is refused, with why.
        read = read_bound_lock(
            settings, instance_of(settings, target), lock_name(target), entries=False,
            invocation=invocation,
        )
        shown = display_path(read.path)
        if read.lock is not None and read.lock.type_id(api_name) is not None:
            wanted, origin = read.lock.type_id(api_name), f"the lock file {shown}"
        elif read.lock is not None:
            origin = f"the lock file {shown} has no id for {api_name}"
        else:
            # Paths as every other command prints them: relative to the working folder.
            origin = read.note.replace(str(read.path), shown)
    try:
        described = await client.describe_type(api_name)
    except MarketoError as exc:
        if exc.code != "702":
            raise
        raise ConfigError(f"type {api_name} does not exist on {_instance(target)}\n"
                          f"  fix: `{invocation.command('plan')}`, then apply it") from exc
    if described.get("status") not in ("approved", "approved with draft"):
        raise ConfigError(
            f"type {api_name} is not approved on {_instance(target)}: "
            "Marketo takes records only of approved types\n"
            f"  fix: `{invocation.command('plan')}`, then apply it")
    live = int(described["id"])
    if wanted is None:
        return ConfirmedType(live, f"the instance, looked up by apiName (1 call; {origin})",
                             described)
    if wanted != live:
        raise ConfigError(
            f"{origin} names type id {wanted} for {api_name}, but on {_instance(target)} "
            f"{api_name} has id {live}: records sent with {wanted} would be stored as another "
            "type's, for good. Nothing was sent\n"
            f"  fix: check that the lock file is this instance's and that its ids were not "
            "swapped (a merge conflict resolved by hand); "
            f"`{invocation.command('lock', 'repair')}` rebuilds it from the instance and the "
            "definitions")
    return ConfirmedType(live, f"{origin}, confirmed by the instance", described)


def instance_name(target: Target) -> str:
    """What a journal is keyed by: the instance's host, or `local` for the embedded one."""
    return LOCAL if target.name == LOCAL else target.host


def rejects_path(source: Path) -> Path:
    """`FILE.rejects.jsonl` beside the records, where users look for it."""
    return source.with_name(f"{source.name}.rejects.jsonl")


def default_journal(source: Path, instance: str, type_id: int, env_name: str) -> Path:
    """`FILE.<instance>.<type id>.journal.jsonl` beside the records. A journal of the earlier
    naming (`FILE.<environment>.journal.jsonl`) for this type is taken over, so that a send
    interrupted before an upgrade resumes instead of sending again."""
    path = source.with_name(f"{source.name}.{journal_name(instance, type_id)}.journal.jsonl")
    earlier = source.with_name(f"{source.name}.{env_name}.journal.jsonl")
    if not path.exists() and earlier.is_file() and not earlier.is_symlink() \
            and _journal_type_id(earlier) == type_id:
        move(earlier, path)
    return path


def _journal_type_id(path: Path) -> int | None:
    try:
        with path.open(encoding="utf-8") as handle:
            first = json.loads(handle.readline())
        return int(first["typeId"])
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None


def _instance(target: Target) -> str:
    # The embedded `local` instance listens on a new loopback port each run: name it instead.
    return f"{target.name} ({'embedded emulator' if target.name == LOCAL else target.host})"
