"""The manual's reference pages (docs/reference/), generated from the code they describe.

The command and option tables come from the click definitions, the exit codes from
`framework.commands.common`, the lint rules from `framework.lint.rules`, the plan's reason codes
from `framework.plan.reason_codes` and the emulator's readings from its settings. `make docs` runs
`python -m framework.reference docs/reference`; a test fails, saying `run make docs`, when a
committed page differs from what this module writes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import click

HEADER = (
    "<!-- Generated from the code by `make docs`: edit the code it names, then run make docs. "
    "-->\n\n"
)
CLI = "activities"


def pages() -> dict[str, str]:
    """Every reference page: its file name in docs/reference/ -> its Markdown."""
    texts = {name: HEADER + build() for name, (_, build) in PAGES.items()}
    return {"README.md": HEADER + _index(), **texts}


def write(folder: Path) -> list[Path]:
    """Write the pages into FOLDER, and remove generated pages no longer made; what changed."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = pages()
    changed: list[Path] = []
    for name, text in wanted.items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    for path in sorted(folder.glob("*.md")):
        if path.name not in wanted and path.read_text(encoding="utf-8").startswith(HEADER):
            path.unlink()
            changed.append(path)
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m framework.reference FOLDER`: write the reference pages into FOLDER."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if len(arguments) != 1:
        print("usage: python -m framework.reference FOLDER", file=sys.stderr)
        return 1
    changed = write(Path(arguments[0]))
    for path in changed:
        print(f"wrote {path}")
    print(f"{len(changed)} reference page{'s' if len(changed) != 1 else ''} changed")
    return 0


def _index() -> str:
    lines = [
        "# Reference",
        "",
        "Tables generated from the code, so they always match the version beside them. The "
        "[manual](../README.md) explains how the pieces fit together.",
        "",
    ]
    lines += [f"- [{title}]({name})" for name, (title, _) in PAGES.items()]
    return "\n".join(lines) + "\n"


# --- commands and options ---------------------------------------------------------------------


def _root() -> tuple[click.Group, click.Context]:
    from framework.cli import activities as command_line

    return command_line, click.Context(
        command_line, info_name=CLI, help_option_names=["-h", "--help"]
    )


def commands_page() -> str:
    """Every command: its usage line, its help and a table of its arguments and options; a
    command group (any click Group, as `lock`) lists its subcommands, each then with a section
    of its own."""
    group, root = _root()
    lines = [
        "# Commands and options",
        "",
        f"`{CLI} --help` lists the commands, `{CLI} COMMAND --help` shows one. Options of the "
        f"`{CLI}` command itself:",
        "",
        *_parameter_table(group, root),
        "",
    ]
    lines += [f"- [`{path}`](#{_anchor(path)})" for path, _, _ in _subcommands(group, root)]
    for _, command, context in _subcommands(group, root):
        lines += _section(command, context, level=2)
    return "\n".join(lines) + "\n"


def _subcommands(
    group: click.Group, context: click.Context
) -> list[tuple[str, click.Command, click.Context]]:
    """A group's commands by name: each with its path (`activities lock show`) and context."""
    found = []
    for name in sorted(group.list_commands(context)):
        command = group.get_command(context, name)
        if command is None:
            continue
        sub = click.Context(command, info_name=name, parent=context)
        found.append((sub.command_path, command, sub))
    return found


def _section(command: click.Command, context: click.Context, *, level: int) -> list[str]:
    """One command's section, then (for a group) each of its subcommands' one level down."""
    path = context.command_path
    lines = ["", f"{'#' * level} {path}", "", "```text", _usage(command, context), "```", ""]
    lines += [_help(command), "", *_parameter_table(command, context)]
    if isinstance(command, click.Group):
        subcommands = _subcommands(command, context)
        lines += ["", *_table(("command", "meaning"), [
            (f"[`{sub_path}`](#{_anchor(sub_path)})", sub.get_short_help_str(limit=300))
            for sub_path, sub, _ in subcommands
        ])]
        for _, sub, sub_context in subcommands:
            lines += _section(sub, sub_context, level=level + 1)
    return lines


def _anchor(path: str) -> str:
    """The heading anchor of a command path, as GitHub makes it."""
    return path.replace(" ", "-")


def _usage(command: click.Command, context: click.Context) -> str:
    return " ".join([context.command_path, *command.collect_usage_pieces(context)])


def _help(command: click.Command) -> str:
    return _escape(" ".join((command.help or "").split()))


def _parameter_table(command: click.Command, context: click.Context) -> list[str]:
    """Each argument and option as `--help` shows it (click's own help records)."""
    rows = []
    arguments = False
    for parameter in command.get_params(context):
        record = parameter.get_help_record(context)
        if record is None:
            continue
        names, meaning = record
        if isinstance(parameter, click.Argument):
            arguments = True
            meaning = "argument, " + ("required" if parameter.required else "optional")
        envvar = getattr(parameter, "envvar", None)
        if isinstance(envvar, str) and "env var" not in meaning:
            meaning += f" (environment variable `{envvar}`)"
        rows.append((f"`{names}`", " ".join(meaning.split())))
    return _table(("argument or option" if arguments else "option", "meaning"), rows)


# --- exit codes ---------------------------------------------------------------------------------


def exit_codes_page() -> str:
    """The exit codes every command shares, with what each one means."""
    from framework.commands.common import EXIT_CODES

    lines = [
        "# Exit codes",
        "",
        "Every command exits with one of these (`framework/commands/common.py`); each command's "
        "page says which it uses. A user error prints one message starting with `Error:` and "
        "never a traceback.",
        "",
        *_table(("code", "meaning"), [(f"`{code}`", words) for code, words in EXIT_CODES.items()]),
    ]
    return "\n".join(lines) + "\n"


# --- lint rules ---------------------------------------------------------------------------------


def lint_rules_page() -> str:
    """`activities lint`'s rule ids: severity and what each finds."""
    from framework.lint.rules import RULES

    lines = [
        "# Lint rules",
        "",
        "The rule ids `activities lint` reports (`framework/lint/rules.py`). `error` always "
        "fails; `destructive` and `breaking` fail unless the definition acknowledges the rule "
        "for its version; `warning` never fails.",
        "",
        *_table(
            ("rule", "severity", "finds"),
            [(f"`{rule.id}`", rule.severity, rule.summary) for rule in RULES.values()],
        ),
    ]
    return "\n".join(lines) + "\n"


# --- plan reason codes --------------------------------------------------------------------------


def plan_reasons_page() -> str:
    """The codes of a plan's reasons: the stable words scripts match on."""
    from framework.plan.reason_codes import REASONS

    lines = [
        "# Plan reason codes",
        "",
        "Every reason in a plan is `{\"code\", \"text\", \"risk\"}`: `code` is one of these "
        "(`framework/plan/reason_codes.py`), `text` the words shown, `risk` what the reason "
        "brings. A change's risk is the worst of its reasons'.",
        "",
        *_table(
            ("code", "given when"),
            [(f"`{code}`", meaning) for code, meaning in sorted(REASONS.items())],
        ),
    ]
    return "\n".join(lines) + "\n"


