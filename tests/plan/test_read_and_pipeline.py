"""read_live and make_plan against the emulator over HTTP, through the real client."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import git
import pytest

from framework import __version__
from framework.client.marketo import MarketoClient
from framework.environment import Target
from framework.errors import PlanError
from framework.live import LiveState, TypeVersion
from framework.plan.pipeline import make_plan
from framework.plan.read import read_live
from framework.settings import Settings
from tests.plan.live_setup import FAST, seed, write_definition

DESCRIBE = "GET /rest/v1/activities/external/type/{apiName}/describe.json"
LIST = "GET /rest/v1/activities/external/types.json"


def read(emulator: Any, api_names: set[str] | None = None) -> LiveState:
    async def go() -> LiveState:
        async with MarketoClient(emulator.url, emulator.config.client_id,
                                 emulator.config.client_secret, pacing=FAST) as client:
            return await read_live(client, api_names)

    return asyncio.run(go())


def test_read_live_reads_each_version_a_status_needs(emulator: Any) -> None:
    seed(emulator.url, emulator.config.client_id, emulator.config.client_secret,
         ("a", "approved"), ("b", "approved with draft"), ("c", "draft"))
    state = read(emulator)
    assert state.calls == 1 + 3 + 1
    assert {n: (t.status, t.approved is not None, t.draft is not None)
            for n, t in state.types.items()} == {
        "a": ("approved", True, False),
        "b": ("approved with draft", True, True),
        "c": ("draft", False, True),
    }
    b = state.types["b"]
    assert b.approved is not None and b.draft is not None
    assert (b.approved.name, b.draft.name) == ("Type b", "Edited b")
    assert b.approved.attributes == TypeVersion.model_validate({
        "apiName": "b", "name": "", "triggerName": "", "filterName": "",
        "primaryAttribute": {"apiName": "subject", "name": "Subject"},
        "attributes": [
            {"apiName": "amount", "name": "Amount", "dataType": "integer"},
            {"apiName": "note", "name": "Note", "dataType": "text"},
        ],
    }).attributes
    assert b.id is not None and b.id >= 100001


def test_read_live_for_named_types_lists_once_then_describes_only_those(emulator: Any) -> None:
    seed(emulator.url, emulator.config.client_id, emulator.config.client_secret,
         ("a", "approved"), ("b", "approved with draft"), ("c", "draft"))
    before = emulator.stats()["calls_by_endpoint"]
    state = read(emulator, {"b", "gone"})
    after = emulator.stats()["calls_by_endpoint"]
    assert sorted(state.types) == ["b"]
    assert state.calls == 3
    assert (after[LIST] - before.get(LIST, 0), after[DESCRIBE] - before.get(DESCRIBE, 0)) == (1, 2)
    assert state.fingerprint_of("gone") == "absent"
    assert state.fingerprint_of("b").startswith("sha256:")


def test_make_plan_records_provenance_fingerprints_and_estimates(
    emulator: Any, project: Path
) -> None:
    repo = git.Repo.init(project)
    repo.index.add(["pyproject.toml"])
    commit = repo.index.commit("initial").hexsha
    seed(emulator.url, emulator.config.client_id, emulator.config.client_secret,
         ("same", "approved"))
    write_definition(project / "activities", "same")
    write_definition(project / "activities", "fresh")
    settings = Settings(root=project)
    target = Target("endpoint", emulator.url, "id", "secret")

    async def go() -> Any:
        async with MarketoClient(emulator.url, emulator.config.client_id,
                                 emulator.config.client_secret, pacing=FAST) as client:
            return await make_plan(
                settings, target, client, project / "activities", allow_destructive=True,
                clock=lambda: datetime(2026, 11, 28, 13, 5, 9, 123, tzinfo=UTC),
            )

    plan = asyncio.run(go())
    assert plan.provenance.model_dump() == {
        "environment": "endpoint",
        "endpointHost": emulator.url.removeprefix("http://"),
        "toolVersion": __version__,
        "gitCommit": commit,
        "gitDirty": True,  # the activities/ files are untracked
        "createdAt": "2026-11-28T13:05:09Z",
        "expiresAt": "2026-12-08T13:05:09Z",  # plan_expiry_days, 10 by default
        "definitionsDir": "activities",
        "allowDestructive": True,
    }
    assert [(c.apiName, c.action) for c in plan.changes] == [("fresh", "create"), ("same", "no-op")]
    assert plan.fingerprints == {"fresh": "absent"}
    assert (plan.readCalls, plan.estimatedApplyCalls) == (2, 3)
    assert plan.summary.model_dump(by_alias=True) == {
        "create": 1, "update": 0, "replace": 0, "delete": 0, "approve-draft": 0,
        "discard-draft": 0, "no-op": 1, "destructive": 0, "breaking": 0, "unmanaged": 0,
    }
    assert plan.checksum == plan.compute_checksum()


def test_make_plan_outside_git_records_no_commit(emulator: Any, project: Path) -> None:
    settings = Settings(root=project)
    target = Target("endpoint", emulator.url, "id", "secret")

    async def go() -> Any:
        async with MarketoClient(emulator.url, emulator.config.client_id,
                                 emulator.config.client_secret, pacing=FAST) as client:
            return await make_plan(settings, target, client, project / "activities",
                                   allow_destructive=False)

    plan = asyncio.run(go())
    assert (plan.provenance.gitCommit, plan.provenance.gitDirty) == (None, None)
    assert plan.changes == ()
    assert plan.provenance.createdAt.endswith("Z")


class _Stats:
    calls = 0


class _OddLister:
    """A reader whose list shows a status Marketo documents for custom objects, not types."""

    stats = _Stats()

    async def list_types(self) -> list[dict[str, Any]]:
        return [{"apiName": "odd", "status": "approvedWithDraft"}]

    async def describe_type(self, api_name: str, draft: bool = False) -> dict[str, Any]:
        raise AssertionError("no describe for an unknown status")


def test_an_unknown_status_stops_the_read_with_a_clear_error() -> None:
    with pytest.raises(PlanError) as raised:
        asyncio.run(read_live(_OddLister()))
    assert str(raised.value) == (
        "type odd: Marketo listed it with status 'approvedWithDraft', which this tool does not "
        "know (expected one of draft, approved, approved with draft, deleted); nothing was "
        "planned\n  fix: report it as a bug with this message"
    )
