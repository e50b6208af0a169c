"""Fixtures for the definitions tests: a project folder to write definition files into."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.definitions.texts import Writer


@pytest.fixture
def write_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Writer:
    """Write files into `activities/` of a fresh folder (the working folder); return the folder."""
    folder = tmp_path / "activities"
    folder.mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool.activities]\nmax_types = 10\n")
    monkeypatch.chdir(tmp_path)

    def write(files: dict[str, str | bytes]) -> Path:
        for name, content in files.items():
            target = folder / name
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return folder

    return write
