"""The fault campaign: seeded transient errors, dropped connections and lost responses.

One plan (update, replace, delete and create, with an unmanaged type beside them) is applied
to 100 emulators that start from the same state and differ only in their fault seed. Each must
converge within three runs, deleting nothing the plan does not delete. The first run of each
seed is also crashed (cancelled with calls in flight) at a seeded step, so every seed resumes
from its journal under faults. The client's waits are instant (a fake clock moved by its sleep)
and its retry budget small (45 fake seconds: two rate-limit waits), so some runs fail outright.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest

from framework.apply import apply_plan
from framework.apply.journal import Journal
from framework.apply.model import ApplyEvent, ApplyResult, StepEvent
from framework.emulator.config import EmulatorConfig
from framework.emulator.server import EmulatorServer
from framework.errors import MarketoError
from framework.live import LiveState
from framework.plan.model import Plan
from framework.plan.read import read_live
from tests.apply.apply_support import client_for, plan_for, write_type

SEEDS = range(100)
FAULT_RATE = 0.2
RUNS = 3
STEPS = 11  # the campaign plan's steps (checked below)


@dataclass(frozen=True)
class Campaign:
    """The shared starting point: the state file, the plan, and the expected end."""

    base_state: Path
    plan: Plan
    config: EmulatorConfig
    base_ids: dict[str, int | None]
    expected: dict[str, object]  # apiName -> live type without its id, after a faultless apply


class Running:
    """An emulator for one seed (the tests' `emulator` shape, for apply_support)."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.server = EmulatorServer(config)
        self.url = self.server.start()

    def stop(self) -> None:
        self.server.stop()


def _without_ids(live: LiveState) -> dict[str, object]:
    return {name: t.model_dump(exclude={"id"}) for name, t in live.types.items()}


async def _read(emulator: Running) -> LiveState:
    async with client_for(emulator) as client:
        return await read_live(client)


async def _apply(
    emulator: Running, plan: Plan, journal: Path, seed: int, crash_after: int = 0
) -> ApplyResult | None:
    """One run; with `crash_after`, it is cancelled mid-flight (None) after that many step
    events, like a process killed while calls are in the air."""
    task = asyncio.current_task()
    assert task is not None
    seen = 0

    def crash(event: ApplyEvent) -> None:
        nonlocal seen
        seen += isinstance(event, StepEvent)
        if crash_after and seen == crash_after:
            task.cancel()

    async with (
        client_for(emulator, budget=45.0, seed=seed) as client,
        Journal(journal, plan.checksum) as open_journal,
    ):
        try:
            return await apply_plan(plan, client, journal=open_journal, listeners=[crash])
        except asyncio.CancelledError:
            task.uncancel()
            return None


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Campaign]:
    project = tmp_path_factory.mktemp("campaign")
    (project / "pyproject.toml").write_text("[tool.activities]\nmax_types = 10\n")
    (project / "activities").mkdir()
    state = project / "base-state.json"
    config = EmulatorConfig(
        client_id="campaign-id", client_secret="campaign-secret-0123", state_file=state
    )
    base = Running(config)
    for name in ("keepType", "replaceType", "dropType", "otherType"):
        write_type(project, name)
    asyncio.run(_apply(base, plan_for(project, base), project / "base.journal.jsonl", 0))
    base_ids = {n: t.id for n, t in asyncio.run(_read(base)).types.items()}
    # The reviewed change: update keepType, replace replaceType (new primary), delete dropType,
    # create one; otherType's file goes away, so it is unmanaged and must survive.
    write_type(
        project,
        "keepType",
        version=2,
        name="Keep Type Renamed",
        attributes=(("seats", "integer"), ("venue", "string"), ("room", "string")),
    )
    write_type(project, "replaceType", version=2, primary=("code", "string"))
    write_type(project, "dropType", version=2, ensure="absent")
    (project / "activities" / "otherType.yaml").unlink()
    write_type(project, "newType", attributes=(("alpha", "string"), ("beta", "integer")))
    plan = plan_for(project, base, allow_destructive=True)
    base.stop()  # persists the starting state
    shutil.copy(state, project / "reference-state.json")
    reference = Running(replace(config, state_file=project / "reference-state.json"))
    first = asyncio.run(_apply(reference, plan, project / "reference.journal.jsonl", 0))
    assert first.outcome == "applied", first
    expected = _without_ids(asyncio.run(_read(reference)))
    reference.stop()
    yield Campaign(state, plan, config, base_ids, expected)


