"""The GitLab pipeline `activities init --ci gitlab` writes, job by job, against the emulator
and a GitLab API stand-in over HTTP: from a change to a definition through the plan note
(updated in place) to the apply after the merge and an empty second plan; a stale plan; drift.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from framework.ci.header import plan_digest, read_header
from framework.client.marketo import MarketoClient
from tests.workflows.gitlab_repo import BOT, DANA, PROJECT_ID, PROJECT_PATH, GitLabRepo, gitlab_repo
from tests.workflows.gitlab_runner import PROJECT_URL
from tests.workflows.scratch_repo import git

NOTES = f"/api/v4/projects/{PROJECT_ID}/merge_requests/1/notes"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def repo(tmp_path: Path, emulator: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[GitLabRepo]:
    with gitlab_repo(tmp_path, emulator, monkeypatch) as repo:
        yield repo


def rename_in_the_ui(emulator: Any, name: str) -> None:
    """Someone renames the type in Marketo's admin UI and approves it."""

    async def edit() -> None:
        config = emulator.config
        async with MarketoClient(emulator.url, config.client_id, config.client_secret) as client:
            await client.update_type("attendWebinar", {"name": name})
            await client.approve_type("attendWebinar")

    asyncio.run(edit())


def test_the_pipeline_is_valid_gitlab_ci_and_self_contained(repo: GitLabRepo) -> None:
    pipeline = repo.work / ".gitlab-ci.yml"
    checker = Path(sys.executable).with_name("check-jsonschema")
    done = subprocess.run([str(checker), "--builtin-schema", "vendor.gitlab-ci", str(pipeline)],
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "ok -- validation done"), done.stderr
    text = pipeline.read_text()
    assert "include:" not in text
    assert 'if: $CI_PIPELINE_SOURCE == "merge_request_event"' in text
    assert "resource_group: activities-sandbox" in text
    assert (repo.work / ".gitlab" / "activities-requirements.txt").read_text() == (
        f"marketo-activities=={__import__('framework').__version__}\n")
    assert not (repo.work / ".github").exists()


def test_a_change_goes_from_the_note_to_the_apply_and_then_plans_nothing(
    repo: GitLabRepo, emulator: Any
) -> None:
    git(repo.work, "checkout", "--quiet", "-b", "webinars")
    repo.write_definition(1, "A person attended a webinar")
    repo.commit("Add attendWebinar")

    jobs = repo.merge_request_pipeline(1, "webinars")

    assert {name: job.code for name, job in jobs.items()} == {
        "activities:check": 0, "activities:plan": 0}, jobs["activities:plan"].output
    plan = jobs["activities:plan"]
    assert plan.artifacts == ["plans/sandbox.comment.md", "plans/sandbox.plan.json",
                              "plans/summary.md"]
    saved = json.loads((repo.work / "plans" / "sandbox.plan.json").read_text())
    [note] = repo.gitlab.state.notes[1]
    assert note["author"]["username"] == BOT.username
    assert read_header(note["body"]) == {
        "project": PROJECT_PATH, "environment": "sandbox", "allowDestructive": False,
        "digest": plan_digest(saved),
    }
    assert "| `+` | `attendWebinar` | create | safe | `activities/attendWebinar.yaml` |" in (
        note["body"])
    assert emulator.stats()["mutating_calls"] == 0

    # A second push: the same note, updated in place (a person's note in between is left be).
    repo.gitlab.add_note_as(DANA, 1, "Looks good to me")
    repo.gitlab.add_note_as(DANA, 1, '<!-- activities-plan {"environment":"sandbox"} -->')
    git(repo.work, "checkout", "--quiet", "webinars")
    repo.write_definition(1, "A person attended one of our webinars")
    repo.commit("Describe attendWebinar better")
    jobs = repo.merge_request_pipeline(1, "webinars")
    assert jobs["activities:plan"].ok, jobs["activities:plan"].output
    notes = repo.gitlab.state.notes[1]
    assert [n["id"] for n in notes][0] == note["id"] and len(notes) == 3
    assert "one of our webinars" in (repo.work / "plans" / "sandbox.plan.json").read_text()
    writes = [call for call in repo.gitlab.state.calls if call[0] != "GET"]
    assert writes == [("POST", NOTES), ("PUT", f"{NOTES}/{note['id']}")]

    # The merge: the apply job applies the reviewed plan, marks the note, commits the lock.
    repo.merge(1, "webinars")
    applied = repo.push_pipeline("merge")
    assert {name: job.code for name, job in applied.items()} == {
        "activities:apply:sandbox": 0}, applied["activities:apply:sandbox"].output
    assert emulator.stats()["mutating_calls"] > 0
    marked = repo.gitlab.state.notes[1][0]["body"]
    assert marked.rstrip().endswith(
        f"**Applied** to `sandbox` after the merge in [this job]({PROJECT_URL}/-/jobs/"
        f"{marked.rsplit('/jobs/', 1)[1].split(')')[0]}).")
    [commit] = repo.gitlab.state.commits
    assert commit["branch"] == "main" and commit["author"] == BOT.username
    assert commit["commit_message"] == (
        "activities: lock file of sandbox after applying !1 [ci skip]")
    assert [a["file_path"] for a in commit["actions"]] == ["activities/.lock/sandbox.json"]
    repo.land_lock_commit()

    # The next merge request changes nothing: its plan is empty.
    git(repo.work, "checkout", "--quiet", "-b", "nothing")
    (repo.work / "notes.txt").write_text("no definition changes\n")
    repo.commit("Unrelated")
    nothing = repo.merge_request_pipeline(2, "nothing")
    assert nothing["activities:plan"].ok, nothing["activities:plan"].output
    [empty] = repo.gitlab.state.notes[2]
    assert read_header(empty["body"])["digest"]
    summary = json.loads((repo.work / "plans" / "sandbox.plan.json").read_text())["summary"]
    assert [summary[action] for action in ("create", "update", "replace", "delete")] == [0] * 4
    assert "No changes" in empty["body"]


