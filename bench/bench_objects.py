"""Custom object benchmarks: plan and apply of 10 custom object types of 50 fields each
against the emulator with 100 ms latency, as ratios to the round-trip bound.

The bound is the fewest round trips the required calls need at Marketo's 10 concurrent calls
and 100 calls per 20 s (never binding here: under 50 calls a run), counting the order links
impose, times the latency (the emulator adds none to the token call):

- plan, nothing live: the two lists (activity types, custom object types) at once: 1 round trip;
- plan, the 10 types live and approved: the lists, then the 10 describes: 2 round trips;
- apply of the 10 creates: per type Sync, Add Fields (50 in one call), Approve, one after
  another, the 10 types side by side: 3 round trips; with the re-read before (1: the list) and
  the verify after (2: the list, then the describes) that apply also makes, 6;
- apply of 5 edges and 5 bridges that link to them: the bridges' three calls wait for the
  edges' approves (Adobe: approve the edge before a bridge links to it): 6, 9 with the reads.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import git  # noqa: E402, F401 - imported once up front: its import time is not a plan's

from framework.apply.executor import apply_plan  # noqa: E402
from framework.client.marketo import MarketoClient, Pacing  # noqa: E402
from framework.definitions.model import DefinitionFile  # noqa: E402
from framework.emulator.config import EmulatorConfig  # noqa: E402
from framework.emulator.server import EmulatorServer  # noqa: E402
from framework.environment import Target  # noqa: E402
from framework.kinds.custom_object.model import CustomObject  # noqa: E402
from framework.plan.model import Plan  # noqa: E402
from framework.plan.pipeline import make_plan  # noqa: E402
from framework.settings import Settings  # noqa: E402

LATENCY_S = 0.1
CLIENT_ID, SECRET = "bench-client", "bench-secret"
TYPES, FIELDS = 10, 50


def _definition(index: int, *, bridge_to: str | None = None) -> CustomObject:
    fields: list[dict[str, Any]] = [
        {"name": "code", "displayName": "Code", "dataType": "string", "isDedupeField": True}]
    if bridge_to is not None:
        fields += [
            {"name": "edgeId", "displayName": "Edge", "dataType": "link",
             "relatedTo": {"name": bridge_to, "field": "code"}},
            {"name": "personId", "displayName": "Person", "dataType": "link",
             "relatedTo": {"name": "lead", "field": "id"}},
        ]
    fields += [{"name": f"field{i}", "displayName": f"Field {i}", "dataType": "string",
                "description": "A benchmark field"} for i in range(FIELDS - len(fields))]
    return CustomObject.model_validate({
        "kind": "customObject", "version": 1, "apiName": f"benchObject{index}",
        "displayName": f"Bench Object {index}", "description": "A benchmark type",
        "fields": fields,
    })


def _files(linked: bool) -> list[DefinitionFile]:
    half = TYPES // 2
    definitions = [
        _definition(i, bridge_to=f"benchObject{i - half}" if linked and i >= half else None)
        for i in range(TYPES)
    ]
    return [DefinitionFile(path=f"activities/{d.apiName}.yaml", definition=d)
            for d in definitions]


async def _plan(url: str, files: list[DefinitionFile], folder: Path) -> tuple[Plan, float]:
    started = time.perf_counter()
    async with MarketoClient(url, CLIENT_ID, SECRET, pacing=Pacing()) as client:
        plan = await make_plan(
            Settings(root=folder), Target("endpoint", url, CLIENT_ID, SECRET), client, folder,
            allow_destructive=False, definitions=files,
        )
    return plan, time.perf_counter() - started


async def _apply(url: str, plan: Plan) -> tuple[float, int, int]:
    started = time.perf_counter()
    async with MarketoClient(url, CLIENT_ID, SECRET, pacing=Pacing()) as client:
        result = await apply_plan(plan, client)
        calls = client.stats.calls
    assert result.outcome == "applied", result
    return time.perf_counter() - started, calls, result.mutatingCalls


def _ratio(seconds: float, trips: int) -> str:
    bound = trips * LATENCY_S
    return (f"{seconds:.2f} s = {seconds / bound:.2f} x the bound ({trips} round trips, "
            f"{bound:.1f} s)")


def _case(linked: bool, folder: Path) -> list[dict[str, str]]:
    config = EmulatorConfig(client_id=CLIENT_ID, client_secret=SECRET,
                            latency_ms=LATENCY_S * 1000)
    files = _files(linked)
    case = (f"{TYPES} types x {FIELDS} fields" + (", 5 bridges linked to 5 edges" if linked
                                                   else ""))
    with EmulatorServer(config) as server:
        created, plan_wall = asyncio.run(_plan(server.url, files, folder))
        apply_wall, calls, mutating = asyncio.run(_apply(server.url, created))
        replanned, replan_wall = asyncio.run(_plan(server.url, files, folder))
    assert not replanned.has_changes, "the applied types should match their definitions"
    waves = len(created.objectOrder)
    return [
        {"benchmark": "custom objects (latency 100 ms)", "case": f"plan, nothing live: {case}",
         "result": f"{_ratio(plan_wall, 1)}; {created.readCalls} calls + token"},
        {"benchmark": "custom objects (latency 100 ms)", "case": f"apply: {case}",
         "result": (f"{_ratio(apply_wall, 3 * waves)} for its {mutating} changing calls; "
                    f"{apply_wall / ((3 * waves + 3) * LATENCY_S):.2f} x the "
                    f"{3 * waves + 3} round trips with the re-read and the verify; "
                    f"{calls} calls + token")},
        {"benchmark": "custom objects (latency 100 ms)", "case": f"plan, all live: {case}",
         "result": f"{_ratio(replan_wall, 2)}; {replanned.readCalls} calls + token"},
    ]


def run() -> list[dict[str, str]]:
    folder = Path(__file__).resolve().parent.parent
    return [*_case(False, folder), *_case(True, folder)]


if __name__ == "__main__":
    for row in run():
        print(f"{row['benchmark']} | {row['case']} | {row['result']}")
