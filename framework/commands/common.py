"""What every command shares: error handling, exit codes and the target options."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from framework.errors import ActivitiesError

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


def outcome(command: Callable[[], int], argv: Sequence[str] = ()) -> int:
    """Run COMMAND and map how it ended to an exit code, never a traceback.

    A user error is `Error: ...` and 1; Ctrl+C 130; SIGTERM says how to resume and 143 (a
    command cut short part way, such as apply, says what it left and the exact command that goes
    on); any other exception is a bug: 3, with a crash log of ARGV, the versions and the
    traceback (no secret). click's own ends (a usage error, `--help`) pass through to click."""
    previous = _catch_sigterm()
    _sigterm.clear()
    try:
        return command()
    except ActivitiesError as exc:
        click.echo(f"Error: {_masked(str(exc))}", err=True)
        return EXIT_ERROR
    except Interrupted as stopped:
        head = "Terminated (SIGTERM)." if stopped.terminated else "Interrupted."
        click.echo(f"{head}\n{_masked(stopped.state)}", err=True)
        return EXIT_TERMINATED if stopped.terminated else EXIT_INTERRUPTED
    except KeyboardInterrupt as stop:
        if terminated(stop):
            click.echo(f"Terminated (SIGTERM). {RESUME}", err=True)
            return EXIT_TERMINATED
        click.echo("Interrupted.", err=True)
        return EXIT_INTERRUPTED
    except (click.exceptions.Exit, click.ClickException, click.Abort):
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        return _report_bug(exc, argv)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class ExitCodes(click.Group):
    """A group of commands that return exit codes: the one place where how a command ended
    becomes the process's exit code (`outcome`), whatever the command.

    click parses the command line and calls the command's function with plain values; the
    function returns its code or raises, and this maps either to the code click exits with
    (or that `main(argv)` returns, without exiting)."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        argv = list(args)  # before parsing consumes it: the crash log's command line
        ctx = super().make_context(info_name, args, parent, **extra)
        ctx.meta[ARGV] = argv
        return ctx

    def invoke(self, ctx: click.Context) -> NoReturn:
        code = outcome(lambda: int(super(ExitCodes, self).invoke(ctx)), ctx.meta.get(ARGV, ()))
        raise click.exceptions.Exit(code)


ARGV = "activities.argv"


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


def _report_bug(error: Exception, argv: Sequence[str]) -> int:
    from framework.crash import mask_secrets, write_crash_log

    try:
        where = f"The crash log is {write_crash_log(error, argv)}."
    except Exception as log_error:  # noqa: BLE001 - the report must still be printed
        where = f"No crash log could be written ({type(log_error).__name__})."
    message = mask_secrets(f"{type(error).__name__}: {error}")
    click.echo(f"Unexpected error: {message}\n{where}\n{BUG_REPORT}", err=True)
    return EXIT_BUG


def command_line(
    name: str, function: Callable[..., int], *params: click.Parameter
) -> click.Command:
    """The click command `activities NAME`: it parses the command line into FUNCTION's keyword
    arguments (PARAMS, in the order `--help` lists them) and calls it; FUNCTION's docstring is
    its help. FUNCTION itself stays a plain function that returns an exit code."""
    return click.Command(name, callback=function, params=list(params), help=function.__doc__)


def dir_option() -> click.Option:
    """`--dir PATH`: the definitions folder (default: from settings, `activities/`)."""
    return click.Option(
        ["--dir", "directory"],
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Definitions folder (default: activities/).",
    )


def target_options() -> list[click.Option]:
    """`-e/--env NAME` and `--endpoint URL`: which Marketo instance to talk to."""
    return [
        click.Option(
            ["-e", "--env", "env"],
            default=None,
            metavar="NAME",
            help="A named environment from pyproject.toml (default: the built-in `local`).",
        ),
        click.Option(
            ["--endpoint"],
            default=None,
            metavar="URL",
            help="An ad-hoc instance; credentials from MARKETO_CLIENT_ID and "
                 "MARKETO_CLIENT_SECRET.",
        ),
    ]


def targeting_options() -> list[click.Option]:
    """`--target TYPE` and `--exclude TYPE` (repeatable): plan, apply or check only some types."""
    return [
        click.Option(
            ["--target", "targets"], multiple=True, metavar="TYPE",
            help="Only this type (apiName); repeatable. For exceptions: the plan records it.",
        ),
        click.Option(
            ["--exclude", "excludes"], multiple=True, metavar="TYPE",
            help="Leave this type (apiName) alone; repeatable.",
        ),
    ]
