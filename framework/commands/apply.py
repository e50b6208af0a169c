"""`activities apply`: apply a saved plan, or plan, confirm and apply."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import click

from framework.apply.interruption import Stopped
from framework.apply.model import ApplyResult, Listener
from framework.apply.progress import JsonProgress, LogProgress, TerminalProgress
from framework.apply.session import apply_saved, plan_and_apply
from framework.apply.summary import summary_text
from framework.commands.common import (
    EXIT_ERROR,
    EXIT_OK,
    Interrupted,
    command_line,
    dir_option,
    target_options,
    targeting_options,
)
from framework.definitions.loader import display_path, load_definitions
from framework.environment import resolve_target
from framework.errors import ConfigError, RefusedError
from framework.invocation import again, remember, remember_plan
from framework.lock.record import record_apply
from framework.plan.model import Plan
from framework.plan.planfile import KEY_VARIABLE, load_plan
from framework.plan.render import render, use_color
from framework.plan.targeting import Targeting
from framework.settings import load_settings


def apply(
    plan_file: Path | None = None,
    directory: Path | None = None,
    env: str | None = None,
    endpoint: str | None = None,
    *,
    targets: tuple[str, ...] = (),
    excludes: tuple[str, ...] = (),
    allow_destructive: bool = False,
    yes: bool = False,
    as_json: bool = False,
) -> int:
    """Apply PLAN (a saved, reviewed plan) without asking; or, without PLAN, make a plan, show
    it and apply it once confirmed."""
    started = time.monotonic()
    settings = load_settings()
    key = os.environ.get(KEY_VARIABLE) or None  # the plan key: a secret, never printed
    progress = _progress(as_json)
    stopped = Stopped()  # what a Ctrl+C or SIGTERM leaves half done, and how to go on
    try:
        if plan_file is not None:
            if allow_destructive or directory is not None or targets or excludes:
                remember(env, endpoint, directory)
                replan = again("plan", "--allow-destructive", "--target", "TYPE", "--out", "FILE")
                raise ConfigError(
                    "--allow-destructive, --dir, --target and --exclude only apply when making "
                    f"a new plan\n  fix: a saved plan carries them: make it with `{replan}` "
                    "(as needed)"
                )
            plan = load_plan(plan_file, key=key)
            made_for = plan.provenance.environment
            if env is None and endpoint is None and made_for != "endpoint":
                env = made_for  # apply where the plan was reviewed for; the guard checks the host
            remember_plan(plan, env, endpoint)
            target = resolve_target(settings, env, endpoint)
            rerun = again("apply", str(plan_file), directory=False)
            stopped.start(plan, rerun)
            result = asyncio.run(
                apply_saved(settings, target, plan, plan_file, listeners=[progress, stopped])
            )
        else:
            remember(env, endpoint, directory)
            directory = directory or settings.definitions_dir
            definitions = load_definitions(directory, settings)
            targeting = Targeting.of(targets, excludes)
            targeting.check(definitions, display_path(directory))
            target = resolve_target(settings, env, endpoint)
            if not yes and not sys.stdin.isatty():
                raise RefusedError(
                    "refusing to apply without confirmation: there is no terminal to ask on; "
                    "nothing was changed\n  fix: pass --yes, or save a plan with "
                    f"`{again('plan', '--out', 'plans/NAME.json')}`, review it, and run "
                    f"`{again('apply', 'plans/NAME.json', directory=False)}`"
                )
            confirmed = asyncio.run(
                plan_and_apply(
                    settings,
                    target,
                    directory,
                    definitions,
                    allow_destructive=allow_destructive,
                    show=lambda plan: _show(plan, as_json),
                    confirm=lambda plan: yes or _ask(),
                    listeners=[progress, stopped],
                    key=key,
                    targeting=targeting,
                    saved=lambda plan, path: stopped.start(
                        plan, again("apply", str(_shown(path)), directory=False)
                    ),
                )
            )
            if confirmed.result is None:
                changes = confirmed.plan.has_changes
                click.echo(
                    "Not applied; nothing was changed." if changes else "No changes.", err=True
                )
                if as_json and not changes:
                    # A machine reading the events gets its summary whatever the outcome.
                    nothing = ApplyResult("nothing-to-do", (), confirmed.plan.readCalls, 0,
                                          time.monotonic() - started)
                    _report(nothing, "", as_json)
                return EXIT_ERROR if changes else EXIT_OK
            plan, result = confirmed.plan, confirmed.result
            rerun = again("apply", str(_shown(confirmed.plan_path)), directory=False)
    except KeyboardInterrupt as cause:
        raise Interrupted(cause, stopped.words()) from None
    finally:
        if isinstance(progress, TerminalProgress):
            progress.close()
    if result.journal is not None:
        result = replace(result, journal=_shown(result.journal))
    _report(result, rerun, as_json)
    click.echo(record_apply(settings, target, plan, result), err=True)
    return EXIT_OK if result.ok else EXIT_ERROR


def _ask() -> bool:
    """Ctrl+C or Ctrl+D at the prompt is a "no", not a crash."""
    try:
        return click.confirm("Apply this plan?", err=True)
    except click.Abort:
        click.echo(err=True)  # end the prompt's line
        return False


def _progress(as_json: bool) -> Listener:
    """JSON lines on stdout; else a live display on a terminal, plain lines otherwise (stderr)."""
    if as_json:
        return JsonProgress(lambda text: click.echo(text, nl=False))

    def write(text: str) -> None:
        click.echo(text, nl=False, err=True)

    return TerminalProgress(write) if sys.stderr.isatty() else LogProgress(write)


def _shown(path: Path | None) -> Path:
    """A path relative to the working folder when it is inside it, as a user would type it."""
    assert path is not None
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _show(plan: Plan, as_json: bool) -> None:
    color = not as_json and use_color(sys.stdout.isatty(), os.environ)
    click.echo(render(plan, "text", color=color), nl=False, err=as_json)


def _report(result: ApplyResult, rerun: str, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(result.to_json(), separators=(",", ":")))
    else:
        click.echo(summary_text(result, rerun))


command = command_line(
    "apply", apply,
    click.Argument(["plan_file"], required=False, type=click.Path(path_type=Path, dir_okay=False)),
    dir_option(), *target_options(), *targeting_options(),
    click.Option(
        ["--allow-destructive"],
        is_flag=True,
        help="Without PLAN: let the new plan delete, replace and drop attributes.",
    ),
    click.Option(["--yes"], is_flag=True,
                 help="Without PLAN: apply without asking for confirmation."),
    click.Option(["--json", "as_json"], is_flag=True, help="Progress and summary as JSON lines."),
)
