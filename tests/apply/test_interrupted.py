"""Applies that are killed, or run twice at once, still leave the instance as planned."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from framework.apply import apply_plan
from framework.apply.journal import Journal, journal_path
from framework.apply.model import ApplyResult
from framework.plan.planfile import load_plan
from tests.apply.apply_support import client_for, mutating_calls, read, saved_plan, write_type

TYPES = ("attendClass", "buyBook", "callShop", "visitSite")
STEPS = 3 * len(TYPES)  # create, attributes, approve


def _project_with_plan(project: Path, emulator: Any) -> Path:
    for name in TYPES:
        write_type(project, name)
    return saved_plan(project, emulator)


def _at_target(emulator: Any) -> None:
    live = read(emulator)
    assert sorted(live.types) == list(TYPES)
    assert {t.status for t in live.types.values()} == {"approved"}
    assert all(
        t.approved is not None and len(t.approved.attributes) == 2 for t in live.types.values()
    )


def _kill_after(process: subprocess.Popen[bytes], journal: Path, lines: int) -> int:
    """SIGKILL the process once the journal has `lines` lines; returns the lines seen then."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        seen = journal.read_text().count("\n") if journal.exists() else 0
        if seen >= lines:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            return seen
        time.sleep(0.002)
    process.wait()
    return -1


