"""The client's log on the command's stderr: its warnings (long retry waits) always, its API
calls with `--verbose` or ACTIVITIES_LOG."""

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


# ACTIVITIES_LOG's values, as Terraform's TF_LOG (trace is debug here: nothing is finer).
LEVELS = {"trace": logging.DEBUG, "debug": logging.DEBUG, "info": logging.INFO,
          "warn": logging.WARNING, "warning": logging.WARNING, "error": logging.ERROR,
          "off": logging.CRITICAL + 1}


class LogLevelError(ValueError):
    """ACTIVITIES_LOG names no level."""


def log_level(variable: str, verbose: bool) -> int:
    """The level to show: ACTIVITIES_LOG's (empty: warnings), or info for --verbose if lower."""
    name = variable.strip().lower()
    if name and name not in LEVELS:
        raise LogLevelError(
            f"ACTIVITIES_LOG={variable!r} is not a log level\n"
            "  fix: set it to debug, info, warn, error or off (info is what --verbose shows), "
            "or unset it"
        )
    level = LEVELS.get(name, logging.WARNING)
    return min(level, logging.INFO) if verbose else level
