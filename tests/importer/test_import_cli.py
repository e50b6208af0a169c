"""End to end: `activities import` against the emulator over HTTP, then validate, fmt and plan."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result

from framework.definitions.schema import SCHEMA_PATH
from tests.importer.import_seeding import DESCRIBE, LIST, calls_since, seed

# Import lists the custom object types too when given no names, or a name that is no activity
# type.
OBJECTS = "GET /rest/v1/customobjects/schema.json"

Cli = Callable[..., Result]
MODELINE = "# yaml-language-server: $schema=.schema.json\n"


def expected_file(api_name: str, *, name: str | None = None, version: int = 1,
                  description: str = "", protect: bool = False) -> str:
    """The file import writes for a type seeded by `seed`."""
    return (
        f"{MODELINE}version: {version}\napiName: {api_name}\nname: {name or f'Type {api_name}'}\n"
        f"{description}"
        f"triggerName: Does {api_name}\nfilterName: Did {api_name}\n"
        "primaryAttribute:\n  apiName: subject\n  name: Subject\n  dataType: string\n"
        "attributes:\n"
        "  - apiName: amount\n    name: Amount\n    description: In cents\n    dataType: integer\n"
        "  - apiName: note\n    name: Note\n    dataType: text\n"
        + ("protect: true\n" if protect else "")
    )


def run_import(cli: Cli, project: Path, emulator: Any, *args: str) -> Result:
    return cli("import", "--endpoint", emulator.url, *args, cwd=project, env=emulator.env)


def files(project: Path) -> dict[str, str]:
    """The definition files (the schema import writes beside them is checked on its own)."""
    folder = project / "activities"
    return {p.name: p.read_text() for p in sorted(folder.iterdir()) if p.name != ".schema.json"}


def plan_actions(cli: Cli, project: Path, emulator: Any) -> dict[str, str]:
    result = cli("plan", "--endpoint", emulator.url, "--format", "json", cwd=project,
                 env=emulator.env)
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    actions = {change["apiName"]: change["action"] for change in plan["changes"]}
    return actions | {name: "unmanaged" for name in plan["unmanaged"]}


def test_import_all_writes_every_unmanaged_type_and_the_folder_is_clean(
    cli: Cli, project: Path, emulator: Any
) -> None:
    seed(emulator, ("stray", "approved", {"description": "A stray: type"}),
         ("newDraft", "draft"), ("edited", "approved with draft"), ("managed", "approved"))
    assert run_import(cli, project, emulator, "managed").exit_code == 0
    managed = (project / "activities" / "managed.yaml").read_text()
    before = emulator.stats()
    result = run_import(cli, project, emulator)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "wrote activities/edited.yaml: edited, its approved version (its pending draft was not "
        f"imported; `activities plan --endpoint {emulator.url}` shows it)\n"
        "wrote activities/newDraft.yaml: newDraft, its draft (never approved; "
        f"`activities plan --endpoint {emulator.url}` "
        "will approve it)\n"
        "wrote activities/stray.yaml: stray, its approved version\n"
        "Imported 3 types into activities/ with 6 calls; review them with "
        f"`activities plan --endpoint {emulator.url}`.\n"
    )
    assert result.stderr == ""
    # 1 list, then describes for the unmanaged types only: 2 + 1 + 1; `managed` is not read.
    assert calls_since(emulator, before) == Counter({LIST: 1, OBJECTS: 1, DESCRIBE: 4})
    assert emulator.stats()["token_calls"] - before["token_calls"] == 1
    assert files(project) == {
        "edited.yaml": expected_file("edited"),  # the approved version, not "Edited edited"
        "managed.yaml": managed,
        "newDraft.yaml": expected_file("newDraft"),
        "stray.yaml": expected_file("stray", description="description: 'A stray: type'\n"),
    }
    assert cli("validate", cwd=project).stdout == "4 definitions valid\n"
    fmt = cli("fmt", "--check", cwd=project)
    assert (fmt.exit_code, fmt.stdout) == (
        0, "0 files would be reformatted, 4 files already formatted\n")
    assert plan_actions(cli, project, emulator) == {
        "edited": "discard-draft",  # the plan shows the pending draft nobody imported
        "managed": "no-op",
        "newDraft": "approve-draft",  # the repository now asks for the draft to be approved
        "stray": "no-op",
    }


def test_import_named_reads_and_writes_only_those_types(
    cli: Cli, project: Path, emulator: Any
) -> None:
    seed(emulator, ("alpha", "approved"), ("beta", "approved"), ("gamma", "approved"))
    before = emulator.stats()
    result = run_import(cli, project, emulator, "gamma", "alpha", "gamma")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "wrote activities/alpha.yaml: alpha, its approved version\n"
        "wrote activities/gamma.yaml: gamma, its approved version\n"
        "Imported 2 types into activities/ with 3 calls; review them with "
        f"`activities plan --endpoint {emulator.url}`.\n"
    )
    assert calls_since(emulator, before) == Counter({LIST: 1, DESCRIBE: 2})
    assert files(project) == {"alpha.yaml": expected_file("alpha"),
                              "gamma.yaml": expected_file("gamma")}
    assert plan_actions(cli, project, emulator) == {
        "alpha": "no-op", "beta": "unmanaged", "gamma": "no-op"}


def test_an_unknown_name_exits_1_listing_the_live_types_and_writes_nothing(
    cli: Cli, project: Path, emulator: Any
) -> None:
    seed(emulator, ("alpha", "approved"), ("beta", "draft"))
    before = emulator.stats()
    result = run_import(cli, project, emulator, "alpha", "Beta", "zeta")
    assert result.exit_code == 1
    host = emulator.url.removeprefix("http://")
    assert result.stderr == (
        f"Error: endpoint ({host}) has no live type named Beta, zeta (its live types are alpha, "
        "beta); nothing was imported\n"
        "  fix: pass the apiName of a live type (API names are case-sensitive), or no name to "
        "import every unmanaged type\n"
    )
    assert result.stdout == ""
    assert files(project) == {}
    assert calls_since(emulator, before) == Counter({LIST: 1, OBJECTS: 1, DESCRIBE: 1})


def test_an_unknown_name_on_an_empty_instance(cli: Cli, project: Path, emulator: Any) -> None:
    result = run_import(cli, project, emulator, "alpha")
    assert result.exit_code == 1
    assert "has no live type named alpha (it has no custom activity types)" in result.stderr


def test_nothing_to_import_when_every_live_type_is_managed(
    cli: Cli, project: Path, emulator: Any
) -> None:
    seed(emulator, ("alpha", "approved"))
    run_import(cli, project, emulator)
    before = emulator.stats()
    result = run_import(cli, project, emulator)
    assert (result.exit_code, result.stdout) == (0, (
        "Nothing to import: every live type has a definition file in activities/ "
        "(read with 2 calls).\n"))
    assert calls_since(emulator, before) == Counter({LIST: 1, OBJECTS: 1})


def test_an_existing_file_is_refused_before_any_connection_unless_forced(
    cli: Cli, project: Path, emulator: Any
) -> None:
    seed(emulator, ("alpha", "approved", {"description": "Live text"}), ("beta", "approved"))
    assert run_import(cli, project, emulator).exit_code == 0
    path = project / "activities" / "alpha.yaml"
    edited = expected_file("alpha", name="Local Name", version=3, protect=True)
    path.write_text(edited)
    before = emulator.stats()
    refused = run_import(cli, project, emulator, "alpha", "beta")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: activities/alpha.yaml, activities/beta.yaml already exist; nothing was imported\n"
        f"  fix: run `activities plan --endpoint {emulator.url}` to see how the live type "
        "differs from the file, or pass "
        "--force to overwrite the file with the live type\n"
    )
    assert path.read_text() == edited
    after = emulator.stats()
    assert (after["total_calls"], after["token_calls"]) == (
        before["total_calls"], before["token_calls"])

    forced = run_import(cli, project, emulator, "--force", "alpha")
    assert forced.exit_code == 0, forced.output
    assert forced.stdout.splitlines()[0] == (
        "replaced activities/alpha.yaml: alpha, its approved version")
    # The live content, its protect kept, its version bumped because the content changed.
    assert path.read_text() == expected_file(
        "alpha", version=4, protect=True, description="description: Live text\n")
    # No temporary file left behind (the schema is there since the project was made).
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == [".schema.json"]
    again = run_import(cli, project, emulator, "--force", "alpha")
    assert again.exit_code == 0
    assert "version: 4\n" in path.read_text()  # unchanged content: no new version
    assert plan_actions(cli, project, emulator) == {"alpha": "no-op", "beta": "no-op"}


def test_definition_errors_stop_before_any_connection(
    cli: Cli, project: Path, emulator: Any
) -> None:
    seed(emulator, ("alpha", "approved"))
    (project / "activities" / "broken.yaml").write_text("version: 1\napiName: broken\n")
    before = emulator.stats()
    result = run_import(cli, project, emulator)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "activities/broken.yaml:1:1" in result.stderr
    assert files(project) == {"broken.yaml": "version: 1\napiName: broken\n"}
    after = emulator.stats()
    assert (after["total_calls"], after["token_calls"]) == (
        before["total_calls"], before["token_calls"])


def test_exceeding_max_types_writes_the_files_and_reports_the_problem(
    cli: Cli, project: Path, emulator: Any
) -> None:
    (project / "pyproject.toml").write_text("[tool.activities]\nmax_types = 2\n")
    seed(emulator, ("alpha", "approved"), ("beta", "approved"), ("gamma", "draft"))
    result = run_import(cli, project, emulator)
    assert result.exit_code == 1
    assert result.stdout.endswith(
        "Imported 3 types into activities/ with 5 calls; review them with "
        f"`activities plan --endpoint {emulator.url}`.\n")
    assert sorted(files(project)) == ["alpha.yaml", "beta.yaml", "gamma.yaml"]
    assert result.stderr.startswith(
        "Error: the files were written, but the folder no longer validates: 1 problem in the "
        "definition files\nactivities/")
    assert "max_types" in result.stderr
    assert result.stderr.endswith(
        "  then: fix the problems above (too many types: raise max_types under "
        "[tool.activities] in pyproject.toml) and run `activities validate`\n")


def test_a_missing_folder_is_created_with_the_schema_the_modeline_names(
    cli: Cli, project: Path, emulator: Any
) -> None:
    """A user's repository has no framework/: the schema goes beside the definitions."""
    seed(emulator, ("alpha", "approved"))
    result = run_import(cli, project, emulator, "--dir", "teams/web/activities")
    assert result.exit_code == 0, result.output
    folder = project / "teams" / "web" / "activities"
    assert (folder / "alpha.yaml").read_text().splitlines()[0] == (
        "# yaml-language-server: $schema=.schema.json")
    assert (folder / ".schema.json").read_text() == SCHEMA_PATH.read_text()
    assert result.stdout.splitlines()[1] == (
        "wrote teams/web/activities/.schema.json: the JSON Schema each file's first line names, "
        "for editors"
    )
    seed(emulator, ("beta", "approved"))
    again = run_import(cli, project, emulator, "--dir", "teams/web/activities")
    assert ".schema.json" not in again.stdout  # there already, this version's: left alone


def test_apply_then_import_on_the_local_instance_gives_back_the_file(
    cli: Cli, project: Path
) -> None:
    path = project / "activities" / "alpha.yaml"
    original = expected_file("alpha", description="description: First one\n")
    path.write_text(original)
    applied = cli("apply", "--yes", cwd=project)
    assert applied.exit_code == 0, applied.output
    path.unlink()
    result = cli("import", cwd=project)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "wrote activities/alpha.yaml: alpha, its approved version\n"
        "Imported 1 type into activities/ with 3 calls; review them with `activities plan`.\n"
    )
    assert path.read_text() == original
