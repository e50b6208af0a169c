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
    dir_option,
    handle_errors,
    target_options,
)
from framework.invocation import remember


@click.command("send")
@click.argument("api_name", metavar="TYPE")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@dir_option
@target_options
@click.option("--journal", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The send journal (default: FILE.<environment>.journal.jsonl).")
@click.option("--rejects", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Where invalid and skipped records are listed (default: FILE.rejects.jsonl).")
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per line on stdout: each record's outcome, then a summary.")
@handle_errors
def command(api_name: str, file: Path, directory: Path | None, env: str | None,
            endpoint: str | None, journal: Path | None, rejects: Path | None,
            as_json: bool) -> int:
    """Validate activity records from a file and send them, none lost or doubled."""
    from framework.records.api import send_records

    remember(env, endpoint, directory)  # the fix hints repeat -e / --endpoint / --dir
    progress = _Progress(as_json, sys.stderr.isatty())
    report = send_records(api_name, file, env=env, endpoint=endpoint, directory=directory,
                          journal=journal, rejects=rejects, listener=progress)
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


class _Progress:
    """--json lines per outcome; on a terminal, a status line redrawn on stderr."""

    def __init__(self, as_json: bool, tty: bool) -> None:
        self.as_json, self.tty = as_json, tty
        self.added = self.skipped = self.invalid = self.batches = 0
        self.drawn = False

    def __call__(self, event: str, data: dict[str, Any]) -> None:
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
    if report.read_back:
        lines.append(f"  {report.read_back} batch(es) read back after a lost answer: "
                     f"{report.found} found stored, {report.resent} sent again")
    if report.skipped or report.invalid:
        lines.append(f"  skipped and invalid records, with line numbers and reasons: "
                     f"{report.rejects}")
    lines.append(f"  {report.batches} batch(es) in {report.seconds:.1f} s; journal: "
                 f"{report.journal}")
    return "\n".join(lines)
