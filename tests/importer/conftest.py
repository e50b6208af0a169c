"""Import tests: a project as init leaves it."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.definitions.schema import SCHEMA_PATH


@pytest.fixture
def project(project: Path) -> Path:
    """The shared empty project, with this version's schema beside the definitions already (as
    init leaves it): import's messages are about the types. Writing the schema is tested once."""
    (project / "activities" / ".schema.json").write_text(SCHEMA_PATH.read_text())
    return project
