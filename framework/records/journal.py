"""The send journal: what each run of `activities send` sent of one file, line by line.

One JSON object a line, appended and fsynced (like apply's journal) before the call it
announces, so that a run killed at any instant leaves enough to finish without losing or
doubling a record:

    {"event": "run", "run": 2, "file": ..., "sha256": ..., "type": ..., "typeId": ..., "at": ...}
    {"event": "sent", "batch": "2.7", "lines": [...], "span": [601, 900], "sentAt": ...}
    {"event": "done", "batch": "2.7", "skipped": [[614, [{"code": "1004", ...}]]]}
    {"event": "reconciled", "batch": "2.7", "found": [...]}   # answer lost: read back
    {"event": "failed", "batch": "2.7", "error": "..."}       # refused: nothing stored

A line is *settled* when a `done` batch holds it (or its span covers it) or a read-back found
it; a `sent` batch with no outcome is *pending*: the next run reads it back before sending
anything. It holds line numbers, apiNames, ids and Marketo's reasons; never a credential,
token, or record content. An exclusive lock keeps two sends of one file from interleaving.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from framework.errors import ConfigError


@dataclass
class Pending:
    """A batch an earlier run sent without learning what became of it."""

    batch: str
    lines: list[int]
    sent_at: float  # epoch seconds: the read-back starts before it


class Settled:
    """Settled line numbers as merged intervals: memory grows with batches, not records."""

    def __init__(self, intervals: list[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(intervals):
            if merged and start <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self.starts = [start for start, _ in merged]
        self.ends = [end for _, end in merged]

    def __contains__(self, line: int) -> bool:
        index = bisect_right(self.starts, line) - 1
        return index >= 0 and line <= self.ends[index]

    def __len__(self) -> int:
        return len(self.starts)


@dataclass
class JournalState:
    """What earlier runs did with the file."""

    runs: int = 0
    settled: Settled = field(default_factory=lambda: Settled([]))
    pending: list[Pending] = field(default_factory=list)
    settled_lines: int = 0  # records settled by earlier runs (added, skipped or found)


def read_journal(path: Path, sha256: str, file: Path) -> JournalState:
    """Earlier runs of this journal; refuses one written for other content of the file."""
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        return JournalState()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the send journal: {exc.strerror}") from exc
    runs = 0
    intervals: list[tuple[int, int]] = []
    sent: dict[str, dict[str, Any]] = {}
    settled_lines = 0
    with handle:
        for text in handle:
            try:
                entry = json.loads(text)
            except ValueError:
                continue  # a torn last line: the run was killed while writing it
            event = entry.get("event") if isinstance(entry, dict) else None
            if event == "run":
                runs = max(runs, int(entry["run"]))
                if entry.get("sha256") != sha256:
                    raise _changed(path, file)
            elif event == "sent":
                sent[entry["batch"]] = entry
            elif event == "done" and entry["batch"] in sent:
                batch = sent.pop(entry["batch"])
                span = batch.get("span")
                intervals += [tuple(span)] if span else [(n, n) for n in batch["lines"]]
                settled_lines += len(batch["lines"])
            elif event == "reconciled" and entry["batch"] in sent:
                sent.pop(entry["batch"])
                intervals += [(n, n) for n in entry["found"]]
                settled_lines += len(entry["found"])
            elif event == "failed":
                sent.pop(entry["batch"], None)
    pending = [Pending(b["batch"], b["lines"], float(b["sentAt"])) for b in sent.values()]
    return JournalState(runs, Settled(intervals), pending, settled_lines)


class JournalWriter:
    """Appends entries, each flushed and fsynced before `write` returns.

    Group commit: entries written while an fsync is under way wait for the next one, which
    takes them all, so ten concurrent batches cost one fsync rather than ten."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._handle: IO[str] = path.open("a", encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{path}: cannot write the send journal: {exc.strerror}\n"
                              "  fix: pass --journal PATH in a writable folder") from exc
        try:
            _lock(self._handle)
        except OSError as exc:
            self._handle.close()
            raise ConfigError(
                f"{path}: another `activities send` of this file is running\n"
                "  fix: wait for it to finish, then run again to send what is left") from exc
        self._waiting: list[tuple[str, asyncio.Future[None]]] = []
        self._flushing = False

    async def write(self, entry: dict[str, Any]) -> None:
        done = asyncio.get_running_loop().create_future()
        self._waiting.append((json.dumps(entry, separators=(",", ":")) + "\n", done))
        if not self._flushing:
            self._flushing = True
            asyncio.create_task(self._flush())
        await done

    async def _flush(self) -> None:
        try:
            while self._waiting:
                group, self._waiting = self._waiting, []
                try:
                    await asyncio.to_thread(self._append, "".join(text for text, _ in group))
                except Exception as exc:  # noqa: BLE001 - every waiter gets the failure
                    for _, done in group:
                        done.set_exception(exc)
                else:
                    for _, done in group:
                        done.set_result(None)
        finally:
            self._flushing = False

    def _append(self, text: str) -> None:
        self._handle.write(text)
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        self._handle.close()  # closing releases the lock


def _lock(handle: IO[str]) -> None:
    """Hold the file exclusively until it is closed, or OSError at once. The platform's
    module is imported here, never at import time: every module imports on every system."""
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)  # one agreed byte: a lock on the end would move as the file grows
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        handle.seek(0, os.SEEK_END)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _changed(journal: Path, file: Path) -> ConfigError:
    return ConfigError(
        f"{file} changed since an earlier send recorded in {journal}: lines no longer name "
        "the same records, so what was sent cannot be told from what was not\n"
        "  fix: restore the file and run again to finish that send; put new or corrected "
        "records in a new file (deleting the journal would send its records again)"
    )
