"""A saved plan is bound to where it was made: its instance (a local one's state too), the
definitions it was made from, a time window, and one use; and it is read as carefully as a
definition file."""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from framework.apply.executor import apply_plan
from framework.plan.pipeline import make_plan
from framework.plan.planfile import save_plan
from framework.settings import load_settings
from tests.apply.apply_support import client_for, plan_for, read, target_of, write_type


def _local_project(root: Path) -> Path:
    (root / "activities").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.activities]\nmax_types = 10\n")
    write_type(root, "attendWebinar")
    return root


def test_a_plan_made_against_another_projects_local_instance_is_refused(
    tmp_path: Path, cli: Any
) -> None:
    """Reproduction 5: it applied to this project's `local`."""
    first, second = _local_project(tmp_path / "first"), _local_project(tmp_path / "second")
    assert cli("plan", cwd=second).exit_code == 0  # second's local state exists, empty
    planned = cli("plan", "--out", "plans/p.json", cwd=first)
    assert planned.exit_code == 0, planned.output
    (second / "plans").mkdir()
    shutil.copy(first / "plans/p.json", second / "plans/p.json")

    applied = cli("apply", "plans/p.json", cwd=second)

    assert applied.exit_code == 1, applied.output
    assert "refusing to apply plans/p.json: it was made for local (embedded emulator, state " \
        "lineage " in applied.stderr
    assert "but this apply targets local (embedded emulator, state lineage " in applied.stderr
    assert "nothing was changed" in applied.stderr
    shown = cli("ids", "--live", cwd=second)
    assert shown.stdout == ""  # nothing was created there


