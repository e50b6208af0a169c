"""The stored core schemas (framework/core_schemas.py): current, and checking as the models do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from pydantic_core import ValidationError

from framework import validators
from framework.definitions.loader import check_definitions
from framework.definitions.model import ActivityType
from framework.errors import ConfigError
from framework.kinds.custom_object.model import CustomObject
from framework.pyproject import DefinitionSettings, definition_settings
from framework.settings import Settings, load_settings
from tests.definitions.texts import Writer, definition

REPOSITORY = Path(__file__).resolve().parents[2]
STORE = REPOSITORY / "framework" / "core_schemas.py"


@pytest.fixture
def other_pydantic(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As with a pydantic version the store was not generated with."""
    monkeypatch.setattr(validators, "versions", lambda: ("0.0", "0.0"))
    validators.core_schema.cache_clear()
    monkeypatch.setattr(validators, "VALIDATORS", {})
    yield
    validators.core_schema.cache_clear()


def _generating_versions() -> None:
    """Skip where pydantic is not the version the store was generated with: a fresh install
    (CI) may get a newer pydantic than the one `make docs` ran with, and then the models' own
    schemas are used (test_other_versions_check_with_the_models_own_schemas), not the store."""
    from framework import core_schemas

    if validators.versions() != core_schemas.GENERATED_WITH:
        pytest.skip(f"the store was generated with pydantic {core_schemas.GENERATED_WITH}; "
                    f"this is {validators.versions()}")


def test_the_stored_core_schemas_are_current() -> None:
    _generating_versions()
    assert STORE.read_text(encoding="utf-8") == validators.source(), (
        "framework/core_schemas.py is stale: run make docs"
    )


def test_writing_the_store(tmp_path: Path) -> None:
    assert validators.main([str(tmp_path / "store.py")]) == 0
    assert (tmp_path / "store.py").read_text(encoding="utf-8") == validators.source()


def test_a_schema_the_store_cannot_hold_is_refused() -> None:
    with pytest.raises(TypeError, match="cannot hold <object"):
        validators._python({"type": "any", "default": object()}, {}, 1)


def test_the_stored_schemas_are_used_with_the_versions_that_made_them() -> None:
    from framework import core_schemas

    _generating_versions()
    assert validators.core_schema("ActivityType") is core_schemas.SCHEMAS["ActivityType"]


@pytest.mark.usefixtures("other_pydantic")
def test_other_versions_check_with_the_models_own_schemas(write_files: Writer) -> None:
    from framework import core_schemas

    schema = validators.core_schema("ActivityType")
    assert schema is not core_schemas.SCHEMAS["ActivityType"]
    assert schema["cls"] is ActivityType
    folder = write_files({"buyCar.yaml": definition().replace("version: 1", "version: yes")})
    settings = Settings()
    assert check_definitions(folder, settings, models=False).problems == (
        check_definitions(folder, settings).problems
    )
    assert len(check_definitions(folder, settings).problems) == 1


def _models(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    yield model
    for field in model.model_fields.values():
        for argument in (field.annotation, *getattr(field.annotation, "__args__", ())):
            for inner in (argument, *getattr(argument, "__args__", ())):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    yield from _models(inner)


@pytest.mark.parametrize("top", [ActivityType, CustomObject, Settings])
def test_field_names_are_the_models_keys_in_order(top: type[BaseModel]) -> None:
    nested = list(_models(top))
    assert len(nested) > 1
    for model in nested:
        expected = [name for name in model.model_fields if (top, name) != (Settings, "root")]
        assert validators.field_names(top.__name__, model.__name__) == expected


def test_field_names_of_a_model_not_nested_is_an_error() -> None:
    with pytest.raises(KeyError, match="Settings is not part of ActivityType"):
        validators.field_names("ActivityType", "Settings")


BAD: list[dict[str, Any]] = [
    {"version": 1},
    {"version": "1", "apiName": "x y", "name": "", "primaryAttribute": [], "extra": 1},
    {"version": 1, "apiName": "a", "name": "A", "triggerName": "t", "filterName": "f",
     "primaryAttribute": {"apiName": "p", "name": "P", "dataType": "strin"},
     "attributes": [{"apiName": "b"}, 3, {"apiName": "c", "name": "C", "dataType": "link",
                                          "renamedFrom": "1"}],
     "acknowledge": [{"rule": "nope", "version": True, "reason": " "}], "protect": "yes",
     "ensure": "gone"},
]


@pytest.mark.parametrize("data", BAD)
def test_the_stored_validator_finds_what_the_model_finds(data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as stored:
        validators.validate("ActivityType", data)
    with pytest.raises(ValidationError) as model:
        ActivityType.model_validate(data)
    assert stored.value.errors() == model.value.errors()
    assert stored.value.title == model.value.title == "ActivityType"


def test_validate_returns_the_checked_fields() -> None:
    data = {"version": 1, "apiName": "a", "name": "A", "triggerName": "t", "filterName": "f",
            "primaryAttribute": {"apiName": "p", "name": "P"}}
    checked = validators.validate("ActivityType", data)
    assert list(checked) == list(ActivityType.model_fields)
    assert checked["ensure"] == "present"
    assert vars(checked["primaryAttribute"])["dataType"] == "string"


SECTIONS = [
    "max_types = 0\n",
    "max_types = 'ten'\nmax_custom_objects = -1\nplan_expiry_days = 400\n",
    "colour = 'red'\n",
    "[tool.activities.environments.sandbox]\ncalls_per_20s = 500\n",
    "drift_ignore = [{type = 'a', colour = 'red'}]\n",
]


@pytest.mark.parametrize("section", SECTIONS)
def test_validate_refuses_the_settings_every_command_refuses(
    tmp_path: Path, section: str
) -> None:
    header = "" if section.startswith("[") else "[tool.activities]\n"
    (tmp_path / "pyproject.toml").write_text(header + section)
    with pytest.raises(ConfigError) as everyone:
        load_settings(tmp_path)
    with pytest.raises(ConfigError) as validate:
        definition_settings(tmp_path)
    assert str(validate.value) == str(everyone.value)
    assert str(validate.value).startswith(f"{tmp_path / 'pyproject.toml'}: [tool.activities] ")


@pytest.mark.parametrize("text", ["", "[tool.activities]\nmax_types = 3\ndefinitions = 'defs'\n"])
def test_validate_reads_the_settings_every_command_reads(tmp_path: Path, text: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    settings = load_settings(tmp_path)
    assert definition_settings(tmp_path) == DefinitionSettings(
        settings.root, settings.definitions, settings.max_types, settings.max_custom_objects
    )
    assert definition_settings(tmp_path).definitions_dir == settings.definitions_dir
