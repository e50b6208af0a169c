"""Comments that always post: within GitHub's 65,536 characters whatever the plan's size.

Reproduction 6: a plan of 150 new types made a comment of 65,663 characters (the Markdown was
trimmed to the limit, then the header and footer were added), GitHub refused it, and the
reviewer saw nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from framework.ci.header import is_plan_comment, plan_digest, read_header
from framework.ci.pull_request import plan_comment
from framework.ci.workflow import StepContext
from framework.plan.model import Plan
from framework.plan.pipeline import derive_plan
from framework.plan.planfile import document
from tests.workflows.scratch_repo import REPOSITORY, ScratchRepo, git

sys.path.insert(0, str(Path(__file__).parents[1] / "plan"))
from plan_literals import ATTRIBUTES, PROVENANCE, definition, live, live_type, version  # noqa: E402

LIMIT = 65_536
RUN_URL = f"https://github.com/{REPOSITORY}/actions/runs/4242"


def new_type(number: int) -> str:
    """A small new type: the details of 150 of them just overflow the comment."""
    return (f"version: 1\napiName: webinar{number:03}\nname: Webinar {number:03}\n"
            f"description: A person attended webinar {number:03}\n"
            f"triggerName: Attends webinar {number:03}\n"
            f"filterName: Attended webinar {number:03}\nprimaryAttribute:\n"
            "  apiName: webinarName\n  name: Webinar Name\n  dataType: string\n")


@pytest.fixture
def repo(tmp_path: Path, emulator: Any, monkeypatch: pytest.MonkeyPatch) -> ScratchRepo:
    for name in list(os.environ):
        if name.startswith(("MARKETO_", "ACTIVITIES_", "GH_", "GITHUB_")):
            monkeypatch.delenv(name)
    return ScratchRepo(tmp_path, emulator)


def test_the_plan_comment_of_150_new_types_is_posted(repo: ScratchRepo) -> None:
    pyproject = repo.work / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("max_types = 10", "max_types = 200"))
    repo.commit("Room for 200 types")
    git(repo.work, "checkout", "--quiet", "-b", "many")
    for number in range(150):
        (repo.work / "activities" / f"webinar{number:03}.yaml").write_text(new_type(number))
    done = subprocess.run([sys.executable, "-P", "-m", "framework", "fmt"], cwd=repo.work,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    repo.commit("150 webinar types")

    _, plans = repo.pull_request(7, "many")

    assert plans["sandbox"].ok, plans["sandbox"].codes()
    [comment] = repo.comments(7)
    body = comment["body"]
    assert len(body) <= LIMIT
    assert read_header(body)["environment"] == "sandbox" and is_plan_comment(body)
    assert body.count("| `+` | `webinar") == 150  # every row of the table is kept
    assert "omitted to keep this comment within 65,536 characters; the whole plan is the " \
           "artifact `activities-plan-sandbox` of the run, linked below._" in body
    assert f"[`activities-plan-sandbox`]({repo.run_url(4242)}#artifacts)" in body


def many_changes(new: int, dropped: int, unmanaged: int = 0) -> Plan:
    """NEW new types (with long attributes), then DROPPED approved types that lose an
    attribute (destructive, and last in the plan's own order), and UNMANAGED live types."""
    many = [{"apiName": f"attribute{i}", "name": f"Attribute {i}", "description": "d" * 200,
             "dataType": "string"} for i in range(20)]
    desired = [definition(f"type{i:04}", attributes=many) for i in range(new)]
    desired += [definition(f"zzDropped{i:04}", attributes=[ATTRIBUTES[0]])
                for i in range(dropped)]
    state = live(*[live_type("approved", version(f"zzDropped{i:04}"), type_id=200000 + i)
                   for i in range(dropped)],
                 *[live_type("approved", version(f"unmanaged{i:04}"), type_id=300000 + i)
                   for i in range(unmanaged)])
    return derive_plan(PROVENANCE, desired, state, max_types=new + dropped + unmanaged)


def comment_of(plan: Plan) -> str:
    ctx = StepContext({"GITHUB_REPOSITORY": REPOSITORY, "GITHUB_RUN_ID": "4242",
                       "GITHUB_SHA": "a" * 40})
    fields: dict[str, object] = {"repository": REPOSITORY, "environment": "sandbox",
                                 "run": "4242", "digest": plan_digest(document(plan)),
                                 "allowDestructive": False}
    body, _ = plan_comment(ctx, "sandbox", fields, plan)
    return body


def risks_in_order(body: str) -> list[str]:
    """The risk column of the table of changes (the first table, before the sections)."""
    table = body.split("\n#### ")[0]
    return [line.split(" | ")[3].strip("*") for line in table.splitlines()
            if line.startswith("| `")]


@pytest.mark.parametrize(("new", "dropped", "unmanaged"), [(60, 3, 0), (1200, 5, 200)])
def test_any_plan_fits_with_its_header_risks_first_and_a_count_of_what_was_left_out(
    new: int, dropped: int, unmanaged: int
) -> None:
    body = comment_of(many_changes(new, dropped, unmanaged))

    assert len(body) <= LIMIT
    # apply's mark below it still fits
    assert len(body + f"\n\n**Apply failed** to `sandbox` after the merge in [this run]"
                      f"({RUN_URL}).\n") <= LIMIT
    assert body.startswith("<!-- activities-plan ") and is_plan_comment(body)
    risks = risks_in_order(body)
    assert risks[:dropped] == ["destructive"] * dropped  # before any safe one
    assert set(risks[dropped:]) <= {"safe"}
    assert f"[this run]({RUN_URL})" in body
    assert f"[`activities-plan-sandbox`]({RUN_URL}#artifacts)" in body
    [notice] = [line for line in body.splitlines() if "omitted to keep this comment" in line]
    assert notice.endswith(
        "omitted to keep this comment within 65,536 characters; the whole plan is the "
        "artifact `activities-plan-sandbox` of the run, linked below._")
    details = body.count("<details>")
    if (new, dropped) == (60, 3):
        assert notice == (f"_Details of {new + dropped - details} changes omitted to keep this "
                          "comment within 65,536 characters; the whole plan is the artifact "
                          "`activities-plan-sandbox` of the run, linked below._")
        assert len(risks) == new + dropped
        # The details kept are the destructive changes' first.
        assert body.index("<details><summary><code>~ update zzDropped0000") < body.index(
            "<details><summary><code>+ create type0000")
    else:
        assert details == 0
        assert notice.startswith(
            f"_Details of {new + dropped} changes, the order of calls (")
        assert f"the names of {unmanaged} unmanaged types, " in notice
        assert f", {new + dropped - len(risks)} rows of the table omitted" in notice
