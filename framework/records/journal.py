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
import re
import sys
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from framework.errors import ConfigError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


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
    skipped: dict[int, list[Any]] = field(default_factory=dict)  # line -> Marketo's reasons


def journal_name(instance: str, type_id: int) -> str:
    """The part of a journal's name that says what it is about: the instance (its host, or
    `local`) and the type id. Not the environment's name: `-e production` and `--endpoint`
    with production's URL are one instance, and must share one journal."""
    return f"{_UNSAFE.sub('-', instance).strip('-')}.{type_id}"


class Damaged(Exception):
    """One line of a journal that this tool did not write as it stands."""

    def __init__(self, line: int, what: str) -> None:
        super().__init__(what)
        self.line, self.what = line, what


def read_journal(path: Path, sha256: str, file: Path, *, instance: str = "",
                 type_id: int | None = None) -> JournalState:
    """Earlier runs of this journal; refuses one written for other content of the file, for
    another instance or type, and a damaged one (ConfigError naming the line)."""
    _refuse_link(path)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return JournalState()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the send journal: {exc.strerror}") from exc
    reader = _Reader(sha256, instance, type_id)
    with handle:
        offset, number, torn = 0, 0, False
        for data in handle:
            number += 1
            if torn:  # a line without its end, followed by more: cut or edited
                raise _damaged(path, Damaged(number - 1, "a line is cut short"))
            if not data.endswith(b"\n"):
                torn = True  # the last entry of a run killed while writing it: never sent
                continue
            try:
                reader.entry(number, offset, data)
            except Damaged as damage:
                raise _damaged(path, damage) from None
            except _Mismatch as mismatch:
                raise mismatch.error(path, file) from None
            offset += len(data)
    if reader.runs == 0:
        raise _damaged(path, Damaged(1, "it holds no complete run (it was emptied or cut)"))
    return reader.state()


class _Mismatch(Exception):
    def __init__(self, what: str, detail: str = "") -> None:
        super().__init__(what)
        self.what, self.detail = what, detail

    def error(self, journal: Path, file: Path) -> ConfigError:
        if self.what == "content":
            return _changed(journal, file)
        return ConfigError(
            f"{journal}: this send journal is about {self.detail}: it is not the journal of "
            "this send\n  fix: pass --journal with this send's journal, or leave --journal out "
            "(the default is named after the instance and the type id)")


class _Reader:
    """Entries in order, each checked for the shape this tool writes."""

    def __init__(self, sha256: str, instance: str, type_id: int | None) -> None:
        self.sha256, self.instance, self.type_id = sha256, instance, type_id
        self.runs = 0
        self.intervals: list[tuple[int, int]] = []
        self.sent: dict[str, dict[str, Any]] = {}
        self.settled_lines = 0
        self.skipped: dict[int, list[Any]] = {}

    def entry(self, number: int, offset: int, data: bytes) -> None:
        try:
            entry = json.loads(data)
        except (ValueError, RecursionError):
            raise Damaged(number, "a line is not JSON") from None
        if not isinstance(entry, dict) or not isinstance(entry.get("event"), str):
            raise Damaged(number, "a line is not a journal entry")
        event = entry["event"]
        if self.runs == 0 and event != "run":
            raise Damaged(number, "it does not begin with a run")
        if event == "run":
            self._run(number, offset, entry)
        elif event == "sent":
            batch = _text(entry, "batch", number)
            lines = _numbers(entry.get("lines"), number)
            span = entry.get("span")
            if span is not None and (len(_numbers(span, number)) != 2 or span[0] > span[1]):
                raise Damaged(number, "a batch's span is not [first, last]")
            _number(entry.get("sentAt"), number, float)
            self.sent[batch] = entry
            entry["lines"] = lines
        elif event == "done":
            sent = self._pending(entry, number)
            skipped = entry.get("skipped")
            if not isinstance(skipped, list) or not all(
                    isinstance(s, list) and len(s) == 2 and type(s[0]) is int for s in skipped):
                raise Damaged(number, "a batch's skipped records are not [line, reasons]")
            span = sent.get("span")
            self.intervals += [(span[0], span[1])] if span else [(n, n) for n in sent["lines"]]
            self.settled_lines += len(sent["lines"])
            for line, reasons in skipped:
                self.skipped[line] = reasons
        elif event == "reconciled":
            self._pending(entry, number)
            found = _numbers(entry.get("found"), number)
            self.intervals += [(n, n) for n in found]
            self.settled_lines += len(found)
        elif event == "failed":
            self.sent.pop(_text(entry, "batch", number), None)
        else:
            raise Damaged(number, f"an unknown entry {event!r}")

    def _run(self, number: int, offset: int, entry: dict[str, Any]) -> None:
        run = _number(entry.get("run"), number, int)
        if run <= self.runs:
            raise Damaged(number, "runs are out of order")
        if entry.get("sha256") != self.sha256:
            raise _Mismatch("content")
        at = entry.get("offset")
        if at is not None and at != offset:
            # Each run notes where it began: less before it means lines were cut away.
            raise Damaged(number, f"run {run} began at byte {at}, but {offset} bytes come "
                                  "before it (lines were removed)")
        instance, type_id = entry.get("instance"), entry.get("typeId")
        if self.instance and instance not in (None, self.instance):
            raise _Mismatch("instance", f"the instance {instance}, not {self.instance}")
        if self.type_id is not None and type_id not in (None, self.type_id):
            raise _Mismatch("type", f"type id {type_id}, not {self.type_id}")
        self.runs = run

    def _pending(self, entry: dict[str, Any], number: int) -> dict[str, Any]:
        batch = _text(entry, "batch", number)
        if batch not in self.sent:
            raise Damaged(number, f"batch {batch} has an outcome but no line saying it was sent")
        return self.sent.pop(batch)

    def state(self) -> JournalState:
        pending = [Pending(b["batch"], b["lines"], float(b["sentAt"]))
                   for b in self.sent.values()]
        return JournalState(self.runs, Settled(self.intervals), pending, self.settled_lines,
                            self.skipped)


