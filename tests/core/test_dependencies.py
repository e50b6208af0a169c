"""Every runtime dependency in pyproject.toml does a job in framework/; test tools are extras."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
# Distribution name -> the module framework/ imports.
MODULES = {"gitpython": "git", "ruamel.yaml": "ruamel.yaml"}
# Declared without an import of ours, each for a stated reason.
UNIMPORTED = {
    # httpcore imports it on every lock it takes, at ~1 ms a failed import when it is missing.
    "sniffio",
}


def _runtime_dependencies() -> list[str]:
    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())["project"]
    return [re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0].lower()
            for spec in project["dependencies"]]


def test_every_runtime_dependency_is_imported_by_framework() -> None:
    sources = "\n".join(path.read_text(encoding="utf-8")
                        for path in (REPOSITORY / "framework").rglob("*.py"))
    unused = [
        name for name in _runtime_dependencies()
        if name not in UNIMPORTED
        and not re.search(rf"^\s*(import|from) {re.escape(MODULES.get(name, name))}\b",
                          sources, re.MULTILINE)
    ]
    assert unused == []


def test_test_only_libraries_are_not_runtime_dependencies() -> None:
    assert {"jsonschema", "h11", "pytest", "hypothesis"} & set(_runtime_dependencies()) == set()
