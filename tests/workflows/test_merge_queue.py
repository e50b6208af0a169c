"""The merge queue: the pull-request workflow on `merge_group` plans the queued merge and passes
only the plan reviewed on the pull request; it posts no comment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.workflows.scratch_repo import ScratchRepo, git


@pytest.fixture
def repo(tmp_path: Path, emulator: Any, monkeypatch: pytest.MonkeyPatch) -> ScratchRepo:
    for name in list(os.environ):
        if name.startswith(("MARKETO_", "ACTIVITIES_", "GH_", "GITHUB_")):
            monkeypatch.delenv(name)
    repo = ScratchRepo(tmp_path, emulator)
    git(repo.work, "checkout", "--quiet", "-b", "webinars")
    repo.write_definition(1, "A person attended a webinar")
    repo.commit("Add attendWebinar")
    _, plans = repo.pull_request(7, "webinars")  # the review: a plan run and its comment
    assert plans["sandbox"].ok, plans["sandbox"].codes()
    return repo


def writes(repo: ScratchRepo) -> list[str]:
    return [call[2] for call in repo.gh()["calls"] if call[1] == "--method"]


def test_the_queued_merge_of_the_reviewed_plan_passes_without_a_comment(
    repo: ScratchRepo, emulator: Any
) -> None:
    comments, before = repo.comments(7), writes(repo)

    plans = repo.merge_group(7, "webinars")

    plan = plans["sandbox"]
    assert plan.ok, plan.codes()
    assert plan.codes()["Plan"] is None  # the pull request's plan step is skipped
    assert plan.codes()["Check that the queued merge plans what was reviewed"] == 0
    assert "plans exactly what was reviewed" in plan.summary
    assert repo.comments(7) == comments and writes(repo) == before  # no comment, no edit
    assert plan.uploaded == []
    assert emulator.stats()["mutating_calls"] == 0


def test_a_queued_merge_that_plans_something_else_fails_the_check(
    repo: ScratchRepo, emulator: Any
) -> None:
    # After the review the type reaches the instance by another way: the queued merge plans
    # nothing, which is not the plan reviewed (a create).
    config = emulator.config
    subprocess.run([sys.executable, "-m", "framework", "apply", "--yes", "-e", "sandbox"],
                   cwd=repo.work, capture_output=True, check=True,
                   env={**os.environ, "MARKETO_SANDBOX_CLIENT_ID": config.client_id,
                        "MARKETO_SANDBOX_CLIENT_SECRET": config.client_secret})
    comments = repo.comments(7)

    plan = repo.merge_group(7, "webinars")["sandbox"]

    assert plan.codes()["Check that the queued merge plans what was reviewed"] == 1
    assert ("does not plan what was reviewed: it is not the plan reviewed on the pull request: "
            "a pull request queued ahead of it, or the instance, changed what it plans since "
            "the review. The queue drops it") in plan.summary
    assert repo.comments(7) == comments