def test_a_merge_train_checks_the_merged_result_against_the_note(
    repo: GitLabRepo, emulator: Any
) -> None:
    git(repo.work, "checkout", "--quiet", "-b", "webinars")
    repo.write_definition(1, "A person attended a webinar")
    repo.commit("Add attendWebinar")
    assert repo.merge_request_pipeline(1, "webinars")["activities:plan"].ok
    [note] = copy.deepcopy(repo.gitlab.state.notes[1])
    writes = len([call for call in repo.gitlab.state.calls if call[0] != "GET"])

    train = repo.merge_request_pipeline(1, "webinars", CI_MERGE_REQUEST_EVENT_TYPE="merge_train")

    assert train["activities:plan"].ok, train["activities:plan"].output
    assert ("### activities merge train `sandbox`: the reviewed plan\n\nThe merged result of "
            "merge request !1 plans exactly what its plan note shows.") in (
        train["activities:plan"].output)

    # The instance moves before the train reaches it: the merged result plans something else.
    subprocess.run([sys.executable, "-m", "framework", "apply", "--yes", "-e", "sandbox"],
                   cwd=repo.work, env={**os.environ,
                                       "MARKETO_SANDBOX_CLIENT_ID": emulator.config.client_id,
                                       "MARKETO_SANDBOX_CLIENT_SECRET":
                                           emulator.config.client_secret},
                   capture_output=True, check=True)
    rename_in_the_ui(emulator, "Attended A Webinar")
    before = emulator.stats()["mutating_calls"]

    dropped = repo.merge_request_pipeline(1, "webinars",
                                          CI_MERGE_REQUEST_EVENT_TYPE="merge_train")

    assert dropped["activities:plan"].code == 1
    assert ("### activities merge train `sandbox`: refused\n\nThe merged result of merge "
            "request !1 does not plan what was reviewed: it is not the plan reviewed on the "
            "merge request: a merge request ahead of it in the train, or the instance, changed "
            "what it plans since the review. The train drops it;") in (
        dropped["activities:plan"].output)
    assert repo.gitlab.state.notes[1] == [note]  # no note written: nothing new was reviewed
    assert len([call for call in repo.gitlab.state.calls if call[0] != "GET"]) == writes
    assert emulator.stats()["mutating_calls"] == before


def test_a_stale_plan_is_refused_and_changes_nothing(repo: GitLabRepo, emulator: Any) -> None:
    git(repo.work, "checkout", "--quiet", "-b", "webinars")
    repo.write_definition(1, "A person attended a webinar")
    repo.commit("Add attendWebinar")
    assert repo.merge_request_pipeline(1, "webinars")["activities:plan"].ok
    # After the review, someone creates the type by hand: the plan on main is another one.
    subprocess.run([sys.executable, "-m", "framework", "apply", "--yes", "-e", "sandbox"],
                   cwd=repo.work, env={**os.environ,
                                       "MARKETO_SANDBOX_CLIENT_ID": emulator.config.client_id,
                                       "MARKETO_SANDBOX_CLIENT_SECRET":
                                           emulator.config.client_secret},
                   capture_output=True, check=True)
    rename_in_the_ui(emulator, "Attended A Webinar")
    before = emulator.stats()["mutating_calls"]
    repo.merge(1, "webinars")

    applied = repo.push_pipeline("stale")["activities:apply:sandbox"]

    assert applied.code == 1
    assert ("Error: the plan made on the default branch for 'sandbox' differs from the one "
            "reviewed on merge request !1: the branch or the instance changed since the "
            "review\n" + WAY_BACK) in applied.output
    assert emulator.stats()["mutating_calls"] == before
    assert repo.gitlab.state.commits == []
    assert "**Applied**" not in repo.gitlab.state.notes[1][0]["body"]


