"""The review record: the merge applies the plan its pull request's newest plan run made, only
as its comment showed it, and a destructive one only under the label, then and now.

Item 1 of the issue, each as it was reproduced: comments by other workflows (the same bot
account), by people, or edited after the run never stand in for the plan, and the plan step
never edits a comment it did not write. The label is read through the API when apply runs.
"""

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
from tests.workflows.scratch_repo import REPOSITORY, ScratchRepo, git

LABEL = "activities:allow-destructive"

DROPPED = """\
version: 2
apiName: attendWebinar
name: Attend Webinar
description: A person attended a webinar
triggerName: Attends Webinar
filterName: Attended Webinar
primaryAttribute:
  apiName: webinarName
  name: Webinar Name
  dataType: string
acknowledge:
  - rule: attribute-removed
    version: 2
    reason: nothing sends minutesWatched any more
"""


def way_forward(number: int, first: str) -> str:
    return (
        f"  fix: on pull request #{number}, {first}; every label change on it, merged or not, "
        "runs the plan workflow, which plans its merge commit again and posts the new plan; "
        "once that plan is the one to apply, run the `activities apply` workflow by hand "
        f"(Actions, activities apply, Run workflow) with pull-request {number}: it applies "
        "that plan only if it equals the plan made on main then"
    )


@pytest.fixture
def repo(tmp_path: Path, emulator: Any, monkeypatch: pytest.MonkeyPatch) -> ScratchRepo:
    """attendWebinar (with minutesWatched) applied to the sandbox, its lock on main, and a
    branch `drop` that removes minutesWatched (acknowledged, so lint passes)."""
    for name in list(os.environ):
        if name.startswith(("MARKETO_", "ACTIVITIES_", "GH_", "GITHUB_")):
            monkeypatch.delenv(name)
    repo = ScratchRepo(tmp_path, emulator)
    repo.write_definition(1, "A person attended a webinar")
    repo.commit("Add attendWebinar")
    config = emulator.config
    done = subprocess.run(
        [sys.executable, "-P", "-m", "framework", "apply", "--yes", "-e", "sandbox"],
        cwd=repo.work, capture_output=True, text=True, check=False,
        env={**os.environ, "MARKETO_SANDBOX_CLIENT_ID": config.client_id,
             "MARKETO_SANDBOX_CLIENT_SECRET": config.client_secret},
    )
    assert done.returncode == 0, done.stderr
    repo.commit("Lock file")
    git(repo.work, "push", "--quiet", "origin", "main")
    git(repo.work, "checkout", "--quiet", "-b", "drop")
    (repo.work / "activities" / "attendWebinar.yaml").write_text(DROPPED)
    repo.commit("Drop minutesWatched")
    return repo


def attributes(emulator: Any) -> list[str]:
    """The attributes of attendWebinar's approved version on the sandbox, as its API says."""

    async def describe() -> dict[str, Any]:
        config = emulator.config
        async with MarketoClient(emulator.url, config.client_id, config.client_secret) as client:
            return await client.describe_type("attendWebinar")

    return sorted(a["apiName"] for a in asyncio.run(describe()).get("attributes", []))


def edits_of(repo: ScratchRepo, comment_id: int) -> int:
    return sum(1 for call in repo.gh()["calls"]
               if f"repos/{REPOSITORY}/issues/comments/{comment_id}" in call)


def test_a_destructive_plan_without_the_label_is_a_red_check_with_the_way_forward(
    repo: ScratchRepo,
) -> None:
    _, plans = repo.pull_request(2, "drop")

    plan = plans["sandbox"]
    assert plan.codes()["Plan"] == 1  # a red check: branch protection stops the merge
    assert plan.codes()["Comment the plan on the pull request"] == 0  # the comment is posted
    assert plan.summary.startswith(
        "### activities plan for `sandbox`: refused\n\nApply refuses this plan: it has 1 "
        "destructive change (`attendWebinar` (update)), and the label "
        f"`{LABEL}` is not on this pull request. The way forward, in this pull request:\n\n"
        "1. **lint**: each destructive change must be acknowledged in its definition file, "
        "under `acknowledge:` (`- {rule: RULE, version: N, reason: ...}`, as the `validate, "
        "fmt, lint` check prints it), so the acknowledgement is part of the diff under review.\n"
        f"2. **plan**: once reviewed, add the label `{LABEL}` to the pull request. The plan "
        "workflow runs again, makes the plan with destructive changes allowed, and this check "
        "turns green; after the merge, apply runs exactly that plan, and only while the label "
        "is still on the pull request.\n\nOr change the definitions so that nothing is "
        "destroyed.\n\n"
    )
    [comment] = repo.comments(2)
    assert (
        "> **Apply refuses this plan**: it has 1 destructive change. Review them; to go ahead, "
        f"add the label `{LABEL}` to this pull request: the plan is made again with it, and "
        "the merge applies exactly that plan."
    ) in comment["body"]
    assert "--allow-destructive" not in comment["body"] + plan.summary

    repo.set_labels(2, LABEL)
    _, plans = repo.pull_request(2, "drop")

    assert plans["sandbox"].ok, plans["sandbox"].codes()
    [updated] = repo.comments(2)
    assert updated["id"] == comment["id"]
    assert read_header(updated["body"])["allowDestructive"] is True
    assert "Apply refuses this plan" not in updated["body"]


