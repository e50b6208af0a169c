"""The send journal and reject file: keyed by instance and type id, checked when read, and
remembering earlier runs. Each case sent records twice, or silently again, before the fix."""

from __future__ import annotations

import json
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


def _send(cli: Callable[..., Result], live: Any, tmp_path: Path, *args: str) -> Result:
    return cli("send", API_NAME, "r.jsonl", *(args or ("--endpoint", live.url)), cwd=tmp_path,
               env=live.env)


def _journal(live: Any, tmp_path: Path) -> Path:
    host = live.url.removeprefix("http://").replace(":", "-")
    return tmp_path / f"r.jsonl.{host}.100001.journal.jsonl"


def test_an_environment_and_its_url_share_one_journal(
    live: Any, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    # Before: `send -e production` then `send --endpoint <its URL>` stored every record twice.
    (tmp_path / "pyproject.toml").write_text(
        "[tool.activities]\nmax_types = 10\n[tool.activities.environments.production]\n"
        f'endpoint = "{live.url}"\n')
    records = many_records(400, leads=2000)
    write_jsonl(tmp_path / "r.jsonl", records)
    first = _send(cli, live, tmp_path, "-e", "production")
    assert first.exit_code == 0, first.output
    second = _send(cli, live, tmp_path, "--endpoint", live.url)
    assert second.exit_code == 0, second.output
    assert "  400 settled by an earlier run (not sent again)" in second.stdout
    assert stored_keys(live.url) == file_keys(records)


DAMAGED = [
    ("", "1: the send journal is damaged: it holds no complete run (it was emptied or cut)"),
    ('{"event":"ru', "1: the send journal is damaged: it holds no complete run (it was "
                    "emptied or cut)"),
    ("[]\n", "1: the send journal is damaged: a line is not a journal entry"),
    ('{"event": "sent"}\n', "1: the send journal is damaged: it does not begin with a run"),
    ("RUN\n" + '{"event": "done", "batch": ["1.1"]}\n', "2: the send journal is damaged: "
     "batch is not text"),
    ("RUN\n" + '{"event": "done", "batch": "1.9", "skipped": []}\n',
     "2: the send journal is damaged: batch 1.9 has an outcome but no line saying it was sent"),
    ("RUN\n" + '{"event": "run", "run": "2"}\n', "2: the send journal is damaged: a number "
     "is not a number"),
    ("RUN\nnot json\n" + "RUN\n", "2: the send journal is damaged: a line is not JSON"),
    ("RUN\n" + '{"event": "sent", "batch": "1.1", "lines": [1]', None),  # a kill: fine
]


@pytest.mark.parametrize(("text", "message"), DAMAGED)
def test_a_damaged_journal_changes_nothing_and_says_how_to_proceed(
    live: Any, tmp_path: Path, cli: Callable[..., Result], text: str, message: str | None
) -> None:
    # Before: an emptied or cut journal silently sent the whole file again; other shapes
    # crashed (exit 3).
    records = [record(1), record(2)]
    write_jsonl(tmp_path / "r.jsonl", records)
    from framework.records.source import fingerprint

    run = json.dumps({"event": "run", "run": 1, "sha256": fingerprint(tmp_path / "r.jsonl")})
    journal = _journal(live, tmp_path)
    journal.write_text(text.replace("RUN", run))
    before = journal.read_bytes()
    result = _send(cli, live, tmp_path)
    if message is None:
        assert result.exit_code == 0, result.output
        assert stored_keys(live.url) == file_keys(records)
        return
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {journal.name}:{message}. What earlier runs sent "
                                    "can no longer be told from it, so nothing was sent\n"
                                    "  fix: restore the journal"), result.stderr
    assert "Traceback" not in result.output
    assert stored_keys(live.url) == []
    assert journal.read_bytes() == before


def test_lines_cut_from_an_earlier_run_are_noticed(
    live: Any, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    write_jsonl(tmp_path / "r.jsonl", [record(1)])
    assert _send(cli, live, tmp_path).exit_code == 0
    assert _send(cli, live, tmp_path).exit_code == 0
    journal = _journal(live, tmp_path)
    lines = journal.read_text().splitlines(keepends=True)
    journal.write_text("".join(lines[:1] + lines[2:]))  # the first run's `sent` is gone
    result = _send(cli, live, tmp_path)
    assert result.exit_code == 1
    assert "the send journal is damaged" in result.stderr
    assert len(stored_keys(live.url)) == 1


def test_the_journal_is_not_followed_through_a_link(
    live: Any, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    write_jsonl(tmp_path / "r.jsonl", [record(1)])
    elsewhere = tmp_path / "elsewhere.jsonl"
    elsewhere.write_text("")
    _journal(live, tmp_path).symlink_to(elsewhere)
    result = _send(cli, live, tmp_path)
    assert (result.exit_code, result.stderr.splitlines()[0]) == (1, (
        f"Error: {_journal(live, tmp_path).name}: the send journal is a symbolic link; it is "
        "not followed (a link can point two sends at one journal, or a journal at a file it "
        "must not write)"))
    assert elsewhere.read_text() == "" and stored_keys(live.url) == []


def test_a_rerun_reports_the_rejects_of_earlier_runs_and_exits_2(
    live: Any, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    # Before: the re-run forgot the record Marketo skipped and exited 0.
    write_jsonl(tmp_path / "r.jsonl", [record(1), record(9999)])
    assert _send(cli, live, tmp_path).exit_code == 2
    again = _send(cli, live, tmp_path)
    assert again.exit_code == 2, again.output
    assert "  0 added, 1 skipped by Marketo (1 in an earlier run)" in again.stdout
    rejects = (tmp_path / "r.jsonl.rejects.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in rejects] == [
        {"line": 2, "outcome": "skipped", "reasons": [{"code": "1004",
                                                       "message": "Lead not found"}],
         "earlierRun": True}]


def test_a_lock_with_swapped_ids_is_refused_before_any_record_is_written(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    # Before: send trusted the lock's id and stored the records as another type's.
    write_project(tmp_path)
    applied = cli("apply", "--yes", cwd=tmp_path)
    assert applied.exit_code == 0, applied.output
    lock = tmp_path / ".activities" / "lock" / "local.json"
    data = json.loads(lock.read_text())
    data["types"][API_NAME]["id"] = 100004
    lock.write_text(json.dumps(data))
    write_jsonl(tmp_path / "r.jsonl", [record(1)])
    result = cli("send", API_NAME, "r.jsonl", cwd=tmp_path)
    assert (result.exit_code, result.stderr.splitlines()[0]) == (1, (
        "Error: the lock file .activities/lock/local.json names type id 100004 for "
        "attendEvent, but on local (embedded emulator) attendEvent has id 100001: records "
        "sent with 100004 would be stored as another type's, for good. Nothing was sent"))
    # `activities apply` changes nothing here and so never rewrites the lock: repair does.
    assert result.stderr.splitlines()[1].endswith(
        "`activities lock repair` rebuilds it from the instance and the definitions")
    assert not list(tmp_path.glob("r.jsonl.*.journal.jsonl"))
