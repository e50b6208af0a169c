"""The lock is a merge, not a snapshot: apply rewrites the entries of the types it applied,
drops those it deleted, keeps every other one byte for byte, and a run that changes nothing
leaves the file byte-identical."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.apply.apply_support import read, write_type

TYPES = ("attendWebinar", "chatWithSales", "downloadPaper", "visitStore")


def _lock_of(project: Path, emulator: Any) -> Path:
    port = emulator.url.rsplit(":", 1)[1]
    return project / "activities" / ".lock" / f"endpoint-127.0.0.1-{port}.json"


def _plan(cli: Any, project: Path, emulator: Any, out: str, *options: str) -> None:
    planned = cli("plan", "--endpoint", emulator.url, "--out", out, *options, cwd=project,
                  env=emulator.env)
    assert planned.exit_code == 0, planned.output


def _apply(cli: Any, project: Path, emulator: Any, plan: str) -> Any:
    applied = cli("apply", plan, "--endpoint", emulator.url, cwd=project, env=emulator.env)
    assert applied.exit_code == 0, applied.output
    return applied


def _four_types(cli: Any, project: Path, emulator: Any) -> Path:
    for name in TYPES:
        write_type(project, name)
    _plan(cli, project, emulator, "plans/first.json")
    _apply(cli, project, emulator, "plans/first.json")
    return _lock_of(project, emulator)


def test_a_targeted_apply_keeps_the_other_types_entries_byte_for_byte(
    project: Path, emulator: Any, cli: Any
) -> None:
    """Reproduction 1: `plan --target chatWithSales` then `apply` left 1 of 4 types."""
    path = _four_types(cli, project, emulator)
    before = json.loads(path.read_text())
    write_type(project, "chatWithSales", version=2, name="Chats With Sales")
    _plan(cli, project, emulator, "plans/chat.json", "--target", "chatWithSales")

    applied = _apply(cli, project, emulator, "plans/chat.json")

    after = json.loads(path.read_text())
    assert sorted(after["types"]) == list(TYPES)
    for name in ("attendWebinar", "downloadPaper", "visitStore"):
        assert after["types"][name] == before["types"][name]
    live = read(emulator)
    chat = after["types"]["chatWithSales"]
    assert chat["fingerprint"] == live.types["chatWithSales"].fingerprint()
    assert chat["state"]["approved"]["name"] == "Chats With Sales"
    shown = path.relative_to(project)
    assert applied.stderr.splitlines()[-1] == f"Lock file: {shown} records 4 type(s)."
    # What `ids` and send read: every type's id, still the instance's.
    assert {n: e["id"] for n, e in after["types"].items()} == {
        n: live.types[n].id for n in TYPES
    }
    drift = cli("drift", "--endpoint", emulator.url, cwd=project, env=emulator.env)
    assert drift.exit_code == 0, drift.output
    assert drift.output.startswith("No drift on endpoint")
    assert "not applied yet" not in drift.output


def test_a_deleted_type_leaves_the_lock_and_the_rest_stays(
    project: Path, emulator: Any, cli: Any
) -> None:
    path = _four_types(cli, project, emulator)
    before = json.loads(path.read_text())
    write_type(project, "visitStore", version=2, ensure="absent")
    _plan(cli, project, emulator, "plans/drop.json", "--allow-destructive")

    _apply(cli, project, emulator, "plans/drop.json")

    after = json.loads(path.read_text())
    assert sorted(after["types"]) == ["attendWebinar", "chatWithSales", "downloadPaper"]
    assert all(after["types"][n] == before["types"][n] for n in after["types"])


def test_re_applying_an_applied_plan_leaves_the_lock_byte_identical(
    project: Path, emulator: Any, cli: Any
) -> None:
    """Reproduction 4: re-applying an already applied plan rewrote the lock (updatedAt)."""
    path = _four_types(cli, project, emulator)
    written = path.read_bytes()
    stamp = path.stat().st_mtime_ns

    again = _apply(cli, project, emulator, "plans/first.json")

    assert "already applied" in again.output
    assert path.read_bytes() == written
    assert path.stat().st_mtime_ns == stamp  # not even rewritten with the same bytes
    shown = path.relative_to(project)
    assert again.stderr.splitlines()[-1] == (
        f"Lock file: {shown} unchanged; it records 4 type(s)."
    )


def test_applying_a_plan_with_no_changes_leaves_the_lock_byte_identical(
    project: Path, emulator: Any, cli: Any
) -> None:
    path = _four_types(cli, project, emulator)
    written = path.read_bytes()
    _plan(cli, project, emulator, "plans/nothing.json")

    _apply(cli, project, emulator, "plans/nothing.json")

    assert path.read_bytes() == written
