"""Sending a record file: validate as it streams, batch, send within the limits, journal all.

    report = await send_file(client, schema, path, type_id=100001)

A producer reads and checks the file line by line and fills batches; up to the client's
`max_concurrent` workers send them through the one client (whose limiter paces every call of
the instance). For each batch: the journal says `sent` (fsynced) before the call, then `done`
with Marketo's per-record answers. A batch whose answer was lost (or that failed in a way a
stored batch could: 502, 713) is read back (framework.records.readback); the records found are
settled, the others are sent again in a new batch. A run that starts on a journal first reads
back the batches an earlier run left pending, then sends only lines not yet settled.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from framework.client.marketo import MarketoClient
from framework.errors import ConfigError, MarketoError
from framework.records.batches import Batch, Batcher
from framework.records.journal import (
    JournalState,
    JournalWriter,
    Pending,
    open_journal,
    read_journal,
)
from framework.records.readback import (
    GRACE_SECONDS,
    READ_BACK_BUDGET,
    LiveShape,
    ReadBack,
    stored,
)
from framework.records.schema import InvalidRecord, RecordSchema
from framework.records.source import fingerprint, read_lines

# A batch read back and re-sent this many times without an answer stops the send.
MAX_RESENDS = 5


@dataclass
class SendReport:
    """What one run did, record by record in counts; `error` says why it stopped early."""

    api_name: str
    file: str
    type_id: int
    journal: str
    rejects: str
    lines: int = 0
    added: int = 0
    skipped: int = 0  # this run's and earlier runs': the file's records Marketo skipped
    skipped_earlier: int = 0  # of them, skipped in an earlier run (not sent again)
    invalid: int = 0
    not_sent: int = 0
    earlier: int = 0  # settled by earlier runs of the same file
    read_back: int = 0  # batches read back after a lost or uncertain answer
    found: int = 0  # records a read-back found stored
    read_back_calls: int = 0  # calls the read-backs made
    sent_records: int = 0  # records in the batches this run sent
    resent: int = 0  # records sent again because a read-back did not find them
    batches: int = 0
    seconds: float = 0.0
    error: str | None = None
    type_id_from: str = ""  # where the type id came from (the lock file, the instance, ...)

    @property
    def complete(self) -> bool:
        return self.error is None

    @property
    def all_added(self) -> bool:
        return self.complete and not (self.skipped or self.invalid or self.not_sent)

    def to_json(self) -> dict[str, Any]:
        return {"apiName": self.api_name, "file": self.file, "typeId": self.type_id,
                "complete": self.complete, "lines": self.lines, "added": self.added,
                "skipped": self.skipped, "skippedEarlier": self.skipped_earlier,
                "invalid": self.invalid, "notSent": self.not_sent,
                "earlier": self.earlier, "readBack": self.read_back, "found": self.found,
                "resent": self.resent, "readBackCalls": self.read_back_calls,
                "sentRecords": self.sent_records, "batches": self.batches,
                "seconds": round(self.seconds, 3), "journal": self.journal,
                "rejects": self.rejects, "typeIdFrom": self.type_id_from, "error": self.error}


@dataclass(frozen=True)
class Outcome:
    """What became of one batch, for progress and --json."""

    batch: str
    added: list[int]
    skipped: list[tuple[int, list[dict[str, str]]]]
    found: list[int] = field(default_factory=list)  # settled by a read-back


Listener = Callable[[str, dict[str, Any]], None]
# A `progress` event this often while the send runs (a CI log shows it; a terminal redraws).
PROGRESS_SECONDS = 5.0


@dataclass(frozen=True)
class ReadBackOptions:
    """How patient and how thrifty the read-backs are (framework.records.readback)."""

    grace_seconds: float = GRACE_SECONDS  # before a record not read back is called missing
    read_back_budget: int = READ_BACK_BUDGET  # calls a lost batch's read-back may make
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


async def send_file(
    client: MarketoClient,
    schema: RecordSchema,
    path: Path,
    *,
    type_id: int,
    journal: Path,
    rejects: Path,
    listener: Listener | None = None,
    wall: Callable[[], float] = time.time,
    instance: str = "",
    described: dict[str, Any] | None = None,
    options: ReadBackOptions | None = None,
) -> SendReport:
    """Send every record of `path` not sent yet; see the module docstring. `instance` names
    the instance (its host) in the journal, which refuses to be read for another one."""
    run = _Run(client, schema, path, type_id, journal, rejects, listener, wall)
    run.instance = instance
    run.options = options or ReadBackOptions()
    if described is not None:  # the describe answer the caller read: no second read
        run._shape = LiveShape.from_describe(described)
    return await run.go()


class _Run:
    def __init__(self, client: MarketoClient, schema: RecordSchema, path: Path, type_id: int,
                 journal: Path, rejects: Path, listener: Listener | None,
                 wall: Callable[[], float]) -> None:
        self.client, self.schema, self.path, self.type_id = client, schema, path, type_id
        self.journal_path, self.rejects_path = journal, rejects
        self.listener = listener or (lambda event, data: None)
        self.wall = wall
        self.report = SendReport(schema.api_name, str(path), type_id, str(journal), str(rejects))
        self._shape: LiveShape | None = None
        self._shape_lock = asyncio.Lock()
        self._stop: str | None = None
        self._rejects: IO[str] | None = None
        self._earlier_skips: dict[int, list[Any]] = {}
        self.instance = ""
        self.options = ReadBackOptions()

    async def go(self) -> SendReport:
        started = time.monotonic()
        digest = fingerprint(self.path)
        writer, state = open_journal(self.journal_path, self.path, {
            "file": str(self.path), "sha256": digest, "instance": self.instance,
            "type": self.schema.api_name, "typeId": self.type_id, "at": _iso(self.wall())})
        self.report.earlier = state.settled_lines
        self._earlier_skips = state.skipped
        ticker = asyncio.create_task(self._tick())
        try:
            self._rejects = _open_rejects(self.rejects_path)
            batcher = Batcher(state.runs + 1)
            if state.pending:
                await self._finish_pending(state, writer, batcher)
            if self._stop is None:
                await self._send_all(state, writer, batcher)
        finally:
            ticker.cancel()
            writer.close()
            if self._rejects is not None:
                self._rejects.close()
        self.report.error = self._stop
        self.report.seconds = time.monotonic() - started
        return self.report

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(PROGRESS_SECONDS)
            self.listener("progress", self.progress())

    def progress(self) -> dict[str, int]:
        """Counts so far: records checked, sent, confirmed in Marketo; read-back calls."""
        report = self.report
        return {"checked": report.lines, "sent": report.sent_records,
                "confirmed": report.added, "readBackCalls": report.read_back_calls}

    # -- earlier runs ------------------------------------------------------------------

    async def _finish_pending(self, state: JournalState, writer: JournalWriter,
                              batcher: Batcher) -> None:
        """Read back what earlier runs sent without an answer; the rest is sent later."""
        wanted = {line for pending in state.pending for line in pending.lines}
        records = {}
        for line in read_lines(self.path, self.schema):
            if line.number in wanted and not line.unreadable:
                with contextlib.suppress(InvalidRecord):
                    records[line.number] = self.schema.check(line.raw)
        # In parallel: the client's limiter paces them with every other call.
        await asyncio.gather(*(self._read_pending(pending, records, writer)
                               for pending in state.pending))
        if self._stop is not None:
            return
        # Found lines are settled; the others are sent by the main pass.
        fresh = read_journal(self.journal_path, fingerprint(self.path), self.path,
                             instance=self.instance, type_id=self.type_id)
        state.settled = fresh.settled

    async def _read_pending(self, pending: Pending, records: dict[int, dict[str, Any]],
                            writer: JournalWriter) -> None:
        lines = [n for n in pending.lines if n in records]
        try:
            found = await self._stored([records[n] for n in lines], pending.sent_at)
        except MarketoError as exc:
            self._stop = self._stop or (
                f"could not read back batch {pending.batch} of an earlier run: {exc}; it "
                "stays pending: run the same command again to go on")
            return
        settled = [n for n, hit in zip(lines, found, strict=True) if hit]
        await writer.write({"event": "reconciled", "batch": pending.batch, "found": settled})
        self.report.read_back += 1
        self.report.found += len(settled)
        self.report.earlier += len(settled)
        self.listener("reconciled", {"batch": pending.batch, "found": settled})

    # -- this run ----------------------------------------------------------------------

    async def _send_all(self, state: JournalState, writer: JournalWriter,
                        batcher: Batcher) -> None:
        workers = max(1, self.client.pacing.max_concurrent)
        queue: asyncio.Queue[Batch | None] = asyncio.Queue(maxsize=workers * 2)
        tasks = [asyncio.create_task(self._worker(queue, writer, batcher))
                 for _ in range(workers)]
        try:
            await self._produce(state, queue, batcher)
        finally:
            for _ in tasks:
                await queue.put(None)
            await asyncio.gather(*tasks)
        while not queue.empty():  # batches never sent because the run stopped
            batch = queue.get_nowait()
            if batch is not None:
                self.report.not_sent += len(batch.lines)

    async def _produce(self, state: JournalState, queue: asyncio.Queue[Batch | None],
                       batcher: Batcher) -> None:
        settled, last = state.settled, 0
        for line in read_lines(self.path, self.schema):
            last = line.number
            self.report.lines += 1
            if self._stop is not None:
                self.report.not_sent += 1
                continue
            # Invalid lines are reported on every run, even inside a settled stretch.
            if line.unreadable:
                self._reject(line.number, "invalid", [line.unreadable])
                continue
            try:
                record, size = self.schema.check_sized(line.raw)
            except InvalidRecord as bad:
                self._reject(line.number, "invalid", bad.reasons)
                continue
            if line.number in settled:
                reasons = self._earlier_skips.get(line.number)
                if reasons is not None:  # skipped by Marketo in an earlier run: still not in
                    self._reject(line.number, "skipped", reasons, earlier=True)
                    self.report.skipped += 1
                    self.report.skipped_earlier += 1
                continue
            closed = batcher.add(line.number, record, size)
            if closed is not None:
                await queue.put(closed)
                await asyncio.sleep(0)  # let the workers send while the file is read
        closed = batcher.flush(last)
        if closed is not None:
            if self._stop is None:
                await queue.put(closed)
            else:
                self.report.not_sent += len(closed.lines)

    async def _worker(self, queue: asyncio.Queue[Batch | None], writer: JournalWriter,
                      batcher: Batcher) -> None:
        while (batch := await queue.get()) is not None:
            if self._stop is not None:
                self.report.not_sent += len(batch.lines)
                continue
            await self._send(batch, writer, batcher, resends=0)

    async def _send(self, batch: Batch, writer: JournalWriter, batcher: Batcher,
                    resends: int) -> None:
        sent_at = round(self.wall(), 3)
        await writer.write({"event": "sent", "batch": batch.id, "lines": batch.lines,
                            "span": list(batch.span) if batch.span else None,
                            "sentAt": sent_at})
        self.report.batches += 1
        self.report.sent_records += len(batch.records)
        body = [{**record, "activityTypeId": self.type_id} for record in batch.records]
        try:
            answers = await self.client.add_record_batch(body)
        except MarketoError as exc:
            if exc.may_have_happened:  # always so for a lost answer (ResponseLostError)
                await self._reconcile(batch, sent_at, writer, batcher, resends)
                return
            await writer.write({"event": "failed", "batch": batch.id, "error": str(exc)})
            self.report.not_sent += len(batch.lines)
            self._stop = self._stop or f"batch {batch.id} was refused: {exc}"
            return
        if len(answers) != len(batch.lines):
            # Not an answer we can map to records: find out what was stored.
            await self._reconcile(batch, sent_at, writer, batcher, resends)
            return
        await self._record_answers(batch, answers, writer)

    async def _record_answers(self, batch: Batch, answers: list[dict[str, Any]],
                              writer: JournalWriter) -> None:
        added, skipped = [], []
        for line, answer in zip(batch.lines, answers, strict=True):
            if answer.get("status") == "skipped":
                reasons = _reasons(answer)
                skipped.append((line, reasons))
                self._reject(line, "skipped", reasons)
            else:
                added.append(line)
        await writer.write({"event": "done", "batch": batch.id,
                            "skipped": [[line, reasons] for line, reasons in skipped]})
        self.report.added += len(added)
        self.report.skipped += len(skipped)
        self.listener("batch", {"batch": batch.id, "added": added,
                                "skipped": [{"line": n, "reasons": r} for n, r in skipped]})

    async def _reconcile(self, batch: Batch, sent_at: float, writer: JournalWriter,
                         batcher: Batcher, resends: int) -> None:
        self.report.read_back += 1
        try:
            found = await self._stored(batch.records, sent_at)
        except MarketoError as exc:
            self.report.not_sent += len(batch.lines)
            self._stop = self._stop or (
                f"batch {batch.id} got no answer and could not be read back ({exc}); it stays "
                "pending: run the same command again to read it back and send the rest")
            return
        hits = [n for n, hit in zip(batch.lines, found, strict=True) if hit]
        await writer.write({"event": "reconciled", "batch": batch.id, "found": hits})
        self.report.found += len(hits)
        self.report.added += len(hits)
        self.listener("reconciled", {"batch": batch.id, "found": hits})
        missing = [(n, r) for n, r, hit in zip(batch.lines, batch.records, found, strict=True)
                   if not hit]
        if not missing:
            return
        if resends >= MAX_RESENDS:
            self.report.not_sent += len(missing)
            self._stop = self._stop or (f"batch {batch.id}: no answer after {resends} re-sends; "
                                        "run again later")
            return
        self.report.resent += len(missing)
        again = batcher.resend([n for n, _ in missing], [r for _, r in missing])
        await self._send(again, writer, batcher, resends + 1)

    async def _stored(self, records: list[dict[str, Any]], sent_at: float) -> list[bool]:
        """Whether each record is stored, read back from before `sent_at` (see readback)."""
        if not records:
            return []
        async with self._shape_lock:
            if self._shape is None:
                described = await self.client.describe_type(self.schema.api_name)
                self._shape = LiveShape.from_describe(described)
        read = ReadBack(self.client, self.type_id, self._shape, records,
                        self.options.read_back_budget)
        try:
            return await stored(read, sent_at, grace=self.options.grace_seconds,
                                wall=self.wall, sleep=self.options.sleep)
        finally:
            self.report.read_back_calls += read.calls

    def _reject(self, line: int, outcome: str, reasons: list[Any], earlier: bool = False) -> None:
        reasons = [_printable(r) if isinstance(r, str) else r for r in reasons]
        if outcome == "invalid":
            self.report.invalid += 1
            self.listener("invalid", {"line": line, "reasons": reasons})
        if self._rejects is not None:
            entry = {"line": line, "outcome": outcome, "reasons": reasons}
            if earlier:
                entry["earlierRun"] = True
            self._rejects.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _printable(text: str) -> str:
    """Text that any UTF-8 output takes: a lone surrogate (from a JSON escape) as `\\ud800`."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _reasons(answer: dict[str, Any]) -> list[dict[str, str]]:
    # Adobe's example puts them in `errors`, its error-code page in `reasons`: read both.
    given = answer.get("reasons") or answer.get("errors") or []
    return [{"code": str(r.get("code", "")), "message": str(r.get("message", ""))}
            for r in given if isinstance(r, dict)]


def _open_rejects(path: Path) -> IO[str]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.open("w", encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the reject file: {exc.strerror}\n"
                          "  fix: pass --rejects PATH in a writable folder") from exc


def _iso(epoch: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
