"""The pull-request and merge workflows, step by step, against the emulator over HTTP.

From a change to a definition, through the plan comment and the saved plan, to the apply
after the merge, the lock file committed back, and a next pull request whose plan is empty.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from framework.ci.header import plan_digest, read_header
from tests.workflows.scratch_repo import REPOSITORY, RUN_ID, ScratchRepo, git

RUN_URL = f"https://github.com/{REPOSITORY}/actions/runs/{RUN_ID}"  # the test's first run


def way_forward(number: int, first: str) -> str:
    """The recovery loop every refusal of a merge ends with."""
    return (
        f"  fix: on pull request #{number}, {first}; every label change on it, merged or not, "
        "runs the plan workflow, which plans its merge commit again and posts the new plan; "
        "once that plan is the one to apply, run the `activities apply` workflow by hand "
        f"(Actions, activities apply, Run workflow) with pull-request {number}: it applies "
        "that plan only if it equals the plan made on main then"
    )


@pytest.fixture
def repo(tmp_path: Path, emulator: Any, monkeypatch: pytest.MonkeyPatch) -> ScratchRepo:
    # Only what the workflow gives a step may reach it: no developer's credentials or tokens.
    import os

    for name in list(os.environ):
        if name.startswith(("MARKETO_", "ACTIVITIES_", "GH_", "GITHUB_")):
            monkeypatch.delenv(name)
    return ScratchRepo(tmp_path, emulator)


def test_a_change_goes_from_plan_comment_to_apply_and_then_plans_nothing(
    repo: ScratchRepo, emulator: Any
) -> None:
    # A pull request adds a definition.
    git(repo.work, "checkout", "--quiet", "-b", "webinars")
    repo.write_definition(1, "A person attended a webinar")
    repo.commit("Add attendWebinar")

    check, plans = repo.pull_request(7, "webinars")

    assert [s.name for s in check.steps if s.code == 0] == [
        "Validate", "Format", "Lint against the base of the pull request", "List environments"
    ]
    assert list(plans) == ["sandbox"]
    plan = plans["sandbox"]
    assert plan.ok, plan.codes()
    assert plan.outputs["plan"]["changes"] == "true"
    assert plan.uploaded == ["plans/sandbox.comment.md", "plans/sandbox.plan.json"]
    saved = json.loads((repo.work / "plans" / "sandbox.plan.json").read_text())
    assert [(c["apiName"], c["action"]) for c in saved["changes"]] == [("attendWebinar", "create")]
    [comment] = repo.comments(7)
    body = comment["body"]
    content = body.split("\n", 1)[1]
    assert read_header(body) == {
        "repository": REPOSITORY, "environment": "sandbox", "run": RUN_ID,
        "allowDestructive": False, "digest": plan_digest(saved),
        "size": len(content), "body": "sha256:" + hashlib.sha256(content.encode()).hexdigest(),
    }
    assert "### activities plan for `sandbox`" in body
    assert "| `+` | `attendWebinar` | create | safe | `activities/attendWebinar.yaml` |" in body
    assert body.rstrip().endswith(
        f"in [this run]({RUN_URL}) (the whole plan: its artifact [`activities-plan-sandbox`]"
        f"({RUN_URL}#artifacts)). After the merge, the apply workflow makes the plan again on "
        "main and applies it only if it is this one.</sub>"
    )
    assert "| `+` | `attendWebinar` | create |" in plan.summary  # the job summary has it too
    assert emulator.stats()["mutating_calls"] == 0  # planning changed nothing

    # A second push to the pull request: the same comment is updated in place.
    repo.write_definition(1, "A person attended one of our webinars")  # still new: version 1
    repo.commit("Describe attendWebinar better")
    _, plans = repo.pull_request(7, "webinars")
    [updated] = repo.comments(7)
    assert updated["id"] == comment["id"]
    assert "one of our webinars" in json.dumps(
        json.loads((repo.work / "plans" / "sandbox.plan.json").read_text())
    )
    assert read_header(updated["body"])["digest"] != read_header(body)["digest"]
    methods = [c[2] for c in repo.gh()["calls"] if c[1] == "--method"]
    assert methods == ["POST", "PATCH"]

    # The merge: the apply workflow applies the reviewed plan and commits the lock file.
    merge = repo.merge("webinars", 7)
    _, applies = repo.push_to_main("merge-7")

    apply = applies["sandbox"]
    assert apply.ok, apply.codes()
    assert "### activities apply `sandbox`: applied" in apply.summary
    assert apply.uploaded == ["plans/sandbox.plan.journal.jsonl", "plans/sandbox.plan.json"]
    assert git(repo.origin, "log", "-1", "--format=%s", "main") == (
        f"activities: lock file of sandbox after applying {merge[:12]}"
    )
    lock = json.loads(git(repo.origin, "show", "main:activities/.lock/sandbox.json"))
    assert list(lock["types"]) == ["attendWebinar"]
    [applied] = repo.comments(7)
    assert applied["body"].endswith(
        f"**Applied** to `sandbox` after the merge in [this run]({repo.run_url(4244)}).\n"
    )

    # The next pull request changes no definition: its plan is empty.
    git(repo.work, "pull", "--quiet", "origin", "main")
    git(repo.work, "checkout", "--quiet", "-b", "docs")
    (repo.work / "NOTES.md").write_text("How we name activity types.\n")
    repo.commit("Notes")
    _, plans = repo.pull_request(8, "docs")
    assert plans["sandbox"].ok
    assert plans["sandbox"].outputs["plan"]["changes"] == "false"
    [empty] = repo.comments(8)
    assert "No changes: the live instance matches the definitions." in empty["body"]
    # And the push of its merge has nothing to apply.
    repo.merge("docs", 8)
    _, applies = repo.push_to_main("merge-8")
    assert applies["sandbox"].ok
    assert "### activities apply `sandbox`: no changes" in applies["sandbox"].summary



def test_apply_refuses_a_plan_that_differs_from_the_reviewed_one(
    repo: ScratchRepo, emulator: Any
) -> None:
    git(repo.work, "checkout", "--quiet", "-b", "webinars")
    repo.write_definition(1, "A person attended a webinar")
    repo.commit("Add attendWebinar")
    repo.pull_request(7, "webinars")
    # Before the merge, main changes the same definition behind the review's back.
    git(repo.work, "checkout", "--quiet", "main")
    repo.write_definition(1, "Someone else's description")
    repo.commit("Add attendWebinar differently")
    git(repo.work, "checkout", "--quiet", "webinars")
    git(repo.work, "merge", "--quiet", "-X", "ours", "main", "-m", "Update from main")
    (repo.work / "activities" / "attendWebinar.yaml").write_text(
        (repo.work / "activities" / "attendWebinar.yaml").read_text().replace(
            "A person attended a webinar", "Both descriptions, merged"
        )
    )
    repo.commit("Resolve")
    repo.merge("webinars", 7)

    _, applies = repo.push_to_main("merge-7")

    apply = applies["sandbox"]
    assert apply.codes()["Apply the reviewed plan"] == 1
    assert apply.codes()["Commit the lock file"] is None  # skipped after the failure
    assert "### activities apply `sandbox`: refused" in apply.summary
    assert (
        "the plan made on main for 'sandbox' differs from the one reviewed on pull request #7 "
        f"({RUN_URL}): main or the instance changed since the review\n"
        + way_forward(7, "add any label to it (or remove one) to plan it as it is now")
    ) in apply.summary
    assert emulator.stats()["mutating_calls"] == 0
    assert "**Applied**" not in repo.comments(7)[0]["body"]


def test_apply_refuses_a_push_no_pull_request_made(repo: ScratchRepo, emulator: Any) -> None:
    repo.write_definition(1, "Pushed straight to main")
    sha = repo.commit("Add attendWebinar without review")
    git(repo.work, "push", "--quiet", "origin", "main")

    _, applies = repo.push_to_main("push")

    assert applies["sandbox"].codes()["Apply the reviewed plan"] == 1
    assert (
        f"no pull request merged {sha[:12]}, so no plan was reviewed: only "
        "reviewed plans are applied\n  fix: make the change in a pull request"
    ) in applies["sandbox"].summary
    assert emulator.stats()["mutating_calls"] == 0


def test_a_fork_gets_its_checks_and_a_summary_but_no_comment(
    repo: ScratchRepo, emulator: Any
) -> None:
    git(repo.work, "checkout", "--quiet", "-b", "contribution")
    repo.write_definition(1, "A person attended a webinar")
    repo.commit("Add attendWebinar")

    check, plans = repo.pull_request(9, "contribution", fork=True)

    assert check.ok
    plan = plans["sandbox"]
    assert plan.ok, plan.codes()
    assert plan.codes()["Comment the plan on the pull request"] is None
    assert plan.summary == (
        "### activities plan for `sandbox`: not made\n\nThis pull request comes from a fork, "
        "and GitHub gives those no secrets, so there are no read-only credentials for "
        "`sandbox`. Nothing from it can be applied as it is: a maintainer pushes its branch to "
        "this repository and opens a pull request from there, which gets the plan.\n\n"
    )
    assert repo.gh()["calls"] == []
    assert emulator.stats()["total_calls"] == 0


def test_a_repository_with_no_environment_plans_local_and_applies_nothing(
    repo: ScratchRepo,
) -> None:
    pyproject = repo.work / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().split("\n[tool.activities.environments")[0])
    repo.commit("No environment yet")
    git(repo.work, "checkout", "--quiet", "-b", "first")
    repo.write_definition(1, "A person attended a webinar")
    repo.commit("Add attendWebinar")

    _, plans = repo.pull_request(3, "first", fork=True)  # even a fork: local needs no secret

    assert list(plans) == ["local"]
    assert plans["local"].outputs["plan"]["changes"] == "true"
    assert "| `+` | `attendWebinar` | create |" in plans["local"].summary
    repo.merge("first", 3)
    listed, applies = repo.push_to_main("merge-3")
    assert listed.job_outputs["environments"] == "[]"
    assert applies == {}  # the apply job is skipped: there is no instance to apply to
