"""The instance's state on disk: written atomically, so a crash mid-write never corrupts it,
and locked, so two processes never serve the same state file at once (each would overwrite the
other's changes with its own copy). The writer is framework.files, a file utility shared with
the tool, not one of its rules."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from framework.errors import ConfigError
from framework.files import write_atomically

FORMAT = 1


def save_state(path: Path, state: dict[str, Any]) -> None:
    """Write the state atomically (framework.files): a crash leaves the old state or the new."""
    text = json.dumps({"format": FORMAT, **state}, indent=1, sort_keys=True)
    # Readable by its owner only, as the state file has always been.
    write_atomically(path, text, mode=0o600)


def load_state(path: Path) -> dict[str, Any] | None:
    """The saved state, or None when the file does not exist yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot read emulator state {path}: {exc.strerror}\n"
                          "  fix: check the file's permissions, or pass another --state") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"emulator state {path} is not valid JSON (line {exc.lineno}): it was not written by "
            "this emulator\n  fix: delete the file to start from an empty instance"
        ) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ConfigError(
            f"emulator state {path} has an unknown format\n"
            "  fix: delete the file to start from an empty instance"
        )
    return data


def lock_path(path: Path) -> Path:
    """The lock file beside a state file: `local-state.json.lock`."""
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def locked_state(
    path: Path, wait_seconds: float, on_wait: Callable[[Path], None]
) -> Iterator[None]:
    """Hold the state file's lock while the block runs.

    When another process holds it, `on_wait(lock_file)` is called once and the lock is waited
    for up to `wait_seconds`; then ConfigError. The lock is the operating system's (flock on
    POSIX, LockFileEx on Windows, through filelock), so it is released when its holder ends,
    even by a crash: a lock file left behind never blocks anyone.
    """
    where = lock_path(path)
    where.parent.mkdir(parents=True, exist_ok=True)
    # thread_local=False: the holder may take it in a worker thread and release it in another.
    lock = FileLock(where, thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        on_wait(where)
        try:
            lock.acquire(timeout=wait_seconds)
        except Timeout as exc:
            waited = f", which did not finish within {wait_seconds:g} s" if wait_seconds else ""
            raise ConfigError(
                f"the instance state {path} is in use by another process{waited} (it holds "
                f"{where})\n"
                "  fix: wait for the other activities command (or emulator) to end, then run "
                "this one again; the lock goes with that process, even if it crashes"
            ) from exc
    try:
        yield
    finally:
        lock.release()