def test_a_label_removed_after_the_review_refuses_the_destructive_merge(
    repo: ScratchRepo, emulator: Any
) -> None:
    # Reproduction 1: an older bot comment (another workflow's report) quotes, at the start
    # of a line, the header of a run that had the label; the label was then removed and the
    # current plan comment is refused. That old header must not let the deletion through.
    repo.set_labels(2, LABEL)
    repo.pull_request(2, "drop")
    [labelled] = repo.comments(2)
    repo.add_comment(2, f"Plan report of the last run:\n{labelled['body']}",
                     "github-actions[bot]", oldest=True)
    repo.set_labels(2)
    _, plans = repo.pull_request(2, "drop")
    assert plans["sandbox"].codes()["Plan"] == 1
    repo.merge("drop", 2)

    _, applies = repo.push_to_main("merge-2")

    apply = applies["sandbox"]
    assert apply.codes()["Apply the reviewed plan"] == 1
    assert (
        "the plan made on main for 'sandbox' has 1 destructive change(s), and the label "
        f"`{LABEL}` is not on pull request #2\n"
        + way_forward(2, f"review the destructive changes, then add the label `{LABEL}`")
    ) in apply.summary
    assert "--allow-destructive" not in apply.summary
    assert attributes(emulator) == ["minutesWatched"]


def test_the_label_must_be_on_the_pull_request_when_apply_runs(
    repo: ScratchRepo, emulator: Any
) -> None:
    repo.set_labels(2, LABEL)
    repo.pull_request(2, "drop")
    repo.merge("drop", 2)
    repo.set_labels(2)  # removed after the review, and no plan run since

    _, applies = repo.push_to_main("merge-2")

    assert applies["sandbox"].codes()["Apply the reviewed plan"] == 1
    assert (
        "the plan made on main for 'sandbox' has 1 destructive change(s), and the label "
        f"`{LABEL}` was removed from pull request #2 after its review\n"
        + way_forward(2, f"add the label `{LABEL}` again")
    ) in applies["sandbox"].summary
    assert attributes(emulator) == ["minutesWatched"]


def test_the_newest_plan_must_have_been_made_under_the_label(
    repo: ScratchRepo, emulator: Any
) -> None:
    _, plans = repo.pull_request(2, "drop")
    repo.merge("drop", 2)
    repo.set_labels(2, LABEL)  # added, but no plan was made with it

    _, applies = repo.push_to_main("merge-2")

    assert applies["sandbox"].codes()["Apply the reviewed plan"] == 1
    assert (
        "the plan made on main for 'sandbox' has 1 destructive change(s), and the newest plan "
        f"of pull request #2 ({repo.run_url(4242)}) was made before the label `{LABEL}` was "
        "added\n" + way_forward(2, "remove the label and add it again, to plan it with the label")
    ) in applies["sandbox"].summary
    assert attributes(emulator) == ["minutesWatched"]


def test_a_reviewed_destructive_change_is_applied_under_the_label(
    repo: ScratchRepo, emulator: Any
) -> None:
    repo.set_labels(2, LABEL)
    repo.pull_request(2, "drop")
    repo.merge("drop", 2)

    _, applies = repo.push_to_main("merge-2")

    assert applies["sandbox"].ok, applies["sandbox"].codes()
    assert attributes(emulator) == []


