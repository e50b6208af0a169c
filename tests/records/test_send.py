"""The sender against the emulator over HTTP: outcomes, batches, read-backs, resumes.

The client's waits are instant (a fake clock moved by its sleep, as in the apply tests) and
the emulator's window is wide, so no test waits on real time.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from framework.client.marketo import MarketoClient
from framework.errors import ConfigError
from framework.records.readback import READ_BACK_BUDGET
from framework.records.schema import RecordSchema
from framework.records.sender import ReadBackOptions, SendReport, send_file
from tests.records.support import (
    definition,
    file_keys,
    install_type,
    many_records,
    record,
    stored_keys,
    write_jsonl,
)
from tests.support.clocks import FakeTime

WIDE = {"rate_limit_calls": 100_000, "leads": 2000}


def client_for(emulator: Any, seed: int | None = None) -> MarketoClient:
    time = FakeTime()
    return MarketoClient(emulator.url, emulator.config.client_id, emulator.config.client_secret,
                         retry_budget_seconds=120.0, timeout_seconds=5.0, clock=time.clock,
                         sleep=time.sleep, seed=seed,
                         transport=httpx.AsyncHTTPTransport(verify=False))


def send(emulator: Any, path: Path, type_id: int, seed: int | None = None,
         events: list[tuple[str, dict[str, Any]]] | None = None,
         budget: int = READ_BACK_BUDGET) -> SendReport:
    async def run() -> SendReport:
        async with client_for(emulator, seed) as client:
            # The read-back's grace period passes at once: the emulator records no one late.
            options = ReadBackOptions(read_back_budget=budget, sleep=_no_wait)
            return await send_file(
                client, RecordSchema(definition()), path, type_id=type_id,
                journal=path.with_suffix(".journal.jsonl"), rejects=path.with_suffix(".rej"),
                listener=(lambda e, d: events.append((e, d))) if events is not None else None,
                options=options)

    return asyncio.run(run())


async def _no_wait(seconds: float) -> None:
    await asyncio.sleep(0)


def faulty(emulator_factory: Any, tmp_path: Path, seed: int) -> tuple[Any, int]:
    """An emulator with seeded faults whose type was installed before the faults began."""
    state = tmp_path / f"state-{seed}.json"
    clean = emulator_factory(state_file=state, **WIDE)
    type_id = install_type(clean.url, clean.config.client_id, clean.config.client_secret)
    clean.server.stop()
    return emulator_factory(state_file=state, fault_rate=0.3, seed=seed, **WIDE), type_id


@pytest.fixture
def live(emulator_factory: Any) -> tuple[Any, int]:
    emulator = emulator_factory(**WIDE)
    return emulator, install_type(emulator.url, emulator.config.client_id,
                                  emulator.config.client_secret)


def test_every_record_is_added_skipped_or_rejected_with_its_line(
    live: tuple[Any, int], tmp_path: Path
) -> None:
    emulator, type_id = live
    good = [record(1, integerValue=3), record(2), record(5000), record(3)]
    path = write_jsonl(tmp_path / "r.jsonl", good[:2] + [good[2]])
    with path.open("a") as handle:
        handle.write("{not json\n\n")
        handle.write(json.dumps(record(4, integerValue="3")) + "\n")
        handle.write(json.dumps(good[3]) + "\n")
    events: list[tuple[str, dict[str, Any]]] = []
    report = send(emulator, path, type_id, events=events)
    assert (report.added, report.skipped, report.invalid, report.not_sent, report.batches,
            report.complete, report.all_added) == (3, 1, 2, 0, 1, True, False)
    assert stored_keys(emulator.url) == file_keys([good[0], good[1], good[3]])
    rejects = [json.loads(line) for line in path.with_suffix(".rej").read_text().splitlines()]
    assert rejects == [
        {"line": 4, "outcome": "invalid", "reasons": [
            "not JSON: Expecting property name enclosed in double quotes: line 1 column 2 "
            "(char 1)"]},
        {"line": 6, "outcome": "invalid", "reasons": [
            "attributes.integerValue: '3' is not an integer (integer)"]},
        {"line": 3, "outcome": "skipped", "reasons": [
            {"code": "1004", "message": "Lead not found"}]},
    ]
    assert ("batch", {"batch": "1.1", "added": [1, 2, 7],
                      "skipped": [{"line": 3, "reasons": [
                          {"code": "1004", "message": "Lead not found"}]}]}) in events


def test_batches_hold_at_most_300_records(live: tuple[Any, int], tmp_path: Path) -> None:
    emulator, type_id = live
    records = many_records(901, leads=2000)
    report = send(emulator, write_jsonl(tmp_path / "r.jsonl", records), type_id)
    assert (report.added, report.batches) == (901, 4)
    assert emulator.stats()["calls_by_endpoint"]["POST /rest/v1/activities/external.json"] == 4
    assert stored_keys(emulator.url) == file_keys(records)


def test_a_run_again_sends_nothing_and_a_changed_file_is_refused(
    live: tuple[Any, int], tmp_path: Path
) -> None:
    emulator, type_id = live
    path = write_jsonl(tmp_path / "r.jsonl", many_records(400, leads=2000))
    send(emulator, path, type_id)
    again = send(emulator, path, type_id)
    assert (again.added, again.batches, again.earlier) == (0, 0, 400)
    assert len(stored_keys(emulator.url)) == 400
    path.write_text(path.read_text() + json.dumps(record(9)) + "\n")
    with pytest.raises(ConfigError) as caught:
        send(emulator, path, type_id)
    assert str(caught.value).startswith(f"{path} changed since an earlier send recorded in ")


def test_under_seeded_faults_no_record_is_lost_or_stored_twice(
    emulator_factory: Any, tmp_path: Path
) -> None:
    lost = found = 0
    for seed in range(12):
        emulator, type_id = faulty(emulator_factory, tmp_path, seed)
        records = many_records(1500, leads=2000, seed=seed)
        path = write_jsonl(tmp_path / f"r{seed}.jsonl", records)
        reports = []
        for _ in range(6):  # a run may stop (retries spent, a read-back failed); rerun resumes
            reports.append(send(emulator, path, type_id, seed=seed))
            if reports[-1].complete:
                break
        assert reports[-1].complete, (seed, [r.error for r in reports])
        assert Counter(stored_keys(emulator.url)) == Counter(file_keys(records)), seed
        assert sum(r.added for r in reports) == 1500
        lost += emulator.stats()["faults"].get("lose", 0)
        found += sum(r.found for r in reports)
        emulator.server.stop()
    # The faults that matter were met: answers lost after the records were stored.
    assert lost >= 5 and found >= 300, (lost, found)


def test_a_pending_batch_of_a_killed_run_is_read_back_before_anything_is_sent(
    live: tuple[Any, int], tmp_path: Path
) -> None:
    emulator, type_id = live
    records = many_records(600, leads=2000)
    path = write_jsonl(tmp_path / "r.jsonl", records)
    send(emulator, write_jsonl(tmp_path / "half.jsonl", records[:300]), type_id)
    # A journal as a run killed right after sending its first batch leaves it.
    journal = path.with_suffix(".journal.jsonl")
    from framework.records.source import fingerprint

    journal.write_text(
        json.dumps({"event": "run", "run": 1, "sha256": fingerprint(path)}) + "\n"
        + json.dumps({"event": "sent", "batch": "1.1", "lines": list(range(1, 301)),
                      "span": [1, 300], "sentAt": 1_600_000_000.0}) + "\n")
    report = send(emulator, path, type_id)
    assert (report.read_back, report.found, report.added, report.batches) == (1, 300, 300, 1)
    assert Counter(stored_keys(emulator.url)) == Counter(file_keys(records))
