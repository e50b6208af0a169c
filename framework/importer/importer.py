"""Choose the live types to import, read them with the fewest calls and write their files.

The folder's definitions are loaded first (invalid ones stop the import before any
connection), so that "unmanaged" means what the plan means: a live type with no file.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from framework.definitions.loader import check_definitions, display_path, load_definitions
from framework.definitions.model import API_NAME_PATTERN, ActivityType, activity_type_files
from framework.definitions.schema import project_schema, write_project_schema
from framework.errors import ActivitiesError, FileAccessError, MarketoError, Problem
from framework.files import write_atomically
from framework.importer.content import DEFAULT_MODELINE, definition_text, updated_text
from framework.invocation import Invocation
from framework.kinds.custom_object.importer import NO_CUSTOM_OBJECTS, object_definition_text
from framework.kinds.custom_object.live import LiveObject
from framework.kinds.custom_object.model import CustomObject
from framework.kinds.custom_object.read import read_objects
from framework.live import LiveType, TypeVersion
from framework.plan.read import TypeReader, read_live
from framework.settings import Settings

_API_NAME = re.compile(API_NAME_PATTERN)


@dataclass(frozen=True)
class Folder:
    """The definitions folder as it is before the import: which type each file manages."""

    directory: Path
    managed: Mapping[str, Path]  # apiName -> its definition file
    definitions: Mapping[str, ActivityType]
    objects: Mapping[str, CustomObject] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportedType:
    """One file written."""

    api_name: str
    path: str  # as messages show it
    source: Literal["approved", "draft"]
    pending_draft: bool  # approved with a draft, which was not imported
    replaced: bool  # an existing file was overwritten (--force)


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote, what reading cost, and what the folder now breaks, if anything."""

    imported: list[ImportedType]
    calls: int
    problems: list[Problem] = field(default_factory=list)
    schema: str = ""  # the schema file written beside the definitions (its path), if one was


def read_folder(directory: Path, settings: Settings) -> Folder:
    """Load the folder's definitions (DefinitionError when any is invalid); a missing folder is
    empty, and created when the first file is written."""
    if not directory.exists():
        return Folder(directory, {}, {})
    files = load_definitions(directory, settings)
    return Folder(
        directory,
        # Definitions are files directly in the folder; f.path is only how messages name them.
        {f.definition.apiName: directory / Path(f.path).name for f in files},
        {f.definition.apiName: f.definition for f in activity_type_files(files)},
        {f.api_name: f.definition for f in files if isinstance(f.definition, CustomObject)},
    )


def file_for(folder: Folder, api_name: str) -> Path:
    """Where a type's definition goes: its existing file, or `<apiName>.yaml`."""
    return folder.managed.get(api_name) or folder.directory / f"{api_name}.yaml"


def refuse_existing(
    folder: Folder, api_names: Collection[str], *, force: bool, invocation: Invocation
) -> None:
    """Refuse (before anything is written) to overwrite a file unless `force`; the fix repeats
    the options of `invocation`."""
    if force:
        return
    taken = [file_for(folder, name) for name in sorted(api_names)]
    taken = [path for path in taken if path.exists()]
    if taken:
        names = ", ".join(display_path(path) for path in taken)
        raise ActivitiesError(
            f"{names} already exist{'s' if len(taken) == 1 else ''}; nothing was imported\n"
            f"  fix: run `{invocation.command('plan')}` to see how the live type differs from the "
            "file, or pass --force to overwrite the file with the live type"
        )


class _ListingReader:
    """The client as `read_live` sees it: the full listing is kept (for messages), and types
    in `hidden` are left out of it so that they are not described."""

    def __init__(self, client: TypeReader, hidden: Collection[str]) -> None:
        self._client = client
        self._hidden = hidden
        self.listed: list[dict[str, Any]] = []

    @property
    def stats(self) -> Any:
        return self._client.stats

    async def list_types(self) -> list[dict[str, Any]]:
        self.listed = await self._client.list_types()
        return [item for item in self.listed if item.get("apiName") not in self._hidden]

    async def describe_type(self, api_name: str, draft: bool = False) -> dict[str, Any]:
        return await self._client.describe_type(api_name, draft)


async def import_types(
    client: TypeReader,
    folder: Folder,
    settings: Settings,
    api_names: Sequence[str],
    *,
    force: bool,
    instance: str,
    invocation: Invocation,
) -> ImportResult:
    """Import the named live types, or every unmanaged one when `api_names` is empty.

    Reads 1 list + the describes each imported type's status needs. Raises ActivitiesError for
    a name that is not a live type, or a file that exists without `force`; nothing is written
    then. `instance` names the instance in messages; fixes repeat the options of `invocation`.
    """
    names = sorted(set(api_names))
    calls_before = client.stats.calls
    if names:
        refuse_existing(folder, names, force=force, invocation=invocation)
        reader = _ListingReader(client, ())
        live = await read_live(reader, names)
        # A name that is no activity type may be a custom object type: look those up only.
        rest = {n for n in names if n not in _present(live.types.values())}
        objects = await _objects(client, rest) if rest else {}
    else:
        reader = _ListingReader(client, folder.managed.keys())
        live, objects = await asyncio.gather(read_live(reader, None), _objects(client, None))
        objects = {n: o for n, o in objects.items() if n not in folder.managed}
    chosen = _present(live.types.values())
    if names:
        _check_known([n for n in names if n not in objects], chosen, reader.listed, instance)
    else:
        refuse_existing(folder, [*chosen, *objects], force=force, invocation=invocation)
    imported = _write_all(folder, settings, chosen)
    imported += _write_objects(folder, objects)
    imported.sort(key=lambda i: i.api_name)
    # The modeline of every file names the schema beside it: make sure it is there.
    schema = _write_schema(folder.directory, invocation) if imported else ""
    problems = check_definitions(folder.directory, settings).problems if imported else []
    return ImportResult(imported, client.stats.calls - calls_before, problems, schema)


