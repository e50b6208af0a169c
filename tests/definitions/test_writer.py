"""The atomic writer: a new file gets the user's umask, an existing one keeps its mode."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from framework.definitions.writer import new_file_mode, write_atomically


@pytest.fixture
def umask_027() -> Iterator[None]:
    saved = os.umask(0o027)
    yield
    os.umask(saved)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_users_umask(tmp_path: Path, umask_027: None) -> None:
    path = tmp_path / "new" / "buyCar.yaml"
    write_atomically(path, "version: 1\n")
    assert (path.read_text(), mode(path), new_file_mode()) == ("version: 1\n", 0o640, 0o640)
    assert sorted(p.name for p in path.parent.iterdir()) == ["buyCar.yaml"]


def test_an_existing_file_keeps_its_mode(tmp_path: Path, umask_027: None) -> None:
    path = tmp_path / "buyCar.yaml"
    path.write_text("version: 1\n")
    path.chmod(0o664)
    write_atomically(path, "version: 2\n")
    assert (path.read_text(), mode(path)) == ("version: 2\n", 0o664)
