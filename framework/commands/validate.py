"""`activities validate`: check every definition file offline and report every problem."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from framework.commands.common import EXIT_ERROR, EXIT_OK, command_line, dir_option
from framework.definitions.loader import CheckResult, check_definitions, display_path
from framework.errors import FolderError
from framework.invocation import Invocation
from framework.pyproject import definition_settings


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _text_report(result: CheckResult) -> str:
    lines = [str(problem) for problem in result.problems]
    if result.problems:
        lines.append(
            f"{_plural(len(result.problems), 'problem')} in "
            f"{_plural(result.files_with_problems, 'file')} "
            f"({_plural(result.checked, 'definition file')} checked)"
        )
    else:
        lines.append(f"{_plural(result.checked, 'definition')} valid")
    return "\n".join(lines)


def _json_report(result: CheckResult, warnings: list[str]) -> str:
    import json  # only --json needs it: validate is a pre-commit hook, its start-up counts

    report = {
        "valid": not result.problems,
        "checked": result.checked,
        "problems": [dataclasses.asdict(problem) for problem in result.problems],
        "warnings": warnings,
    }
    return json.dumps(report, indent=2, ensure_ascii=False)


def validate(directory: Path | None = None, *, as_json: bool = False) -> int:
    """Check the definition files offline: the schema and every Marketo rule."""
    # Checked as every command checks them, without building the models (start-up counts).
    settings = definition_settings()
    folder = directory or settings.definitions_dir
    try:
        result = check_definitions(folder, settings, models=False)
    except FolderError as exc:
        if not as_json:
            raise
        result = CheckResult(files=[], problems=[exc.problem], checked=0)
    warnings = _schema_warnings(folder, Invocation.of(directory=directory))
    if as_json:
        click.echo(_json_report(result, warnings))
    elif not result.checked and not result.problems:
        # Said, not a bare "valid": a wrong --dir must be noticed (a new project starts empty).
        click.echo(f"0 definitions: {display_path(folder)} holds no *.yaml or *.yml file")
    else:
        click.echo(_text_report(result))
    for warning in [] if as_json else warnings:
        click.echo(f"Warning: {warning}", err=True)
    return EXIT_ERROR if result.problems else EXIT_OK


def _schema_warnings(folder: Path, invocation: Invocation) -> list[str]:
    """The editors' schema copy of an older version (never a problem: the files are checked
    against the models all the same)."""
    from framework.definitions.schema import outdated_schema, project_schema

    if not outdated_schema(folder):
        return []
    refresh = invocation.command("schema", "--write", target=False)
    return [
        f"{display_path(project_schema(folder))} is not the schema of this activities version "
        f"(an upgrade since it was written?): editors check the definitions against it\n"
        f"  fix: run `{refresh}` and commit the file"
    ]


command = command_line(
    "validate", validate, dir_option(),
    click.Option(["--json", "as_json"], is_flag=True, help="Report as JSON (for editors and CI)."),
)
