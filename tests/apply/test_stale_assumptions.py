"""Staleness covers the plan's assumptions, not only its types: names it takes, slots it needs."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tests.apply.apply_support import client_for, mutating_calls, saved_plan, write_type


def _apply(cli: Any, project: Path, emulator: Any, plan: str) -> Any:
    return cli(
        "apply", f"plans/{plan}.json", "--endpoint", emulator.url, cwd=project, env=emulator.env
    )


async def _create_unmanaged(emulator: Any, trigger: str, *, approve_then_draft: bool) -> None:
    """Someone else's type, made outside the repository after the plan."""
    async with client_for(emulator) as client:
        body = {
            "apiName": "zed",
            "name": "Zed",
            "triggerName": "Does Zed" if approve_then_draft else trigger,
            "filterName": "Did Zed",
            "primaryAttribute": {"apiName": "title", "name": "Title", "dataType": "string"},
        }
        await client.create_type(body)
        if approve_then_draft:
            await client.approve_type("zed")
            await client.update_type("zed", {"triggerName": trigger})


def _stale(plan: str, *lines: str, endpoint: str) -> str:
    return (
        f"Error: plans/{plan}.json is stale: the live instance changed since the plan was made, "
        "and is neither as planned nor as the plan would leave it; nothing was changed\n"
        + "".join(f"  - {line}\n" for line in lines)
        + f"  fix: make a new plan (`activities plan --endpoint {endpoint}`), review it, and "
        "apply that one\n"
    )


def test_a_name_the_plan_gives_taken_since_by_an_unmanaged_type_is_stale(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")
    write_type(project, "buyBook")
    saved_plan(project, emulator, "first")
    assert _apply(cli, project, emulator, "first").exit_code == 0
    write_type(project, "attendClass", version=2, trigger="Does Shop")
    write_type(project, "buyBook", version=2, name="Buy A Book")
    saved_plan(project, emulator, "claim")
    asyncio.run(_create_unmanaged(emulator, "Does Shop", approve_then_draft=False))
    before = mutating_calls(emulator)

    refused = _apply(cli, project, emulator, "claim")

    assert refused.exit_code == 1
    assert refused.stderr == _stale(
        "claim",
        "triggerName 'Does Shop', which the plan gives to attendClass: free when planned; now "
        "also held by zed (unmanaged)",
        endpoint=emulator.url,
    )
    assert mutating_calls(emulator) == before


def test_a_name_taken_since_by_the_pending_draft_of_an_unmanaged_type_is_stale(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")
    saved_plan(project, emulator, "first")
    assert _apply(cli, project, emulator, "first").exit_code == 0
    write_type(project, "attendClass", version=2, trigger="Does Shop")
    saved_plan(project, emulator, "claim")
    asyncio.run(_create_unmanaged(emulator, "Does Shop", approve_then_draft=True))
    before = mutating_calls(emulator)

    refused = _apply(cli, project, emulator, "claim")

    assert refused.exit_code == 1
    assert "now also held by zed (unmanaged)\n" in refused.stderr
    assert mutating_calls(emulator) == before


def test_new_types_filling_the_limit_before_the_plans_creates_is_stale(
    project: Path, emulator_factory: Any, cli: Any
) -> None:
    emulator = emulator_factory(max_types=3)
    (project / "pyproject.toml").write_text("[tool.activities]\nmax_types = 3\n")
    write_type(project, "attendClass")
    saved_plan(project, emulator, "first")
    assert _apply(cli, project, emulator, "first").exit_code == 0
    write_type(project, "buyBook")
    write_type(project, "sellCar")
    saved_plan(project, emulator, "grow")
    asyncio.run(_create_unmanaged(emulator, "Does Zed", approve_then_draft=False))
    before = mutating_calls(emulator)

    refused = _apply(cli, project, emulator, "grow")

    assert refused.exit_code == 1
    assert refused.stderr == _stale(
        "grow",
        "free slots: the instance held 1 custom activity types when planned and the plan adds "
        "up to 2 (max_types 3); 1 type(s) it does not change were added since, so its creates "
        "would fail with Marketo's 1027 (type limit reached)",
        endpoint=emulator.url,
    )
    assert mutating_calls(emulator) == before


def test_a_type_added_since_that_leaves_room_is_not_stale(
    project: Path, emulator: Any, cli: Any
) -> None:
    write_type(project, "attendClass")
    saved_plan(project, emulator, "create")
    asyncio.run(_create_unmanaged(emulator, "Does Zed", approve_then_draft=False))

    applied = _apply(cli, project, emulator, "create")

    assert applied.exit_code == 0, applied.output
