"""`activities send` end to end: the CLI against the emulator over HTTP, and a SIGKILL."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

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


@pytest.fixture
def live(emulator_factory: Any, tmp_path: Path) -> Any:
    write_project(tmp_path)
    emulator = emulator_factory(leads=2000)
    install_type(emulator.url, emulator.config.client_id, emulator.config.client_secret)
    return emulator


def test_a_clean_send_exits_0_and_says_what_it_did(
    live: Any, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    records = many_records(301, leads=2000)
    write_jsonl(tmp_path / "r.jsonl", records)
    result = cli("send", API_NAME, "r.jsonl", "--endpoint", live.url, cwd=tmp_path,
                 env=live.env)
    assert result.exit_code == 0, result.output
    host = live.url.removeprefix("http://").replace(":", "-")
    assert result.stdout.splitlines()[:2] == [
        f"{API_NAME} records from r.jsonl, type id 100001 from the instance, looked up by "
        f"apiName (1 call; no lock file at activities/.lock/endpoint-{host}.json "
        "(no apply has recorded one yet)):",
        "  301 added, 0 skipped by Marketo, 0 invalid (not sent), 0 not sent"]
    assert stored_keys(live.url) == file_keys(records)
    assert (tmp_path / f"r.jsonl.{host}.100001.journal.jsonl").is_file()


def test_json_reports_each_record_and_exit_2_when_some_were_not_added(
    live: Any, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    path = write_jsonl(tmp_path / "r.jsonl", [record(1), record(9999), {"leadId": 2}])
    result = cli("send", API_NAME, str(path), "--endpoint", live.url, "--json",
                 "--rejects", "bad.jsonl", cwd=tmp_path, env=live.env)
    assert result.exit_code == 2, result.output
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["event"] for e in events] == ["invalid", "batch", "summary"]
    assert events[0] == {"event": "invalid", "line": 3, "reasons": [
        "activityDate: missing; every record needs leadId, activityDate, primaryAttributeValue",
        "primaryAttributeValue: missing; every record needs leadId, activityDate, "
        "primaryAttributeValue"]}
    assert events[1]["added"] == [1]
    assert events[1]["skipped"] == [{"line": 2, "reasons": [
        {"code": "1004", "message": "Lead not found"}]}]
    summary = events[2]
    assert (summary["added"], summary["skipped"], summary["invalid"], summary["complete"]) == (
        1, 1, 1, True)
    assert [json.loads(x)["line"] for x in (tmp_path / "bad.jsonl").read_text().splitlines()] \
        == [3, 2]


def test_csv_with_a_header(live: Any, tmp_path: Path, cli: Callable[..., Result]) -> None:
    (tmp_path / "r.csv").write_text(
        "leadId,activityDate,primaryAttributeValue,integerValue,booleanValue,stringValue\n"
        "1,2026-09-26T06:56:35Z,Expo,42,true,\n"
        '2,2026-09-26T06:56:35Z,"Expo, day 2",x,false,"two ""quoted"" words"\n'
        "3,2026-09-26T06:56:35Z,Expo 3,7,FALSE,hall\n")
    result = cli("send", API_NAME, "r.csv", "--endpoint", live.url, cwd=tmp_path, env=live.env)
    assert result.exit_code == 2, result.output
    assert stored_keys(live.url) == file_keys([
        {"leadId": 1, "activityDate": "2026-09-26T06:56:35Z", "primaryAttributeValue": "Expo",
         "attributes": {"integerValue": 42, "booleanValue": True}},
        {"leadId": 3, "activityDate": "2026-09-26T06:56:35Z", "primaryAttributeValue": "Expo 3",
         "attributes": {"integerValue": 7, "booleanValue": False, "stringValue": "hall"}}])
    [reject] = (tmp_path / "r.csv.rejects.jsonl").read_text().splitlines()
    assert json.loads(reject) == {"line": 3, "outcome": "invalid", "reasons": [
        "attributes.integerValue: 'x' is not an integer (integer)"]}


@pytest.mark.parametrize(("args", "message"), [
    (("nope", "r.jsonl"), "Error: no definition of type 'nope' (defined: attendEvent)\n"
                          "  fix: pass the apiName of a type under activities/\n"),
    ((API_NAME, "missing.jsonl"), "Error: missing.jsonl: no such record file\n"
                                  "  fix: check the path\n"),
])
def test_bad_input_is_one_message_and_exit_1(
    live: Any, tmp_path: Path, cli: Callable[..., Result], args: tuple[str, ...], message: str
) -> None:
    write_jsonl(tmp_path / "r.jsonl", [record(1)])
    result = cli("send", *args, "--endpoint", live.url, cwd=tmp_path, env=live.env)
    assert (result.exit_code, result.stderr) == (1, message)
    assert stored_keys(live.url) == []


def test_a_csv_header_that_does_not_fit_stops_before_sending(
    live: Any, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    (tmp_path / "r.csv").write_text("leadId,activityDate,colour\n1,2026-09-26T06:56:35Z,red\n")
    result = cli("send", API_NAME, "r.csv", "--endpoint", live.url, cwd=tmp_path, env=live.env)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: r.csv:1: the CSV header does not fit attendEvent: missing column "
        "primaryAttributeValue; unknown column colour (attributes of attendEvent: ")
    assert stored_keys(live.url) == []


def _kill_after(process: subprocess.Popen[bytes], journal: Path, lines: int) -> int:
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


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_send_killed_with_sigkill_completes_exactly_once_when_run_again(
    seed: int, emulator_factory: Any, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    write_project(tmp_path)
    emulator = emulator_factory(leads=30, latency_ms=30)
    install_type(emulator.url, emulator.config.client_id, emulator.config.client_secret)
    records = many_records(1500, leads=30, seed=seed)
    write_jsonl(tmp_path / "r.jsonl", records)
    host = emulator.url.removeprefix("http://").replace(":", "-")
    journal = tmp_path / f"r.jsonl.{host}.100001.journal.jsonl"
    # After the `run` line each batch writes `sent`, then its outcome: 2 lines per batch.
    kill_at = random.Random(seed).randint(2, 9)
    process = subprocess.Popen(
        [sys.executable, "-m", "framework", "send", API_NAME, "r.jsonl", "--endpoint",
         emulator.url, "--read-back-grace", "0"], cwd=tmp_path, env={**os.environ, **emulator.env},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = _kill_after(process, journal, kill_at)
    assert seen >= kill_at and process.returncode == -signal.SIGKILL, "finished before the kill"
    assert Counter(stored_keys(emulator.url)) != Counter(file_keys(records))

    # No record is recorded late here: a record not read back is missing at once.
    resumed = cli("send", API_NAME, "r.jsonl", "--endpoint", emulator.url,
                  "--read-back-grace", "0", cwd=tmp_path, env=emulator.env)
    assert resumed.exit_code == 0, resumed.output
    assert Counter(stored_keys(emulator.url)) == Counter(file_keys(records))
    again = cli("send", API_NAME, "r.jsonl", "--endpoint", emulator.url, cwd=tmp_path,
                env=emulator.env)
    assert again.exit_code == 0 and "  0 batch(es)" in again.stdout
    assert len(stored_keys(emulator.url)) == 1500


def test_on_local_the_type_id_comes_from_the_lock_file_apply_wrote(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    write_project(tmp_path)
    applied = cli("apply", "--yes", cwd=tmp_path)
    assert applied.exit_code == 0, applied.output
    write_jsonl(tmp_path / "r.jsonl", [record(1), record(2)])
    result = cli("send", API_NAME, "r.jsonl", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        f"{API_NAME} records from r.jsonl, type id 100001 from the lock file "
        ".activities/lock/local.json, confirmed by the instance:",
        "  2 added, 0 skipped by Marketo, 0 invalid (not sent), 0 not sent"]
    assert (tmp_path / "r.jsonl.local.100001.journal.jsonl").is_file()


def test_a_type_not_on_the_instance_gets_a_fix_that_targets_it(
    emulator_factory: Any, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    # Printed as `activities plan -e endpoint` (no such environment) and `-e local` with the
    # embedded instance's throw-away port, the hint could not be followed as printed.
    write_project(tmp_path)
    write_jsonl(tmp_path / "r.jsonl", [record(1)])
    emulator = emulator_factory()
    result = cli("send", API_NAME, "r.jsonl", "--endpoint", emulator.url, cwd=tmp_path,
                 env=emulator.env)
    host = emulator.url.removeprefix("http://")
    assert (result.exit_code, result.stderr) == (1, (
        f"Error: type {API_NAME} does not exist on endpoint ({host})\n"
        f"  fix: `activities plan --endpoint {emulator.url}`, then apply it\n"))
    result = cli("send", API_NAME, "r.jsonl", "--dir", "activities", cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (1, (
        f"Error: type {API_NAME} does not exist on local (embedded emulator)\n"
        "  fix: `activities plan --dir activities`, then apply it\n"))
