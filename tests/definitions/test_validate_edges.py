"""`validate` at its edges: a missing or empty folder, names it does not read, said out loud."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from tests.definitions.texts import Writer, definition


def test_json_for_a_missing_folder(tmp_path: Path, cli: Callable[..., Result]) -> None:
    result = cli("validate", "--dir", "missing", "--json", cwd=tmp_path)

    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "valid": False,
        "checked": 0,
        "problems": [{
            "path": "missing", "line": 1, "column": 1, "field": "(folder)",
            "message": "the definitions folder missing does not exist",
            "fix": "create it, pass --dir PATH, or set `definitions` under [tool.activities] "
                   "in pyproject.toml",
        }],
        "warnings": [],
    }


def test_an_empty_folder_is_said_to_be_empty(
    write_files: Writer, cli: Callable[..., Result]
) -> None:
    write_files({"README.md": "notes\n", "buyCar.yaml.bak": definition()})

    result = cli("validate")

    assert (result.exit_code, result.stdout) == (
        0, "0 definitions: activities holds no *.yaml or *.yml file\n"
    )


def test_json_for_an_empty_folder(write_files: Writer, cli: Callable[..., Result]) -> None:
    write_files({})

    result = cli("validate", "--json")

    assert (result.exit_code, json.loads(result.stdout)) == (
        0, {"valid": True, "checked": 0, "problems": [], "warnings": []}
    )


def test_upper_case_names_and_broken_links_are_counted_and_reported(
    write_files: Writer, cli: Callable[..., Result]
) -> None:
    folder = write_files({"buyCar.yaml": definition(), "sellCar.YML": definition("sellCar")})
    (folder / "gone.yaml").symlink_to(folder / "nowhere.yaml")

    result = cli("validate")

    assert (result.exit_code, result.stdout) == (1, (
        "activities/gone.yaml:1:1: (file): is a broken symbolic link: the file it points to "
        "does not exist\n"
        "  fix: remove the link, or point it at a definition in this folder\n"
        "activities/sellCar.YML:1:1: (file): is named .YML: only .yaml and .yml files are "
        "definitions\n"
        "  fix: rename it to sellCar.yml\n"
        "2 problems in 2 files (3 definition files checked)\n"
    ))


def test_fmt_says_an_empty_folder_is_empty(
    write_files: Writer, cli: Callable[..., Result]
) -> None:
    write_files({"notes.txt": "hello\n"})

    result = cli("fmt", "--check")

    assert (result.exit_code, result.stdout) == (
        0, "0 files: activities holds no *.yaml or *.yml file\n"
    )
