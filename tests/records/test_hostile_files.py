"""Hostile and damaged record files: every bad record is rejected alone, never fatal.

Each case was found against a real send and crashed it, or sent wrong data, before the fix.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from framework.records.schema import RecordSchema
from framework.records.source import MAX_LINE_BYTES, read_lines
from tests.records.support import (
    API_NAME,
    definition,
    file_keys,
    install_type,
    record,
    stored_keys,
    write_project,
)


@pytest.fixture
def live(emulator_factory: Any, tmp_path: Path) -> Any:
    write_project(tmp_path)
    emulator = emulator_factory(leads=2000)
    install_type(emulator.url, emulator.config.client_id, emulator.config.client_secret)
    return emulator


def _send(cli: Callable[..., Result], live: Any, tmp_path: Path, name: str) -> Result:
    return cli("send", API_NAME, name, "--endpoint", live.url, cwd=tmp_path, env=live.env)


def _rejects(tmp_path: Path, name: str) -> list[dict[str, Any]]:
    text = (tmp_path / f"{name}.rejects.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def _lines(*texts: str) -> str:
    return "".join(text + "\n" for text in texts)


def test_a_lone_surrogate_is_rejected_and_the_other_records_are_sent(
    live: Any, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    # Before: the batch was journaled as sent, then encoding it crashed every run (exit 3).
    bad = json.dumps(record(2)).replace('"Event 2"', '"Event \\ud800"')
    (tmp_path / "r.jsonl").write_text(_lines(json.dumps(record(1)), bad, json.dumps(record(3))))
    result = _send(cli, live, tmp_path, "r.jsonl")
    assert result.exit_code == 2, result.output
    assert stored_keys(live.url) == file_keys([record(1), record(3)])
    assert _rejects(tmp_path, "r.jsonl") == [{"line": 2, "outcome": "invalid", "reasons": [
        "primaryAttributeValue: 'Event \\ud800' holds '\\ud800', half of a surrogate pair: "
        "not text Marketo can store (not UTF-8)"]}]
    again = _send(cli, live, tmp_path, "r.jsonl")
    assert again.exit_code == 2, again.output
    assert len(stored_keys(live.url)) == 2


def test_a_lone_surrogate_in_a_key_is_reported_printably(
    live: Any, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    bad = json.dumps(record(2, stringValue="x")).replace('"stringValue"', '"string\\udc80"')
    (tmp_path / "r.jsonl").write_text(_lines(bad, json.dumps(record(3))))
    result = _send(cli, live, tmp_path, "r.jsonl")
    assert result.exit_code == 2, result.output
    [reject] = _rejects(tmp_path, "r.jsonl")
    assert reject["line"] == 1 and reject["reasons"][0].startswith("attributes.string\\udc80: ")


def test_records_too_deep_too_long_or_with_a_key_twice_are_rejected_alone(
    live: Any, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    # Before: 200,000 levels crashed send with a RecursionError (exit 3).
    deep = '{"leadId": 2, "attributes": ' + "[" * 200_000 + "]" * 200_000 + "}"
    long = json.dumps(record(3, textValue="x" * (MAX_LINE_BYTES + 10)))
    twice = '{"leadId": 4, "leadId": 5, "activityDate": "2026-09-26T06:56:35Z", ' \
            '"primaryAttributeValue": "Event 4"}'
    (tmp_path / "r.jsonl").write_text(_lines(json.dumps(record(1)), deep, long, twice,
                                             json.dumps(record(6))))
    result = _send(cli, live, tmp_path, "r.jsonl")
    assert result.exit_code == 2, result.output
    assert stored_keys(live.url) == file_keys([record(1), record(6)])
    assert _rejects(tmp_path, "r.jsonl") == [
        {"line": 2, "outcome": "invalid", "reasons": ["not a record: nested too deeply to read"]},
        {"line": 3, "outcome": "invalid", "reasons": [
            "the line is over 1,048,576 bytes: no record that long fits in a call to Marketo "
            "(1 MB)"]},
        {"line": 4, "outcome": "invalid", "reasons": [
            'the key "leadId" appears twice in one object']},
    ]


def test_memory_stays_bounded_whatever_the_longest_line(tmp_path: Path) -> None:
    # Before: a 300 MB line took 924 MB; here a 40 MB line must not be held whole.
    path = tmp_path / "r.jsonl"
    with path.open("w") as handle:
        handle.write(json.dumps(record(1)) + "\n")
        handle.write('{"leadId": 2, "primaryAttributeValue": "')
        for _ in range(40):
            handle.write("x" * 1_000_000)
        handle.write('"}\n' + json.dumps(record(3)) + "\n")
    tracemalloc.start()
    try:
        lines = [(line.number, bool(line.unreadable))
                 for line in read_lines(path, RecordSchema(definition()))]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert lines == [(1, False), (2, True), (3, False)]
    assert peak < 8 * MAX_LINE_BYTES, peak  # the line is 40 MB


CSV_HEADER = "leadId,activityDate,primaryAttributeValue,integerValue,stringValue\n"


def test_an_open_csv_quote_spoils_its_own_row_only(
    live: Any, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    # Before: the open quote swallowed every following row into one value: "1 added", exit 0.
    (tmp_path / "r.csv").write_text(
        CSV_HEADER
        + '1,2026-09-26T06:56:35Z,"Expo,1,\n'
        + "2,2026-09-26T06:56:35Z,Expo 2,2,two\n"
        + "3,2026-09-26T06:56:35Z,Expo 3,3,three\n"
        + '4,2026-09-26T06:56:35Z,Ex"po"4,4,\n')
    result = _send(cli, live, tmp_path, "r.csv")
    assert result.exit_code == 2, result.output
    assert stored_keys(live.url) == file_keys([
        {"leadId": 2, "activityDate": "2026-09-26T06:56:35Z", "primaryAttributeValue": "Expo 2",
         "attributes": {"integerValue": 2, "stringValue": "two"}},
        {"leadId": 3, "activityDate": "2026-09-26T06:56:35Z", "primaryAttributeValue": "Expo 3",
         "attributes": {"integerValue": 3, "stringValue": "three"}},
        {"leadId": 4, "activityDate": "2026-09-26T06:56:35Z", "primaryAttributeValue": 'Ex"po"4',
         "attributes": {"integerValue": 4}}])
    assert _rejects(tmp_path, "r.csv") == [{"line": 2, "outcome": "invalid", "reasons": [
        "a quoted cell is not closed on its line (a quoted cell may not span lines): the row "
        "is not read"]}]


def test_a_misspelt_csv_column_gets_a_did_you_mean(
    live: Any, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    (tmp_path / "r.csv").write_text(
        "leadId,activityDate,primaryAttributeValue,integrValue,colour\n"
        "1,2026-09-26T06:56:35Z,Expo,1,red\n")
    result = _send(cli, live, tmp_path, "r.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: r.csv:1: the CSV header does not fit attendEvent: unknown column integrValue; "
        "did you mean 'integerValue'?; unknown column colour (attributes of attendEvent: ")
    assert stored_keys(live.url) == []


POSIX_ONLY = ("fcntl", "termios", "tty", "pty", "pwd", "grp", "resource", "syslog")


def test_every_module_imports_without_posix_only_modules() -> None:
    # Before: framework/records/journal.py imported fcntl: send could not start on Windows.
    script = (
        "import sys, pkgutil, importlib\n"
        f"for name in {POSIX_ONLY!r}:\n"
        "    sys.modules[name] = None\n"
        "import framework\n"
        "failed = []\n"
        "for module in pkgutil.walk_packages(framework.__path__, 'framework.'):\n"
        "    try:\n"
        "        importlib.import_module(module.name)\n"
        "    except ImportError as exc:\n"
        "        failed.append(f'{module.name}: {exc}')\n"
        "print('\\n'.join(failed))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert done.stdout.strip() == ""
