"""A merge request named by hand (ACTIVITIES_REPLAN, ACTIVITIES_MERGE_REQUEST) must be merged
into the commit checked out; GitLab's clones are shallow (20 commits by default)."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.ci.gitlab.steps import in_history
from tests.workflows.scratch_repo import git


def test_a_shallow_clone_fetches_the_history_before_it_says_no(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    origin = tmp_path / "origin"
    git(tmp_path, "init", "--quiet", "--initial-branch=main", str(origin))
    for key, value in (("user.name", "dev"), ("user.email", "dev@example.com")):
        git(origin, "config", key, value)
    commits = []
    for n in range(3):
        (origin / "file.txt").write_text(f"{n}\n")
        git(origin, "add", "file.txt")
        git(origin, "commit", "--quiet", "-m", f"commit {n}")
        commits.append(git(origin, "rev-parse", "HEAD"))
    git(origin, "checkout", "--quiet", "-b", "elsewhere", commits[0])
    (origin / "other.txt").write_text("not on main\n")
    git(origin, "add", "other.txt")
    git(origin, "commit", "--quiet", "-m", "not merged")
    unmerged = git(origin, "rev-parse", "HEAD")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", "--depth", "1", "--branch", "main",
        f"file://{origin}", str(clone))
    monkeypatch.setenv("GIT_TERMINAL_PROMPT", "0")

    assert git(clone, "rev-parse", "--is-shallow-repository") == "true"
    assert in_history(clone, commits[0])  # fetched: the clone had only the newest commit
    assert git(clone, "rev-parse", "--is-shallow-repository") == "false"
    assert not in_history(clone, unmerged)
    assert not in_history(clone, "")
