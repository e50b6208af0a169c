"""`activities schema`: print (or write) the JSON Schema of definition files."""

from __future__ import annotations

import click

from framework.commands.common import EXIT_OK, handle_errors
from framework.definitions.schema import SCHEMA_PATH, schema_text, write_schema


@click.command("schema")
@click.option("--write", is_flag=True,
              help=f"Regenerate the committed copy ({SCHEMA_PATH.name}) instead of printing.")
@handle_errors
def command(write: bool) -> int:
    """Print the JSON Schema of definition files (for editors and other tools)."""
    if not write:
        click.echo(schema_text(), nl=False)
        return EXIT_OK
    changed = write_schema()
    click.echo(f"{SCHEMA_PATH}: {'written' if changed else 'already up to date'}")
    return EXIT_OK
