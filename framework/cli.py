"""The `activities` command line: a thin shell over the command modules."""

from __future__ import annotations

import importlib

import click

from framework import __version__

# Each module in framework/commands exposes `command`, a click.Command.
COMMANDS = ("validate", "fmt", "schema", "plan", "show", "apply", "import_", "emulator")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="activities")
def main() -> None:
    """Marketo Engage custom activity types as code."""


for _name in COMMANDS:
    main.add_command(importlib.import_module(f"framework.commands.{_name}").command)
