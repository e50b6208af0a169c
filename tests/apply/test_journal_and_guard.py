"""The journal reader and the target guard (no server)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from framework.apply.guard import check_target
from framework.apply.journal import Journal, journal_path, lock_path, read_journal
from framework.apply.session import interactive_plan_path
from framework.environment import Target
from framework.errors import RefusedError
from framework.invocation import Invocation
from framework.plan.model import Plan, Provenance


def test_journal_sits_beside_its_plan() -> None:
    assert journal_path(Path("plans/release-12.json")) == Path("plans/release-12.journal.jsonl")


def test_reader_keeps_this_plans_finished_steps_and_skips_a_torn_line(tmp_path: Path) -> None:
    path = tmp_path / "x.journal.jsonl"

    def step(plan: str, index: int, status: str) -> str:
        entry = {"plan": plan, "event": "step", "apiName": "a", "index": index, "status": status}
        return json.dumps(entry)

    lines = [
        json.dumps({"plan": "p1", "event": "begin"}),
        step("p1", 0, "started"),
        step("p1", 0, "done"),
        step("p1", 1, "started"),
        step("p1", 1, "reconciled"),
        step("p2", 2, "done"),  # another plan's journal lines are not ours
        step("p1", 2, "started"),
        step("p1", 2, "failed"),
        step("p1", 3, "not-run"),
        '{"plan":"p1","event":"step","apiName":"a","index":3,"sta',  # killed mid-write
    ]
    path.write_text("\n".join(lines))

    state = read_journal(path, "p1")

    assert state.started == {"a": {0, 1, 2}}
    assert state.finished == {"a": {0, 1}}
    assert read_journal(tmp_path / "missing.jsonl", "p1").started == {}


def test_reader_skips_a_line_nested_past_the_parser(tmp_path: Path) -> None:
    # A line too deep for the JSON parser is no entry, as a torn one: it was a RecursionError,
    # which ended every apply of the plan with exit 3 and a crash log.
    path = tmp_path / "x.journal.jsonl"
    started = {"plan": "p1", "event": "step", "apiName": "a", "index": 0, "status": "started"}
    path.write_text("[" * 100_000 + "\n" + json.dumps(started) + "\n", encoding="utf-8")

    assert read_journal(path, "p1").started == {"a": {0}}


def plan_for(environment: str, host: str) -> Plan:
    provenance = Provenance(
        environment=environment,
        endpointHost=host,
        toolVersion="0.1.0",
        createdAt="2026-11-28T12:00:00Z",
    )
    return Plan(provenance=provenance, changes=())


@pytest.mark.parametrize(
    ("environment", "host", "target"),
    [
        ("local", "127.0.0.1:40000", Target("local", "http://127.0.0.1:41000", "i", "s")),
        ("prod", "a.mktorest.com", Target("prod", "https://a.mktorest.com", "i", "s")),
        ("prod", "a.mktorest.com", Target("endpoint", "https://a.mktorest.com", "i", "s")),
        ("endpoint", "a.mktorest.com", Target("prod", "https://a.mktorest.com", "i", "s")),
    ],
)
def test_target_matches(environment: str, host: str, target: Target) -> None:
    check_target(plan_for(environment, host), target, "plans/x.json", Invocation())


def test_plan_for_another_environment_is_refused() -> None:
    target = Target("staging", "https://b.mktorest.com", "i", "s")
    with pytest.raises(RefusedError) as refused:
        check_target(plan_for("prod", "a.mktorest.com"), target, "plans/x.json",
                     Invocation.of("staging"))
    assert str(refused.value) == (
        "refusing to apply plans/x.json: it was made for environment 'prod' (host "
        "a.mktorest.com), but this apply targets environment 'staging' (host b.mktorest.com); "
        "nothing was changed\n"
        "  fix: apply it to the instance it was reviewed for (-e prod), or make a plan for this "
        "one with `activities plan -e staging`"
    )


@pytest.mark.parametrize(
    ("host", "endpoint"),
    [
        ("a.mktorest.com", "https://a.mktorest.com"),
        ("127.0.0.1:40000", "http://127.0.0.1:40000"),
        ("localhost:8787", "http://localhost:8787"),
        ("[::1]:8787", "http://[::1]:8787"),
    ],
)
def test_refusing_an_endpoint_plan_names_the_endpoint_that_reaches_it(
    host: str, endpoint: str
) -> None:
    target = Target("staging", "https://b.mktorest.com", "i", "s")
    with pytest.raises(RefusedError) as refused:
        check_target(plan_for("endpoint", host), target, "plans/x.json", Invocation())
    assert str(refused.value).endswith(
        f"  fix: apply it to the instance it was reviewed for (--endpoint {endpoint}), or make "
        "a plan for this one with `activities plan`"
    )


def test_local_plan_is_refused_elsewhere() -> None:
    target = Target("prod", "https://a.mktorest.com", "i", "s")
    with pytest.raises(RefusedError) as refused:
        check_target(plan_for("local", "127.0.0.1:40000"), target, "plans/x.json", Invocation())
    assert str(refused.value).startswith(
        "refusing to apply plans/x.json: it was made for environment 'local', but this apply "
        "targets environment 'prod' (host a.mktorest.com)"
    )


def test_the_journal_needs_no_posix_only_module() -> None:
    # fcntl does not exist on Windows: the journal's lock comes from filelock, when it is taken.
    code = (
        "import sys; sys.modules['fcntl'] = None\n"
        "import framework.apply.journal\n"
        "print('imported')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    # (filelock itself may warn there that it falls back to a soft lock.)
    assert (done.returncode, done.stdout) == (0, "imported\n"), done.stderr


def test_two_journals_of_one_plan_take_turns(tmp_path: Path) -> None:
    path = tmp_path / "plans" / "x.journal.jsonl"

    async def both() -> list[str]:
        order: list[str] = []
        first_holds = asyncio.Event()

        async def first() -> None:
            async with Journal(path, "p1") as journal:
                order.append("first in")
                journal.write({"event": "begin", "who": "first"})
                first_holds.set()
                await asyncio.sleep(0.2)
                order.append("first out")

        async def second() -> None:
            # Asks only once the first holds the lock, so the order below does not depend on
            # which thread the machine schedules first.
            await first_holds.wait()
            async with Journal(path, "p1") as journal:
                order.append("second in")
                journal.write({"event": "begin", "who": "second"})
                order.append("second out")

        await asyncio.gather(first(), second())
        return order

    assert asyncio.run(both()) == ["first in", "first out", "second in", "second out"]
    # The lock file stays out of plans/, which is reviewed and committed.
    assert sorted(p.name for p in path.parent.iterdir()) == ["x.journal.jsonl"]
    assert lock_path(path).name.startswith("x.journal.jsonl-")
    assert lock_path(path) != lock_path(tmp_path / "other" / "x.journal.jsonl")


def test_interactive_plan_names_never_collide(tmp_path: Path) -> None:
    now = datetime(2026, 11, 28, 12, 30, 0, 123456, tzinfo=UTC)
    tokens = iter(["aaaaaa", "aaaaaa", "bbbbbb"])
    first = interactive_plan_path(tmp_path, now, lambda: next(tokens))
    assert first == tmp_path / "plans" / "apply-20261128T123000.123456Z-aaaaaa.json"
    first.parent.mkdir()
    first.write_text("{}")
    # The same instant and the same random suffix: the name is taken, so another is drawn.
    second = interactive_plan_path(tmp_path, now, lambda: next(tokens))
    assert second == tmp_path / "plans" / "apply-20261128T123000.123456Z-bbbbbb.json"
    assert interactive_plan_path(tmp_path, now) != interactive_plan_path(tmp_path, now)
