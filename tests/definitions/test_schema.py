"""The committed JSON Schema matches the models, and it accepts what validate accepts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
from click.testing import Result
from ruamel.yaml import YAML

from framework.definitions.schema import SCHEMA_PATH, schema_text, write_schema

REPOSITORY = Path(__file__).resolve().parents[2]


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def test_committed_schema_matches_the_models() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "framework/definitions/activity-type.schema.json is out of date: "
        "run `activities schema --write` and commit the result"
    )


def test_schema_command_prints_the_committed_schema(cli: Callable[..., Result]) -> None:
    result = cli("schema")

    assert result.exit_code == 0
    assert result.output == SCHEMA_PATH.read_text(encoding="utf-8")


def test_schema_write_reports_an_up_to_date_file(cli: Callable[..., Result]) -> None:
    result = cli("schema", "--write")

    assert (result.exit_code, result.output) == (0, f"{SCHEMA_PATH}: already up to date\n")


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
