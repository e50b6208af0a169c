"""A user's repository on GitLab for the pipeline tests: `activities init --ci gitlab`, a
sandbox on the emulator, git, and the GitLab API stand-in."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.workflows.gitlab_runner import PROJECT_URL, JobRun, Pipeline, Variable
from tests.workflows.gitlab_standin import GitLabStandIn, User
from tests.workflows.scratch_repo import WEBINAR, git

PROJECT_ID = "4711"
PROJECT_PATH = "acme/marketing"
BOT = User(91, "project_4711_bot_1a2b")  # the project access token's user
TOKEN = "glpat-pipeline-test-token"
DANA = User(7, "dana")  # a developer, with a token of her own
DANA_TOKEN = "glpat-dana"


@contextmanager
def gitlab_repo(tmp_path: Path, emulator: Any, monkeypatch: pytest.MonkeyPatch
                ) -> Iterator[GitLabRepo]:
    """A GitLabRepo in TMP_PATH, with none of this process's Marketo, activities, CI or GitLab
    variables leaking into its jobs; its GitLab stand-in stopped afterwards."""
    for name in list(os.environ):
        if name.startswith(("MARKETO_", "ACTIVITIES_", "CI_", "GITLAB_")):
            monkeypatch.delenv(name)
    repo = GitLabRepo(tmp_path, emulator)
    try:
        yield repo
    finally:
        repo.gitlab.stop()


class GitLabRepo:
    """A workspace clone of a repository started with `activities init --ci gitlab`."""

    def __init__(self, root: Path, emulator: Any) -> None:
        self.root = root
        self.work = root / "work"
        self.emulator = emulator
        self.gitlab = GitLabStandIn(PROJECT_ID, {TOKEN: BOT, DANA_TOKEN: DANA}).start()
        git(root, "init", "--quiet", "--initial-branch=main", str(self.work))
        git(self.work, "config", "user.name", "Dana Developer")
        git(self.work, "config", "user.email", "dana@example.com")
        self.activities("init", "--ci", "gitlab")
        with (self.work / "pyproject.toml").open("a") as pyproject:
            pyproject.write(
                "\n[tool.activities.environments.sandbox]\n"
                f'endpoint = "{emulator.url}"\n'
                'client_id_env = "MARKETO_SANDBOX_CLIENT_ID"\n'
                'client_secret_env = "MARKETO_SANDBOX_CLIENT_SECRET"\n'
            )
        # The environment needs its apply job: init writes one per environment it finds.
        self.activities("init", "--ci", "gitlab", "--force")
        self.commit("Start managing custom activity types")

    def activities(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "framework", *args], cwd=self.work,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def commit(self, message: str) -> str:
        git(self.work, "add", "-A", "--", ".", ":(exclude)plans/*.*")
        git(self.work, "commit", "--quiet", "-m", message)
        return git(self.work, "rev-parse", "HEAD")

    def write_definition(self, version: int, description: str) -> None:
        path = self.work / "activities" / "attendWebinar.yaml"
        path.write_text(WEBINAR.format(version=version, description=description))

    def fresh_checkout(self) -> None:
        git(self.work, "reset", "--quiet", "--hard")
        git(self.work, "clean", "-fdxq")

    @property
    def settings(self) -> dict[str, Variable]:
        """The project's CI/CD variables, as the README tells a user to set them."""
        config = self.emulator.config
        return {
            "ACTIVITIES_GITLAB_TOKEN": Variable(TOKEN),
            "ACTIVITIES_SANDBOX_READ_CLIENT_ID": Variable(config.client_id),
            "ACTIVITIES_SANDBOX_READ_CLIENT_SECRET": Variable(config.client_secret),
            "ACTIVITIES_SANDBOX_CLIENT_ID": Variable(config.client_id, True, "sandbox"),
            "ACTIVITIES_SANDBOX_CLIENT_SECRET": Variable(config.client_secret, True, "sandbox"),
        }

    def predefined(self, source: str, **extra: str) -> dict[str, str]:
        return {
            "CI": "true", "GITLAB_CI": "true",
            "CI_PIPELINE_SOURCE": source,
            "CI_API_V4_URL": self.gitlab.url,
            "CI_PROJECT_ID": PROJECT_ID, "CI_PROJECT_PATH": PROJECT_PATH,
            "CI_PROJECT_URL": PROJECT_URL,
            "CI_DEFAULT_BRANCH": "main",
            "CI_COMMIT_SHA": git(self.work, "rev-parse", "HEAD"),
            **extra,
        }

    def merge_request_pipeline(self, iid: int, branch: str,
                               **extra: str) -> dict[str, JobRun]:
        """The pipeline of merge request IID (BRANCH into main): its check and plan jobs."""
        base = git(self.work, "merge-base", "main", branch)
        git(self.work, "checkout", "--quiet", branch)
        sha = git(self.work, "rev-parse", "HEAD")
        if iid not in self.gitlab.state.merge_requests:
            self.gitlab.open_merge_request(iid, sha)
        elif self.gitlab.state.merge_requests[iid]["sha"] != sha:
            self.gitlab.push(iid, sha)
        pipeline = Pipeline(self.work, self.predefined(
            "merge_request_event", CI_MERGE_REQUEST_IID=str(iid),
            CI_MERGE_REQUEST_DIFF_BASE_SHA=base, CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main",
            CI_MERGE_REQUEST_SOURCE_BRANCH_NAME=branch, CI_COMMIT_REF_NAME=branch, **extra,
        ), self.settings)
        return self._run(pipeline, f"mr{iid}")

    def merge(self, iid: int, branch: str) -> str:
        git(self.work, "checkout", "--quiet", "main")
        git(self.work, "merge", "--quiet", "--no-ff", branch, "-m",
            f"Merge branch '{branch}' into 'main'\n\nSee merge request {PROJECT_PATH}!{iid}")
        sha = git(self.work, "rev-parse", "HEAD")
        self.gitlab.merged(iid, sha)
        return sha

    def push_pipeline(self, tag: str) -> dict[str, JobRun]:
        """The pipeline of a push to main: the apply jobs, in order."""
        git(self.work, "checkout", "--quiet", "main")
        pipeline = Pipeline(self.work, self.predefined(
            "push", CI_COMMIT_BRANCH="main", CI_COMMIT_REF_NAME="main"), self.settings)
        return self._run(pipeline, tag)

    def web_pipeline(self, tag: str, **variables: str) -> dict[str, JobRun]:
        """Build, Pipelines, Run pipeline on main, with VARIABLES typed in its form."""
        git(self.work, "checkout", "--quiet", "main")
        pipeline = Pipeline(self.work, self.predefined(
            "web", CI_COMMIT_BRANCH="main", CI_COMMIT_REF_NAME="main", **variables),
            self.settings)
        return self._run(pipeline, tag)

    def scheduled_pipeline(self, tag: str, **cicd: str) -> dict[str, JobRun]:
        git(self.work, "checkout", "--quiet", "main")
        settings = {**self.settings, **{k: Variable(v) for k, v in cicd.items()}}
        pipeline = Pipeline(self.work, self.predefined(
            "schedule", CI_COMMIT_BRANCH="main", CI_COMMIT_REF_NAME="main"), settings)
        return self._run(pipeline, tag)

    def _run(self, pipeline: Pipeline, tag: str) -> dict[str, JobRun]:
        """Run the pipeline's jobs in order, as GitLab does: a job with `needs` runs when
        those succeeded; one without runs only when every job of the earlier stages did."""
        results: dict[str, JobRun] = {}
        stages = pipeline.config["stages"]
        for name in pipeline.selected():
            job = pipeline.config[name]
            needs = job.get("needs")
            if needs is None:
                needs = [other for other in results if stages.index(
                    pipeline.config[other]["stage"]) < stages.index(job["stage"])]
            if any(not results[need].ok for need in needs if need in results):
                results[name] = JobRun(name, None)
                continue
            self.fresh_checkout()
            results[name] = pipeline.run(name, self.root / f"runner-{tag}")
        return results

    def land_lock_commit(self) -> None:
        """What GitLab did with the lock commit the apply job made through the API."""
        commit = self.gitlab.state.commits[-1]
        for action in commit["actions"]:
            path = self.work / action["file_path"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(action["content"])
        git(self.work, "add", "-A", "--", "activities/.lock")
        git(self.work, "commit", "--quiet", "-m", commit["commit_message"])
