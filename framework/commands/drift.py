"""`activities drift`: what changed on the instance since the last apply, read-only."""

from __future__ import annotations

import asyncio
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
from framework.errors import ConfigError


def drift(
    directory: Path | None = None,
    env: str | None = None,
    endpoint: str | None = None,
    *,
    targets: tuple[str, ...] = (),
    excludes: tuple[str, ...] = (),
    as_json: bool = False,
    fmt: str | None = None,
) -> int:
    """Report what changed on the instance since the last apply (exit 2 when anything did)."""
    # Imported here: the client, the emulator and the renderers are not needed for --help.
    from framework.drift.check import check_drift
    from framework.drift.render import render
    from framework.environment import resolve_target
    from framework.invocation import Invocation
    from framework.settings import load_settings

    if as_json and fmt not in (None, "json"):
        raise ConfigError(f"--json and --format {fmt} are exclusive\n  fix: pass one of them")
    settings = load_settings()
    target = resolve_target(settings, env, endpoint)
    invocation = Invocation.of(env, endpoint, directory)  # what every hint repeats
    report = asyncio.run(
        check_drift(settings, target, directory or settings.definitions_dir, invocation)
    )
    if targets or excludes:
        from framework.drift.targeting import only_targeted
        from framework.plan.targeting import Targeting

        targeting = Targeting.of(targets, excludes)
        report = only_targeted(report, targeting, directory or settings.definitions_dir)
    form = "json" if as_json else fmt or "text"
    click.echo(render(report, form, invocation.command("plan")), nl=False)
    return EXIT_CHANGES if report.drifted else EXIT_OK


command = command_line(
    "drift", drift, dir_option(), *target_options(), *targeting_options(),
    click.Option(["--json", "as_json"], is_flag=True,
                 help="The report as JSON (same as --format json)."),
    click.Option(
        ["--format", "fmt"], type=click.Choice(["text", "markdown", "json"]), default=None,
        help="text for terminals and logs (default), markdown for an issue or a chat message.",
    ),
)
