"""Start-up: `validate` (the pre-commit hook) loads only what checking files needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
# What only talking to Marketo or rendering plans needs; `validate` must load none of it.
# importlib.metadata (with email, zipfile, csv) is what pydantic's plugin discovery would load.
NEEDLESS = ("httpx", "httpcore", "h11", "anyio", "jinja2", "git", "jsonschema", "logging",
            "importlib.metadata", "email", "zipfile", "csv")
# What building a pydantic model class needs (about half of a validate's start-up): validate
# checks with the stored core schemas instead (framework.validators).
MODEL_MACHINERY = ("pydantic.main", "pydantic.fields", "pydantic.functional_validators",
                   "pydantic._internal._model_construction",
                   "pydantic._internal._generate_schema", "annotated_types")
NEEDLESS_OWN = ("framework.client", "framework.emulator", "framework.environment",
                "framework.plan", "framework.apply", "framework.importer", "framework.settings",
                "framework.definitions.model", "framework.kinds.custom_object.model")

PROBE = """
import sys
from framework.cli import main
code = main(["validate", "--dir", "activities"])
from framework.validators import VALIDATORS
print(" ".join(sorted(VALIDATORS)), file=sys.stderr)
print(code, file=sys.stderr)
print(" ".join(sorted(sys.modules)), file=sys.stderr)
"""


def test_validate_imports_no_client_emulator_renderer_or_model_class() -> None:
    # As from a user's shell: this test process set the plugin switch when it imported the CLI.
    environment = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True,
        cwd=REPOSITORY, env=environment,
    )
    built, code, modules = result.stderr.splitlines()[-3:]
    loaded = modules.split()
    assert code == "0", result.stderr
    assert [m for m in loaded if m.split(".")[0] in NEEDLESS or m in NEEDLESS] == []
    if not _stored_schemas_apply():
        # A pydantic newer than the one `make docs` ran with (a fresh install may get one):
        # validate builds the models, as documented, until the store is regenerated.
        assert "ActivityType" in built.split()
        return
    assert [m for m in loaded if m.startswith(NEEDLESS_OWN)] == []
    assert [m for m in loaded if m in MODEL_MACHINERY] == []
    # Only the validators the folder needs are built: the settings' and the activity type's
    # (the examples are activity types), each from its stored core schema.
    assert built.split() == ["ActivityType", "Settings"]


def _stored_schemas_apply() -> bool:
    from framework import core_schemas, validators

    return validators.versions() == core_schemas.GENERATED_WITH


PLUGIN_PROBE = """
import os, sys
import framework.cli
from pydantic.plugin._loader import get_plugins
print(os.environ["PYDANTIC_DISABLE_PLUGINS"], len(list(get_plugins())), file=sys.stderr)
"""


def test_the_command_line_skips_pydantic_plugin_discovery_unless_the_user_set_it() -> None:
    def probe(**env: str) -> str:
        environment = {k: v for k, v in os.environ.items()
                       if k != "PYDANTIC_DISABLE_PLUGINS"}
        result = subprocess.run(
            [sys.executable, "-c", PLUGIN_PROBE], capture_output=True, text=True, check=True,
            cwd=REPOSITORY, env={**environment, **env},
        )
        return result.stderr.strip()

    assert probe() == "__all__ 0"
    # A user who wants their pydantic plugins keeps them.
    assert probe(PYDANTIC_DISABLE_PLUGINS="some_other_plugin").startswith("some_other_plugin ")


def test_the_stand_in_loader_hands_any_other_name_to_pydantic_s_own() -> None:
    from framework.pydantic_plugins import LOADER, _NoPlugins

    stand_in = _NoPlugins(LOADER)
    assert stand_in.get_plugins() == ()
    with pytest.raises(AttributeError):
        stand_in.__path__  # noqa: B018 - the import system asks for it: never the real loader
    real = __import__("importlib").import_module(LOADER)
    assert stand_in.PYDANTIC_ENTRY_POINT_GROUP == real.PYDANTIC_ENTRY_POINT_GROUP == "pydantic"
