"""Record files, read one record at a time with its line number: JSON Lines or CSV.

JSON Lines (any name but `*.csv`): one JSON object a line, blank lines ignored.
CSV (`*.csv`, UTF-8, a header row): `leadId`, `activityDate`, `primaryAttributeValue` and one
column per attribute apiName; an empty cell is no value; one row a line (a quoted cell may hold
commas and quotes, not line breaks). Cells are text, so each is read as
its column's data type first (`42` for an integer, `true` for a boolean).

Nothing is held but the current line, and a line over MAX_LINE_BYTES is skipped in chunks:
memory stays flat for a file of millions of records whatever its longest line. A line that
cannot be read (not UTF-8, not JSON, a key twice, nested too deeply, a broken CSV row) is a
Line with the reason: it is rejected alone and the others are sent.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from framework.errors import ConfigError
from framework.records.schema import REQUIRED, RecordSchema
from framework.records.values import from_text
from framework.spelling import closest

CHUNK = 1 << 20
# A record longer than a call may carry (1 MB) can never be sent: such a line is rejected
# without being held, so memory stays bounded whatever the longest line.
MAX_LINE_BYTES = 1_048_576


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


def physical_lines(handle: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """(number, bytes) per line of the file; None for a line over MAX_LINE_BYTES, which is
    skipped in chunks and never held whole."""
    number = 0
    while True:
        data = handle.readline(MAX_LINE_BYTES + 1)
        if not data:
            return
        number += 1
        if len(data) > MAX_LINE_BYTES and not data.endswith(b"\n"):
            while (rest := handle.readline(CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield number, None
            continue
        yield number, data


def _too_long(number: int) -> Line:
    return Line(number, unreadable=f"the line is over {MAX_LINE_BYTES:,} bytes: no record "
                                   "that long fits in a call to Marketo (1 MB)")


def _json_lines(path: Path) -> Iterator[Line]:
    with path.open("rb") as handle:
        for number, data in physical_lines(handle):
            if data is None:
                yield _too_long(number)
                continue
            if not data.strip():
                continue
            try:
                yield Line(number, json.loads(data, object_pairs_hook=_no_twins))
            except UnicodeDecodeError:
                yield Line(number, unreadable="the line is not UTF-8")
            except DuplicateKey as twin:
                yield Line(number, unreadable=f"the key {twin} appears twice in one object")
            except ValueError as exc:
                yield Line(number, unreadable=f"not JSON: {exc}")
            except RecursionError:
                yield Line(number, unreadable="not a record: nested too deeply to read")


class DuplicateKey(ValueError):
    """An object names a key twice: which value was meant cannot be told."""


def _no_twins(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(json.dumps(key))
            seen.add(key)
    return found


def _csv(path: Path, schema: RecordSchema) -> Iterator[Line]:
    """A header row, then one row a line: a quoted cell may not span lines, so a quote left
    open spoils its own row only, never the rows after it."""
    with path.open("rb") as handle:
        lines = physical_lines(handle)
        header = _header(path, next(lines, None))
        if header is None:
            return
        columns = _columns(path, header, schema)
        for number, data in lines:
            if data is None:
                yield _too_long(number)
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                yield Line(number, unreadable="the line is not UTF-8")
                continue
            if not text.strip("\r\n"):
                continue
            try:
                row = next(csv.reader((text,), strict=True))
            except csv.Error as exc:
                yield Line(number, unreadable=_broken_row(exc))
                continue
            if len(row) != len(header):
                yield Line(number, unreadable=f"{len(row)} cells for {len(header)} columns")
            else:
                yield Line(number, _record(row, columns))


def _broken_row(exc: csv.Error) -> str:
    if "unexpected end of data" in str(exc):
        return ("a quoted cell is not closed on its line (a quoted cell may not span lines): "
                "the row is not read")
    return f"not a CSV row: {exc}"


def _header(path: Path, first: tuple[int, bytes | None] | None) -> list[str] | None:
    if first is None:
        return None
    data = first[1]
    if data is None:
        raise ConfigError(f"{path}:1: the CSV header is over {MAX_LINE_BYTES:,} bytes\n"
                          "  fix: the first line names the columns")
    try:
        text = data.decode("utf-8-sig")
        return next(csv.reader((text,), strict=True))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _bad_csv(path, 1, exc) from exc


def _columns(path: Path, header: list[str], schema: RecordSchema) -> list[tuple[str, str]]:
    """(column, data type) per header cell; a header that cannot be right stops the send."""
    known = [*REQUIRED, *schema.attributes]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in known]
    if missing or unknown or len(set(header)) != len(header):
        what = []
        if missing:
            what.append(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
        free = [name for name in known if name not in header]
        guesses = {name: _did_you_mean(name, free) for name in unknown}
        what += [f"unknown column {name}; did you mean '{guess}'?"
                 for name, guess in guesses.items() if guess]
        unguessed = [name for name, guess in guesses.items() if not guess]
        if unguessed:
            what.append(f"unknown column{'s' if len(unguessed) > 1 else ''} "
                        f"{', '.join(unguessed)} (attributes of {schema.api_name}: "
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


def _did_you_mean(name: str, candidates: list[str]) -> str | None:
    return closest(name, candidates)


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
