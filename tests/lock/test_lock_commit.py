"""The CI step that commits the lock file: two merges' jobs interleaved against a bare origin.

Each job checks out its own merge commit (which lacks the other job's lock commit), applies to
the same instance (the emulator), and runs `python -m framework.ci commit-lock staging`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from framework.ci.lock_commit import commit_lock_step
from framework.ci.workflow import StepContext
from framework.settings import load_settings
from tests.apply.apply_support import read, write_type

LOCK = "activities/.lock/staging.json"


def _git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _merges(tmp_path: Path, emulator: Any) -> tuple[Path, str, str]:
    """A bare origin whose main has two merges: M1 adds attendWebinar, M2 visitStore."""
    origin, seed = tmp_path / "origin.git", tmp_path / "seed"
    _git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(origin))
    _git(tmp_path, "clone", "--quiet", str(origin), str(seed))
    for key, value in (("user.name", "dev"), ("user.email", "dev@example.com")):
        _git(seed, "config", key, value)
    (seed / "activities").mkdir()
    (seed / "pyproject.toml").write_text(
        f'[tool.activities.environments.staging]\nendpoint = "{emulator.url}"\n'
    )
    write_type(seed, "attendWebinar")
    _git(seed, "add", ".")
    _git(seed, "commit", "--quiet", "-m", "M1: attendWebinar")
    first = _git(seed, "rev-parse", "HEAD")
    write_type(seed, "visitStore")
    _git(seed, "add", ".")
    _git(seed, "commit", "--quiet", "-m", "M2: visitStore")
    second = _git(seed, "rev-parse", "HEAD")
    _git(seed, "push", "--quiet", "origin", "main")
    return origin, first, second


def _job(tmp_path: Path, origin: Path, commit: str, name: str) -> Path:
    """A job's checkout: main at its merge commit, as actions/checkout leaves it."""
    folder = tmp_path / name
    _git(tmp_path, "clone", "--quiet", str(origin), str(folder))
    _git(folder, "reset", "--quiet", "--hard", commit)
    return folder


def _apply(folder: Path, emulator: Any, cli: Any) -> None:
    applied = cli("apply", "-e", "staging", "--yes", cwd=folder, env=emulator.env)
    assert applied.exit_code == 0, applied.output


def _commit_lock(folder: Path, summary: Path, sha: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_SHA": sha}
    return subprocess.run(
        [sys.executable, "-m", "framework.ci", "commit-lock", "staging"],
        cwd=folder, env=env, capture_output=True, text=True, check=False,
    )


def _main_lock(tmp_path: Path, origin: Path) -> dict[str, Any]:
    check = tmp_path / "check"
    _git(tmp_path, "clone", "--quiet", str(origin), str(check))
    return json.loads((check / LOCK).read_text())  # type: ignore[no-any-return]


def test_two_merges_jobs_interleaved_both_land_their_lock_entries(
    tmp_path: Path, emulator: Any, cli: Any
) -> None:
    """Reproduction 3: the second job's `git pull --rebase` conflicted after it had applied."""
    origin, first, second = _merges(tmp_path, emulator)
    job1 = _job(tmp_path, origin, first, "job1")
    job2 = _job(tmp_path, origin, second, "job2")  # checked out before job1 pushed its lock
    _apply(job1, emulator, cli)
    _apply(job2, emulator, cli)  # attendWebinar is a no-op here: job2's lock has visitStore
    summary1, summary2 = tmp_path / "summary1.md", tmp_path / "summary2.md"

    done1 = _commit_lock(job1, summary1, first)
    done2 = _commit_lock(job2, summary2, second)

    assert (done1.returncode, done2.returncode) == (0, 0), done2.stderr
    assert summary2.read_text().startswith(f"Committed `{LOCK}` to main (")
    lock = _main_lock(tmp_path, origin)
    live = read(emulator)
    assert {n: e["id"] for n, e in lock["types"].items()} == {
        "attendWebinar": live.types["attendWebinar"].id,
        "visitStore": live.types["visitStore"].id,
    }
    history = _git(tmp_path / "check", "log", "--format=%s", "main")
    assert history.splitlines() == [
        f"activities: lock file of staging after applying {second[:12]}",
        f"activities: lock file of staging after applying {first[:12]}",
        "M2: visitStore",
        "M1: attendWebinar",
    ]


def test_main_moving_between_fetch_and_push_is_retried_from_the_newer_main(
    tmp_path: Path, emulator: Any, cli: Any
) -> None:
    origin, first, second = _merges(tmp_path, emulator)
    job1 = _job(tmp_path, origin, first, "job1")
    job2 = _job(tmp_path, origin, second, "job2")
    _apply(job1, emulator, cli)
    _apply(job2, emulator, cli)
    summary = tmp_path / "summary.md"
    pushes: list[int] = []

    def job1_pushes_first() -> None:
        # The other job's push lands after this one fetched main and before it pushes.
        if not pushes:
            assert _commit_lock(job1, tmp_path / "summary1.md", first).returncode == 0
        pushes.append(1)

    code = commit_lock_step(
        load_settings(job2), "staging", StepContext({"GITHUB_STEP_SUMMARY": str(summary)}),
        before_push=job1_pushes_first,
    )

    assert code == 0
    assert len(pushes) == 2  # the first push was refused (main moved), the second landed
    assert sorted(_main_lock(tmp_path, origin)["types"]) == ["attendWebinar", "visitStore"]


def test_a_push_that_fails_never_fails_the_job(
    tmp_path: Path, emulator: Any, cli: Any
) -> None:
    origin, first, _ = _merges(tmp_path, emulator)
    job1 = _job(tmp_path, origin, first, "job1")
    _apply(job1, emulator, cli)
    origin.rename(tmp_path / "gone.git")  # origin unreachable
    summary = tmp_path / "summary.md"

    done = _commit_lock(job1, summary, first)

    assert done.returncode == 0, done.stderr
    text = summary.read_text()
    assert text.startswith("**The lock file of `staging` was not committed** (git fetch failed: ")
    assert text.rstrip().endswith(
        "The types are applied and verified: this job did not fail, and the next environments "
        f"run. `{LOCK}` on main does not record this apply yet: the next apply records the "
        "types it changes, and `activities lock repair -e staging` (then a commit of the file) "
        "rebuilds all of it from the instance and the definitions."
    )
    assert "::warning::the lock file of staging was not committed" in done.stdout

