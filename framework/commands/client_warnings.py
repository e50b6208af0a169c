"""The client's warnings (long retry waits) on the command's stderr."""

from __future__ import annotations

import logging

import click


class StderrWarnings(logging.Handler):
    """Writes to the stderr of the moment (click's), so a captured or swapped stream works."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            click.echo(f"activities: {self.format(record)}", err=True)
        except Exception:  # noqa: BLE001 - logging must never break the command
            self.handleError(record)
