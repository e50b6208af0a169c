"""The `activities` command line: a thin shell over the command modules."""

from __future__ import annotations

import importlib
import logging
from typing import Any

import click

from framework import __version__
from framework.commands.common import EXIT_ERROR

# Each module in framework/commands exposes `command`, a click.Command.
COMMANDS = ("validate", "fmt", "schema", "plan", "show", "apply", "import_", "emulator")

# Commands that keep click's exit code 2 for a usage error, as their documentation says.
USAGE_EXIT_2 = ("emulator",)


class CommandLine(click.Group):
    """A usage error (unknown command or option, bad value) exits 1, not click's 2: `plan
    --detailed-exitcode` means "changes present" by 2, and a typo in CI must not read as that."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise _exit_1(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _exit_1(exc) from None


class _UsageError(click.UsageError):
    exit_code = EXIT_ERROR


def _exit_1(exc: click.UsageError) -> click.UsageError:
    command = exc.ctx.command.name if exc.ctx is not None else None
    if command in USAGE_EXIT_2:
        return exc
    # format_message keeps what the subclass adds (the option name, "did you mean").
    return _UsageError(exc.format_message(), exc.ctx)


@click.group(cls=CommandLine, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="activities")
def main() -> None:
    """Marketo Engage custom activity types as code."""
    show_client_warnings()


class _StderrWarnings(logging.Handler):
    """Writes to the stderr of the moment (click's), so a captured or swapped stream works."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            click.echo(f"activities: {self.format(record)}", err=True)
        except Exception:  # noqa: BLE001 - logging must never break the command
            self.handleError(record)


def show_client_warnings() -> None:
    """Show the client's warnings (long retry waits) on stderr, so a slow run never looks stuck."""
    logger = logging.getLogger("framework.client")
    if not any(isinstance(handler, _StderrWarnings) for handler in logger.handlers):
        logger.addHandler(_StderrWarnings(logging.WARNING))


for _name in COMMANDS:
    main.add_command(importlib.import_module(f"framework.commands.{_name}").command)
