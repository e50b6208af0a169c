"""What every command shares: error handling, exit codes and the target options."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from framework.errors import ActivitiesError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2

BUG_REPORT = (
    "This is a bug in activities, not in your files. Please report it with the command you ran "
    "and the text above: https://github.com/activities-as-code/activities/issues"
)

F = TypeVar("F", bound=Callable[..., int])


def handle_errors(func: F) -> F:
    """Run a command body: user errors become `Error: ...` and exit 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> int:
        try:
            code = func(*args, **kwargs)
        except ActivitiesError as exc:
            click.echo(f"Error: {exc}", err=True)
            code = EXIT_ERROR
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            code = 130
        except click.exceptions.Exit:
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            click.echo(f"Unexpected error: {type(exc).__name__}: {exc}\n{BUG_REPORT}", err=True)
            code = EXIT_ERROR
        sys.exit(code)

    return wrapper  # type: ignore[return-value]


def dir_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--dir PATH`: the definitions folder (default: from settings, `activities/`)."""
    return click.option(
        "--dir",
        "directory",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Definitions folder (default: activities/).",
    )(func)


def target_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`-e/--env NAME` and `--endpoint URL`: which Marketo instance to talk to."""
    func = click.option(
        "--endpoint",
        default=None,
        metavar="URL",
        help="An ad-hoc instance; credentials from MARKETO_CLIENT_ID and MARKETO_CLIENT_SECRET.",
    )(func)
    func = click.option(
        "-e",
        "--env",
        "env",
        default=None,
        metavar="NAME",
        help="A named environment from pyproject.toml (default: the built-in `local`).",
    )(func)
    return func