WAY_BACK = (
    "  fix: plan it again: Build, Pipelines, Run pipeline on the default branch with the "
    "variable ACTIVITIES_REPLAN = 1, and read the new plan in its note; then Run pipeline with "
    "ACTIVITIES_MERGE_REQUEST = 1, which applies that plan only if it is still the one made "
    "then\n")


def test_a_refused_merge_is_planned_again_and_then_applied_by_hand(
    repo: GitLabRepo, emulator: Any
) -> None:
    git(repo.work, "checkout", "--quiet", "-b", "webinars")
    repo.write_definition(1, "A person attended a webinar")
    repo.commit("Add attendWebinar")
    assert repo.merge_request_pipeline(1, "webinars")["activities:plan"].ok
    [note] = copy.deepcopy(repo.gitlab.state.notes[1])
    subprocess.run([sys.executable, "-m", "framework", "apply", "--yes", "-e", "sandbox"],
                   cwd=repo.work, env={**os.environ,
                                       "MARKETO_SANDBOX_CLIENT_ID": emulator.config.client_id,
                                       "MARKETO_SANDBOX_CLIENT_SECRET":
                                           emulator.config.client_secret},
                   capture_output=True, check=True)
    rename_in_the_ui(emulator, "Attended A Webinar")
    repo.merge(1, "webinars")
    refused = repo.push_pipeline("stale")["activities:apply:sandbox"]
    assert refused.code == 1 and WAY_BACK in refused.output
    (repo.work / "notes.txt").write_text("main moves on\n")
    repo.commit("Unrelated")  # the merge commit is no longer the head of main
    before = emulator.stats()["mutating_calls"]

    replanned = repo.web_pipeline("replan", ACTIVITIES_REPLAN="1")

    assert {name: job.code for name, job in replanned.items()} == {"activities:plan": 0}, (
        replanned["activities:plan"].output)
    [again] = repo.gitlab.state.notes[1]  # the same note, updated in place
    assert again["id"] == note["id"]
    assert read_header(again["body"])["digest"] != read_header(note["body"])["digest"]
    assert "| `~` | `attendWebinar` | update |" in again["body"]
    assert ("To apply it, run the pipeline of the default branch with the variable "
            "`ACTIVITIES_MERGE_REQUEST` = `1`") in again["body"]
    assert emulator.stats()["mutating_calls"] == before

    applied = repo.web_pipeline("apply", ACTIVITIES_MERGE_REQUEST="1")

    assert {name: job.code for name, job in applied.items()} == {
        "activities:apply:sandbox": 0}, applied["activities:apply:sandbox"].output
    assert emulator.stats()["mutating_calls"] > before
    assert "**Applied** to `sandbox`" in repo.gitlab.state.notes[1][0]["body"]
    assert [c["commit_message"] for c in repo.gitlab.state.commits] == [
        "activities: lock file of sandbox after applying !1 [ci skip]"]


def test_a_merge_request_named_by_hand_must_be_merged(repo: GitLabRepo) -> None:
    git(repo.work, "checkout", "--quiet", "-b", "webinars")
    repo.write_definition(1, "A person attended a webinar")
    repo.commit("Add attendWebinar")
    assert repo.merge_request_pipeline(1, "webinars")["activities:plan"].ok

    applied = repo.web_pipeline("open", ACTIVITIES_MERGE_REQUEST="1")["activities:apply:sandbox"]

    assert applied.code == 1
    assert ("Error: merge request !1 is not merged into "
            f"{git(repo.work, 'rev-parse', 'main')[:12]}: only a merged merge request's plan "
            "is applied\n  fix: merge it, or name the merge request that was merged\n"
            ) in applied.output


def test_a_note_by_anyone_but_the_plan_job_is_no_review(repo: GitLabRepo, emulator: Any) -> None:
    git(repo.work, "checkout", "--quiet", "-b", "webinars")
    repo.write_definition(1, "A person attended a webinar")
    repo.commit("Add attendWebinar")
    sha = git(repo.work, "rev-parse", "HEAD")
    repo.gitlab.open_merge_request(1, sha)
    # A developer pastes a plan note with the right digest, but the plan job never ran.
    jobs = repo.merge_request_pipeline(1, "webinars")
    forged = repo.gitlab.state.notes[1][0]["body"]
    repo.gitlab.state.notes[1].clear()
    repo.gitlab.add_note_as(DANA, 1, forged)
    repo.merge(1, "webinars")

    applied = repo.push_pipeline("forged")["activities:apply:sandbox"]

    assert jobs["activities:plan"].ok
    assert applied.code == 1
    assert ("Error: merge request !1 has no plan note for 'sandbox' written by the plan job, "
            "so this plan was never reviewed") in applied.output
    assert emulator.stats()["mutating_calls"] == 0


