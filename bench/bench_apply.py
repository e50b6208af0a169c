"""Apply: wall time and calls to create 10 types of 10 attributes with 100 ms of latency.

Against the lower bound (a token, then create, attribute batch and approve as three round trips
run in parallel across the types) and beside a sequential baseline that sends the same steps
one at a time. Our apply also re-reads the types before (staleness) and after (verify); the
`steps only` row is the time between those reads.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from framework.apply import apply_plan
from framework.apply.journal import Journal
from framework.apply.model import ApplyEvent, Notice
from framework.apply.runner import send
from framework.client.marketo import MarketoClient
from framework.environment import Target
from framework.plan.model import Plan
from framework.plan.pipeline import make_plan
from framework.settings import Settings

TYPES = 10
ATTRIBUTES = 10
LATENCY_MS = 100.0
CASE = f"create {TYPES} types x {ATTRIBUTES} attributes, {LATENCY_MS:g} ms latency"
DATA_TYPES = (
    "string",
    "integer",
    "boolean",
    "float",
    "date",
    "datetime",
    "link",
    "email",
    "phone",
    "text",
)


def _definition(number: int) -> str:
    lines = [
        "version: 1",
        f"apiName: benchType{number}",
        f"name: Bench Type {number}",
        f"triggerName: Does Bench {number}",
        f"filterName: Did Bench {number}",
        "primaryAttribute:",
        "  apiName: label",
        "  name: Label",
        "attributes:",
    ]
    for index, data_type in enumerate(DATA_TYPES[:ATTRIBUTES]):
        lines += [
            f"  - apiName: field{index}",
            f"    name: Field {index}",
            f"    dataType: {data_type}",
        ]
    return "\n".join(lines) + "\n"


class _Emulator:
    """The emulator in its own process, so that its work does not compete with the client's
    for this interpreter's lock; stopped (SIGTERM) on exit."""

    client_id = "local-client"
    client_secret = "local-secret"

    def __enter__(self) -> _Emulator:
        command = [sys.executable, "-m", "framework", "emulator", "--port", "0"]
        command += ["--latency-ms", f"{LATENCY_MS:g}", "--max-types", str(TYPES)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _client(server: _Emulator) -> MarketoClient:
    return MarketoClient(server.url, server.client_id, server.client_secret)


async def _plan(root: Path, server: _Emulator) -> Plan:
    folder = root / "activities"
    folder.mkdir()
    for number in range(1, TYPES + 1):
        (folder / f"benchType{number}.yaml").write_text(_definition(number))
    settings = Settings(root=root, max_types=TYPES)
    target = Target("endpoint", server.url, server.client_id, server.client_secret)
    async with _client(server) as client:
        return await make_plan(settings, target, client, folder, allow_destructive=False)


class _Marks:
    """When the first phase started and the verify began, from apply's own events."""

    # A plain class: bench/run.py loads this file without registering it, which dataclasses need.
    def __init__(self) -> None:
        self.at: dict[str, float] = {}

    def __call__(self, event: ApplyEvent) -> None:
        if isinstance(event, Notice):
            self.at.setdefault(event.kind, time.perf_counter())


async def _apply(
    plan: Plan, server: _Emulator, journal: Path
) -> tuple[float, float, dict[str, int]]:
    marks = _Marks()
    async with _client(server) as client, Journal(journal, plan.checksum) as opened:
        started = time.perf_counter()
        result = await apply_plan(plan, client, journal=opened, listeners=[marks])
        wall = time.perf_counter() - started
        assert result.outcome == "applied", result
        counts = {
            "calls": client.stats.calls,
            "mutating": result.mutatingCalls,
            "token": client.stats.token_requests,
        }
    return wall, marks.at["verify"] - marks.at["phase"], counts


async def _sequential(plan: Plan, server: _Emulator) -> tuple[float, int]:
    async with _client(server) as client:
        started = time.perf_counter()
        for change in plan.changes:
            for step in change.steps:
                await send(client, step)
        return time.perf_counter() - started, client.stats.calls


def run() -> list[dict[str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with _Emulator() as server:
            plan = asyncio.run(_plan(root, server))
            journal = root / "plans" / "bench.journal.jsonl"
            wall, steps_wall, counts = asyncio.run(_apply(plan, server, journal))
        with _Emulator() as server:
            sequential, sequential_calls = asyncio.run(_sequential(plan, server))
    steps = sum(len(c.steps) for c in plan.changes)
    rtt = LATENCY_MS / 1000
    bound = 4 * rtt
    return [
        {
            "benchmark": "apply",
            "case": CASE,
            "result": (
                f"{wall:.2f} s, {counts['calls']} calls ({counts['mutating']} mutating, "
                f"{counts['calls'] - counts['mutating']} reads for staleness and verify) "
                f"+ {counts['token']} token"
            ),
        },
        {
            "benchmark": "apply",
            "case": f"{CASE}: steps only",
            "result": f"{steps_wall:.2f} s, {counts['mutating']} calls",
        },
        {
            "benchmark": "apply",
            "case": f"{CASE}: lower bound",
            "result": (
                f"{bound:.2f} s (token + 3 round trips; steps alone {bound - rtt:.2f} s), "
                f"{steps} calls; with apply's re-reads (list before; list, describes after) "
                f"{bound + 3 * rtt:.2f} s"
            ),
        },
        {
            "benchmark": "apply",
            "case": f"{CASE}: sequential baseline",
            "result": f"{sequential:.2f} s, {sequential_calls} calls (no re-reads)",
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row['case']}: {row['result']}")
