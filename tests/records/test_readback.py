"""The read-back against a busy, late Marketo: bounded, patient, exact once. Each of these
sent records twice, or spent thousands of calls, or gave up too early, before the fix."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import Result

from framework.client.marketo import MarketoClient
from framework.records.source import fingerprint
from tests.records.support import (
    API_NAME,
    file_keys,
    install_type,
    many_records,
    record,
    stored_keys,
    write_jsonl,
    write_project,
)
from tests.records.test_send import WIDE, send


def _installed_then(emulator_factory: Any, tmp_path: Path, **later: Any) -> Any:
    """An emulator started with `later`'s settings over a state where the type is approved."""
    state = tmp_path / "state.json"
    clean = emulator_factory(state_file=state, **WIDE)
    install_type(clean.url, clean.config.client_id, clean.config.client_secret)
    clean.server.stop()
    return emulator_factory(state_file=state, **WIDE, **later)


def test_lost_answers_and_late_records_end_with_every_record_stored_once_and_exit_0(
    emulator_factory: Any, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    # Before: a read-back right after the lost answer missed the records Marketo had not
    # recorded yet, and sent them again: duplicates, for good.
    write_project(tmp_path)
    emulator = _installed_then(emulator_factory, tmp_path, fault_rate=0.3, seed=4,
                               fault_kinds=("lose",), record_visibility_delay=1.0)
    records = many_records(1500, leads=2000, seed=4)
    write_jsonl(tmp_path / "r.jsonl", records)
    result = cli("send", API_NAME, "r.jsonl", "--endpoint", emulator.url,
                 "--read-back-grace", "3", cwd=tmp_path, env=emulator.env)
    assert result.exit_code == 0, result.output
    assert Counter(stored_keys(emulator.url)) == Counter(file_keys(records))
    assert emulator.stats()["faults"].get("lose", 0) >= 3  # the case was met
    assert "read back after a lost answer" in result.stdout


def _pending_journal(path: Path, lines: int) -> None:
    """A journal as a run killed right after sending its first batch (of `lines` lines)."""
    path.with_suffix(".journal.jsonl").write_text(
        json.dumps({"event": "run", "run": 1, "sha256": fingerprint(path)}) + "\n"
        + json.dumps({"event": "sent", "batch": "1.1", "lines": list(range(1, lines + 1)),
                      "span": [1, lines], "sentAt": 1_600_000_000.0}) + "\n")


def _background(emulator: Any, count: int) -> None:
    httpx.post(f"{emulator.url}/_emulator/background", json={"count": count}).raise_for_status()


def test_a_lost_batch_walks_its_window_once_for_all_its_leads(
    emulator_factory: Any, tmp_path: Path
) -> None:
    # Before: 300 records on 300 leads were read 30 leads at a time: the window was walked
    # ten times over (and each page walks 300 activities of every type).
    emulator = _installed_then(emulator_factory, tmp_path)
    records = [record(lead) for lead in range(1, 301)]
    path = write_jsonl(tmp_path / "r.jsonl", records)
    _background(emulator, 3000)
    send(emulator, write_jsonl(tmp_path / "first.jsonl", records), 100001)
    _background(emulator, 3000)
    _pending_journal(path, 300)
    report = send(emulator, path, 100001)
    assert (report.read_back, report.found, report.batches) == (1, 300, 0)
    # A paging token, then 6,300 activities walked 300 a page: 21 pages.
    assert report.read_back_calls == 1 + 21
    assert Counter(stored_keys(emulator.url)) == Counter(file_keys(records))


def test_a_read_back_over_its_budget_stops_resumable_and_a_rerun_settles_it(
    emulator_factory: Any, tmp_path: Path
) -> None:
    emulator = _installed_then(emulator_factory, tmp_path)
    records = many_records(300, leads=2000)
    path = write_jsonl(tmp_path / "r.jsonl", records)
    send(emulator, write_jsonl(tmp_path / "first.jsonl", records), 100001)
    _background(emulator, 6000)
    _pending_journal(path, 300)
    stopped = send(emulator, path, 100001, budget=10)
    assert not stopped.complete
    assert stopped.error == (
        "could not read back batch 1.1 of an earlier run: reading back took its budget of 10 "
        "calls without settling the batch (a busy instance: every page walks 300 activities of "
        "all types) (endpoint GET /rest/v1/activities.json); it stays pending: run the same "
        "command again to go on")
    assert (stopped.read_back_calls, stopped.batches) == (10, 0)
    settled = send(emulator, path, 100001)
    assert settled.complete and (settled.found, settled.batches) == (300, 0)
    assert Counter(stored_keys(emulator.url)) == Counter(file_keys(records))


def test_the_paging_token_gets_ten_times_the_timeout_of_other_reads(
    emulator_factory: Any,
) -> None:
    # Adobe allows Get Paging Token 300 s, ten times the 30 s of other calls; the tool gave
    # it 30 s.
    emulator = emulator_factory(endpoint_latency_ms=(
        ("GET /rest/v1/activities/pagingtoken.json", 1500.0),))

    async def token() -> str:
        async with MarketoClient(emulator.url, emulator.config.client_id,
                                 emulator.config.client_secret, timeout_seconds=0.3,
                                 retry_budget_seconds=0.0,
                                 transport=httpx.AsyncHTTPTransport()) as client:
            return await client.paging_token("2026-01-01T00:00:00Z")

    assert asyncio.run(token())


def test_check_reads_the_records_offline_with_no_credentials(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    write_project(tmp_path)
    write_jsonl(tmp_path / "r.jsonl", [record(1), {"leadId": 0}, record(3, integerValue="7")])
    result = cli("send", API_NAME, "r.jsonl", "--check", cwd=tmp_path,
                 env={"MARKETO_CLIENT_ID": "", "MARKETO_CLIENT_SECRET": ""})
    assert result.exit_code == 2, result.output
    assert result.stdout.splitlines() == [
        "r.jsonl:2: leadId: 0 is not a lead id: expected a positive integer",
        "r.jsonl:2: activityDate: missing; every record needs leadId, activityDate, "
        "primaryAttributeValue",
        "r.jsonl:2: primaryAttributeValue: missing; every record needs leadId, activityDate, "
        "primaryAttributeValue",
        "r.jsonl:3: attributes.integerValue: '7' is not an integer (integer)",
        "3 record(s) of r.jsonl checked against attendEvent: 1 valid, 2 invalid"]
    assert not list(tmp_path.glob("r.jsonl.*")) and not (tmp_path / ".activities").exists()
    write_jsonl(tmp_path / "good.jsonl", [record(1)])
    good = cli("send", API_NAME, "good.jsonl", "--check", "--json", cwd=tmp_path)
    assert good.exit_code == 0
    assert json.loads(good.stdout) == {"event": "summary", "apiName": API_NAME,
                                       "file": "good.jsonl", "lines": 1, "valid": 1,
                                       "invalid": 0}


def test_progress_lines_reach_a_log_that_is_not_a_terminal(
    emulator_factory: Any, tmp_path: Path, cli: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Before: a resumed send read back for minutes and printed nothing outside a terminal.
    monkeypatch.setattr("framework.records.sender.PROGRESS_SECONDS", 0.05)
    write_project(tmp_path)
    emulator = emulator_factory(leads=2000, latency_ms=100)
    install_type(emulator.url, emulator.config.client_id, emulator.config.client_secret)
    write_jsonl(tmp_path / "r.jsonl", many_records(900, leads=2000))
    result = cli("send", API_NAME, "r.jsonl", "--endpoint", emulator.url, cwd=tmp_path,
                 env=emulator.env)
    assert result.exit_code == 0, result.output
    progress = [line for line in result.stderr.splitlines() if line.startswith("send: ")]
    assert progress, result.stderr
    assert progress[-1].endswith(" read-back calls")
    assert "900 added" in result.stdout


def test_the_batches_an_earlier_run_left_pending_are_read_back_in_parallel(
    emulator_factory: Any, tmp_path: Path
) -> None:
    # Before: a resumed send read its lost batches back one after another (10 took 324 s).
    from tests.conftest import HeldCalls

    held = HeldCalls()
    emulator = _installed_then(emulator_factory, tmp_path, sleep=held.sleep, latency_ms=1)
    records = many_records(300, leads=2000)
    path = write_jsonl(tmp_path / "r.jsonl", records)
    from framework.records.source import fingerprint as digest

    path.with_suffix(".journal.jsonl").write_text(
        json.dumps({"event": "run", "run": 1, "sha256": digest(path)}) + "\n" + "".join(
            json.dumps({"event": "sent", "batch": f"1.{n}",
                        "lines": list(range(start, start + 100)), "span": [start, start + 99],
                        "sentAt": 1_600_000_000.0}) + "\n"
            for n, start in ((1, 1), (2, 101), (3, 201))))
    held.expect(emulator, 1)  # the describe call below passes at once
    described = httpx.get(f"{emulator.url}/rest/v1/activities/external/type/{API_NAME}/"
                          "describe.json", headers={"Authorization": "Bearer " + httpx.get(
                              f"{emulator.url}/identity/oauth/token", params={
                                  "grant_type": "client_credentials",
                                  "client_id": emulator.config.client_id,
                                  "client_secret": emulator.config.client_secret},
                          ).json()["access_token"]}).json()["result"][0]
    # The three paging tokens must be in flight together, or the emulator never answers.
    held.expect(emulator, 3)

    async def run() -> Any:
        from framework.records.schema import RecordSchema
        from framework.records.sender import ReadBackOptions, send_file
        from tests.records.support import definition
        from tests.records.test_send import _no_wait, client_for

        async with client_for(emulator) as client:
            return await send_file(
                client, RecordSchema(definition()), path, type_id=100001,
                journal=path.with_suffix(".journal.jsonl"), rejects=path.with_suffix(".rej"),
                described=described, options=ReadBackOptions(sleep=_no_wait))

    report = asyncio.run(run())
    assert (report.read_back, report.found, report.batches) == (3, 0, 1)  # none stored: sent now
    stats = emulator.stats()
    assert stats["max_in_flight"] >= 3 and "611" not in stats["errors_by_code"], stats
    assert Counter(stored_keys(emulator.url)) == Counter(file_keys(records))
