"""Activity records: typed models, validation, and a sender that never loses or doubles one.

values     one check per Marketo data type (Adobe's field types)
schema     RecordSchema: what a record of one type holds, checked fast
source     record files (JSON Lines, CSV) read one line at a time
codegen    the typed Python module and the JSON Schema of each record type
batches    at most 300 records and under 1 MB a call
journal    what each run sent, fsynced, so a killed send resumes without loss or doubles
readback   which records of a batch Marketo stored (match keys, paging, 30 leads a read)
sender     the send itself: stream, check, batch, send, reconcile
api        send_records(): the library call behind `activities send`
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from framework.records.api import send_records as send_records

__all__ = ["send_records"]


def __getattr__(name: str) -> Any:
    # Imported on use: codegen and validation must not load the client.
    if name == "send_records":
        from framework.records.api import send_records

        return send_records
    raise AttributeError(name)
