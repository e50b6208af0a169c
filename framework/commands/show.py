"""`activities show`: render a saved plan, without any connection."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from framework.commands.common import EXIT_OK, command_line
from framework.invocation import of_saved_plan
from framework.plan.planfile import load_plan
from framework.plan.render import FORMATS, Format, render, use_color


def show(plan_file: Path, *, fmt: Format = "text") -> int:
    """Render a saved plan (refusing one edited after it was made)."""
    plan = load_plan(plan_file)
    invocation = of_saved_plan(plan)  # hints (import an unmanaged type) target where it was made
    color = fmt == "text" and use_color(sys.stdout.isatty(), os.environ)
    click.echo(render(plan, fmt, color=color, invocation=invocation), nl=False)
    return EXIT_OK


command = command_line(
    "show", show,
    click.Argument(["plan_file"], metavar="PLAN", type=click.Path(path_type=Path, dir_okay=False)),
    click.Option(
        ["--format", "fmt"], type=click.Choice(FORMATS), default="text", show_default=True,
        help="text for terminals, markdown for pull-request comments, json for machines.",
    ),
)
