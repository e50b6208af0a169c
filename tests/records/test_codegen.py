"""`activities codegen`: the generated module is imported and used, and --check catches drift."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pydantic
import pytest
from click.testing import Result

from framework.records.schema import RecordSchema
from tests.records.support import (
    API_NAME,
    BAD_VALUES,
    DEFINITION_YAML,
    GOOD_VALUES,
    definition,
    record,
    write_project,
)

GOOD = {f"{kind}Value": value for kind, value in GOOD_VALUES.items()}


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"generated_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def generated(tmp_path: Path, cli: Callable[..., Result]) -> ModuleType:
    write_project(tmp_path)
    result = cli("codegen", "--out", "models.py", "--schema-dir", "schemas", cwd=tmp_path)
    assert (result.exit_code, result.output) == (
        0, "1 type(s): wrote 2 file(s), 0 already up to date.\n")
    return load(tmp_path / "models.py")


def test_the_module_has_one_model_per_type_with_the_version(generated: ModuleType) -> None:
    model = generated.AttendEvent
    assert (model.API_NAME, model.VERSION, generated.VERSIONS) == (API_NAME, 3, {API_NAME: 3})
    assert list(model.model_fields) == ["leadId", "activityDate", "eventName", *GOOD]
    assert {API_NAME: model} == generated.MODELS


def test_a_good_record_builds_and_is_what_send_takes(generated: ModuleType) -> None:
    built = generated.AttendEvent(leadId=7, activityDate="2026-09-26T06:56:35+07:00",
                                  eventName="Event 7", **GOOD)
    assert built.to_record() == record(**GOOD)
    RecordSchema(definition()).check(built.to_record())


@pytest.mark.parametrize(("kind", "value"), BAD_VALUES)
def test_a_wrong_value_fails_in_the_model(generated: ModuleType, kind: str, value: Any) -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        generated.AttendEvent(leadId=7, activityDate="2026-09-26T06:56:35Z", eventName="x",
                              **{f"{kind}Value": value})
    assert [error["loc"] for error in caught.value.errors()] == [(f"{kind}Value",)]


@pytest.mark.parametrize("bad", [{"leadId": "7"}, {"activityDate": "2026-09-26"},
                                 {"unknown": 1}, {"eventName": None}])
def test_record_fields_are_checked_too(generated: ModuleType, bad: dict[str, Any]) -> None:
    fields = {"leadId": 7, "activityDate": "2026-09-26T06:56:35Z", "eventName": "x", **bad}
    with pytest.raises(pydantic.ValidationError):
        generated.AttendEvent(**fields)


def test_the_json_schema_of_a_record_type(tmp_path: Path, generated: ModuleType) -> None:
    schema = json.loads((tmp_path / "schemas" / f"{API_NAME}.record.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate(record(**GOOD))
    # Checks a schema can make: byte lengths and calendar dates are activities send's, and
    # JSON Schema counts 2.0 as an integer.
    bad = [(kind, value) for kind, value in BAD_VALUES
           if (kind, value) not in {("text", "é" * 15_001), ("date", "2026-02-30"),
                                    ("datetime", "2026-13-26T06:56:35Z"), ("integer", 2.0)}]
    for kind, value in bad:
        assert list(validator.iter_errors(record(**{f"{kind}Value": value}))), (kind, value)
    assert list(validator.iter_errors({**record(), "extra": 1}))


def test_check_passes_when_up_to_date_and_catches_a_stale_file(
    tmp_path: Path, generated: ModuleType, cli: Callable[..., Result]
) -> None:
    args = ("codegen", "--out", "models.py", "--schema-dir", "schemas")
    fresh = cli(*args, "--check", cwd=tmp_path)
    assert (fresh.exit_code, fresh.output) == (0, "2 generated file(s) up to date.\n")
    definition_file = tmp_path / "activities" / f"{API_NAME}.yaml"
    definition_file.write_text(DEFINITION_YAML.replace("version: 3", "version: 4"))
    stale = cli(*args, "--check", cwd=tmp_path)
    assert stale.exit_code == 1
    assert stale.output == (
        "models.py: out of date with the definitions in activities/\n"
        f"schemas/{API_NAME}.record.schema.json: out of date with the definitions in "
        "activities/\n"
        "  fix: run `activities codegen` with the same options and commit the result\n")
    assert "VERSION: ClassVar[int] = 3" in (tmp_path / "models.py").read_text()
    cli(*args, cwd=tmp_path)
    assert load(tmp_path / "models.py").AttendEvent.VERSION == 4


def test_generation_is_deterministic_and_lint_clean(tmp_path: Path, generated: ModuleType) -> None:
    text = (tmp_path / "models.py").read_text()
    assert text.startswith("# Generated by `activities codegen` from the definitions in "
                           "activities/: do not edit.\n")
    from framework.records.codegen import render_module

    assert render_module([definition()], "activities", "models.py") == text
    lint = subprocess.run([sys.executable, "-m", "ruff", "check", "--isolated", "--select",
                           "E,F,W,I,B,UP,SIM", "--line-length", "100", str(tmp_path / "models.py")],
                          capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout
