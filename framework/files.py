"""Writing files so that a crash never leaves half of one: the one module that replaces files.

A reader sees the old file or the new one, never half, and after a crash (of the process or the
machine) the new one is there or the old one is: definitions, plans, lock files, generated code,
the emulator's state. Everything here is in the standard library and works on Windows too (no
fcntl; a folder that cannot be opened is simply not synced). A test keeps os.replace and
tempfile.mkstemp out of every other module.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str, *, mode: int | None = None) -> None:
    """Write `text` (UTF-8, `\\n` line ends) to `path` through a hidden temporary file in the
    same folder, fsynced, then renamed over `path`; the folder is created when missing.

    The file gets `mode` when given; otherwise an existing file keeps its mode and a new one
    gets what any program would give it (0666 less the user's umask). The temporary name
    starts with a dot, so the definitions loader ignores one left behind by a crash. Raises
    OSError; the temporary file is removed on failure.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates the file readable by its owner only.
        os.chmod(temporary, mode if mode is not None else _existing_mode(path) or new_file_mode())
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def move(source: Path, target: Path) -> None:
    """Rename `source` to `target` in one step, replacing `target`, durably. Raises OSError."""
    os.replace(source, target)
    _fsync_folder(target.parent)


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
    # The rename is durable only once the folder's entry is on disk (POSIX; Windows has no need
    # and cannot open a folder).
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