def test_a_plan_whose_definitions_are_not_the_checkouts_is_refused(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendWebinar")
    write_type(project, "visitStore")
    planned = cli("plan", "--endpoint", emulator.url, "--out", "plans/p.json", cwd=project,
                  env=emulator.env)
    assert planned.exit_code == 0, planned.output
    write_type(project, "attendWebinar", name="Attends A Webinar")
    (project / "activities" / "visitStore.yaml").unlink()

    applied = cli("apply", "plans/p.json", "--endpoint", emulator.url, cwd=project,
                  env=emulator.env)

    assert applied.exit_code == 1, applied.output
    assert applied.stderr == (
        "Error: refusing to apply plans/p.json: the definitions it was made from are not the "
        "files checked out here; nothing was changed\n"
        "  - attendWebinar: activities/attendWebinar.yaml differs from the definition the plan "
        "was made from\n"
        "  - visitStore: no file defines it here (the plan was made from "
        "activities/visitStore.yaml)\n"
        "  fix: check out the commit the plan was made from, or make a new plan here with "
        f"`activities plan --out plans/p.json --endpoint {emulator.url}`, review it, and apply "
        "that one\n"
    )
    assert read(emulator).types == {}


def _old_plan(project: Path, emulator: Any, days: float) -> Path:
    async def make() -> Any:
        async with client_for(emulator) as client:
            return await make_plan(
                load_settings(project), target_of(emulator), client, project / "activities",
                allow_destructive=False,
                clock=lambda: datetime.now(UTC) - timedelta(days=days),
            )

    path = project / "plans" / "old.json"
    save_plan(asyncio.run(make()), path)
    return path


def test_an_expired_plan_is_refused_with_the_command_that_makes_a_fresh_one(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendWebinar")
    path = _old_plan(project, emulator, days=11)
    plan = json.loads(path.read_text())
    created = datetime.fromisoformat(plan["provenance"]["createdAt"])
    expires = datetime.fromisoformat(plan["provenance"]["expiresAt"])
    assert expires - created == timedelta(days=10)  # the default: 10 days

    applied = cli("apply", "plans/old.json", "--endpoint", emulator.url, cwd=project,
                  env=emulator.env)

    assert applied.exit_code == 1, applied.output
    assert applied.stderr == (
        f"Error: refusing to apply plans/old.json: it expired at {plan['provenance']['expiresAt']}"
        " (it was valid for 10 days after it was made; `plan_expiry_days` in "
        "[tool.activities] sets the window of new plans); the instance and the definitions "
        "may have moved since it was reviewed; nothing was changed\n"
        "  fix: make a fresh plan with `activities plan --out plans/old.json --endpoint "
        f"{emulator.url}`, review it, and apply that one\n"
    )
    assert read(emulator).types == {}


def test_an_expired_plan_names_the_window_it_was_made_with(
    project: Path, emulator: Any, cli: Any
) -> None:
    """The refusal quotes the plan's own window, not today's setting (it said 3 days here)."""
    write_type(project, "attendWebinar")
    _old_plan(project, emulator, days=11)
    (project / "pyproject.toml").write_text("[tool.activities]\nplan_expiry_days = 3\n")

    applied = cli("apply", "plans/old.json", "--endpoint", emulator.url, cwd=project,
                  env=emulator.env)

    assert applied.exit_code == 1, applied.output
    assert "(it was valid for 10 days after it was made;" in applied.stderr, applied.stderr
    assert read(emulator).types == {}


def test_plan_expiry_is_configurable(project: Path, emulator: Any, cli: Any) -> None:
    (project / "pyproject.toml").write_text("[tool.activities]\nplan_expiry_days = 30\n")
    write_type(project, "attendWebinar")
    _old_plan(project, emulator, days=11)

    applied = cli("apply", "plans/old.json", "--endpoint", emulator.url, cwd=project,
                  env=emulator.env)

    assert applied.exit_code == 0, applied.output


def _rollback(project: Path, emulator: Any) -> None:
    """Bring the instance back to what the definitions now say, as a person in the Marketo UI
    would: no plan file, no journal."""

    plan = plan_for(project, emulator)

    async def run() -> None:
        async with client_for(emulator) as client:
            result = await apply_plan(plan, client)
            assert result.ok, result

    asyncio.run(run())


def test_a_plan_applies_once_even_after_the_instance_was_rolled_back(
    project: Path, emulator: Any, cli: Any
) -> None:
    """Reproduction 6: after a rollback to the state it was planned against, the same plan
    applied a second time."""
    write_type(project, "attendWebinar")
    endpoint = ("--endpoint", emulator.url)
    assert cli("apply", "--yes", *endpoint, cwd=project, env=emulator.env).exit_code == 0
    write_type(project, "attendWebinar", version=2, name="Attends A Webinar")
    assert cli("plan", *endpoint, "--out", "plans/p.json", cwd=project,
               env=emulator.env).exit_code == 0
    first = cli("apply", "plans/p.json", *endpoint, cwd=project, env=emulator.env)
    assert first.exit_code == 0, first.output
    again = cli("apply", "plans/p.json", *endpoint, cwd=project, env=emulator.env)
    assert again.exit_code == 0 and "already applied" in again.output  # idempotent
    write_type(project, "attendWebinar", version=1)
    _rollback(project, emulator)
    write_type(project, "attendWebinar", version=2, name="Attends A Webinar")
    assert read(emulator).types["attendWebinar"].approved.name == "AttendWebinar"  # type: ignore[union-attr]

    replayed = cli("apply", "plans/p.json", *endpoint, cwd=project, env=emulator.env)

    assert replayed.exit_code == 1, replayed.output
    assert replayed.stderr.startswith(
        "Error: refusing to apply plans/p.json again: it was applied and verified at "
    )
    assert "(its journal plans/p.journal.jsonl says so); a plan applies once" in replayed.stderr
    assert read(emulator).types["attendWebinar"].approved.name == "AttendWebinar"  # type: ignore[union-attr]


def _nested(depth: int) -> str:
    return '{"format_version": 2, "provenance": ' + "[" * depth + "]" * depth + "}"


def test_a_deeply_nested_plan_is_an_error_naming_the_file_never_a_crash(
    project: Path, cli: Any
) -> None:
    """Reproduction 7: a plan nested a few thousand levels deep crashed apply and show."""
    (project / "plans").mkdir()
    (project / "plans" / "deep.json").write_text(_nested(5000))

    for command in ("show", "apply"):
        result = cli(command, "plans/deep.json", cwd=project)

        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(
            "Error: plans/deep.json: not a plan: it is nested more than 64 levels deep (a plan "
            "nests about 8)\n"
        ), result.stderr
        assert "Traceback" not in result.output


def test_an_oversized_plan_is_refused_unread(project: Path, cli: Any) -> None:
    (project / "plans").mkdir()
    path = project / "plans" / "huge.json"
    with path.open("w") as out:
        out.truncate(64_000_001)

    result = cli("show", "plans/huge.json", cwd=project)

    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: plans/huge.json: not a plan: it is 64,000,001 bytes, over the 64,000,000 bytes "
        "a saved plan may have"
    )
