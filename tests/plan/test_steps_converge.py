"""The planned steps, sent as they are to the emulator, reach the desired state: planning again
finds nothing to do. One live shape per row, each on its own type of one instance."""

from __future__ import annotations

import asyncio
from typing import Any

from framework.apply.runner import send
from framework.client.marketo import MarketoClient
from framework.definitions.model import DefinitionFile
from framework.live import TypeVersion
from framework.plan.ops import attribute_body
from framework.plan.pipeline import judged_changes
from framework.plan.read import read_live
from framework.plan.steps import create_steps, draft_steps
from tests.plan.live_setup import FAST
from tests.plan.plan_literals import ATTRIBUTES, PRIMARY, definition, version

TWENTY = [{"apiName": f"a{i}", "name": f"A {i}", "dataType": "string"} for i in range(20)]
SEATS = {"apiName": "seats", "name": "Seats", "dataType": "integer"}


def names(api_name: str, **fields: Any) -> dict[str, Any]:
    return {"triggerName": f"Attends {api_name}", "filterName": f"Attended {api_name}", **fields}


# apiName: (approved version or None, draft version or None, desired definition, action)
ROWS: dict[str, tuple[TypeVersion | None, TypeVersion | None, DefinitionFile, str]] = {
    "fresh": (None, None, definition("fresh"), "create"),
    "edited": (
        version("edited", description="Old", attributes=[
            ATTRIBUTES[0] | {"name": "Minutes"}, {"apiName": "gone", "name": "Gone",
                                                    "dataType": "string"},
            {"apiName": "replayUrl", "name": "Replay", "dataType": "link"}]),
        None,
        definition("edited", **names("edited", name="Edited"), attributes=[
            ATTRIBUTES[0], SEATS, {"apiName": "recordingUrl", "name": "Recording URL",
                                   "dataType": "link", "renamedFrom": "replayUrl"}]),
        "update",
    ),
    "newPrimary": (
        version("newPrimary", primaryAttribute={"apiName": "title", "name": "Title"}),
        None, definition("newPrimary"), "replace",
    ),
    "newType": (
        version("newType", attributes=[ATTRIBUTES[0] | {"dataType": "float"}, ATTRIBUTES[1]]),
        None, definition("newType"), "replace",
    ),
    "reshaped": (
        None,
        version("reshaped", primaryAttribute={"apiName": "title", "name": "Title"},
                attributes=[ATTRIBUTES[0] | {"dataType": "float"}, ATTRIBUTES[1],
                            PRIMARY | {"name": "W"}]),
        definition("reshaped"), "update",
    ),
    "readyDraft": (None, version("readyDraft"), definition("readyDraft"), "approve-draft"),
    "stray": (
        version("stray"), version("stray", name="Stray", attributes=[*ATTRIBUTES, SEATS]),
        definition("stray"), "discard-draft",
    ),
    "overwritten": (
        version("overwritten"),
        version("overwritten", name="Stray", attributes=[ATTRIBUTES[0], SEATS]),
        definition("overwritten", description="New",
                   attributes=[*ATTRIBUTES, SEATS | {"dataType": "string"}]),
        "update",
    ),
    "pending": (
        version("pending"), version("pending", description="Next"),
        definition("pending", description="Next"), "approve-draft",
    ),
    "primaryEdit": (
        version("primaryEdit", primaryAttribute=PRIMARY | {"name": "Old", "description": "Old"}),
        None, definition("primaryEdit"), "update",
    ),
    "tombstone": (version("tombstone"), None, definition("tombstone", ensure="absent"), "delete"),
    "full": (
        version("full", attributes=TWENTY), None,
        definition("full", attributes=[*TWENTY[1:], {"apiName": "b", "name": "B",
                                                     "dataType": "string"}]),
        "update",
    ),
}


async def arrange(client: MarketoClient, approved: TypeVersion | None,
                  draft: TypeVersion | None) -> None:
    first = approved or draft
    if first is None:
        return
    for step in create_steps(first)[:-1]:
        await send(client, step)
    if approved is None:
        return
    await client.approve_type(approved.apiName)
    if draft is not None:
        for step in draft_steps(approved, draft)[:-1]:
            await send(client, step)


def test_every_planned_change_converges_in_exactly_its_steps(emulator_factory: Any) -> None:
    emulator = emulator_factory(max_types=20)
    desired = [row[2] for row in ROWS.values()]

    async def go() -> None:
        async with MarketoClient(emulator.url, emulator.config.client_id,
                                 emulator.config.client_secret, pacing=FAST) as client:
            for approved, draft, _, _ in ROWS.values():
                await arrange(client, approved, draft)
            live = await read_live(client)
            assert {n: t.status for n, t in live.types.items()} == {
                "edited": "approved", "newPrimary": "approved", "newType": "approved",
                "reshaped": "draft", "readyDraft": "draft", "stray": "approved with draft",
                "overwritten": "approved with draft", "pending": "approved with draft",
                "tombstone": "approved", "full": "approved", "primaryEdit": "approved",
            }
            changes, _ = judged_changes(desired, live, max_types=20, allow_destructive=True)
            assert {c.apiName: c.action for c in changes} == {
                name: row[3] for name, row in ROWS.items()}
            calls = client.stats.calls
            for change in changes:
                for step in change.steps:
                    await send(client, step)
            assert client.stats.calls - calls == sum(len(c.steps) for c in changes)
            again, unmanaged = judged_changes(desired, await read_live(client), max_types=20)
            assert {c.apiName: c.action for c in again} == {name: "no-op" for name in ROWS}
            assert unmanaged == []

    asyncio.run(go())


def test_attribute_bodies_carry_what_marketo_takes() -> None:
    attribute = version().attributes[0]
    assert attribute_body(attribute) == {
        "apiName": "minutesWatched", "name": "Minutes Watched", "dataType": "integer"}
    assert attribute_body(attribute, clearable=True) == {
        "apiName": "minutesWatched", "name": "Minutes Watched", "description": "",
        "dataType": "integer"}
