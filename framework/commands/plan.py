"""`activities plan`: compare the definitions with the live instance and print the change."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from framework.commands.common import (
    EXIT_CHANGES,
    EXIT_OK,
    command_line,
    dir_option,
    target_options,
    targeting_options,
)
from framework.definitions.loader import display_path, load_definitions
from framework.definitions.model import DefinitionFile
from framework.environment import Target, connect, resolve_target
from framework.invocation import Invocation
from framework.live import LiveState
from framework.lock.binding import ID_MISMATCH, instance_of, read_bound_lock
from framework.lock.store import lock_name
from framework.plan.model import Plan
from framework.plan.pipeline import make_plan
from framework.plan.planfile import KEY_VARIABLE, save_plan, sign
from framework.plan.render import FORMATS, Format, render, use_color
from framework.plan.targeting import Targeting
from framework.settings import Settings, load_settings


def plan(
    directory: Path | None = None,
    env: str | None = None,
    endpoint: str | None = None,
    *,
    targets: tuple[str, ...] = (),
    excludes: tuple[str, ...] = (),
    out: Path | None = None,
    fmt: Format = "text",
    detailed_exitcode: bool = False,
    allow_destructive: bool = False,
) -> int:
    """Show what apply would change on the live instance, and why."""
    settings = load_settings()
    invocation = Invocation.of(env, endpoint, directory)  # what every hint repeats
    directory = directory or settings.definitions_dir
    definitions = load_definitions(directory, settings)  # definition errors stop us offline
    targeting = Targeting.of(targets, excludes)
    targeting.check(definitions, display_path(directory))  # so do unknown --target names
    target = resolve_target(settings, env, endpoint)
    made, warning = asyncio.run(
        _plan(settings, target, directory, definitions, allow_destructive, targeting, invocation)
    )
    if warning:
        click.echo(warning, err=True)
    made = sign(made, os.environ.get(KEY_VARIABLE) or None)
    color = fmt == "text" and use_color(sys.stdout.isatty(), os.environ)
    click.echo(render(made, fmt, color=color, invocation=invocation), nl=False)
    if out is not None:
        save_plan(made, out)
        click.echo(_saved(made, out, invocation), err=True)
    return EXIT_CHANGES if detailed_exitcode and made.has_changes else EXIT_OK


def _saved(plan: Plan, out: Path, invocation: Invocation) -> str:
    """Where the plan went, and the apply command that works for it as it is."""
    if plan.summary.destructive and not plan.provenance.allowDestructive:
        # Inviting an apply that is certain to refuse would only waste a review round.
        return (
            f"Saved the plan to {out}; apply refuses it as it is (destructive changes not "
            "allowed): after review, make it with "
            f"`{invocation.command('plan', '--allow-destructive', '--out', str(out))}`."
        )
    # An ad-hoc endpoint is not recorded in the plan (only its host), so apply needs it again.
    apply = invocation.command("apply", str(out), directory=False)
    return f"Saved the plan to {out}; apply it with `{apply}`."


async def _plan(
    settings: Settings,
    target: Target,
    directory: Path,
    definitions: Sequence[DefinitionFile],
    allow: bool,
    targeting: Targeting,
    invocation: Invocation,
) -> tuple[Plan, str]:
    """The plan, and a warning about the environment's lock file when it is not to be trusted."""
    async with connect(target, settings) as (started, client):
        plan = await make_plan(
            settings, started, client, directory, allow_destructive=allow,
            definitions=definitions, targeting=targeting, invocation=invocation,
        )
    return plan, lock_warning(settings, target, plan.inputs.live, invocation)


def lock_warning(
    settings: Settings, target: Target, live: LiveState, invocation: Invocation
) -> str:
    """A line about the lock file when it is there but describes another instance, or its ids
    are not the instance's; "" otherwise (no lock is not worth a warning in a plan)."""
    found = read_bound_lock(settings, instance_of(settings, target), lock_name(target), live=live,
                            invocation=invocation)
    if not found.refused:
        return ""
    if found.note.startswith(ID_MISMATCH):
        return (
            f"Warning: {found.note}; until then, integration code reading ids from it would "
            "send records to the wrong type."
        )
    return f"Warning: {found.note}."


command = command_line(
    "plan", plan, dir_option(), *target_options(), *targeting_options(),
    click.Option(
        ["--out"],
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Save the plan as JSON to FILE (for review and `activities apply FILE`).",
    ),
    click.Option(
        ["--format", "fmt"], type=click.Choice(FORMATS), default="text", show_default=True,
        help="text for terminals, markdown for pull-request comments, json for machines.",
    ),
    click.Option(
        ["--detailed-exitcode"], is_flag=True,
        help="Exit 0 when there are no changes, 2 when there are, 1 on error.",
    ),
    click.Option(
        ["--allow-destructive"], is_flag=True,
        help="Let apply run this plan's destructive changes (deletes, replaces, dropped "
             "attributes).",
    ),
)
