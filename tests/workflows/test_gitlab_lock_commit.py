"""The GitLab apply job's lock commit: jobs of merges applied close together, interleaved
against the GitLab API stand-in, each keep the other's lock entries (as tests/lock/
test_lock_commit.py checks for GitHub's push).

Each job checks out its own merge commit (which lacks the lock commits of the jobs before it),
applies to the same instance (the emulator), and commits the lock as the apply job does.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from framework.ci.gitlab.api import GitLab
from framework.ci.gitlab.context import JobContext
from framework.ci.gitlab.lock_commit import commit_lock
from framework.settings import load_settings
from tests.apply.apply_support import read, write_type
from tests.workflows.gitlab_repo import BOT, PROJECT_ID, TOKEN, GitLabRepo, gitlab_repo
from tests.workflows.scratch_repo import git

LOCK = "activities/.lock/sandbox.json"


@pytest.fixture
def repo(tmp_path: Path, emulator: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[GitLabRepo]:
    with gitlab_repo(tmp_path, emulator, monkeypatch) as repo:
        yield repo


def _merges(repo: GitLabRepo, *names: str) -> list[str]:
    """One merge per type on main, in order; their commits."""
    commits = []
    for name in names:
        write_type(repo.work, name)
        commits.append(repo.commit(f"Merge: add {name}"))
    return commits


def _job(repo: GitLabRepo, commit: str, name: str) -> Path:
    """A job's checkout of its merge commit, applied to the sandbox."""
    folder = repo.root / name
    git(repo.root, "clone", "--quiet", str(repo.work), str(folder))
    git(folder, "checkout", "--quiet", "--detach", commit)
    config = repo.emulator.config
    env = {**os.environ, "MARKETO_SANDBOX_CLIENT_ID": config.client_id,
           "MARKETO_SANDBOX_CLIENT_SECRET": config.client_secret}
    done = subprocess.run([sys.executable, "-m", "framework", "apply", "-e", "sandbox", "--yes"],
                          cwd=folder, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return folder


def _commit_lock(repo: GitLabRepo, folder: Path, token: str = TOKEN) -> str:
    """The apply job's lock commit from FOLDER; the job's summary."""
    summary = folder / "plans" / "summary.md"
    sha = git(folder, "rev-parse", "HEAD")
    ctx = JobContext({**repo.predefined("push", CI_COMMIT_BRANCH="main"), "CI_COMMIT_SHA": sha,
                      "ACTIVITIES_SUMMARY_FILE": str(summary)})
    with GitLab(repo.gitlab.url, PROJECT_ID, token) as gitlab:
        commit_lock(load_settings(folder), "sandbox", ctx, gitlab,
                    f"activities: lock file of sandbox after applying {sha[:12]} [ci skip]")
    return summary.read_text()


def _branch_lock(repo: GitLabRepo) -> dict[str, Any]:
    return json.loads(repo.gitlab.state.files["main"][LOCK]["content"])  # type: ignore[no-any-return]


def _ids(repo: GitLabRepo, *names: str) -> dict[str, int]:
    live = read(repo.emulator)
    return {name: live.types[name].id for name in names}


def test_two_apply_jobs_interleaved_both_land_their_lock_entries(repo: GitLabRepo) -> None:
    first, second = _merges(repo, "attendWebinar", "visitStore")
    job1 = _job(repo, first, "job1")
    job2 = _job(repo, second, "job2")  # its checkout lacks job1's lock commit

    summary1 = _commit_lock(repo, job1)
    summary2 = _commit_lock(repo, job2)

    lock = _branch_lock(repo)
    assert {name: entry["id"] for name, entry in lock["types"].items()} == _ids(
        repo, "attendWebinar", "visitStore")
    commit1, commit2 = repo.gitlab.state.commits
    assert summary1 == f"Committed `{LOCK}` to main ({commit1['id'][:12]}): 1 type(s).\n\n"
    assert summary2 == f"Committed `{LOCK}` to main ({commit2['id'][:12]}): 2 type(s).\n\n"
    assert [a["action"] for a in commit1["actions"]] == ["create"]
    assert commit2["actions"][0]["action"] == "update"
    assert commit2["actions"][0]["last_commit_id"] == commit1["id"]
    assert (commit2["author"], commit2["commit_message"]) == (
        BOT.username, f"activities: lock file of sandbox after applying {second[:12]} [ci skip]")
    assert repo.gitlab.state.refused == []


def test_a_commit_that_lands_in_between_is_refused_and_replayed_onto(repo: GitLabRepo) -> None:
    first, second, third = _merges(repo, "attendWebinar", "visitStore", "fillOutSurvey")
    job1, job2, job3 = (_job(repo, sha, f"job{n}") for n, sha in
                        enumerate((first, second, third), 1))
    _commit_lock(repo, job1)
    # job3's commit, made on top of job1's, is held back and lands after job2 has read the
    # branch's file and before job2's commit.
    state = repo.gitlab.state
    before = copy.deepcopy(state.files)
    landed = _commit_lock(repo, job3)
    held = state.commits.pop()
    state.files = before
    state.before_commit.append(lambda: repo.gitlab.commit_as(BOT, {
        k: v for k, v in held.items() if k not in ("author", "id")}))

    summary2 = _commit_lock(repo, job2)

    [refused] = state.refused  # job2's first commit: the file had changed since it read it
    assert refused["commit_message"].endswith(f"{second[:12]} [ci skip]")
    assert refused["actions"][0]["last_commit_id"] == state.commits[0]["id"]
    assert [c["commit_message"].split()[-3] for c in state.commits] == [
        first[:12], third[:12], second[:12]]
    assert state.commits[2]["actions"][0]["last_commit_id"] == state.commits[1]["id"]
    assert landed.endswith(": 2 type(s).\n\n")
    assert summary2 == (f"Committed `{LOCK}` to main ({state.commits[2]['id'][:12]}): "
                        "3 type(s).\n\n")
    assert {name: e["id"] for name, e in _branch_lock(repo)["types"].items()} == _ids(
        repo, "attendWebinar", "fillOutSurvey", "visitStore")


def test_a_lock_that_cannot_be_committed_never_fails_the_job(repo: GitLabRepo) -> None:
    [first] = _merges(repo, "attendWebinar")
    job1 = _job(repo, first, "job1")

    summary = _commit_lock(repo, job1, token="glpat-revoked")

    assert repo.gitlab.state.commits == []
    assert summary == (
        f"**The lock file of `sandbox` was not committed** (GitLab API GET projects/{PROJECT_ID}"
        f"/repository/files/activities%2F.lock%2Fsandbox.json answered 401: 401 Unauthorized). "
        "The types are applied and verified: this job did not fail, and the next environments "
        f"run. `{LOCK}` on main does not record this apply yet: the next apply records the "
        "types it changes, and `activities lock repair -e sandbox` (then a commit of the file) "
        "rebuilds all of it from the instance and the definitions.\n\n")