def _write_schema(directory: Path, invocation: Invocation) -> str:
    path = project_schema(directory)
    try:
        written = write_project_schema(directory)
    except OSError as exc:
        raise FileAccessError(
            f"{display_path(path)} cannot be written: {exc.strerror}; the definitions were "
            f"written\n  fix: check the folder's permissions, then run "
            f"`{invocation.command('schema', '--write', target=False)}`"
        ) from exc
    return display_path(path) if written else ""


async def _objects(client: Any, names: set[str] | None) -> dict[str, LiveObject]:
    """The custom object types to import (every one, or those named); none on an instance
    without custom objects, or for a user without the Custom Object Type roles."""
    try:
        return await read_objects(client, names)
    except MarketoError as exc:
        if exc.code in NO_CUSTOM_OBJECTS:
            return {}
        raise


def _write_objects(folder: Folder, chosen: Mapping[str, LiveObject]) -> list[ImportedType]:
    modeline = DEFAULT_MODELINE
    imported: list[ImportedType] = []
    for name in sorted(chosen):
        live = chosen[name]
        version = live.reference
        assert version is not None, "a listed type has a version"
        path = file_for(folder, name)
        replaced = path.exists()
        existing = folder.objects.get(name)
        try:
            write_atomically(path, object_definition_text(version, modeline=modeline,
                                                          existing=existing))
        except OSError as exc:
            raise FileAccessError(
                f"{display_path(path)} cannot be written: {exc.strerror}\n  fix: check the "
                "folder's permissions, then import again"
            ) from exc
        source: Literal["approved", "draft"] = "approved" if live.ever_approved else "draft"
        imported.append(ImportedType(name, display_path(path), source,
                                     live.status == "approvedWithDraft", replaced))
    return imported


def _present(types: Collection[LiveType]) -> dict[str, LiveType]:
    return {t.apiName: t for t in types if t.status != "deleted"}


def _check_known(
    names: Sequence[str], chosen: Mapping[str, LiveType], listed: Sequence[dict[str, Any]],
    instance: str,
) -> None:
    unknown = [name for name in names if name not in chosen]
    if not unknown:
        return
    live = sorted(
        str(item.get("apiName")) for item in listed if item.get("status") != "deleted"
    )
    which = ", ".join(unknown)
    known = f"its live types are {', '.join(live)}" if live else "it has no custom activity types"
    raise ActivitiesError(
        f"{instance} has no live type named {which} ({known}); nothing was imported\n"
        "  fix: pass the apiName of a live type (API names are case-sensitive), or no name "
        "to import every unmanaged type"
    )


def _write_all(
    folder: Folder, settings: Settings, chosen: Mapping[str, LiveType]
) -> list[ImportedType]:
    modeline = DEFAULT_MODELINE
    imported: list[ImportedType] = []
    for name in sorted(chosen):
        live = chosen[name]
        source: Literal["approved", "draft"] = "approved" if live.ever_approved else "draft"
        version = live.approved if live.ever_approved else live.draft
        if version is None or not _API_NAME.fullmatch(name):
            raise MarketoError(  # Marketo's answer, not the user's files, is at fault
                f"type {name!r} was listed as {live.status!r} but could not be read as a "
                "definition; nothing more was imported\n  fix: run the import again; if it "
                "persists, report it as a bug with this message"
            )
        path = file_for(folder, name)
        replaced = path.exists()
        text = _text(version, folder.definitions.get(name), modeline, path)
        try:
            write_atomically(path, text)
        except OSError as exc:
            done = ", ".join(i.path for i in imported) or "none"
            raise FileAccessError(
                f"{display_path(path)} cannot be written: {exc.strerror}; files already "
                f"written: {done}\n  fix: check the folder's permissions, then import again "
                "(with --force for the files already written)"
            ) from exc
        imported.append(ImportedType(
            name, display_path(path), source, live.status == "approved with draft", replaced
        ))
    return imported


def _text(live: TypeVersion, existing: ActivityType | None, modeline: str, path: Path) -> str:
    """The new file; over an existing one (--force) its comments, key and attribute order and
    `protect` are kept, and its version bumped when the content changes (the file format asks
    for a bump on every change)."""
    if existing is None:
        return definition_text(live, modeline=modeline)
    same = (
        TypeVersion.from_definition(existing) == live
        and existing.ensure == "present"
        and not any(a.renamedFrom for a in existing.attributes)
    )
    version = existing.version if same else existing.version + 1
    return updated_text(path.read_text(encoding="utf-8"), live, version=version)
