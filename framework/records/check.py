"""`activities send --check`: every record of a file checked against its definition, offline.

No credentials, no connection, nothing written: the same reading and checks as a send (so a
file that passes is one a send would not reject before Marketo sees it), for CI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framework.records.schema import InvalidRecord, RecordSchema
from framework.records.source import read_lines


@dataclass
class CheckReport:
    """The records of one file: how many, and which are invalid with why."""

    api_name: str
    file: str
    lines: int = 0
    valid: int = 0
    invalid: list[tuple[int, list[str]]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"apiName": self.api_name, "file": self.file, "lines": self.lines,
                "valid": self.valid, "invalid": len(self.invalid)}


def check_file(schema: RecordSchema, path: Path,
               listener: Callable[[int, list[str]], None] | None = None) -> CheckReport:
    """Check every record of `path`; `listener(line, reasons)` hears each invalid one."""
    report = CheckReport(schema.api_name, str(path))
    for number, reasons in _problems(schema, path, report):
        report.invalid.append((number, reasons))
        if listener is not None:
            listener(number, reasons)
    return report


def _problems(schema: RecordSchema, path: Path,
              report: CheckReport) -> Iterator[tuple[int, list[str]]]:
    for line in read_lines(path, schema):
        report.lines += 1
        if line.unreadable:
            yield line.number, [line.unreadable]
            continue
        try:
            schema.check_sized(line.raw)
        except InvalidRecord as bad:
            yield line.number, [_printable(r) for r in bad.reasons]
            continue
        report.valid += 1


def _printable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
