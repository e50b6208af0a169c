"""What every command shares: error handling, exit codes and the target options."""

from __future__ import annotations

import functools
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from framework.errors import ActivitiesError
from framework.invocation import forget

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl+C
EXIT_TERMINATED = 143  # 128 + SIGTERM, as shells report a cancelled CI job

# What each exit code means, for the manual (docs/reference/exit-codes.md is generated from it).
EXIT_CODES: dict[int, str] = {
    EXIT_OK: "success (with `plan --detailed-exitcode`: no changes)",
    EXIT_ERROR: "an error or a refusal: `Error: ...` names the file, line and rule and how to "
                "fix it. A usage error (an unknown command or option, a bad option value) is "
                "1 too, so that a typo in CI never reads as \"changes present\"; only "
                "`activities emulator` answers 2 for a bad option",
    EXIT_CHANGES: "changes present (`plan --detailed-exitcode`), drift found (`drift`), or a "
                  "send that finished with records rejected (`send`)",
    EXIT_BUG: "a bug in activities: `Unexpected error: ...` and the path of a crash log for the "
              "bug report (credentials masked)",
    EXIT_INTERRUPTED: "Ctrl+C: `Interrupted.`; an interrupted apply resumes when run again",
    EXIT_TERMINATED: "SIGTERM (a cancelled CI job): `Terminated (SIGTERM).` and how to resume",
}

BUG_REPORT = (
    "This is a bug in activities, not in your files. Please report it with the command you ran "
    "and the crash log: https://github.com/activities-as-code/activities/issues"
)
RESUME = "Run the same command again to resume."

F = TypeVar("F", bound=Callable[..., int])


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived. A KeyboardInterrupt, so that it stops asyncio and apply as Ctrl+C does."""


class Interrupted(KeyboardInterrupt):
    """Ctrl+C or SIGTERM stopped a command that may have changed something: `state` says what
    it left half done and the command that goes on from there."""

    def __init__(self, cause: KeyboardInterrupt, state: str) -> None:
        super().__init__(state)
        self.terminated = terminated(cause)
        self.state = state


# SIGTERM arrived during this command (asyncio.run turns it into a plain KeyboardInterrupt).
_sigterm: list[int] = []


def terminated(stop: KeyboardInterrupt) -> bool:
    """Whether the KeyboardInterrupt STOP came from SIGTERM rather than Ctrl+C."""
    return isinstance(stop, Terminated) or bool(_sigterm)


def _terminate(signum: int, frame: Any) -> None:
    _sigterm.append(signum)
    sigint = signal.getsignal(signal.SIGINT)
    if callable(sigint) and sigint is not signal.default_int_handler:
        # asyncio.run's own Ctrl+C handler: it cancels the running command's task, which
        # unwinds (journal written, connections closed) before KeyboardInterrupt is raised.
        # Raised inside a task instead, the exception would escape its clean-up.
        sigint(signal.SIGINT, frame)
        return
    raise Terminated


def handle_errors(func: F) -> F:
    """Run a command body and map how it ended to an exit code, never a traceback.

    A user error is `Error: ...` and 1; Ctrl+C 130; SIGTERM says how to resume and 143 (a
    command cut short part way, such as apply, says what it left and the exact command that goes
    on); any other exception is a bug: 3, with a crash log (versions, traceback, no secret)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> int:
        previous = _catch_sigterm()
        _sigterm.clear()
        forget()  # hints name only the options of this command
        try:
            code = func(*args, **kwargs)
        except ActivitiesError as exc:
            click.echo(f"Error: {_masked(str(exc))}", err=True)
            code = EXIT_ERROR
        except Interrupted as stopped:
            head = "Terminated (SIGTERM)." if stopped.terminated else "Interrupted."
            click.echo(f"{head}\n{_masked(stopped.state)}", err=True)
            code = EXIT_TERMINATED if stopped.terminated else EXIT_INTERRUPTED
        except KeyboardInterrupt as stop:
            if terminated(stop):
                click.echo(f"Terminated (SIGTERM). {RESUME}", err=True)
                code = EXIT_TERMINATED
            else:
                click.echo("Interrupted.", err=True)
                code = EXIT_INTERRUPTED
        except click.exceptions.Exit:
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            code = _report_bug(exc)
        finally:
            forget()
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
        sys.exit(code)

    return wrapper  # type: ignore[return-value]


def _masked(text: str) -> str:
    """Error text as shown: every secret the run registered (client id and secret, tokens) and
    every credential-looking part masked. Without the client loaded, nothing was registered,
    and importing it (httpx) would slow every failing validate."""
    registry = sys.modules.get("framework.client.redact")
    return registry.redact_known(text) if registry is not None else text


def _catch_sigterm() -> Any:
    """Turn SIGTERM into Terminated while the command runs; the previous handler, or None."""
    try:
        return signal.signal(signal.SIGTERM, _terminate)
    except (ValueError, AttributeError):  # not the main thread, or no SIGTERM on this platform
        return None


def _report_bug(error: Exception) -> int:
    from framework.crash import mask_secrets, write_crash_log

    try:
        where = f"The crash log is {write_crash_log(error, sys.argv[1:])}."
    except Exception as log_error:  # noqa: BLE001 - the report must still be printed
        where = f"No crash log could be written ({type(log_error).__name__})."
    message = mask_secrets(f"{type(error).__name__}: {error}")
    click.echo(f"Unexpected error: {message}\n{where}\n{BUG_REPORT}", err=True)
    return EXIT_BUG


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


def targeting_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--target TYPE` and `--exclude TYPE` (repeatable): plan, apply or check only some types."""
    func = click.option(
        "--exclude", "excludes", multiple=True, metavar="TYPE",
        help="Leave this type (apiName) alone; repeatable.",
    )(func)
    func = click.option(
        "--target", "targets", multiple=True, metavar="TYPE",
        help="Only this type (apiName); repeatable. For exceptions: the plan records it.",
    )(func)
    return func