@pytest.mark.parametrize("seed", [1, 2])
def test_apply_killed_at_a_random_step_converges_when_run_again(
    seed: int, project: Path, emulator_factory: Any, cli: Any
) -> None:
    emulator = emulator_factory(latency_ms=40)
    plan = _project_with_plan(project, emulator)
    journal = journal_path(plan)
    # After the `begin` line, every step writes `started` then its outcome: 2 lines per step.
    kill_at = random.Random(seed).randint(2, 2 * STEPS)
    process = subprocess.Popen(
        [sys.executable, "-m", "framework", "apply", str(plan), "--endpoint", emulator.url],
        cwd=project,
        env={**os.environ, **emulator.env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    seen = _kill_after(process, journal, kill_at)

    assert seen >= kill_at, "the apply finished before it could be killed"
    assert process.returncode == -signal.SIGKILL
    assert '"event":"end"' not in journal.read_text()
    resumed = cli("apply", str(plan), "--endpoint", emulator.url, cwd=project, env=emulator.env)
    assert resumed.exit_code == 0, resumed.output
    assert resumed.stdout.startswith("Applied and verified")
    _at_target(emulator)
    # Nothing was done twice: one create, one attribute batch, one approve per type in all.
    endpoints = emulator.stats()["calls_by_endpoint"]
    created = endpoints["POST /rest/v1/activities/external/type.json"]
    assert created == len(TYPES)
    mutating = mutating_calls(emulator)
    again = cli("apply", str(plan), "--endpoint", emulator.url, cwd=project, env=emulator.env)
    assert again.exit_code == 0 and mutating_calls(emulator) == mutating


async def _apply_twice(
    plan_path: Path, journals: tuple[Path, Path], emulator: Any
) -> list[ApplyResult]:
    plan = load_plan(plan_path)

    async def one(journal: Path) -> ApplyResult:
        async with client_for(emulator) as client, Journal(journal, plan.checksum) as opened:
            return await apply_plan(plan, client, journal=opened)

    return list(await asyncio.gather(one(journals[0]), one(journals[1])))


def test_two_applies_of_the_same_plan_at_once_apply_it_once(
    project: Path, emulator_factory: Any
) -> None:
    emulator = emulator_factory(latency_ms=20)
    plan = _project_with_plan(project, emulator)
    journal = journal_path(plan)

    results = asyncio.run(_apply_twice(plan, (journal, journal), emulator))

    # The journal's lock makes the second wait for the first, then find the plan applied.
    assert sorted(r.outcome for r in results) == ["already-applied", "applied"]
    assert mutating_calls(emulator) == STEPS
    _at_target(emulator)


def test_two_applies_from_two_machines_at_once_leave_the_instance_correct(
    project: Path, emulator_factory: Any, tmp_path: Path
) -> None:
    """Separate journals (two CI runners): both pass the check, then race call by call."""
    emulator = emulator_factory(latency_ms=20)
    plan = _project_with_plan(project, emulator)
    other = tmp_path / "other-machine" / "reviewed.journal.jsonl"

    results = asyncio.run(_apply_twice(plan, (journal_path(plan), other), emulator))

    assert [r.outcome for r in results] == ["applied", "applied"], [r.types for r in results]
    _at_target(emulator)
    # The loser of each race reconciled its call instead of failing: still one type each.
    endpoints = emulator.stats()["calls_by_endpoint"]
    assert endpoints["POST /rest/v1/activities/external/type.json"] == 2 * len(TYPES)
    journals = journal_path(plan).read_text() + other.read_text()
    assert journals.count('"status":"reconciled"') == STEPS


def test_what_a_stopped_apply_left_is_said_type_by_type(project: Path, emulator: Any) -> None:
    from framework.apply.interruption import Stopped
    from framework.apply.model import StepEvent
    from tests.apply.apply_support import plan_for

    for name in ("attendClass", "buyBook", "callShop"):
        write_type(project, name)
    plan = plan_for(project, emulator)
    stopped = Stopped()
    stopped.start(plan, "activities apply plans/x.json -e sandbox")
    for name, index, op, status in [
        ("attendClass", 0, "create_type", "started"), ("attendClass", 0, "create_type", "done"),
        ("attendClass", 1, "create_attributes", "started"),
        ("attendClass", 1, "create_attributes", "done"),
        ("buyBook", 0, "create_type", "started"), ("buyBook", 0, "create_type", "done"),
        ("buyBook", 1, "create_attributes", "started"),
    ]:
        stopped(StepEvent(name, index, op, status, 1, 1))  # type: ignore[arg-type]

    assert stopped.words() == (
        "Apply stopped part way; nothing was rolled back:\n"
        "  attendClass (create): 2 of 3 step(s) done; its draft is staged and waits for the "
        "approve the next run sends (it has no approved version yet)\n"
        "  buyBook (create): 1 of 3 step(s) done; create_attributes was sent and its answer "
        "never came: it may have happened (the next run re-reads the type to tell)\n"
        "  callShop (create): not started\n"
        "  fix: run `activities apply plans/x.json -e sandbox` to finish it: it re-reads the "
        "types, skips the steps its journal records as done, and runs the rest"
    )
    before = Stopped()
    assert before.words() == (
        "Nothing was changed: apply stopped before it had a plan to apply.\n"
        "  fix: run the same command again"
    )
    before.start(plan, "activities apply plans/x.json")
    assert before.words() == (
        "Nothing was changed: apply stopped before its first change.\n"
        "  fix: run `activities apply plans/x.json` to apply the plan"
    )


@pytest.mark.parametrize(
    ("stop_with", "head", "code"),
    [(signal.SIGINT, "Interrupted.", 130), (signal.SIGTERM, "Terminated (SIGTERM).", 143)],
)
def test_an_interrupted_apply_says_what_it_left_and_the_command_that_resumes(
    project: Path, emulator_factory: Any, cli: Any, stop_with: int, head: str, code: int
) -> None:
    emulator = emulator_factory(latency_ms=40)
    plan = _project_with_plan(project, emulator)
    journal = journal_path(plan)
    process = subprocess.Popen(
        [sys.executable, "-m", "framework", "apply", "plans/reviewed.json",
         "--endpoint", emulator.url],
        cwd=project, env={**os.environ, **emulator.env},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        # `begin`, then a step's `started` and its outcome: stopped with a step done.
        while time.monotonic() < deadline and process.poll() is None:
            if journal.exists() and journal.read_text().count("\n") >= 3:
                process.send_signal(stop_with)
                break
            time.sleep(0.002)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()

    assert process.returncode == code, stderr
    resume = f"activities apply plans/reviewed.json --endpoint {emulator.url}"
    tail = stderr[stderr.index(f"{head}\n"):].splitlines()
    assert tail[1] == "Apply stopped part way; nothing was rolled back:", stderr
    assert [line.split(" (")[0].strip() for line in tail[2:-1]] == list(TYPES), stderr
    assert tail[-1] == (
        f"  fix: run `{resume}` to finish it: it re-reads the types, skips the steps its "
        "journal records as done, and runs the rest"
    )
    assert "Traceback" not in stderr
    resumed = cli(*resume.split()[1:], cwd=project, env=emulator.env)
    assert resumed.exit_code == 0, resumed.output
    assert resumed.stdout.startswith("Applied and verified")
    _at_target(emulator)
