"""apply records each environment's lock file: ids, versions, fingerprints, when, which commit."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import git
import pytest

from framework.errors import ConfigError
from framework.lock import load_lock, read_lock
from framework.lock.model import Lock
from framework.lock.store import write_lock
from framework.settings import load_settings
from tests.apply.apply_support import read, saved_plan, write_type


def _lock_of(project: Path, emulator: Any) -> Path:
    port = emulator.url.rsplit(":", 1)[1]
    return project / "activities" / ".lock" / f"endpoint-127.0.0.1-{port}.json"


def _apply(cli: Any, project: Path, emulator: Any, plan: Path) -> Any:
    return cli("apply", str(plan), "--endpoint", emulator.url, cwd=project, env=emulator.env)


def test_apply_writes_ids_versions_fingerprints_and_commit_without_secrets(
    project: Path, emulator: Any, cli: Any
) -> None:
    repo = git.Repo.init(project)
    write_type(project, "attendClass", version=3)
    write_type(project, "buyBook")
    repo.index.add(["activities/attendClass.yaml", "activities/buyBook.yaml", "pyproject.toml"])
    commit = repo.index.commit("types").hexsha
    plan = saved_plan(project, emulator)

    applied = _apply(cli, project, emulator, plan)

    assert applied.exit_code == 0, applied.output
    path = _lock_of(project, emulator)
    shown = path.relative_to(project)
    assert applied.stderr.splitlines()[-1] == f"Lock file: {shown} records 2 type(s)."
    text = path.read_text()
    lock = Lock.model_validate_json(text)
    live = read(emulator)
    assert lock.environment == "endpoint"
    assert lock.endpointHost == emulator.url.removeprefix("http://")
    assert lock.gitCommit == commit
    entries = lock.types.items()
    assert {name: (e.id, e.version, e.fingerprint, e.gitCommit) for name, e in entries} == {
        name: (live.types[name].id, version, live.types[name].fingerprint(), commit)
        for name, version in (("attendClass", 3), ("buyBook", 1))
    }
    assert all(isinstance(e.id, int) for e in lock.types.values())
    for secret in emulator.env.values():
        assert secret not in text
    assert "token" not in text.lower()


def test_named_environment_lock_is_committed_beside_the_definitions(
    project: Path, emulator: Any, cli: Any
) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.activities.environments.staging]\n"
        f'endpoint = "{emulator.url}"\n'
    )
    write_type(project, "attendClass")
    planned = cli("plan", "-e", "staging", "--out", "plans/p.json", cwd=project, env=emulator.env)
    assert planned.exit_code == 0, planned.output

    applied = cli("apply", "plans/p.json", cwd=project, env=emulator.env)

    assert applied.exit_code == 0, applied.output
    assert (project / "activities" / ".lock" / "staging.json").is_file()
    lock = read_lock("staging", load_settings(project))
    assert lock is not None and lock.environment == "staging"
    assert lock.type_id("attendClass") == read(emulator).types["attendClass"].id
    assert read_lock("production", load_settings(project)) is None


def test_local_lock_lives_with_the_local_state_not_in_activities(project: Path, cli: Any) -> None:
    write_type(project, "attendClass")

    applied = cli("apply", "--yes", cwd=project)

    assert applied.exit_code == 0, applied.output
    assert applied.stderr.splitlines()[-1] == (
        "Lock file: .activities/lock/local.json records 1 type(s)."
    )
    assert not (project / "activities" / ".lock").exists()
    lock = read_lock("local", load_settings(project))
    assert lock is not None and lock.endpointHost == "embedded emulator"
    assert lock.types["attendClass"].version == 1


def test_a_failed_step_keeps_the_previous_entry_of_its_type(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")
    write_type(project, "buyBook")
    assert _apply(cli, project, emulator, saved_plan(project, emulator, "first")).exit_code == 0
    before = Lock.model_validate_json(_lock_of(project, emulator).read_text())
    # attendClass changes; buyBook is to be deleted, but a smart list uses it, so Marketo refuses.
    write_type(project, "attendClass", version=2, name="Attends A Class")
    write_type(project, "buyBook", version=2, ensure="absent")
    emulator.mark_in_use("buyBook")
    plan = saved_plan(project, emulator, "second", allow_destructive=True)

    applied = _apply(cli, project, emulator, plan)

    assert applied.exit_code == 1, applied.output
    # The refused delete stops the approves too: attendClass is left with a pending draft.
    assert applied.stderr.splitlines()[-1].endswith(
        "records 2 type(s); not at their target, so their previous entry is kept: "
        "attendClass, buyBook."
    )
    after = Lock.model_validate_json(_lock_of(project, emulator).read_text())
    live = read(emulator)
    assert after.types == before.types
    assert live.types["attendClass"].status == "approved with draft"
    assert after.types["buyBook"].fingerprint == live.types["buyBook"].fingerprint()


def test_apply_killed_midway_leaves_the_previous_lock_then_resuming_records_the_result(
    project: Path, emulator_factory: Any, cli: Any
) -> None:
    emulator = emulator_factory(latency_ms=40)
    write_type(project, "attendClass")
    assert _apply(cli, project, emulator, saved_plan(project, emulator, "first")).exit_code == 0
    path = _lock_of(project, emulator)
    previous = path.read_bytes()
    for name in ("buyBook", "callShop", "visitSite"):
        write_type(project, name)
    plan = saved_plan(project, emulator, "second")
    journal = plan.with_name("second.journal.jsonl")
    process = subprocess.Popen(
        [sys.executable, "-m", "framework", "apply", str(plan), "--endpoint", emulator.url],
        cwd=project,
        env={**os.environ, **emulator.env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    # `begin`, then started/outcome per step: kill after three of the nine steps.
    while time.monotonic() < deadline and process.poll() is None:
        if journal.exists() and journal.read_text().count("\n") >= 7:
            os.kill(process.pid, signal.SIGKILL)
            break
        time.sleep(0.002)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the apply finished before it was killed"

    assert path.read_bytes() == previous
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left
    resumed = _apply(cli, project, emulator, plan)
    assert resumed.exit_code == 0, resumed.output
    lock = Lock.model_validate_json(path.read_text())
    live = read(emulator)
    assert {n: e.fingerprint for n, e in lock.types.items()} == {
        n: t.fingerprint() for n, t in live.types.items()
    }


def _a_lock(updated: str) -> Lock:
    return Lock(environment="staging", endpointHost="h", toolVersion="0", updatedAt=updated)


def test_write_is_atomic_a_crash_before_the_rename_leaves_the_old_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / ".lock" / "staging.json"
    write_lock(path, _a_lock("first"))
    old = path.read_text()

    def crash(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        write_lock(path, _a_lock("second"))

    assert path.read_text() == old
    assert [p.name for p in path.parent.iterdir()] == ["staging.json"]


def test_a_lock_that_cannot_be_written_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ConfigError, match="No space left on device"):
        write_lock(tmp_path / "staging.json", _a_lock("x"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "note"),
    [
        (None, "no lock file at {path} (no apply has recorded one yet)"),
        ("{not json", "the lock file {path} cannot be read ("),
        # A lock crafted in a pull request, nested deeper than the JSON parser's stack: it
        # crashed every command that reads the lock (exit 3, a RecursionError).
        ("[" * 100_000 + "]" * 100_000, "the lock file {path} cannot be read ("),
        (
            json.dumps({"format_version": 9}),
            "the lock file {path} has format_version 9, newer than this tool's 1 "
            "(upgrade activities to use it)",
        ),
        (
            json.dumps({"format_version": 1}),
            "the lock file {path} is not a lock this tool can read (environment: Field required)",
        ),
    ],
)
def test_a_missing_or_unreadable_lock_is_no_lock_with_a_note(
    tmp_path: Path, content: str | None, note: str
) -> None:
    path = tmp_path / "staging.json"
    if content is not None:
        path.write_text(content)

    found = load_lock(path)

    assert found.lock is None
    assert found.note.startswith(note.format(path=path))


def test_an_entry_apply_did_not_change_keeps_its_time_and_commit(
    project: Path, emulator: Any, cli: Any
) -> None:
    from framework.lock.binding import Instance
    from framework.lock.record import Stamp, updated_lock
    from framework.plan.planfile import load_plan

    write_type(project, "attendClass")
    write_type(project, "buyBook")
    assert _apply(cli, project, emulator, saved_plan(project, emulator, "first")).exit_code == 0
    previous = Lock.model_validate_json(_lock_of(project, emulator).read_text())
    write_type(project, "buyBook", version=2, name="Buys A Book")
    second = saved_plan(project, emulator, "second")
    assert _apply(cli, project, emulator, second).exit_code == 0

    plan = load_plan(second)
    after = {c.apiName: c.after for c in plan.changes if c.after is not None}
    lock, recorded = updated_lock(
        previous, plan, read(emulator), versions={"attendClass": (1, after["attendClass"])},
        stamp=Stamp("LATER", "c0ffee"), instance=Instance("endpoint", "h"),
    )

    assert lock.types["attendClass"] == previous.types["attendClass"]  # a no-op: kept as is
    assert (lock.types["buyBook"].appliedAt, lock.types["buyBook"].gitCommit) == (
        "LATER", "c0ffee"
    )
    assert lock.types["buyBook"].version is None  # no version given for it: none recorded
    # attendClass is a no-op of the plan: apply did not touch it, so neither does the lock.
    assert (recorded.written, recorded.unchanged, recorded.kept) == (["buyBook"], [], [])


def test_the_lock_file_is_readable_like_any_committed_file(tmp_path: Path) -> None:
    path = tmp_path / "staging.json"
    write_lock(path, _a_lock("x"))
    assert path.stat().st_mode & 0o777 == 0o644
