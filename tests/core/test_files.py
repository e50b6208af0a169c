"""The one atomic writer (framework/files.py): modes kept, nothing half-written, no other copy."""

from __future__ import annotations

import ast
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from framework.emulator.store import save_state
from framework.files import move, new_file_mode, write_atomically

FRAMEWORK = Path(__file__).resolve().parents[2] / "framework"


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


def test_a_mode_given_is_the_file_s_mode_new_or_not(tmp_path: Path, umask_027: None) -> None:
    path = tmp_path / "state.json"
    write_atomically(path, "{}", mode=0o600)
    assert mode(path) == 0o600
    path.chmod(0o644)
    write_atomically(path, "{}", mode=0o600)
    assert mode(path) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.json"
    write_atomically(path, "old\n")

    def full(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(path, "new\n")
    assert [(p.name, p.read_text()) for p in tmp_path.iterdir()] == [("plan.json", "old\n")]


def test_line_ends_are_written_as_given(tmp_path: Path) -> None:
    path = tmp_path / "buyCar.yaml"
    write_atomically(path, "a\nb\n")
    assert path.read_bytes() == b"a\nb\n"


def test_move_replaces_the_target(tmp_path: Path) -> None:
    (tmp_path / "old.jsonl").write_text("kept\n")
    (tmp_path / "new.jsonl").write_text("replaced\n")
    move(tmp_path / "old.jsonl", tmp_path / "new.jsonl")
    assert [(p.name, p.read_text()) for p in tmp_path.iterdir()] == [("new.jsonl", "kept\n")]


def test_the_emulator_state_stays_readable_by_its_owner_only(
    tmp_path: Path, umask_027: None
) -> None:
    path = tmp_path / ".activities" / "local-state.json"
    save_state(path, {"instance": {}})
    assert mode(path) == 0o600


# Calls that write or rename files in place: only framework/files.py makes them.
REPLACERS = {("os", "replace"), ("os", "rename"), ("os", "renames"), ("tempfile", "mkstemp"),
             ("shutil", "move")}


def replacers(source: str) -> list[str]:
    """The calls of REPLACERS in SOURCE (as `os.replace`, or imported by name)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module in {m for m, _ in REPLACERS}:
            found += [f"{node.module}.{a.name}" for a in node.names
                      if (node.module, a.name) in REPLACERS]
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and (node.value.id, node.attr) in REPLACERS):
            found.append(f"{node.value.id}.{node.attr}:{node.lineno}")
    return found


def test_the_guard_finds_a_writer_of_its_own() -> None:
    assert replacers("import os\nos.replace(a, b)\n") == ["os.replace:2"]
    assert replacers("from tempfile import mkstemp\n") == ["tempfile.mkstemp"]
    assert replacers("text.replace('a', 'b')\n") == []


def test_no_module_but_framework_files_replaces_files() -> None:
    # Before: the emulator's state writer and codegen each had a copy of the atomic writer.
    found = {
        str(path.relative_to(FRAMEWORK)): calls
        for path in sorted(FRAMEWORK.rglob("*.py"))
        if path.name != "files.py" or path.parent != FRAMEWORK
        for calls in [replacers(path.read_text(encoding="utf-8"))]
        if calls
    }
    assert found == {}, "write through framework.files (write_atomically, move)"


def test_a_send_journal_of_the_earlier_naming_is_moved_to_the_new_name(tmp_path: Path) -> None:
    from framework.records.api import default_journal

    source = tmp_path / "r.jsonl"
    earlier = tmp_path / "r.jsonl.production.journal.jsonl"
    earlier.write_text('{"event": "run", "typeId": 100001}\n')
    path = default_journal(source, "123-abc-456.mktorest.com", 100001, "production")
    assert path.name == "r.jsonl.123-abc-456.mktorest.com.100001.journal.jsonl"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    assert path.read_text() == '{"event": "run", "typeId": 100001}\n'
