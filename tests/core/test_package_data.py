"""The wheel carries every file a command opens at run time.

A user installs activities from a wheel, not from this checkout: a template, JSON Schema or
workflow file that `[tool.setuptools.package-data]` does not cover works in every test here
and is missing after `pip install`. Building a wheel in a test needs network or setuptools in
the venv, so this checks the same thing offline: every file under framework/ is a module of a
package setuptools finds, or matched by one of the package-data globs.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import framework

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(framework.__file__).resolve().parent


def _setuptools_settings() -> dict[str, object]:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    tool: dict[str, object] = settings["tool"]["setuptools"]
    return tool


def _shipped_files() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts
                  and path.suffix != ".pyc")


def _covered_by_package_data() -> set[Path]:
    globs = _setuptools_settings()["package-data"]
    assert isinstance(globs, dict)
    covered: set[Path] = set()
    for pattern in globs["framework"]:
        covered.update(path.resolve() for path in PACKAGE.glob(pattern) if path.is_file())
    return covered


def test_every_data_file_is_covered_by_package_data() -> None:
    covered = _covered_by_package_data()
    missing = [path.relative_to(ROOT).as_posix() for path in _shipped_files()
               if path.suffix != ".py" and path not in covered]
    assert missing == [], (
        "not in the wheel: add a glob to [tool.setuptools.package-data] in pyproject.toml "
        f"for {missing}")


def test_every_module_is_in_a_package_setuptools_finds() -> None:
    # packages.find lists only folders with an __init__.py; a module beside none is left out.
    orphans = [path.relative_to(ROOT).as_posix() for path in _shipped_files()
               if path.suffix == ".py" and not (path.parent / "__init__.py").is_file()]
    assert orphans == []


def test_the_files_commands_open_are_data_files_that_ship() -> None:
    # The check above can pass vacuously if the globs and the tree both change: name the
    # files commands open (validate's schema, the plan and codegen templates, init's files).
    from framework.definitions.schema import SCHEMA_PATH

    covered = _covered_by_package_data()
    opened = [SCHEMA_PATH, *(PACKAGE / "plan" / "render" / "templates").glob("*.j2"),
              PACKAGE / "records" / "templates" / "models.py.j2",
              *(PACKAGE / "scaffold" / "templates").rglob("*.*"),
              PACKAGE / "emulator" / "BEHAVIOUR.md"]
    assert len(opened) >= 9
    assert [path for path in opened if path.resolve() not in covered] == []
