"""The `activities` command line: a thin shell over the command functions.

`main(argv)` returns the exit code. click parses the command line and calls the command's
function (framework/commands/NAME.py) with plain values; the function returns its exit code or
raises, and `ExitCodes` (framework/commands/common.py) maps how it ended to the code, for every
command in one place.

Commands are imported when they run, not at start-up: every pre-commit hook and CI step pays
the start-up, and `validate` must not load httpx, jinja2, gitpython or the emulator.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import IO, Any

import click

from framework import __version__
from framework.commands.common import EXIT_ERROR, EXIT_INTERRUPTED, ExitCodes
from framework.pydantic_plugins import skip_plugin_discovery
from framework.scaffold.pins import is_release

# pydantic's plugin discovery costs every `validate` (a pre-commit hook) about a sixth of its
# run, for plugins the tool never uses: off for this process, unless the user set it.
skip_plugin_discovery()

# name -> (module in framework/commands exposing `command`, the click command that parses the
# command line into its function's arguments; the one-line help for `--help`).
# A test checks each line equals the command's own short help, so the two cannot drift.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": (
        "validate",
        "Check the definition files offline: the schema and every Marketo rule.",
    ),
    "fmt": (
        "fmt",
        "Rewrite definition files in canonical key order and indentation, comments kept.",
    ),
    "schema": (
        "schema",
        "Print the JSON Schema of definition files (for editors and other tools).",
    ),
    "plan": ("plan", "Show what apply would change on the live instance, and why."),
    "show": ("show", "Render a saved plan (refusing one edited after it was made)."),
    "apply": (
        "apply",
        "Apply PLAN (a saved, reviewed plan) without asking; or, without PLAN, make a plan, "
        "show it and apply it once confirmed.",
    ),
    "import": (
        "import_",
        "Write definition files for live types: the named ones, or every unmanaged one.",
    ),
    "lint": (
        "lint",
        "Review the definitions changed since the merge base with REF: versions, rules, "
        "acknowledgements.",
    ),
    "drift": (
        "drift",
        "Report what changed on the instance since the last apply (exit 2 when anything did).",
    ),
    "codegen": (
        "codegen",
        "Generate typed record models (pydantic) and record JSON Schemas from the definitions.",
    ),
    "ids": ("ids", "Print the Marketo id of each type (apiName -> id), for integration code."),
    "lock": (
        "lock",
        "Show an environment's lock file, or rebuild it from the instance and the definitions.",
    ),
    "init": (
        "init",
        "Start a repository: settings, activities/, plans/, CI workflows and pre-commit hooks.",
    ),
    "send": (
        "send",
        "Validate activity records from a file and send them, none lost or doubled.",
    ),
    "emulator": (
        "emulator",
        "Serve an emulated Marketo instance; the first line printed is its URL.",
    ),
}

VERBOSE = "--verbose"
LOG_VARIABLE = "ACTIVITIES_LOG"  # as Terraform's TF_LOG: debug, info, warn, error

# Commands that keep click's exit code 2 for a usage error, as their documentation says.
USAGE_EXIT_2 = ("emulator",)
# Commands that never talk to Marketo: they skip the client's logging set-up (and `logging`).
OFFLINE = ("validate", "fmt", "schema", "show", "codegen", "init")


def load_command(name: str) -> click.Command:
    """Import the module of command NAME and return its click command."""
    module, _ = COMMANDS[name]
    command: click.Command = importlib.import_module(f"framework.commands.{module}").command
    return command


def main(argv: Sequence[str] | None = None) -> int:
    """Run `activities ARGV` (default: this process's arguments) and return its exit code."""
    try:
        code = activities.main(
            None if argv is None else list(argv), prog_name="activities", standalone_mode=False
        )
    except click.ClickException as exc:  # a usage error, shown as click shows it
        exc.show()
        return exc.exit_code
    except click.Abort:  # Ctrl+C while click parses
        click.echo("Interrupted.", err=True)
        return EXIT_INTERRUPTED
    return int(code)


class CommandLine(ExitCodes):
    """Loads a command's module only when that command runs.

    A usage error (unknown command or option, bad value) exits 1, not click's 2: `plan
    --detailed-exitcode` means "changes present" by 2, and a typo in CI must not read as that."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        try:
            return load_command(cmd_name)
        except KeyboardInterrupt:
            # Ctrl+C while the command's module loads: the same answer as once it runs (click
            # would say "Aborted!" and exit 1, which reads as a refusal).
            raise _interrupted() from None

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # `--verbose` is the group's, but a user types it after the command too (`activities
        # plan --verbose`): it is moved in front, where click looks for it.
        end = args.index("--") if "--" in args else len(args)
        if VERBOSE in args[1:end]:
            args = [VERBOSE, *(a for i, a in enumerate(args) if a != VERBOSE or i >= end)]
        return super().parse_args(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The listing uses the table's help lines, so `--help` imports no command module.
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [(name, _shorten(COMMANDS[name][1], limit)) for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise _exit_1(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _exit_1(exc) from None


def _shorten(text: str, limit: int) -> str:
    """The first sentence, cut at a word to fit LIMIT columns, as click's short help does."""
    return click.Command("x", help=text).get_short_help_str(max(limit, 45))


class _UsageError(click.UsageError):
    exit_code = EXIT_ERROR


class _GroupHelp(_UsageError):
    """The group's help alone, not "Error: Usage: ..." around it."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.format_message(), file=file, err=True)


# A group run without its command (bare `activities`, `activities lock`): click >= 8.2 shows
# the group's help as a usage error of its own (older click shows it and exits 0).
_NO_COMMAND: type[click.UsageError] | tuple[()] = getattr(
    click.exceptions, "NoArgsIsHelpError", ()
)


def _exit_1(exc: click.UsageError) -> click.UsageError:
    command = exc.ctx.command.name if exc.ctx is not None else None
    if command in USAGE_EXIT_2:
        return exc
    if isinstance(exc, _NO_COMMAND):
        return _GroupHelp(exc.format_message(), exc.ctx)
    # format_message keeps what the subclass adds (the option name, "did you mean").
    return _UsageError(exc.format_message(), exc.ctx)


@click.group(cls=CommandLine, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, prog_name="activities",
    message="%(prog)s %(version)s" + ("" if is_release(__version__) else " (a development build)"),
)
@click.option(
    VERBOSE, "verbose", is_flag=True,
    help="Show each Marketo API call on stderr: endpoint, status, request id and time "
         "(ACTIVITIES_LOG=debug adds the requests and their bodies).",
)
@click.pass_context
def activities(ctx: click.Context, verbose: bool) -> None:
    """Marketo Engage custom activity types as code."""
    if ctx.invoked_subcommand not in OFFLINE:
        import os

        from framework.commands.client_warnings import LogLevelError, log_level
        from framework.errors import ConfigError

        try:
            level = log_level(os.environ.get(LOG_VARIABLE, ""), verbose)
        except LogLevelError as exc:
            raise ConfigError(str(exc)) from None
        show_client_warnings(level)


def show_client_warnings(level: int | None = None) -> None:
    """Show the client's warnings (long retry waits) on stderr, so a slow run never looks stuck;
    with a lower LEVEL (`--verbose`, ACTIVITIES_LOG), its API calls too. Secrets are masked."""
    import logging

    from framework.client.redact import RedactingFilter
    from framework.commands.client_warnings import StderrWarnings

    level = logging.WARNING if level is None else level
    logger = logging.getLogger("framework.client")
    handler = next((h for h in logger.handlers if isinstance(h, StderrWarnings)), None)
    if handler is None:
        handler = StderrWarnings()
        # Records of child loggers (the local instance's) skip the logger's own filters.
        handler.addFilter(RedactingFilter())
        logger.addHandler(handler)
    handler.setLevel(level)
    # A process may run several commands (tests, library use): each sets the level it needs.
    logger.setLevel(level if level < logging.WARNING else logging.NOTSET)


def _interrupted() -> click.exceptions.Exit:
    click.echo("Interrupted.", err=True)
    return click.exceptions.Exit(EXIT_INTERRUPTED)