def test_the_campaign_plan_exercises_every_kind_of_change(campaign: Campaign) -> None:
    actions = {c.apiName: c.action for c in campaign.plan.changes}
    assert actions == {
        "dropType": "delete",
        "keepType": "update",
        "newType": "create",
        "replaceType": "replace",
    }
    assert campaign.plan.unmanaged == ("otherType",)
    assert sum(len(c.steps) for c in campaign.plan.changes) == STEPS


OUTCOMES: Counter[str] = Counter()  # outcome of every run of every seed
FAULTS: Counter[str] = Counter()  # faults the emulators injected, by kind
RECONCILED: Counter[str] = Counter()  # steps accepted after a re-read
RAN: set[int] = set()  # seeds whose campaign test has run


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """A folder in memory when the system has one: the emulator's state file and the journal
    fsync on every write, which on a busy disk would dominate the campaign's time. (The
    SIGKILL test keeps its journal on disk.)"""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="apply-campaign-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("seed", SEEDS)
def test_apply_converges_under_faults(seed: int, campaign: Campaign, scratch: Path) -> None:
    RAN.add(seed)
    tmp_path = scratch
    state = tmp_path / "state.json"
    shutil.copy(campaign.base_state, state)
    faulty = Running(replace(campaign.config, fault_rate=FAULT_RATE, seed=seed, state_file=state))
    journal = tmp_path / "plan.journal.jsonl"
    outcomes: list[str] = []
    # The first run crashes at a seeded step (or finishes first); two more may follow.
    crash_after = random.Random(seed).randint(1, 2 * STEPS)
    try:
        for run in range(RUNS):
            try:
                result = asyncio.run(
                    _apply(faulty, campaign.plan, journal, seed, crash_after if run == 0 else 0)
                )
            except MarketoError as exc:  # a re-read failed for good: nothing else was sent then
                outcomes.append(f"error: {type(exc).__name__}")
                continue
            outcomes.append(result.outcome if result else "crashed")
            if result is not None and result.ok:
                break
        FAULTS.update(httpx.get(f"{faulty.url}/_emulator/stats").json()["faults"])
    finally:
        faulty.stop()
    OUTCOMES.update(outcomes)
    RECONCILED["steps"] += journal.read_text().count('"status":"reconciled"')
    assert outcomes[-1] in ("applied", "already-applied"), outcomes
    clean = Running(replace(campaign.config, state_file=state))
    try:
        live = asyncio.run(_read(clean))
    finally:
        clean.stop()
    assert _without_ids(live) == campaign.expected
    # Nothing deleted that the plan does not delete: the updated and unmanaged types keep their ids.
    for name in ("keepType", "otherType"):
        assert live.types[name].id == campaign.base_ids[name]


def test_the_campaign_saw_failed_runs_and_resumed_them(campaign: Campaign, tmp_path: Path) -> None:
    """Guards the campaign itself: every kind of fault happened, some runs failed and were
    resumed, and some steps were accepted after a lost answer."""
    for seed in sorted(set(SEEDS) - RAN):  # selected alone (-k): the campaign runs here first
        folder = tmp_path / str(seed)
        folder.mkdir()
        test_apply_converges_under_faults(seed, campaign, folder)
    assert OUTCOMES["applied"] + OUTCOMES["already-applied"] == len(SEEDS), OUTCOMES
    assert OUTCOMES["crashed"] > len(SEEDS) // 2, OUTCOMES
    assert min(FAULTS["error"], FAULTS["drop"], FAULTS["lose"]) > 0, FAULTS
    assert RECONCILED["steps"] > 0
