"""The order is the plan's: computed when planning, shown, and run by apply exactly as saved."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from framework.plan.planfile import load_plan
from tests.apply.apply_support import client_for, read, saved_plan, write_type

DISCARD = "POST /rest/v1/activities/external/type/{apiName}/discardDraft.json"
UPDATE = "POST /rest/v1/activities/external/type/{apiName}.json"


def _apply(cli: Any, project: Path, emulator: Any, plan: str) -> Any:
    return cli(
        "apply", f"plans/{plan}.json", "--endpoint", emulator.url, cwd=project, env=emulator.env
    )


async def _edit_draft(emulator: Any, api_name: str, fields: dict[str, str]) -> None:
    async with client_for(emulator) as client:
        await client.update_type(api_name, fields)


def test_a_ui_draft_holding_a_name_is_discarded_before_another_type_takes_it(
    project: Path, emulator: Any, cli: Any
) -> None:
    # Reproduction 4. aTaker sorts first, so an apply with no order of its own sends its
    # update before bHolder's discard and Marketo answers 709 (the draft holds the name).
    write_type(project, "aTaker")
    write_type(project, "bHolder")
    saved_plan(project, emulator, "first")
    assert _apply(cli, project, emulator, "first").exit_code == 0
    asyncio.run(_edit_draft(emulator, "bHolder", {"triggerName": "Does Shop"}))
    write_type(project, "aTaker", version=2, trigger="Does Shop")
    path = saved_plan(project, emulator, "handover")
    plan = load_plan(path)
    assert {c.apiName: c.action for c in plan.changes} == {
        "aTaker": "update",
        "bHolder": "discard-draft",
    }
    assert [(w.number, w.types, w.after) for w in plan.order] == [
        (1, ("aTaker", "bHolder"), {"aTaker": ("bHolder",)})
    ]
    shown = cli("show", str(path), cwd=project)
    assert "    wave 1, staging: aTaker (after bHolder), bHolder\n" in shown.stdout

    applied = _apply(cli, project, emulator, "handover")

    assert applied.exit_code == 0, applied.output
    log = emulator.stats()["call_log"]
    discard = log.index(DISCARD)
    assert discard < max(i for i, key in enumerate(log) if key == UPDATE)
    live = read(emulator).types
    assert live["aTaker"].approved is not None
    assert live["aTaker"].approved.triggerName == "Does Shop"
    assert (live["bHolder"].status, live["bHolder"].draft) == ("approved", None)


def test_two_types_swapping_trigger_names_are_refused_by_plan(
    project: Path, emulator: Any, cli: Any
) -> None:
    # Reproduction 5: plan used to accept this, and apply said no order of calls can do it.
    write_type(project, "attendClass")
    write_type(project, "buyBook")
    saved_plan(project, emulator, "first")
    assert _apply(cli, project, emulator, "first").exit_code == 0
    write_type(project, "attendClass", version=2, trigger="Does BuyBook")
    write_type(project, "buyBook", version=2, trigger="Does AttendClass")
    before = emulator.stats()["mutating_calls"]

    refused = cli(
        "plan", "--endpoint", emulator.url, "--out", "plans/swap.json", cwd=project,
        env=emulator.env,
    )

    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: plan refused: activities/attendClass.yaml and activities/buyBook.yaml swap "
        "trigger or filter names ('Did AttendClass', 'Did BuyBook', 'Does AttendClass', "
        "'Does BuyBook') with each other; Marketo keeps these names unique across types at "
        "every call, so no order of calls can make this change in one plan; nothing was "
        "planned\n"
        "  fix: split it into two pull requests: first give attendClass a temporary name (for "
        "example 'Does BuyBook (old)') and apply that, then set the final names in a second "
        "one\n"
    )
    assert not (project / "plans" / "swap.json").exists()
    assert emulator.stats()["mutating_calls"] == before
