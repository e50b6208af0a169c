"""Batches for Add Custom Activities: at most 300 records and a body under 1 MB.

Adobe: "input" holds at most 300 records, and a body over 1 MB is refused with HTTP 413
(https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/activities,
https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/error-codes).
A record's size is an upper bound of what `json.dumps` writes for it by default (ASCII
escapes and spaces), itself never smaller than what the client sends (compact UTF-8), so the
real body stays under the limit. The bound is exact for printable ASCII text and costs no
encoding: serialising each record to measure it cost more than checking it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_RECORDS = 300
# 1 MB is 1,048,576 bytes; the rest is room for the envelope.
MAX_BODY_BYTES = 1_000_000
# The keys, quotes, separators and activityTypeId of a record; of one attribute.
RECORD_OVERHEAD = 160
ATTRIBUTE_OVERHEAD = 40
NUMBER = 32  # the longest int, float or boolean as JSON text


def text_bound(text: str) -> int:
    """Bytes `json.dumps` may write for a string: at most 2 a character for printable ASCII
    (a quote or backslash is escaped); else a character may become a 12-byte surrogate pair
    escape."""
    if text.isascii() and text.isprintable():
        return 2 * len(text) + 2
    return 12 * len(text) + 2


@dataclass
class Batch:
    """Records sent in one call, with the file lines they came from.

    `span` (first, last) is the stretch of the file an original batch covers: every line in
    it is in the batch, invalid, or was settled by an earlier run. A batch that re-sends
    records after a read-back has no span."""

    id: str
    lines: list[int] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    span: tuple[int, int] | None = None


class Batcher:
    """Groups checked records, in file order, into batches that fit one call."""

    def __init__(self, run: int, max_records: int = MAX_RECORDS,
                 max_bytes: int = MAX_BODY_BYTES) -> None:
        self.run = run
        self.max_records, self.max_bytes = max_records, max_bytes
        self.count = 0
        self.span_start = 1
        self._open = self._new()
        self._bytes = 0

    def add(self, line: int, record: dict[str, Any], size: int) -> Batch | None:
        """Add one record of at most `size` bytes as JSON; returns the batch it closed when the
        record did not fit, else None."""
        closed = None
        if self._open.lines and (len(self._open.lines) >= self.max_records
                                 or self._bytes + size > self.max_bytes):
            closed = self._close(line - 1)
        self._open.lines.append(line)
        self._open.records.append(record)
        self._bytes += size
        return closed

    def flush(self, last_line: int) -> Batch | None:
        """The last, partly filled batch (None when empty)."""
        return self._close(last_line) if self._open.lines else None

    def resend(self, lines: list[int], records: list[dict[str, Any]]) -> Batch:
        """A batch for records a read-back did not find (no span: they are scattered)."""
        self.count += 1
        return Batch(f"{self.run}.{self.count}", list(lines), list(records))

    def _close(self, last: int) -> Batch:
        batch = self._open
        batch.span = (self.span_start, max(last, batch.lines[-1]))
        self.span_start = batch.span[1] + 1
        self._open, self._bytes = self._new(), 0
        return batch

    def _new(self) -> Batch:
        self.count += 1
        return Batch(f"{self.run}.{self.count}")