def test_a_bot_comment_with_the_real_header_above_other_words_is_no_plan_comment(
    repo: ScratchRepo, emulator: Any
) -> None:
    # Reproduction 1: another workflow (the same bot) posts the real header above "No
    # changes", before and after the plan. It is neither edited nor taken for the plan.
    repo.set_labels(2, LABEL)
    repo.pull_request(2, "drop")
    [plan] = repo.comments(2)
    header_line = plan["body"].split("\n")[0]
    fake = f"{header_line}\nNo changes: the live instance matches the definitions.\n"
    older = repo.add_comment(2, fake, "github-actions[bot]", oldest=True)
    newer = repo.add_comment(2, fake, "github-actions[bot]")
    repo.pull_request(2, "drop")  # a second run updates the plan step's own comment
    repo.merge("drop", 2)

    _, applies = repo.push_to_main("merge-2")

    assert applies["sandbox"].ok, applies["sandbox"].codes()
    by_id = {c["id"]: c for c in repo.comments(2)}
    assert by_id[older]["body"] == by_id[newer]["body"] == fake
    assert edits_of(repo, older) == edits_of(repo, newer) == 0
    assert by_id[plan["id"]]["body"].endswith(
        f"**Applied** to `sandbox` after the merge in [this run]({repo.run_url(4244)}).\n")
    assert attributes(emulator) == []


def test_a_header_pasted_by_another_user_is_ignored_and_left_alone(
    repo: ScratchRepo, emulator: Any
) -> None:
    repo.set_labels(2, LABEL)
    repo.pull_request(2, "drop")
    [plan] = repo.comments(2)
    repo.set_labels(2)
    repo.pull_request(2, "drop")
    pasted = repo.add_comment(2, plan["body"], "mallory")  # the labelled plan, word for word
    repo.pull_request(2, "drop")
    repo.merge("drop", 2)

    _, applies = repo.push_to_main("merge-2")

    assert applies["sandbox"].codes()["Apply the reviewed plan"] == 1
    assert edits_of(repo, pasted) == 0
    assert attributes(emulator) == ["minutesWatched"]


def test_a_plan_comment_edited_after_the_run_is_refused(repo: ScratchRepo, emulator: Any) -> None:
    # The label is on, the plan was made with it; then a maintainer edits the comment's
    # header in the browser. What reviewers read is no longer what the run wrote.
    repo.set_labels(2, LABEL)
    repo.pull_request(2, "drop")
    [plan] = repo.comments(2)
    repo.edit_comment(plan["id"], plan["body"].replace('"run":"4242"', '"run":"4000"', 1))
    repo.merge("drop", 2)

    _, applies = repo.push_to_main("merge-2")

    assert applies["sandbox"].codes()["Apply the reviewed plan"] == 1
    assert (
        "the newest plan comment for 'sandbox' on pull request #2 is not the plan its newest "
        f"plan run ({repo.run_url(4242)}) wrote: it is missing, or was edited after the run\n"
        + way_forward(2, "add any label to it to post the plan again")
    ) in applies["sandbox"].summary
    assert attributes(emulator) == ["minutesWatched"]


def test_a_refused_merge_is_applied_by_the_recovery_loop(
    repo: ScratchRepo, emulator: Any
) -> None:
    _, plans = repo.pull_request(2, "drop")
    assert plans["sandbox"].codes()["Plan"] == 1
    merge = repo.merge("drop", 2)  # merged all the same (no branch protection)
    _, applies = repo.push_to_main("merge-2")
    assert applies["sandbox"].codes()["Apply the reviewed plan"] == 1

    # The loop: the label on the merged pull request runs the plan workflow on its merge
    # commit, which posts the new plan; then apply by hand, naming the pull request.
    repo.set_labels(2, LABEL)
    _, plans = repo.pull_request(2, "drop", merged_as=merge)
    assert plans["sandbox"].ok, plans["sandbox"].codes()
    assert read_header(repo.comments(2)[0]["body"])["allowDestructive"] is True
    _, applies = repo.dispatch_apply(2, "dispatch-2")

    assert applies["sandbox"].ok, applies["sandbox"].codes()
    assert attributes(emulator) == []
    assert git(repo.origin, "log", "-1", "--format=%s", "main") == (
        f"activities: lock file of sandbox after applying {merge[:12]}"
    )


def test_a_run_by_hand_applies_only_a_merged_pull_request(
    repo: ScratchRepo, emulator: Any
) -> None:
    repo.set_labels(2, LABEL)
    repo.pull_request(2, "drop")  # reviewed, labelled, but not merged

    _, applies = repo.dispatch_apply(2, "dispatch-2")

    main = git(repo.work, "rev-parse", "main")
    assert applies["sandbox"].codes()["Apply the reviewed plan"] == 1
    assert (
        f"pull request #2 is not merged into {main[:12]}: only a merged pull request's plan "
        "is applied\n  fix: merge it, or name the pull request that was merged"
    ) in applies["sandbox"].summary
    assert attributes(emulator) == ["minutesWatched"]
