"""Writing a file atomically: a reader sees the old file or the new one, never half, and after a
crash the new one is there or the old one is (definitions, the lock file)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a hidden temporary file in the same folder and a rename.

    The temporary name starts with a dot, so the loader ignores one left behind by a crash.
    Raises OSError; the temporary file is removed on failure.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates the file readable by its owner only: an existing file keeps its mode,
        # a new one gets what any program would give it (0666 less the user's umask).
        os.chmod(temporary, _existing_mode(path) or new_file_mode())
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def new_file_mode() -> int:
    """The mode `open()` gives a new file: 0666 less the process's umask."""
    return 0o666 & ~_umask()


def _existing_mode(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return None


def _umask() -> int:
    # Linux shows it without changing it; elsewhere it is read by setting it and back at once.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk (POSIX; Windows has no need).
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
