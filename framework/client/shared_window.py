"""The window of calls of one instance, shared by every process of this machine that calls it.

Marketo counts 100 calls per 20 s per instance, whoever sends them: CI steps run back to back
(plan, then apply) or side by side, and each process's own limiter cannot see the others'
calls. So each window slot is also written to a small file per instance, under a file lock:
a slot is added when a call is sent and marked released when its answer came back, and a
process takes a slot only when the file has room.

The file holds the endpoint's hash and times only, never a credential. Times are the
limiter's clock, time.monotonic by default, which every process of one machine shares (since
boot, so slots from before a reboot, which would lie far in the future, are dropped). A slot left
in flight by a process that died counts as released STALE_SECONDS after it was taken. When the
file cannot be used (read-only home, a lock held too long), pacing falls back to this process
alone, as before, with one debug line.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from itertools import count
from pathlib import Path
from typing import Any, BinaryIO

from filelock import FileLock

log = logging.getLogger("framework.client")

# [slot id, taken at, released at or None while in flight]
Entry = list[Any]

CACHE_DIR_VARIABLE = "ACTIVITIES_CACHE_DIR"
# Longer than any call can be in flight (timeouts are 30 s, at most 3x for slow endpoints).
STALE_SECONDS = 300.0
LOCK_TIMEOUT_SECONDS = 2.0
# A slot taken this far after "now" comes from before a reboot (the clock started again). Not
# less: a process reads the clock, then may wait for the lock while others take slots.
FUTURE_SECONDS = 60.0
_slot_ids = count(1)


def cache_dir() -> Path:
    """Where the tool keeps per-machine state: $ACTIVITIES_CACHE_DIR, else the user cache."""
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    if configured:
        return Path(configured)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "activities"


def window_file(endpoint: str) -> Path:
    """The shared window's file of `endpoint` (named by a hash: the file says nothing)."""
    digest = hashlib.sha256(endpoint.encode()).hexdigest()[:24]
    return cache_dir() / "pacing" / f"{digest}.json"


class SharedWindow:
    """Slots of one instance's window in a file: take one if there is room, release it."""

    def __init__(self, path: Path, calls: int, hold_seconds: float) -> None:
        self.path = path
        self.calls = calls
        self.hold = hold_seconds
        self._lock = FileLock(f"{path}.lock", timeout=LOCK_TIMEOUT_SECONDS, thread_local=False)
        self._owner = f"{os.getpid()}-{id(self):x}"
        self.usable = True

    def take(self, now: float) -> str | float:
        """A slot id when the window has room now; else the seconds until it may have."""
        with self._lock, self._open() as file:
            slots = self._live(_read(file), now)
            if len(slots) < self.calls:
                slot = f"{self._owner}-{next(_slot_ids)}"
                slots.append([slot, now, None])
                _write(file, slots)
                return slot
        return min(self._released(entry) for entry in slots) + self.hold - now

    def release(self, slot: str, now: float) -> None:
        """The answer of `slot`'s call came back at `now`."""
        with self._lock, self._open() as file:
            slots = _read(file)
            for entry in slots:
                if entry[0] == slot:
                    entry[2] = now
            _write(file, self._live(slots, now))

    def _open(self) -> BinaryIO:
        # Rewritten in place, not replaced: every reader holds the lock, and a file cut short by
        # a crash reads as an empty window. (A rename per call cost a millisecond.)
        return os.fdopen(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), "r+b")

    def _live(self, slots: list[Entry], now: float) -> list[Entry]:
        try:
            return [entry for entry in slots if entry[1] <= now + FUTURE_SECONDS
                    and self._released(entry) + self.hold > now]
        except (TypeError, IndexError, KeyError):
            return []  # entries that are not ours: an empty window

    @staticmethod
    def _released(entry: Entry) -> float:
        released, taken = entry[2], entry[1]
        return float(released if released is not None else taken + STALE_SECONDS)


def _read(file: BinaryIO) -> list[Entry]:
    try:
        slots = json.loads(file.read())["slots"]
    except (ValueError, KeyError, TypeError):
        return []  # a new file, or one that is not ours: an empty window
    return slots if isinstance(slots, list) else []


def _write(file: BinaryIO, slots: list[Entry]) -> None:
    file.seek(0)
    file.write(json.dumps({"slots": slots}, separators=(",", ":")).encode())
    file.truncate()


def shared_window(endpoint: str, calls: int, hold_seconds: float) -> SharedWindow | None:
    """The shared window of `endpoint`, or None when its folder cannot be made."""
    path = window_file(endpoint)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        log.debug("pacing: no shared window in %s (%s); pacing this process alone",
                  path.parent, exc)
        return None
    return SharedWindow(path, calls, hold_seconds)
