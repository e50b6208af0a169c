"""The apply journal: one JSON line per step start and outcome, written as it happens.

It sits next to the plan (`plans/x.json` -> `plans/x.journal.jsonl`) and is append-only across
runs, so a killed or failed apply can be resumed: the lines of the same plan (by checksum) say
which steps finished. Every line is flushed and fsynced before the call it announces is sent.
It holds apiNames, ops, attribute names and outcomes; never a credential or a token.

An exclusive lock on the journal serialises two applies of the same plan on one machine: the
second waits, then finds the plan applied.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from framework.apply.model import FINISHED, ApplyEvent, ApplyResult, StepEvent
from framework.errors import PlanError


def journal_path(plan_path: Path) -> Path:
    """`plans/x.json` -> `plans/x.journal.jsonl`."""
    return plan_path.with_name(f"{plan_path.stem}.journal.jsonl")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class JournalState:
    """What earlier runs of one plan did, by type: step indexes started and finished."""

    started: dict[str, set[int]] = field(default_factory=dict)
    finished: dict[str, set[int]] = field(default_factory=dict)

    def touched(self, api_name: str) -> bool:
        return bool(self.started.get(api_name))

    def finished_steps(self, api_name: str) -> set[int]:
        return self.finished.get(api_name, set())


def read_journal(path: Path, checksum: str) -> JournalState:
    """The steps earlier runs of the plan `checksum` started and finished.

    A torn last line (a run killed while writing) and other plans' lines are ignored.
    """
    state = JournalState()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return state
    except OSError as exc:
        raise PlanError(f"{path}: cannot read the apply journal: {exc}") from exc
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(entry, dict) or entry.get("plan") != checksum:
            continue
        if entry.get("event") != "step":
            continue
        api_name, index, status = entry.get("apiName"), entry.get("index"), entry.get("status")
        if not isinstance(api_name, str) or not isinstance(index, int):
            continue
        if status == "started":
            state.started.setdefault(api_name, set()).add(index)
        elif status in FINISHED:
            state.finished.setdefault(api_name, set()).add(index)
    return state


class Journal:
    """An open journal for one run of one plan; also a Listener of apply events."""

    def __init__(self, path: Path, checksum: str, *, now: Callable[[], datetime] = utc_now) -> None:
        self.path = path
        self.checksum = checksum
        self._now = now
        self._file: IO[str] | None = None

    async def open(self) -> Journal:
        """Open for appending and take the plan's lock, waiting for another apply to finish."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("a", encoding="utf-8")
        except OSError as exc:
            raise PlanError(
                f"{self.path}: cannot open the apply journal: {exc}\n"
                "  fix: make the plans/ folder writable"
            ) from exc
        # flock blocks; a worker thread keeps the event loop (and its other tasks) running.
        await asyncio.to_thread(fcntl.flock, self._file.fileno(), fcntl.LOCK_EX)
        return self

    def close(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    async def __aenter__(self) -> Journal:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        self.close()

    def read(self) -> JournalState:
        return read_journal(self.path, self.checksum)

    def __call__(self, event: ApplyEvent) -> None:
        if isinstance(event, StepEvent):
            self.write(event.to_json())

    def begin(self, details: dict[str, Any]) -> None:
        self.write({"event": "begin", "pid": os.getpid(), **details})

    def end(self, result: ApplyResult) -> None:
        summary = result.to_json()
        summary.pop("journal", None)
        self.write({**summary, "event": "end"})

    def write(self, entry: dict[str, Any]) -> None:
        """Append one line and make it durable before returning."""
        if self._file is None:
            raise PlanError(f"{self.path}: the apply journal is not open")
        line = {
            "at": self._now().isoformat(timespec="milliseconds"),
            "plan": self.checksum,
            **entry,
        }
        self._file.write(json.dumps(line, sort_keys=False, separators=(",", ":")) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())
