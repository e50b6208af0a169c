"""`activities validate` end to end: output, summary line and exit codes."""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from framework.manual import MANUAL
from tests.definitions.texts import Writer, definition

REPOSITORY = Path(__file__).resolve().parents[2]


def test_examples_are_valid(project: Path, cli: Callable[..., Result]) -> None:
    shutil.copytree(REPOSITORY / "activities", project / "activities", dirs_exist_ok=True)

    result = cli("validate", cwd=project)

    assert (result.exit_code, result.output) == (0, "4 definitions valid\n")


def test_every_problem_of_every_file_and_a_summary(
    write_files: Writer, cli: Callable[..., Result]
) -> None:
    write_files(
        {
            "buyCar.yaml": definition().replace("dataType: currency", "dataType: money"),
            "sellCar.yaml": definition("sellCar", trigger="Buys buyCar"),
            "visitStore.yaml": definition("visitStore"),
            "empty.yml": "",
        }
    )

    result = cli("validate")

    assert result.exit_code == 1
    assert result.stdout == (
        "activities/buyCar.yaml:13:15: attributes[0].dataType: 'money' is not one of Marketo's "
        "11 data types; did you mean 'currency'?\n"
        "  fix: use one of: string, boolean, integer, float, link, email, currency, date, "
        "datetime, phone, text\n"
        "activities/empty.yml:1:1: (file): is empty: a definition needs at least version, "
        "apiName, name, triggerName, filterName and primaryAttribute\n"
        "  fix: write the definition or delete the file; see "
        f"{MANUAL}/definitions.md, or `activities schema`\n"
        "activities/sellCar.yaml:4:14: triggerName: 'Buys buyCar' is already the triggerName "
        "of activities/buyCar.yaml (line 4)\n"
        "  fix: give every type its own triggerName; Marketo requires it to be unique across "
        "all custom activity types\n"
        "3 problems in 3 files (4 definition files checked)\n"
    )


def test_max_types_comes_from_pyproject(write_files: Writer, cli: Callable[..., Result]) -> None:
    folder = write_files({"aType.yaml": definition("aType"), "bType.yaml": definition("bType")})
    (folder.parent / "pyproject.toml").write_text("[tool.activities]\nmax_types = 1\n")

    result = cli("validate")

    assert (result.exit_code, result.output) == (
        1,
        "activities/bType.yaml:2:10: apiName: 2 types have `ensure: present`, more than "
        "max_types = 1 (the limit is first exceeded by this file)\n"
        "  fix: remove a definition or mark it `ensure: absent`; if your subscription allows "
        "more types, raise max_types under [tool.activities] in pyproject.toml\n"
        "1 problem in 1 file (2 definition files checked)\n",
    )


def test_dir_option(tmp_path: Path, cli: Callable[..., Result]) -> None:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "buyCar.yml").write_text(definition())

    result = cli("validate", "--dir", str(folder), cwd=tmp_path)

    assert (result.exit_code, result.output) == (0, "1 definition valid\n")


def test_missing_folder(tmp_path: Path, cli: Callable[..., Result]) -> None:
    result = cli("validate", "--dir", "missing", cwd=tmp_path)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: the definitions folder missing does not exist\n"
        "  fix: create it, pass --dir PATH, or set `definitions` under [tool.activities] "
        "in pyproject.toml\n"
    )


def test_validate_never_opens_a_connection(
    write_files: Writer, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("validate opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    write_files({"buyCar.yaml": definition()})

    result = cli("validate")

    assert (result.exit_code, result.output) == (0, "1 definition valid\n")


def test_a_broken_file_never_gives_a_traceback(
    write_files: Writer, cli: Callable[..., Result]
) -> None:
    write_files({"buyCar.yaml": b"\x00\x01: [\t\n&anchor *alias: {"})

    result = cli("validate")

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.endswith("1 problem in 1 file (1 definition file checked)\n")


def test_json_report(write_files: Writer, cli: Callable[..., Result]) -> None:
    write_files({"buyCar.yaml": definition().replace("version: 1", "version: 0")})

    result = cli("validate", "--json")

    assert result.exit_code == 1
    assert json.loads(result.output) == {
        "valid": False,
        "checked": 1,
        "problems": [
            {
                "path": "activities/buyCar.yaml",
                "line": 1,
                "column": 10,
                "field": "version",
                "message": "must be 1 or more, got the number 0",
                "fix": "write a whole number of 1 or more, e.g. `version: 1`",
            }
        ],
        "warnings": [],
    }


def test_json_report_when_valid(write_files: Writer, cli: Callable[..., Result]) -> None:
    write_files({"buyCar.yaml": definition()})

    result = cli("validate", "--json")

    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "valid": True, "checked": 1, "problems": [], "warnings": []
    }
