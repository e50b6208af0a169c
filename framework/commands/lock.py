"""`activities lock`: what an environment's lock file holds, and rebuilding it."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from framework.commands.common import (
    EXIT_ERROR,
    EXIT_OK,
    command_line,
    dir_option,
    target_options,
)
from framework.definitions.loader import display_path, load_definitions
from framework.definitions.model import activity_type_files
from framework.environment import LOCAL, Target, check_endpoint, connect, resolve_target
from framework.errors import ConfigError, RefusedError
from framework.invocation import Invocation
from framework.live import LiveState
from framework.lock.binding import (
    Instance,
    check_read,
    environment_instance,
    instance_of,
    lock_instance,
)
from framework.lock.model import Lock
from framework.lock.rebuild import Rebuilt, rebuilt_lock
from framework.lock.record import Stamp
from framework.lock.store import LockRead, load_lock, lock_name, lock_path, write_lock
from framework.plan.pipeline import git_state
from framework.plan.read import read_live
from framework.settings import Settings, load_settings


def show(env: str | None = None, endpoint: str | None = None, *, as_json: bool = False) -> int:
    """Print what ENV's lock file holds, for which instance, written by which commit."""
    settings = load_settings()
    invocation = Invocation.of(env, endpoint)  # what every hint repeats
    name, here = _offline_instance(settings, env, endpoint)
    read = load_lock(lock_path(settings, name))
    checked = check_read(read, here, invocation=invocation)
    if as_json:
        click.echo(json.dumps(_summary(read, checked), indent=2))
    else:
        click.echo(_text(read, checked, here, invocation))
    if checked.lock is None:
        return EXIT_ERROR
    return EXIT_OK


def repair(
    directory: Path | None = None, env: str | None = None, endpoint: str | None = None, *,
    yes: bool = False,
) -> int:
    """Rebuild ENV's lock file from the instance and the definitions, after showing it."""
    settings = load_settings()
    invocation = Invocation.of(env, endpoint, directory)  # what every hint repeats
    directory = directory or settings.definitions_dir
    definitions = activity_type_files(load_definitions(directory, settings))
    target = resolve_target(settings, env, endpoint)
    live = asyncio.run(_read(settings, target))
    here = instance_of(settings, target)  # after the read: a new local state has its lineage
    path = lock_path(settings, lock_name(target))
    previous = load_lock(path)
    result = rebuilt_lock(previous.lock, definitions, live, instance=here, stamp=_stamp(settings))
    checked = check_read(previous, here, live, invocation=invocation)
    click.echo(_plan_of(result, checked, here, invocation), err=True)
    if previous.lock is result.lock:
        click.echo("Nothing to repair: the lock file already says this.", err=True)
        return EXIT_OK
    if not yes and not _confirmed(invocation):
        click.echo("Not written; the lock file is as it was.", err=True)
        return EXIT_ERROR
    write_lock(path, result.lock)
    shown = display_path(path)
    click.echo(f"Lock file: {shown} records {len(result.lock.types)} type(s).", err=True)
    return EXIT_OK


def _stamp(settings: Settings) -> Stamp:
    """When the repaired lock is written, and from which commit (None: not in git)."""
    commit = git_state(settings.root)["gitCommit"]
    return Stamp(
        datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        commit if isinstance(commit, str) else None,
    )


def _confirmed(invocation: Invocation) -> bool:
    """The person's answer; without a terminal to ask on, a refusal that says how to go on."""
    if not sys.stdin.isatty():
        raise RefusedError(
            "refusing to rewrite the lock file without confirmation: there is no terminal to "
            "ask on; nothing was written (above is what it would write)\n"
            f"  fix: run `{invocation.command('lock', 'repair', '--yes')}` to write it"
        )
    return _ask()


async def _read(settings: Settings, target: Target) -> LiveState:
    async with connect(target, settings, read_only=True) as (_, client):
        return await read_live(client)


def _offline_instance(
    settings: Settings, env: str | None, endpoint: str | None
) -> tuple[str, Instance]:
    """The lock's name and the instance it must be for, without credentials or a connection."""
    if env and endpoint:
        raise ConfigError("--env and --endpoint are exclusive\n  fix: pass one of them")
    if endpoint:
        target = Target.at_endpoint(check_endpoint(endpoint))
        return lock_name(target), instance_of(settings, target)
    name = env or LOCAL
    here = environment_instance(settings, name)
    if here is None:
        resolve_target(settings, name, environ={})  # says what is wrong with the name
        raise ConfigError(f"unknown environment {name!r}")  # pragma: no cover - said above
    return name, here


