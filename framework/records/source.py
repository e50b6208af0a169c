"""Record files, read one record at a time with its line number: JSON Lines or CSV.

JSON Lines (any name but `*.csv`): one JSON object a line, blank lines ignored.
CSV (`*.csv`, UTF-8, a header row): `leadId`, `activityDate`, `primaryAttributeValue` and one
column per attribute apiName; an empty cell is no value. Cells are text, so each is read as
its column's data type first (`42` for an integer, `true` for a boolean).

Nothing is held but the current line: memory stays flat for a file of millions of records.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framework.errors import ConfigError
from framework.records.schema import REQUIRED, RecordSchema
from framework.records.values import from_text

CHUNK = 1 << 20


@dataclass(frozen=True)
class Line:
    """One record as read: its line number (from 1) and its JSON value, or why it is unreadable."""

    number: int
    raw: Any = None
    unreadable: str = ""


def is_csv(path: Path) -> bool:
    return path.suffix.lower() == ".csv"


def fingerprint(path: Path) -> str:
    """sha256 of the file: a journal belongs to one exact content."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the record file: {exc.strerror}\n"
                          "  fix: check the path and its permissions") from exc
    return digest.hexdigest()


def read_lines(path: Path, schema: RecordSchema) -> Iterator[Line]:
    """Every record of the file in order."""
    if is_csv(path):
        yield from _csv(path, schema)
    else:
        yield from _json_lines(path)


def _json_lines(path: Path) -> Iterator[Line]:
    with path.open("rb") as handle:
        for number, data in enumerate(handle, start=1):
            if not data.strip():
                continue
            try:
                yield Line(number, json.loads(data))
            except UnicodeDecodeError:
                yield Line(number, unreadable="the line is not UTF-8")
            except ValueError as exc:
                yield Line(number, unreadable=f"not JSON: {exc}")


def _csv(path: Path, schema: RecordSchema) -> Iterator[Line]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle)
        try:
            header = next(rows, None)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise _bad_csv(path, 1, exc) from exc
        if header is None:
            return
        columns = _columns(path, header, schema)
        number = rows.line_num + 1
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except (UnicodeDecodeError, csv.Error) as exc:
                raise _bad_csv(path, number, exc) from exc
            if len(row) != len(header) and row:
                yield Line(number, unreadable=f"{len(row)} cells for {len(header)} columns")
            elif row:
                yield Line(number, _record(row, columns))
            number = rows.line_num + 1


def _columns(path: Path, header: list[str], schema: RecordSchema) -> list[tuple[str, str]]:
    """(column, data type) per header cell; a header that cannot be right stops the send."""
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in (*REQUIRED, *schema.attributes)]
    if missing or unknown or len(set(header)) != len(header):
        what = []
        if missing:
            what.append(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
        if unknown:
            what.append(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                        f"(attributes of {schema.api_name}: "
                        f"{', '.join(schema.attributes) or 'none'})")
        if len(set(header)) != len(header):
            what.append("a column named twice")
        raise ConfigError(
            f"{path}:1: the CSV header does not fit {schema.api_name}: {'; '.join(what)}\n"
            f"  fix: name the columns leadId, activityDate, primaryAttributeValue and then "
            "attribute apiNames"
        )
    types = {name: rule.data_type for name, rule in schema.attributes.items()}
    types["leadId"] = "integer"
    types["primaryAttributeValue"] = schema.primary.data_type
    types["activityDate"] = "datetime"
    return [(name, types[name]) for name in header]


def _record(row: list[str], columns: list[tuple[str, str]]) -> Any:
    record: dict[str, Any] = {}
    attributes: dict[str, Any] = {}
    for (name, data_type), cell in zip(columns, row, strict=True):
        if cell == "":
            continue
        value = from_text(data_type, cell)
        if name in REQUIRED:
            record[name] = value
        else:
            attributes[name] = value
    if attributes:
        record["attributes"] = attributes
    return record


def _bad_csv(path: Path, line: int, exc: Exception) -> ConfigError:
    return ConfigError(f"{path}:{line}: cannot read the CSV file: {exc}\n"
                       "  fix: save it as UTF-8 CSV with a header row")
