"""Drafts are staged before any approve: a failure midway leaves approved versions alone."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from framework.plan.planfile import load_plan
from tests.apply.apply_support import client_for, read, saved_plan, write_type


def _apply(cli: Any, project: Path, emulator: Any, plan: str) -> Any:
    return cli(
        "apply", f"plans/{plan}.json", "--endpoint", emulator.url, cwd=project, env=emulator.env
    )


def test_failed_staging_approves_nothing_and_a_new_plan_converges(
    project: Path, emulator_factory: Any, cli: Any
) -> None:
    # The instance holds one type at most (Marketo answers 1027 beyond): creates fail.
    emulator = emulator_factory(max_types=1)
    write_type(project, "attendClass")
    saved_plan(project, emulator, "first")
    assert _apply(cli, project, emulator, "first").exit_code == 0
    write_type(project, "attendClass", version=2, name="Attend Lesson")
    write_type(project, "buyBook")
    saved_plan(project, emulator, "second")

    failed = _apply(cli, project, emulator, "second")

    assert failed.exit_code == 1
    lines = failed.stdout.splitlines()
    assert lines[0] == "Apply failed (1 failed, 1 not run)."
    assert lines[1] == (
        "  attendClass (update): not run, 1 of 2 step(s) done by this run: a step of this wave "
        "failed before the approves"
    )
    assert lines[2].startswith(
        "  buyBook (create): failed, 0 of 3 step(s) done by this run: step 1 (create_type) "
        "failed: Marketo error 1027"
    )
    assert lines[-4:] == [
        "Nothing was rolled back: the steps that ran stay applied. Types not approved keep their "
        "approved version unchanged; drafts staged for them stay as drafts.",
        "  fix: fix the cause above, then run `activities apply plans/second.json --endpoint "
        f"{emulator.url}` again: it resumes from the journal and skips the finished steps",
        # 4, then the re-read the lock is written from: list + attendClass's two versions.
        "Calls: 7 call(s), 2 of them changing something.",
        "Journal: plans/second.journal.jsonl",
    ]
    live = read(emulator).types["attendClass"]
    assert live.status == "approved with draft"
    assert live.approved is not None and live.approved.name == "AttendClass"  # untouched
    assert live.draft is not None and live.draft.name == "Attend Lesson"

    # Give up on the new type: a new plan approves the staged draft.
    (project / "activities" / "buyBook.yaml").unlink()
    saved_plan(project, emulator, "third")
    applied = _apply(cli, project, emulator, "third")
    assert applied.exit_code == 0, applied.output
    live = read(emulator).types["attendClass"]
    assert (live.status, live.approved.name if live.approved else None) == (
        "approved",
        "Attend Lesson",
    )


def test_rerunning_a_failed_plan_resumes_where_it_stopped(
    project: Path, emulator_factory: Any, cli: Any
) -> None:
    emulator = emulator_factory(max_types=1)
    write_type(project, "attendClass")
    write_type(project, "buyBook")
    saved_plan(project, emulator, "both")
    # attendClass is created first (alphabetically both start at once; one wins the slot).
    failed = _apply(cli, project, emulator, "both")
    assert failed.exit_code == 1
    live = read(emulator)
    assert len(live.types) == 1 and next(iter(live.types.values())).status == "draft"

    # The same plan again: the staged type is recognised as this plan's progress, not as drift,
    # and the other type fails again on the limit; nothing is created twice.
    again = _apply(cli, project, emulator, "both")
    assert again.exit_code == 1
    assert "is stale" not in again.output
    created = emulator.stats()["calls_by_endpoint"]["POST /rest/v1/activities/external/type.json"]
    assert created == 3  # two in the first run, only the one that failed in the second


def test_a_trigger_name_handed_over_between_types_is_applied_in_two_waves(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass", trigger="Attends Class")
    saved_plan(project, emulator, "first")
    assert _apply(cli, project, emulator, "first").exit_code == 0
    write_type(project, "attendClass", version=2, trigger="Attends Course")
    write_type(project, "joinClass", trigger="Attends Class")
    saved_plan(project, emulator, "handover")

    applied = cli(
        "apply",
        "plans/handover.json",
        "--json",
        "--endpoint",
        emulator.url,
        cwd=project,
        env=emulator.env,
    )

    assert applied.exit_code == 0, applied.output
    phases = [
        (e["wave"], e["phase"])
        for e in map(json.loads, applied.stdout.splitlines())
        if e["event"] == "phase"
    ]
    assert phases == [(1, 1), (1, 2), (2, 1), (2, 2)]
    live = read(emulator).types
    assert (
        live["attendClass"].approved is not None
        and live["attendClass"].approved.triggerName == "Attends Course"
    )
    assert (
        live["joinClass"].approved is not None
        and live["joinClass"].approved.triggerName == "Attends Class"
    )


async def _stray_draft(emulator: Any) -> None:
    async with client_for(emulator) as client:
        await client.update_type("attendClass", {"name": "Edited In The UI"})


def test_a_stray_draft_is_discarded_and_the_approved_version_kept(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")
    saved_plan(project, emulator, "first")
    assert _apply(cli, project, emulator, "first").exit_code == 0
    asyncio.run(_stray_draft(emulator))
    plan = saved_plan(project, emulator, "discard")
    assert [(c.action, [s.op for s in c.steps]) for c in load_plan(plan).changes] == [
        ("discard-draft", ["discard_draft"])
    ]

    applied = _apply(cli, project, emulator, "discard")

    assert applied.exit_code == 0, applied.output
    live = read(emulator).types["attendClass"]
    assert (live.status, live.draft, live.approved.name if live.approved else None) == (
        "approved",
        None,
        "AttendClass",
    )
