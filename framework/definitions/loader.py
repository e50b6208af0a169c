"""Load and check every definition file of a folder: the first stage of the pipeline.

Only `*.yaml` and `*.yml` files directly in the folder are definitions; other files, folders and
hidden files (names starting with a dot) are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from framework.definitions.catalog import CatalogEntry, catalog_entry, catalog_rules
from framework.definitions.document import Document, read_document
from framework.definitions.messages import translate
from framework.definitions.model import ActivityType, DefinitionFile
from framework.definitions.rules import file_rules
from framework.errors import ConfigError, DefinitionError, Problem
from framework.settings import Settings

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class CheckResult:
    """Everything one check of a folder found."""

    files: list[DefinitionFile]
    problems: list[Problem]
    checked: int

    @property
    def files_with_problems(self) -> int:
        return len({problem.path for problem in self.problems})


def definition_paths(directory: Path) -> list[Path]:
    """The definition files of `directory`, sorted by name; ConfigError when it is missing."""
    if not directory.exists():
        raise ConfigError(
            f"the definitions folder {display_path(directory)} does not exist\n"
            "  fix: create it, pass --dir PATH, or set `definitions` under [tool.activities] "
            "in pyproject.toml"
        )
    if not directory.is_dir():
        raise ConfigError(
            f"{display_path(directory)} is a file, not a definitions folder\n"
            "  fix: pass the folder that holds the *.yaml files with --dir PATH"
        )
    try:
        return sorted(
            path for path in directory.iterdir()
            if path.suffix in SUFFIXES and not path.name.startswith(".") and path.is_file()
        )
    except OSError as exc:
        raise ConfigError(
            f"the definitions folder {display_path(directory)} cannot be read: {exc.strerror}\n"
            "  fix: check the folder's permissions"
        ) from exc


def display_path(path: Path) -> str:
    """How messages name a path: relative to the working folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def check_definitions(directory: Path, settings: Settings) -> CheckResult:
    """Check every file and every rule; never raises for a broken definition."""
    paths = definition_paths(directory)
    problems: list[Problem] = []
    files: list[DefinitionFile] = []
    entries: list[CatalogEntry] = []
    for path in paths:
        # One file at a time: its parsed YAML is dropped once its catalog entry is taken.
        document = read_document(path, display_path(path))
        problems.extend(document.problems)
        if document.data is None:
            continue
        problems.extend(file_rules(document))
        entries.append(catalog_entry(document.path, document.data))
        definition = _validate(document, problems)
        if definition is not None:
            files.append(DefinitionFile(path=document.path, definition=definition))
    problems.extend(catalog_rules(entries, settings.max_types))
    return CheckResult(files=files, problems=sorted(problems), checked=len(paths))


def _validate(document: Document, problems: list[Problem]) -> ActivityType | None:
    try:
        return ActivityType.model_validate(document.data)
    except ValidationError as exc:
        problems.extend(translate(exc, document.path, document.data))
        return None


def load_definitions(directory: Path, settings: Settings) -> list[DefinitionFile]:
    """Every definition of `directory`, valid; DefinitionError listing every problem otherwise."""
    result = check_definitions(directory, settings)
    if result.problems:
        raise DefinitionError(result.problems)
    return result.files
