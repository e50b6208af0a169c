"""Import tests: make the seeding helpers beside this file importable."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from framework.definitions.schema import SCHEMA_PATH

# Pytest runs with --import-mode=importlib, which does not put test folders on sys.path.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def project(project: Path) -> Path:
    """The shared empty project, with this version's schema beside the definitions already (as
    init leaves it): import's messages are about the types. Writing the schema is tested once."""
    (project / "activities" / ".schema.json").write_text(SCHEMA_PATH.read_text())
    return project
