"""The apply journal: one JSON line per step start and outcome, written as it happens.

It sits next to the plan (`plans/x.json` -> `plans/x.journal.jsonl`) and is append-only across
runs, so a killed or failed apply can be resumed: the lines of the same plan (by checksum) say
which steps finished. Every line is flushed and fsynced before the call it announces is sent.
It holds apiNames, ops, attribute names and outcomes; never a credential or a token.

An exclusive lock (the operating system's, through filelock, so it works on Windows too and
goes with a crashed holder; its file is in the temporary folder) serialises two applies of the
same plan on one machine: the second waits, then finds the plan applied.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from framework.apply.model import FINISHED, ApplyEvent, ApplyResult, StepEvent
from framework.errors import PlanError

# The outcomes of a run after which the plan has been used.
COMPLETED = frozenset({"applied", "already-applied"})


def journal_path(plan_path: Path) -> Path:
    """`plans/x.json` -> `plans/x.journal.jsonl`."""
    return plan_path.with_name(f"{plan_path.stem}.journal.jsonl")


def lock_path(journal: Path) -> Path:
    """The journal's lock file, in the temporary folder (never in plans/, which is reviewed
    and committed), named by the journal's absolute path: one lock per journal per machine."""
    digest = hashlib.sha256(str(journal.resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / "activities-locks" / f"{journal.name}-{digest}.lock"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class JournalState:
    """What earlier runs of one plan did, by type: step indexes started and finished."""

    started: dict[str, set[int]] = field(default_factory=dict)
    finished: dict[str, set[int]] = field(default_factory=dict)
    # When a run of the plan ended applied and verified (or found it already applied): the
    # plan was used, and is never run again (framework/apply/executor.py).
    completed_at: str | None = None

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
        except (ValueError, RecursionError):  # torn, or nested past the parser: no entry
            continue
        if not isinstance(entry, dict) or entry.get("plan") != checksum:
            continue
        if entry.get("event") == "end" and entry.get("outcome") in COMPLETED:
            state.completed_at = state.completed_at or str(entry.get("at"))
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


class _HeldLock:
    """The operating system's lock on a file (filelock: flock on POSIX, LockFileEx on
    Windows), taken and released by one thread of its own, so that waiting for it never
    blocks the event loop and two journals of one process exclude each other."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._taken = threading.Event()
        self._release = threading.Event()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._hold, name=f"lock {path.name}", daemon=True)

    def _hold(self) -> None:
        from filelock import FileLock  # imported here: only apply takes the lock

        lock = FileLock(self._path)
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            lock.acquire()
        except BaseException as exc:  # handed to the waiting task, which raises it
            self._failure = exc
            self._taken.set()
            return
        self._taken.set()
        self._release.wait()
        lock.release()

    async def acquire(self) -> None:
        self._thread.start()
        await asyncio.to_thread(self._taken.wait)
        if self._failure is not None:
            raise PlanError(
                f"{self._path}: cannot take the apply journal's lock: {self._failure}\n"
                "  fix: make the plans/ folder writable"
            ) from self._failure

    def release(self) -> None:
        """Release the lock; when it was never taken (the wait was cancelled), the thread lets
        it go as soon as it gets it."""
        self._release.set()
        if self._taken.is_set() and self._thread.is_alive():
            self._thread.join()


class Journal:
    """An open journal for one run of one plan; also a Listener of apply events."""

    def __init__(self, path: Path, checksum: str, *, now: Callable[[], datetime] = utc_now) -> None:
        self.path = path
        self.checksum = checksum
        self._now = now
        self._file: IO[str] | None = None
        self._lock: _HeldLock | None = None

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
        self._lock = _HeldLock(lock_path(self.path))
        try:
            await self._lock.acquire()
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

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
