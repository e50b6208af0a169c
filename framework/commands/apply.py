"""`activities apply`: apply a saved plan, or plan, confirm and apply.

`apply` picks the way in; `_apply_saved_plan` and `_plan_confirm_apply` each run one, inside
`_watched` (the progress display, and what a Ctrl+C or SIGTERM left half done); `_report` says
how it ended and records the lock. Nothing here decides what is allowed: framework/apply does.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
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
from framework.environment import Target, resolve_target
from framework.errors import ConfigError, RefusedError
from framework.invocation import Invocation, of_saved_plan
from framework.lock.record import record_apply
from framework.plan.model import Plan
from framework.plan.planfile import KEY_VARIABLE, load_plan
from framework.plan.render import render, use_color
from framework.plan.targeting import Targeting
from framework.pyproject import AD_HOC
from framework.settings import Settings, load_settings


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
    invocation = Invocation.of(env, endpoint, directory)  # what every hint repeats
    settings = load_settings()
    with _watched(as_json) as watch:
        if plan_file is None:
            ended = _plan_confirm_apply(
                settings, directory, env, endpoint, Targeting.of(targets, excludes),
                allow_destructive=allow_destructive, yes=yes, watch=watch,
                invocation=invocation,
            )
        else:
            if allow_destructive or directory is not None or targets or excludes:
                raise _options_of_a_new_plan(invocation)
            ended = _apply_saved_plan(settings, plan_file, env, endpoint, watch)
    if isinstance(ended, Applied):
        return _report(settings, ended, as_json)
    return _not_applied(ended, as_json, started, invocation)


@dataclass(frozen=True)
class Applied:
    """An apply that ran: the plan, where, how it ended, and the command that runs it again."""

    plan: Plan
    target: Target
    result: ApplyResult
    rerun: str
    invocation: Invocation  # the options its hints repeat (a saved plan's: where it was made)


@dataclass(frozen=True)
class Watch:
    """What an apply reports to: its progress display, and `stopped`, which says what a Ctrl+C
    or SIGTERM left half done and the command that goes on."""

    progress: Listener
    stopped: Stopped
    as_json: bool

    @property
    def listeners(self) -> list[Listener]:
        return [self.progress, self.stopped]


@contextmanager
def _watched(as_json: bool) -> Iterator[Watch]:
    """A Watch for the block; a Ctrl+C or SIGTERM in it says what the apply left half done.
    The live display is cleared on the way out, before anything else is printed."""
    watch = Watch(_progress(as_json), Stopped(), as_json)
    try:
        yield watch
    except KeyboardInterrupt as cause:
        raise Interrupted(cause, watch.stopped.words()) from None
    finally:
        if isinstance(watch.progress, TerminalProgress):
            watch.progress.close()


def _options_of_a_new_plan(invocation: Invocation) -> ConfigError:
    replan = invocation.command(
        "plan", "--allow-destructive", "--target", "TYPE", "--out", "FILE"
    )
    return ConfigError(
        "--allow-destructive, --dir, --target and --exclude only apply when making "
        f"a new plan\n  fix: a saved plan carries them: make it with `{replan}` "
        "(as needed)"
    )


def _apply_saved_plan(
    settings: Settings, plan_file: Path, env: str | None, endpoint: str | None, watch: Watch
) -> Applied:
    """Apply a saved plan where it was made for, unless -e or --endpoint say where."""
    plan = load_plan(plan_file, key=_plan_key(), invocation=Invocation.of(env, endpoint))
    made_for = plan.provenance.environment
    if env is None and endpoint is None and made_for != AD_HOC:
        env = made_for  # apply where the plan was reviewed for; the guard checks the host
    invocation = of_saved_plan(plan, env, endpoint)  # hints target where it was made
    target = resolve_target(settings, env, endpoint)
    rerun = invocation.command("apply", str(plan_file), directory=False)
    watch.stopped.start(plan, rerun)
    result = asyncio.run(apply_saved(
        settings, target, plan, plan_file, invocation=invocation, listeners=watch.listeners
    ))
    return Applied(plan, target, result, rerun, invocation)


def _plan_confirm_apply(
    settings: Settings,
    directory: Path | None,
    env: str | None,
    endpoint: str | None,
    targeting: Targeting,
    *,
    allow_destructive: bool,
    yes: bool,
    watch: Watch,
    invocation: Invocation,
) -> Applied | Plan:
    """Make a plan, show it and apply it once confirmed (or with --yes); the plan alone when
    it was not applied (no changes, or declined). Hints repeat the options of `invocation`."""
    directory = directory or settings.definitions_dir
    definitions = load_definitions(directory, settings)
    targeting.check(definitions, display_path(directory))
    target = resolve_target(settings, env, endpoint)
    if not yes and not sys.stdin.isatty():
        raise RefusedError(
            "refusing to apply without confirmation: there is no terminal to ask on; "
            "nothing was changed\n  fix: pass --yes, or save a plan with "
            f"`{invocation.command('plan', '--out', 'plans/NAME.json')}`, review it, and run "
            f"`{invocation.command('apply', 'plans/NAME.json', directory=False)}`"
        )
    confirmed = asyncio.run(
        plan_and_apply(
            settings,
            target,
            directory,
            definitions,
            invocation=invocation,
            allow_destructive=allow_destructive,
            show=lambda plan: _show(plan, watch.as_json, invocation),
            confirm=lambda plan: yes or _ask(),
            listeners=watch.listeners,
            key=_plan_key(),
            targeting=targeting,
            saved=lambda plan, path: watch.stopped.start(plan, _rerun(path, invocation)),
        )
    )
    if confirmed.result is None:
        return confirmed.plan
    rerun = _rerun(confirmed.plan_path, invocation)
    return Applied(confirmed.plan, target, confirmed.result, rerun, invocation)


def _plan_key() -> str | None:
    """The plan key: a secret, never printed."""
    return os.environ.get(KEY_VARIABLE) or None


def _rerun(plan_path: Path | None, invocation: Invocation) -> str:
    """The command that applies (or resumes) the plan an interactive apply saved."""
    return invocation.command("apply", str(_shown(plan_path)), directory=False)


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


def _show(plan: Plan, as_json: bool, invocation: Invocation) -> None:
    color = not as_json and use_color(sys.stdout.isatty(), os.environ)
    click.echo(render(plan, "text", color=color, invocation=invocation), nl=False, err=as_json)


def _report(settings: Settings, applied: Applied, as_json: bool) -> int:
    """The summary of an apply that ran, and the lock file it recorded."""
    result = applied.result
    if result.journal is not None:
        result = replace(result, journal=_shown(result.journal))
    _summary(result, applied.rerun, as_json, applied.invocation)
    click.echo(record_apply(settings, applied.target, applied.plan, result, applied.invocation),
               err=True)
    return EXIT_OK if result.ok else EXIT_ERROR


def _not_applied(plan: Plan, as_json: bool, started: float, invocation: Invocation) -> int:
    """Nothing applied: no changes (0), or the person said no (1)."""
    changes = plan.has_changes
    click.echo("Not applied; nothing was changed." if changes else "No changes.", err=True)
    if as_json and not changes:
        # A machine reading the events gets its summary whatever the outcome.
        nothing = ApplyResult("nothing-to-do", (), plan.readCalls, 0, time.monotonic() - started)
        _summary(nothing, "", as_json, invocation)
    return EXIT_ERROR if changes else EXIT_OK


def _summary(result: ApplyResult, rerun: str, as_json: bool, invocation: Invocation) -> None:
    if as_json:
        click.echo(json.dumps(result.to_json(), separators=(",", ":")))
    else:
        click.echo(summary_text(result, rerun, invocation))


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
