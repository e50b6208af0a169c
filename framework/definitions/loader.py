"""Load and check every definition file of a folder: the first stage of the pipeline.

Only `*.yaml` and `*.yml` files directly in the folder are definitions; other files, folders and
hidden files (names starting with a dot) are ignored. What looks like a definition but cannot be
one is reported, never skipped: `.YAML` names, and symbolic links that are broken, loop, or lead
out of the folder (a definition is never read or written outside it).
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pydantic_core import ValidationError

from framework.definitions.catalog import CatalogEntry, catalog_entry, catalog_rules
from framework.definitions.document import FILE_FIELD, Document, read_document
from framework.definitions.messages import ACTIVITY_TYPE_WORDING, describe, translate
from framework.definitions.positions import locate
from framework.definitions.rules import file_name_rule, file_rules
from framework.errors import DefinitionError, FolderError, Problem
from framework.kinds import ACTIVITY_TYPE, CUSTOM_OBJECT, KINDS, Kind
from framework.kinds.custom_object.rules import (
    ObjectEntry,
    object_catalog_rules,
    object_entry,
    object_file_rules,
)
from framework.kinds.custom_object.vocabulary import OBJECT_NAME_PATTERN
from framework.kinds.custom_object.wording import CUSTOM_OBJECT_WORDING
from framework.validators import validate

if TYPE_CHECKING:
    from framework.definitions.model import ActivityType, DefinitionFile
    from framework.kinds.custom_object.model import CustomObject

SUFFIXES = (".yaml", ".yml")
_OBJECT_NAME = re.compile(OBJECT_NAME_PATTERN)
FOLDER_FIELD = "(folder)"


class Limits(Protocol):
    """What the rules across files need of the settings (framework.settings.Settings)."""

    @property
    def max_types(self) -> int: ...

    @property
    def max_custom_objects(self) -> int: ...


@dataclass(frozen=True)
class CheckResult:
    """Everything one check of a folder found."""

    files: list[DefinitionFile]
    problems: list[Problem]
    checked: int

    @property
    def files_with_problems(self) -> int:
        return len({problem.path for problem in self.problems})


@dataclass(frozen=True)
class Listing:
    """The definition files of a folder, and the entries that look like one but were refused."""

    paths: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.paths) + len({problem.path for problem in self.problems})


def definition_paths(directory: Path) -> Listing:
    """The definition files of `directory`, sorted by name; FolderError when it is missing."""
    where = display_path(directory)
    if not directory.exists():
        raise _folder_error(
            where, f"the definitions folder {where} does not exist",
            "create it, pass --dir PATH, or set `definitions` under [tool.activities] in "
            "pyproject.toml",
        )
    if not directory.is_dir():
        raise _folder_error(
            where, f"{where} is a file, not a definitions folder",
            "pass the folder that holds the *.yaml files with --dir PATH",
        )
    try:
        entries = sorted(directory.iterdir())
    except OSError as exc:
        raise _folder_error(
            where, f"the definitions folder {where} cannot be read: {exc.strerror}",
            "check the folder's permissions",
        ) from exc
    listing = Listing()
    folder = directory.resolve()
    for path in entries:
        if path.name.startswith(".") or path.suffix.lower() not in SUFFIXES:
            continue
        problem = _refusal(path, folder)
        if problem is not None:
            listing.problems.append(problem)
        elif path.is_file():
            listing.paths.append(path)
    return listing


def _folder_error(where: str, message: str, fix: str) -> FolderError:
    return FolderError(Problem(where, 1, 1, FOLDER_FIELD, message, fix))


def _refusal(path: Path, folder: Path) -> Problem | None:
    """Why `path` cannot be read as a definition, or None."""
    display = display_path(path)
    if path.suffix not in SUFFIXES:
        return Problem(display, 1, 1, FILE_FIELD,
                       f"is named {path.suffix}: only .yaml and .yml files are definitions",
                       f"rename it to {path.stem}{path.suffix.lower()}")
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return Problem(display, 1, 1, FILE_FIELD,
                       "is a broken symbolic link: the file it points to does not exist",
                       "remove the link, or point it at a definition in this folder")
    except (OSError, RuntimeError):  # a loop: RuntimeError before Python 3.13, OSError after
        return Problem(display, 1, 1, FILE_FIELD, "is a symbolic link that loops",
                       "remove the link, or point it at a definition in this folder")
    if folder not in target.parents:
        return Problem(display, 1, 1, FILE_FIELD,
                       "is a symbolic link to a file outside the definitions folder; it is "
                       "neither read nor written",
                       "copy the definition into the folder, or remove the link")
    return None


def display_path(path: Path) -> str:
    """How messages name a path: relative to the working folder when it is inside it.

    A name that is not valid UTF-8 shows its bytes as `\\xff`, so the text prints anywhere."""
    # abspath, not resolve: a symbolic link is named as itself, not as its target.
    absolute = Path(os.path.abspath(path))
    try:
        text = str(absolute.relative_to(Path.cwd()))
    except ValueError:
        text = str(path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def check_definitions(directory: Path, settings: Limits, models: bool = True) -> CheckResult:
    """Check every file and every rule; never raises for a broken definition.

    With `models`, the result holds each valid definition as its model; without, the files are
    checked alike (the same validator, the same problems) but no model class is built, which
    is what `activities validate` needs to start fast (framework.validators)."""
    listing = definition_paths(directory)
    problems: list[Problem] = list(listing.problems)
    files: list[DefinitionFile] = []
    entries: list[CatalogEntry] = []
    objects: list[ObjectEntry] = []
    for path in listing.paths:
        # One file at a time: its parsed YAML is dropped once its catalog entry is taken.
        document = read_document(path, display_path(path), comments=False)
        problems.extend(document.problems)
        if document.data is None:
            continue
        kind = _kind(document, problems)
        if kind is None:
            continue
        if kind == CUSTOM_OBJECT:
            problems.extend(file_name_rule(document, _OBJECT_NAME))
            problems.extend(object_file_rules(document))
            objects.append(object_entry(document.path, document.data))
        else:
            problems.extend(file_rules(document))
        entries.append(catalog_entry(document.path, document.data))
        if not models:
            _check(document, kind, problems)
            continue
        definition = _validate(document, kind, problems)
        if definition is not None:
            from framework.definitions.model import DefinitionFile

            # Validated already: checking it again would build the validators of every kind.
            files.append(DefinitionFile.model_construct(path=document.path, definition=definition))
    problems.extend(catalog_rules(entries, settings.max_types))
    problems.extend(object_catalog_rules(objects, settings.max_custom_objects))
    return CheckResult(files=files, problems=sorted(problems), checked=listing.count)


def _kind(document: Document, problems: list[Problem]) -> Kind | None:
    """The file's kind: `kind`, or an activity type without it; None (and a problem) for a
    kind this tool does not know."""
    data = document.data
    assert data is not None
    value = data.get("kind", ACTIVITY_TYPE)
    for kind in KINDS:
        if value == kind:
            return kind
    line, column = locate(data, ("kind",))
    close = difflib.get_close_matches(str(value).lower(), [k.lower() for k in KINDS], n=1)
    hint = f"; did you mean {dict((k.lower(), k) for k in KINDS)[close[0]]}?" if close else ""
    problems.append(Problem(
        document.path, line, column, "kind",
        f"{describe(value)} is not a kind of definition{hint}",
        "write `kind: customObject` for a custom object type, or leave kind out for a custom "
        "activity type",
    ))
    return None


def _validate(
    document: Document, kind: Kind, problems: list[Problem]
) -> ActivityType | CustomObject | None:
    from framework.definitions.model import ActivityType
    from framework.kinds.custom_object.model import CustomObject

    model: type[ActivityType | CustomObject] = (
        CustomObject if kind == CUSTOM_OBJECT else ActivityType
    )
    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        problems.extend(translate(exc, document.path, document.data, _WORDING[kind]))
        return None


def _check(document: Document, kind: Kind, problems: list[Problem]) -> None:
    """What _validate finds, without building the model (framework.validators)."""
    words = _WORDING[kind]
    try:
        validate(words.model, document.data)
    except ValidationError as exc:
        problems.extend(translate(exc, document.path, document.data, words))


_WORDING = {ACTIVITY_TYPE: ACTIVITY_TYPE_WORDING, CUSTOM_OBJECT: CUSTOM_OBJECT_WORDING}


def load_definitions(directory: Path, settings: Limits) -> list[DefinitionFile]:
    """Every definition of `directory`, valid; DefinitionError listing every problem otherwise."""
    result = check_definitions(directory, settings)
    if result.problems:
        raise DefinitionError(result.problems)
    return result.files
