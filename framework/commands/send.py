"""`activities send`: validate activity records from a file and send them, none lost or doubled."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from framework.commands.common import (
    EXIT_CHANGES,
    EXIT_ERROR,
    EXIT_OK,
    command_line,
    dir_option,
    target_options,
)
from framework.definitions.loader import display_path
from framework.records.readback import GRACE_SECONDS, READ_BACK_BUDGET


def send(api_name: str, file: Path, directory: Path | None = None, env: str | None = None,
         endpoint: str | None = None, *, check_only: bool = False, journal: Path | None = None,
         rejects: Path | None = None, grace: float = GRACE_SECONDS,
         budget: int = READ_BACK_BUDGET, as_json: bool = False) -> int:
    """Validate activity records from a file and send them, none lost or doubled."""
    if check_only:
        return _check(api_name, file, directory, as_json)
    from framework.records.api import send_records
    from framework.records.sender import ReadBackOptions

    progress = _Progress(as_json, sys.stderr.isatty())
    report = send_records(api_name, file, env=env, endpoint=endpoint, directory=directory,
                          journal=journal, rejects=rejects, listener=progress,
                          options=ReadBackOptions(grace_seconds=grace, read_back_budget=budget))
    progress.clear()
    if as_json:
        click.echo(json.dumps({"event": "summary", **report.to_json()}))
    else:
        click.echo(_summary(report))
    if not report.complete:
        click.echo(f"Error: {report.error}\n  fix: run the same command again: it sends only "
                   "what was not sent", err=True)
        return EXIT_ERROR
    return EXIT_OK if report.all_added else EXIT_CHANGES


def _check(api_name: str, file: Path, directory: Path | None, as_json: bool) -> int:
    from framework.records.api import check_records

    def heard(line: int, reasons: list[str]) -> None:
        if as_json:
            click.echo(json.dumps({"event": "invalid", "line": line, "reasons": reasons},
                                  ensure_ascii=False))
        else:
            for reason in reasons:
                click.echo(f"{display_path(file)}:{line}: {reason}")

    report = check_records(api_name, file, directory=directory, listener=heard)
    if as_json:
        click.echo(json.dumps({"event": "summary", **report.to_json()}))
    else:
        click.echo(f"{report.lines} record(s) of {display_path(file)} checked against "
                   f"{api_name}: {report.valid} valid, {len(report.invalid)} invalid")
    return EXIT_CHANGES if report.invalid else EXIT_OK


class _Progress:
    """--json lines per outcome; on a terminal, a status line redrawn on stderr; elsewhere (a
    CI log) a progress line on stderr every few seconds."""

    def __init__(self, as_json: bool, tty: bool) -> None:
        self.as_json, self.tty = as_json, tty
        self.added = self.skipped = self.invalid = self.batches = 0
        self.drawn = False

    def __call__(self, event: str, data: dict[str, Any]) -> None:
        if event == "progress":
            if not self.as_json and not self.tty:
                click.echo(f"send: {data['checked']} records checked, {data['sent']} sent, "
                           f"{data['confirmed']} confirmed, {data['readBackCalls']} read-back "
                           "calls", err=True)
            return
        if self.as_json:
            click.echo(json.dumps({"event": event, **data}, ensure_ascii=False))
        if event == "batch":
            self.batches += 1
            self.added += len(data["added"])
            self.skipped += len(data["skipped"])
        elif event == "reconciled":
            self.added += len(data["found"])
        elif event == "invalid":
            self.invalid += 1
        if self.tty:
            click.echo(f"\r\x1b[2K{self.batches} batches: {self.added} added, {self.skipped} "
                       f"skipped, {self.invalid} invalid", nl=False, err=True)
            self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            click.echo("\r\x1b[2K", nl=False, err=True)


def _summary(report: Any) -> str:
    lines = [
        f"{report.api_name} records from {report.file}, type id {report.type_id} from "
        f"{report.type_id_from}:",
        f"  {report.added} added, {report.skipped} skipped by Marketo"
        + (f" ({report.skipped_earlier} in an earlier run)" if report.skipped_earlier else "")
        + f", {report.invalid} invalid (not sent), {report.not_sent} not sent",
    ]
    if report.earlier:
        lines.append(f"  {report.earlier} settled by an earlier run (not sent again)")
    if report.read_back or report.read_back_calls:
        lines.append(f"  {report.read_back} batch(es) read back after a lost answer in "
                     f"{report.read_back_calls} call(s): {report.found} found stored, "
                     f"{report.resent} sent again")
    if report.skipped or report.invalid:
        lines.append(f"  skipped and invalid records, with line numbers and reasons: "
                     f"{report.rejects}")
    lines.append(f"  {report.batches} batch(es) in {report.seconds:.1f} s; journal: "
                 f"{report.journal}")
    return "\n".join(lines)


command = command_line(
    "send", send,
    click.Argument(["api_name"], metavar="TYPE"),
    click.Argument(["file"], type=click.Path(path_type=Path, dir_okay=False)),
    dir_option(), *target_options(),
    click.Option(["--check", "check_only"], is_flag=True,
                 help="Only check the records against the definition, offline: no credentials, "
                      "no connection, nothing written. Exit 0 all valid, 2 some invalid."),
    click.Option(["--journal"], type=click.Path(path_type=Path, dir_okay=False), default=None,
                 help="The send journal (default: FILE.<instance>.<type id>.journal.jsonl)."),
    click.Option(["--rejects"], type=click.Path(path_type=Path, dir_okay=False), default=None,
                 help="Where invalid and skipped records are listed (default: "
                      "FILE.rejects.jsonl)."),
    click.Option(["--read-back-grace", "grace"], type=click.FloatRange(0), default=GRACE_SECONDS,
                 show_default=True, metavar="SECONDS",
                 help="After a lost answer, how long after the send a record not read back is "
                      "still waited for (Marketo records activities late)."),
    click.Option(["--read-back-budget", "budget"], type=click.IntRange(1),
                 default=READ_BACK_BUDGET, show_default=True, metavar="CALLS",
                 help="Calls one lost batch's read-back may make; then the send stops, "
                      "resumable."),
    click.Option(["--json", "as_json"], is_flag=True,
                 help="One JSON object per line on stdout: each record's outcome, then a "
                      "summary."),
)
