"""Fix hints repeat the `-e`, `--endpoint` and `--dir` the user ran with: followed as printed,
they act on the same instance and folder, never on `local` or `activities/`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from framework.invocation import Invocation
from tests.apply.apply_support import write_type


def test_a_hint_repeats_the_options_quoted() -> None:
    typed = Invocation.of("prod", None, Path("my defs"))
    assert typed.command("plan", "--out", "FILE") == (
        "activities plan --out FILE -e prod --dir 'my defs'"
    )
    assert typed.command("apply", "plans/x.json", directory=False) == (
        "activities apply plans/x.json -e prod"
    )
    assert typed.command("validate", target=False) == "activities validate --dir 'my defs'"
    assert Invocation.of("local").command("import", "buyCar") == "activities import buyCar"


def _defs(project: Path) -> Path:
    """The project's definitions moved to `defs/`, so that a hint without --dir is wrong."""
    shutil.move(project / "activities", project / "defs")
    return project / "defs"


def test_a_failed_apply_says_to_rerun_against_the_same_endpoint(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")
    endpoint = ["--endpoint", emulator.url]
    assert cli("apply", "--yes", *endpoint, cwd=project, env=emulator.env).exit_code == 0
    emulator.mark_in_use("attendClass")  # a Smart List uses it: Marketo refuses the delete
    write_type(project, "attendClass", ensure="absent")
    defs = _defs(project)

    failed = cli("apply", "--yes", "--allow-destructive", *endpoint, "--dir", "defs",
                 cwd=project, env=emulator.env)

    assert failed.exit_code == 1, failed.output
    assert defs.is_dir()
    rerun = re.search(r"fix the cause above, then run `([^`]+)` again", failed.stdout)
    assert rerun, failed.stdout
    assert re.fullmatch(
        rf"activities apply plans/apply-\S+\.json --endpoint {re.escape(emulator.url)}",
        rerun.group(1),
    )


def test_import_hints_name_the_endpoint_and_folder(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")
    assert cli("apply", "--yes", "--endpoint", emulator.url, cwd=project,
               env=emulator.env).exit_code == 0
    (project / "activities" / "attendClass.yaml").unlink()
    _defs(project)

    imported = cli("import", "--endpoint", emulator.url, "--dir", "defs", cwd=project,
                   env=emulator.env)

    assert imported.exit_code == 0, imported.output
    assert imported.stdout.splitlines()[-1] == (
        # 3 calls: the two lists (activity types, custom object types) and one describe.
        "Imported 1 type into defs/ with 3 calls; review them with "
        f"`activities plan --endpoint {emulator.url} --dir defs`."
    )


def test_an_unmanaged_type_hint_names_the_endpoint_and_folder(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")
    assert cli("apply", "--yes", "--endpoint", emulator.url, cwd=project,
               env=emulator.env).exit_code == 0
    (project / "activities" / "attendClass.yaml").unlink()
    _defs(project)

    planned = cli("plan", "--endpoint", emulator.url, "--dir", "defs", cwd=project,
                  env=emulator.env)

    assert planned.exit_code == 0, planned.output
    assert (
        f"    attendClass: run `activities import attendClass --endpoint {emulator.url} "
        "--dir defs` to manage it\n"
    ) in planned.stdout