# --- the emulator -------------------------------------------------------------------------------


def emulator_page() -> str:
    """`activities emulator`'s options and the readings of open custom-object rules."""
    from framework.cli import load_command
    from framework.emulator.custom_objects.settings import READINGS

    command = load_command("emulator")
    _, root = _root()
    context = click.Context(command, info_name="emulator", parent=root)
    lines = [
        "# Emulator options",
        "",
        "```text",
        _usage(command, context),
        "```",
        "",
        _help(command),
        "",
        *_parameter_table(command, context),
        "",
        "## Readings of open custom-object rules",
        "",
        "Where Adobe's custom-object documentation can be read two ways the emulator follows "
        "the developer guide; `--object-reading NAME` (repeatable) follows the other reading "
        "(`framework/emulator/custom_objects/settings.py`).",
        "",
        *_table(("NAME", "effect"), [(f"`{name}`", words) for name, words in READINGS.items()]),
    ]
    return "\n".join(lines) + "\n"


# --- Markdown -------------------------------------------------------------------------------


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = [_row(header), _row(["---"] * len(header))]
    return lines + [_row(row) for row in rows]


def _escape(text: str) -> str:
    """TEXT with `<` and `>` outside code spans as entities: GitHub drops what looks like HTML."""
    parts = text.split("`")
    for index in range(0, len(parts), 2):  # the parts outside backticks
        parts[index] = parts[index].replace("<", "&lt;").replace(">", "&gt;")
    return "`".join(parts)


def _row(cells: Sequence[str]) -> str:
    # GitHub's tables split cells at every unescaped `|`, inside code spans too.
    return "| " + " | ".join(_escape(cell).replace("|", "\\|") for cell in cells) + " |"


# file name -> (title, builder), in the order of the index.
PAGES: dict[str, tuple[str, Callable[[], str]]] = {
    "commands.md": ("Commands and options", commands_page),
    "exit-codes.md": ("Exit codes", exit_codes_page),
    "lint-rules.md": ("Lint rules", lint_rules_page),
    "plan-reasons.md": ("Plan reason codes", plan_reasons_page),
    "emulator.md": ("Emulator options", emulator_page),
}


if __name__ == "__main__":
    sys.exit(main())
