"""The scheduled drift workflow: one issue per environment, updated, closed; or a failed job."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from framework.ci.header import read_header
from framework.client.marketo import MarketoClient
from tests.workflows.scratch_repo import ScratchRepo, git


@pytest.fixture
def repo(tmp_path: Path, emulator: Any, monkeypatch: pytest.MonkeyPatch) -> ScratchRepo:
    for name in list(os.environ):
        if name.startswith(("MARKETO_", "ACTIVITIES_", "GH_", "GITHUB_")):
            monkeypatch.delenv(name)
    repo = ScratchRepo(tmp_path, emulator)
    repo.write_definition(1, "A person attended a webinar")
    repo.commit("Add attendWebinar")
    apply(repo)
    git(repo.work, "add", "activities/.lock")
    repo.commit("Lock file")
    return repo


def apply(repo: ScratchRepo) -> None:
    config = repo.emulator.config
    done = subprocess.run(
        [sys.executable, "-m", "framework", "apply", "--yes", "-e", "sandbox"],
        cwd=repo.work, capture_output=True, text=True, check=False,
        env={**os.environ, "MARKETO_SANDBOX_CLIENT_ID": config.client_id,
             "MARKETO_SANDBOX_CLIENT_SECRET": config.client_secret},
    )
    assert done.returncode == 0, done.stderr


def edit_in_the_ui(emulator: Any, name: str) -> None:
    """Someone renames the type in Marketo's admin UI and approves it."""

    async def edit() -> None:
        config = emulator.config
        async with MarketoClient(emulator.url, config.client_id, config.client_secret) as client:
            await client.update_type("attendWebinar", {"name": name})
            await client.approve_type("attendWebinar")

    asyncio.run(edit())


def test_drift_opens_one_issue_updates_it_and_closes_it_when_gone(
    repo: ScratchRepo, emulator: Any
) -> None:
    clean = repo.scheduled("issue", "clean")["sandbox"]
    assert clean.ok, clean.codes()
    assert repo.gh()["issues"] == []

    edit_in_the_ui(emulator, "Attended A Webinar")
    drifted = repo.scheduled("issue", "drift-1")["sandbox"]

    assert drifted.ok, drifted.codes()  # the issue is the signal, not a red job
    [issue] = repo.gh()["issues"]
    assert (issue["title"], issue["labels"], issue["state"]) == (
        "Drift in sandbox", ["activities-drift"], "open"
    )
    assert read_header(issue["body"]) == {"drift": "sandbox"}
    assert "Attended A Webinar" in issue["body"]
    assert "Attended A Webinar" in drifted.summary

    edit_in_the_ui(emulator, "Attended Some Webinar")
    repo.scheduled("issue", "drift-2")
    [same] = repo.gh()["issues"]
    assert same["number"] == issue["number"]
    assert "Attended Some Webinar" in same["body"]

    apply(repo)  # the repository's definition wins again: no drift left
    repo.scheduled("issue", "gone")
    [closed] = repo.gh()["issues"]
    assert closed["state"] == "closed"


def test_drift_can_fail_the_job_instead(repo: ScratchRepo, emulator: Any) -> None:
    edit_in_the_ui(emulator, "Attended A Webinar")

    result = repo.scheduled("fail", "fail")["sandbox"]

    assert result.codes()["Drift"] == 2
    assert repo.gh()["issues"] == []
    assert "Attended A Webinar" in result.summary