def test_drift_opens_one_issue_updates_it_and_closes_it(repo: GitLabRepo, emulator: Any) -> None:
    git(repo.work, "checkout", "--quiet", "-b", "webinars")
    repo.write_definition(1, "A person attended a webinar")
    repo.commit("Add attendWebinar")
    assert repo.merge_request_pipeline(1, "webinars")["activities:plan"].ok
    repo.merge(1, "webinars")
    assert repo.push_pipeline("merge")["activities:apply:sandbox"].ok
    repo.land_lock_commit()

    clean = repo.scheduled_pipeline("clean")
    assert list(clean) == ["activities:drift"] and clean["activities:drift"].ok
    assert repo.gitlab.state.issues == []

    rename_in_the_ui(emulator, "Attended A Webinar")
    first = repo.scheduled_pipeline("drift1")["activities:drift"]
    assert first.ok, first.output
    [issue] = repo.gitlab.state.issues
    assert (issue["title"], issue["labels"], issue["state"]) == (
        "Drift in sandbox", ["activities-drift"], "opened")
    assert read_header(issue["description"]) == {"drift": "sandbox"}
    assert "Attended A Webinar" in issue["description"]

    rename_in_the_ui(emulator, "Attended The Webinar")
    assert repo.scheduled_pipeline("drift2")["activities:drift"].ok
    [issue] = repo.gitlab.state.issues  # the same issue, updated
    assert "Attended The Webinar" in issue["description"]

    rename_in_the_ui(emulator, "Attend Webinar")
    assert repo.scheduled_pipeline("gone")["activities:drift"].ok
    assert repo.gitlab.state.issues[0]["state"] == "closed"

    rename_in_the_ui(emulator, "Attended A Webinar")
    failed = repo.scheduled_pipeline("fail", ACTIVITIES_ON_DRIFT="fail")["activities:drift"]
    assert failed.code == 2


REFRESH = (
    "  fix: run `activities init --ci gitlab --force` and commit .gitlab-ci.yml: it writes one "
    "apply job per environment of pyproject.toml, in its order, and keeps your "
    "[tool.activities] keys (it replaces the whole .gitlab-ci.yml, and names it if it had "
    "changes of your own: copy those back)\n")


def test_an_environment_added_after_init_fails_the_first_job(repo: GitLabRepo) -> None:
    from framework.scaffold.files import gitlab_pipeline

    git(repo.work, "checkout", "--quiet", "-b", "webinars")
    (repo.work / ".gitlab-ci.yml").write_text(gitlab_pipeline(()))  # written before sandbox
    repo.write_definition(1, "A person attended a webinar")
    repo.commit("Add attendWebinar")

    jobs = repo.merge_request_pipeline(1, "webinars")

    assert {name: job.code for name, job in jobs.items()} == {
        "activities:check": 1, "activities:plan": None}
    assert jobs["activities:check"].output == (
        "Error: .gitlab-ci.yml has no apply job for 'sandbox', an environment of "
        "pyproject.toml: after the merge nothing would apply its plans\n" + REFRESH)
    assert repo.gitlab.state.notes[1] == []


def test_an_apply_job_of_an_environment_no_longer_named_fails_the_first_job(
    repo: GitLabRepo
) -> None:
    from framework.scaffold.files import gitlab_pipeline

    git(repo.work, "checkout", "--quiet", "-b", "webinars")
    (repo.work / ".gitlab-ci.yml").write_text(gitlab_pipeline(("staging", "sandbox")))
    repo.commit("Keep an old job")

    check = repo.merge_request_pipeline(1, "webinars")["activities:check"]

    assert check.output == (
        "Error: .gitlab-ci.yml has an apply job for 'staging', which pyproject.toml does not "
        "name\n" + REFRESH)


def test_a_pipeline_written_before_the_check_job_still_fails_its_plan(
    repo: GitLabRepo
) -> None:
    from framework.scaffold.files import gitlab_pipeline

    git(repo.work, "checkout", "--quiet", "-b", "webinars")
    old = gitlab_pipeline(()).replace(
        "    - python -P -m framework.ci.gitlab check # an apply job for each environment of "
        "pyproject.toml\n", "")
    (repo.work / ".gitlab-ci.yml").write_text(old)
    repo.commit("A pipeline from an older init")

    jobs = repo.merge_request_pipeline(1, "webinars")

    assert jobs["activities:check"].ok
    assert jobs["activities:plan"].code == 1
    assert ("Error: .gitlab-ci.yml has no apply job for 'sandbox', an environment of "
            "pyproject.toml") in jobs["activities:plan"].output
    assert repo.gitlab.state.notes[1] == []
