"""The committed JSON Schema matches the models, and it accepts what validate accepts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
from click.testing import Result
from ruamel.yaml import YAML

from framework.definitions.schema import (
    MODELINE,
    PROJECT_SCHEMA,
    SCHEMA_PATH,
    schema_text,
    write_schema,
)

REPOSITORY = Path(__file__).resolve().parents[2]


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def test_committed_schema_matches_the_models() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "framework/definitions/activity-type.schema.json is out of date: "
        "run `python -m framework.definitions.schema` and commit the result"
    )


def test_the_examples_schema_is_this_versions_and_every_example_points_at_it() -> None:
    """This repository is laid out as init lays out a user's: the schema beside the files."""
    assert (REPOSITORY / "activities" / PROJECT_SCHEMA).read_text(encoding="utf-8") == (
        SCHEMA_PATH.read_text(encoding="utf-8")
    ), "activities/.schema.json is out of date: run `activities schema --write`"
    for path in sorted((REPOSITORY / "activities").glob("*.yaml")):
        assert path.read_text(encoding="utf-8").splitlines()[0] == MODELINE, path


def test_schema_command_prints_the_committed_schema(cli: Callable[..., Result]) -> None:
    result = cli("schema")

    assert result.exit_code == 0
    assert result.output == SCHEMA_PATH.read_text(encoding="utf-8")


def test_schema_write_puts_the_schema_beside_the_definitions(
    cli: Callable[..., Result], project: Path
) -> None:
    written = cli("schema", "--write", cwd=project)
    again = cli("schema", "--write")
    elsewhere = cli("schema", "--write", "--dir", "teams/web")

    assert (written.exit_code, written.output) == (0, "wrote activities/.schema.json\n")
    assert (again.exit_code, again.output) == (
        0, "activities/.schema.json is already up to date\n"
    )
    assert (elsewhere.exit_code, elsewhere.output) == (0, "wrote teams/web/.schema.json\n")
    for folder in ("activities", "teams/web"):
        assert (project / folder / PROJECT_SCHEMA).read_text() == SCHEMA_PATH.read_text()


def test_validate_warns_and_passes_when_the_schema_is_an_older_versions(
    cli: Callable[..., Result], project: Path
) -> None:
    (project / "activities" / "buyCar.yaml").write_text(
        (REPOSITORY / "activities" / "buyCar.yaml").read_text())
    (project / "activities" / PROJECT_SCHEMA).write_text('{"title": "an older schema"}\n')

    result = cli("validate", cwd=project)
    as_json = cli("validate", "--json")
    in_dir = cli("validate", "--dir", "activities")

    assert (result.exit_code, result.stdout) == (0, "1 definition valid\n")
    assert result.stderr == (
        "Warning: activities/.schema.json is not the schema of this activities version (an "
        "upgrade since it was written?): editors check the definitions against it\n"
        "  fix: run `activities schema --write` and commit the file\n"
    )
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout)["warnings"] == [result.stderr.removeprefix("Warning: ")
                                                      .removesuffix("\n")]
    assert "`activities schema --write --dir activities`" in in_dir.stderr
    assert cli("schema", "--write").exit_code == 0
    assert cli("validate").stderr == ""


def test_write_schema_writes_once(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"

    assert write_schema(target) is True
    assert write_schema(target) is False
    assert target.read_text(encoding="utf-8") == schema_text()


def test_examples_pass_the_json_schema() -> None:
    yaml = YAML(typ="safe")
    examples = sorted((REPOSITORY / "activities").glob("*.yaml"))
    assert examples, "no example definitions in activities/"
    for path in examples:
        errors = list(validator().iter_errors(yaml.load(path.read_text(encoding="utf-8"))))
        assert errors == [], path


def test_schema_rejects_what_the_models_reject() -> None:
    document: dict[str, Any] = {
        "version": 1,
        "apiName": "buy-car",
        "name": " ",
        "triggerName": "Buys Car",
        "filterName": "Bought Car",
        "primaryAttribute": {"apiName": "model", "name": "Model", "dataType": "money"},
        "colour": "red",
    }

    messages = sorted(error.message for error in validator().iter_errors(document))

    assert messages == [
        "' ' does not match '^[A-Za-z0-9 _]*[A-Za-z][A-Za-z0-9 _]*$'",
        "'buy-car' does not match '^[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*$'",
        "'money' is not one of ['string', 'boolean', 'integer', 'float', 'link', 'email', "
        "'currency', 'date', 'datetime', 'phone', 'text']",
        "Additional properties are not allowed ('colour' was unexpected)",
    ]