def _text(entry: dict[str, Any], key: str, number: int) -> str:
    value = entry.get(key)
    if not isinstance(value, str):
        raise Damaged(number, f"{key} is not text")
    return value


def _number(value: Any, number: int, kind: type) -> Any:
    if type(value) is bool or not isinstance(value, (int, float) if kind is float else int):
        raise Damaged(number, "a number is not a number")
    return value


def _numbers(value: Any, number: int) -> list[int]:
    if not isinstance(value, list) or not all(type(n) is int and n > 0 for n in value):
        raise Damaged(number, "line numbers are not positive integers")
    return value


def _damaged(path: Path, damage: Damaged) -> ConfigError:
    return ConfigError(
        f"{path}:{damage.line}: the send journal is damaged: {damage.what}. What earlier runs "
        "sent can no longer be told from it, so nothing was sent\n"
        "  fix: restore the journal (from a backup or the copy you moved) and run again. "
        "Do not delete it to start over: that sends every record again, and Marketo keeps "
        "both copies. If it cannot be restored, find in Marketo which records are stored and "
        "send the others from a new file"
    )


def _refuse_link(path: Path) -> None:
    if path.is_symlink():
        raise ConfigError(
            f"{path}: the send journal is a symbolic link; it is not followed (a link can "
            "point two sends at one journal, or a journal at a file it must not write)\n"
            "  fix: pass --journal with the real path, or remove the link")


def open_journal(path: Path, file: Path, run: dict[str, Any]) -> tuple[JournalWriter,
                                                                      JournalState]:
    """Take the journal for this run (held until the writer closes), read what earlier runs
    did, and append this run's `run` entry (`run` holds sha256, instance, typeId and the rest
    of it; the run number and offset are added here).

    A new journal is created whole with its first entry, so an existing journal always holds a
    run: an empty one was emptied. A last line cut short by a kill while it was written is
    dropped (its call was never made: the call waits for the line's fsync)."""
    _refuse_link(path)
    created = _create(path, run)
    if created is not None:  # its first run is written
        return JournalWriter(path, created), JournalState()
    handle = _append(path)
    try:
        state = read_journal(path, str(run["sha256"]), file, instance=str(run["instance"]),
                             type_id=int(run["typeId"]))
        _drop_torn_tail(handle)
        entry = {"event": "run", "run": state.runs + 1, **run, "offset": handle.tell()}
        handle.write(json.dumps(entry, separators=(",", ":")) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    except BaseException:
        handle.close()
        raise
    return JournalWriter(path, handle), state


def _create(path: Path, run: dict[str, Any]) -> IO[str] | None:
    """The new journal, locked, holding run 1; None when it exists already."""
    if path.exists():
        return None
    temporary = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = temporary.open("a", encoding="utf-8")
    except OSError as exc:
        raise _unwritable(path, exc) from exc
    try:
        _lock(handle)  # the lock is the file's: it holds under its real name once linked
        handle.write(json.dumps({"event": "run", "run": 1, **run, "offset": 0},
                                separators=(",", ":")) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            handle.close()
            return None
        return handle
    except OSError as exc:
        handle.close()
        raise _unwritable(path, exc) from exc
    finally:
        temporary.unlink(missing_ok=True)


def _append(path: Path) -> IO[str]:
    flags = os.O_RDWR | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = open(os.open(path, flags), "a+", encoding="utf-8")  # noqa: SIM115 - returned
    except OSError as exc:
        raise _unwritable(path, exc) from exc
    try:
        _lock(handle)
    except OSError as exc:
        handle.close()
        raise ConfigError(
            f"{path}: another `activities send` of this file is running\n"
            "  fix: wait for it to finish, then run again to send what is left") from exc
    handle.seek(0, os.SEEK_END)
    return handle


def _drop_torn_tail(handle: IO[str]) -> None:
    """Cut a last line that has no end: the next entry must start on a line of its own."""
    size = handle.seek(0, os.SEEK_END)
    if size == 0:
        return
    raw = handle.buffer  # type: ignore[attr-defined]
    keep = size
    while keep > 0:
        step = min(keep, 4096)
        raw.seek(keep - step)
        chunk = raw.read(step)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            keep = keep - step + newline + 1
            break
        keep -= step
    if keep != size:
        handle.truncate(keep)
        os.fsync(handle.fileno())
    handle.seek(0, os.SEEK_END)


def _unwritable(path: Path, exc: OSError) -> ConfigError:
    return ConfigError(f"{path}: cannot write the send journal: {exc.strerror or exc}\n"
                       "  fix: pass --journal PATH in a writable folder")


class JournalWriter:
    """Appends entries, each flushed and fsynced before `write` returns.

    Group commit: entries written while an fsync is under way wait for the next one, which
    takes them all, so ten concurrent batches cost one fsync rather than ten."""

    def __init__(self, path: Path, handle: IO[str]) -> None:
        self.path = path
        self._handle = handle
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