def _text(read: LockRead, checked: LockRead, here: Instance, invocation: Invocation) -> str:
    shown = display_path(read.path)
    lock = read.lock
    if lock is None:
        note = read.note.replace(str(read.path), shown)
        repair = invocation.command("lock", "repair")
        return f"No lock to show: {note}.\n  fix: `{repair}` rebuilds it"
    written_for = lock_instance(lock)
    lines = [
        f"Lock file {shown}",
        f"  for:        {written_for.words()}",
        f"  written by: activities {lock.toolVersion} at {lock.updatedAt}, commit "
        f"{lock.gitCommit or '(none: not in git)'}",
    ]
    if checked.lock is None:
        lines.append(f"  NOT USED:   {checked.note.replace(str(read.path), shown)}")
    else:
        lines.append(f"  in use:     it is the lock of {here.words()}")
    lines.append(f"  types ({len(lock.types)}):")
    width = max((len(name) for name in lock.types), default=0)
    for name, entry in lock.types.items():
        version = "-" if entry.version is None else str(entry.version)
        lines.append(
            f"    {name:<{width}}  id {entry.id if entry.id is not None else '-'}  version "
            f"{version}  applied {entry.appliedAt}  commit {(entry.gitCommit or '-')[:12]}"
        )
    if lock.unmanaged:
        lines.append(f"  unmanaged when written: {', '.join(lock.unmanaged)}")
    return "\n".join(lines)


def _summary(read: LockRead, checked: LockRead) -> dict[str, Any]:
    lock: Lock | None = read.lock
    data: dict[str, Any] = {
        "path": display_path(read.path),
        "inUse": checked.lock is not None,
        "note": checked.note.replace(str(read.path), display_path(read.path)),
    }
    if lock is not None:
        data.update({
            "environment": lock.environment,
            "endpointHost": lock.endpointHost,
            "instanceLineage": lock.instanceLineage,
            "toolVersion": lock.toolVersion,
            "updatedAt": lock.updatedAt,
            "gitCommit": lock.gitCommit,
            "types": {
                name: {"id": e.id, "version": e.version, "appliedAt": e.appliedAt,
                       "gitCommit": e.gitCommit}
                for name, e in lock.types.items()
            },
            "unmanaged": list(lock.unmanaged),
        })
    return data


def _plan_of(result: Rebuilt, checked: LockRead, here: Instance, invocation: Invocation) -> str:
    """What repair will write, type by type, against the lock there now (`checked`: read, and
    checked against the instance)."""
    shown = display_path(checked.path)
    lock = result.lock
    old = load_lock(checked.path).lock
    lines = [f"Lock file {shown} rebuilt for {here.words()} from the instance and the definitions:"]
    if checked.refused:
        lines.append(f"  (the lock there now is not used: {checked.note})")
    for name in sorted({*lock.types, *result.removed}):
        entry = lock.types.get(name)
        if name in result.removed:
            lines.append(f"  - {name}: removed (not recorded any more)")
            continue
        assert entry is not None
        what = f"id {entry.id}, version {entry.version}"
        if name in result.added:
            lines.append(f"  + {name}: {what} (new entry)")
        elif name in result.changed:
            was = old.types[name] if old is not None and name in old.types else None
            before = f"was id {was.id}, version {was.version}" if was else "changed"
            lines.append(f"  ~ {name}: {what} ({before})")
        else:
            lines.append(f"    {name}: {what} (unchanged)")
    for name, why in result.left_out.items():
        lines.append(f"  ! {name}: not recorded: {why}; `{invocation.command('plan')}` shows "
                     "what differs")
    if lock.unmanaged:
        lines.append(f"  unmanaged on the instance: {', '.join(lock.unmanaged)}")
    return "\n".join(lines)


def _ask() -> bool:
    try:
        return click.confirm("Write this lock file?", err=True)
    except click.Abort:
        click.echo(err=True)
        return False


command = click.Group(
    "lock",
    help="Show an environment's lock file, or rebuild it from the instance and the definitions.",
    context_settings={"help_option_names": ["-h", "--help"]},
    commands=[
        command_line(
            "show", show, *target_options(),
            click.Option(["--json", "as_json"], is_flag=True, help="The lock's summary as JSON."),
        ),
        command_line(
            "repair", repair, dir_option(), *target_options(),
            click.Option(["--yes"], is_flag=True, help="Write without asking for confirmation."),
        ),
    ],
)
