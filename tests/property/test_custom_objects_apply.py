"""The soundness property for custom object types and mixed repositories: a plan that
validate and plan accept applies, and then nothing is left to do.

Random live custom object types (approved, draft-only, approved with a pending draft, edges
and bridges, some in use by an asset, some unmanaged), seeded through the real client on an
emulator over a loopback socket, against random desired folders: descriptions, added,
removed and renamed fields, data types changed, dedupe and display-name changes (replaces),
tombstones, dropped files, new edges and bridges that link to them, links to types that do
not exist or that link themselves, too many dedupe fields, the type limit, and an activity
type beside them. For each example one of:

- validate refuses, every problem naming its file and a fix;
- plan refuses (a user error naming a definition file and a fix), having changed nothing;
- apply succeeds against the emulator, and planning again finds nothing to do.

A control family (kept types and new ones within the limit) must reach the last stage. The
counts by stage are printed (`pytest -s`) and appended to .activities/property-figures.txt.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framework.apply.executor import apply_plan
from framework.client.marketo import MarketoClient
from framework.definitions.loader import check_definitions
from framework.emulator.server import EmulatorServer
from framework.environment import Target
from framework.errors import ActivitiesError, MarketoError
from framework.plan.pipeline import make_plan
from framework.settings import Settings
from tests.property.support import CLIENT_ID, CLIENT_SECRET, Tally, client, reset, serve

MAX_OBJECTS = 4
TALLY = Tally("custom objects property (validate / plan / applied)")
LIVE_NAMES = ["edge0", "edge1", "car0", "bridge0"]
FIELDS = [("make", "string"), ("year", "integer"), ("price", "currency"), ("notes", "text"),
          ("sold", "boolean")]
ACTIVITY_TYPE = {
    "version": 1, "apiName": "buyCar", "name": "Buy Car", "triggerName": "Buys Car",
    "filterName": "Bought Car",
    "primaryAttribute": {"apiName": "model", "name": "Model", "dataType": "string"},
}


def _field(name: str, data_type: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "displayName": name.title(), "dataType": data_type, **extra}


@dataclass
class LiveObjectSpec:
    api_name: str
    status: str  # draft, approved, approvedWithDraft
    fields: list[dict[str, Any]]
    description: str | None = None
    managed: bool = True
    in_use: bool = False


@dataclass
class Example:
    live: list[LiveObjectSpec]
    files: dict[str, dict[str, Any]]
    family: str = "general"
    activity: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _key(api_name: str) -> dict[str, Any]:
    return _field("code", "string", isDedupeField=True)


def _link(name: str, target: str, target_field: str) -> dict[str, Any]:
    return _field(name, "link", relatedTo={"name": target, "field": target_field})


@st.composite
def live_states(draw: st.DrawFn) -> list[LiveObjectSpec]:
    count = draw(st.integers(0, 4))
    specs: list[LiveObjectSpec] = []
    for api_name in LIVE_NAMES[:count]:
        plain = draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=2))
        fields = [_key(api_name), *(_field(n, t) for n, t in plain)]
        status = draw(st.sampled_from(["approved", "approved", "draft", "approvedWithDraft"]))
        if api_name == "car0":
            fields.append(_link("personId", "lead", "id"))
        if api_name == "bridge0":
            edge = next((s for s in specs if s.api_name.startswith("edge")
                         and s.status != "draft"), None)
            if edge is None:
                continue  # a bridge needs an approved edge to link to
            fields.append(_link("edgeId", edge.api_name, "code"))
            fields.append(_link("personId", "lead", "id"))
        specs.append(LiveObjectSpec(
            api_name, status, fields, draw(st.sampled_from([None, "Live"])),
            managed=draw(st.integers(0, 4)) != 0,
            in_use=status != "draft" and draw(st.integers(0, 5)) == 0,
        ))
    return specs


def _definition(spec: LiveObjectSpec, **changes: Any) -> dict[str, Any]:
    data = {"kind": "customObject", "version": 1, "apiName": spec.api_name,
            "displayName": spec.api_name.title(), "description": spec.description,
            "fields": spec.fields, **changes}
    return {k: v for k, v in data.items() if v is not None}


def _new(api_name: str, *extra: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "customObject", "version": 1, "apiName": api_name,
            "displayName": f"New {api_name}", "pluralName": f"New {api_name}s",
            "showInLeadDetail": True,
            "fields": [_key(api_name), _field("label", "string", description="write-only"),
                       *extra]}


@st.composite
def desired_folders(draw: st.DrawFn, live: list[LiveObjectSpec]) -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {}
    for spec in live:
        if not spec.managed:
            continue
        edit = draw(st.sampled_from(["keep", "description", "add", "remove", "rename", "retype",
                                     "dedupe", "display", "tombstone", "drop", "display-chars",
                                     "write-only"]))
        if edit == "drop":
            continue
        fields = [dict(f) for f in spec.fields]
        plain = [f for f in fields if not f.get("isDedupeField") and "relatedTo" not in f]
        changes: dict[str, Any] = {}
        if edit == "description":
            changes["description"] = draw(st.sampled_from(["New", None, "d" * 2001]))
        elif edit == "add":
            extra = draw(st.lists(st.sampled_from(FIELDS), unique=True, min_size=1, max_size=3))
            have = {f["name"] for f in fields}
            fields += [_field(n, t) for n, t in extra if n not in have]
        elif edit == "remove" and plain:
            fields.remove(plain[0])
        elif edit == "rename" and plain:
            first = plain[0]
            first.update(name=f"{first['name']}New", renamedFrom=first["name"],
                         displayName=f"{first['displayName']} New")
        elif edit == "retype" and plain:
            plain[0]["dataType"] = "string" if plain[0]["dataType"] != "string" else "text"
        elif edit == "dedupe":
            fields[0]["dataType"] = "integer"
        elif edit == "display":
            changes["displayName"] = f"Other {spec.api_name}"
        elif edit == "display-chars":
            changes["displayName"] = "Car (new!)"
        elif edit == "tombstone":
            changes["ensure"] = "absent"
        elif edit == "write-only":
            changes["pluralName"] = "Things"
            changes["showInLeadDetail"] = True
        changes["fields"] = fields
        if draw(st.integers(0, 9)) == 7:
            changes["protect"] = True
        files[f"{spec.api_name}.yaml"] = _definition(spec, **changes)
    for name in ["new0", "new1"][:draw(st.integers(0, 2))]:
        link = draw(st.sampled_from(["none", "lead", "edge0", "new0", "missing", "car0"]))
        extra = [] if link == "none" or link == name else [
            _link("ownerId", link, "id" if link == "lead" else "code")]
        if draw(st.integers(0, 7)) == 0:
            extra += [_field(f"k{i}", "string", isDedupeField=True) for i in range(3)]
        files[f"{name}.yaml"] = _new(name, *extra)
    return files


def control_folder(live: list[LiveObjectSpec], new: int) -> dict[str, dict[str, Any]]:
    files = {f"{s.api_name}.yaml": _definition(s) for s in live if s.managed}
    room = MAX_OBJECTS - len(live)
    for name in ["new0", "new1"][:max(0, min(new, room))]:
        files[f"{name}.yaml"] = _new(name, _link("personId", "lead", "id"))
    return files


@st.composite
def examples(draw: st.DrawFn) -> Example:
    live = draw(live_states())
    family = draw(st.sampled_from(["control", "control", "general", "general", "general",
                                   "general"]))
    activity = draw(st.booleans())
    if family == "control":
        return Example(live, control_folder(live, draw(st.integers(0, 2))), "control", activity)
    return Example(live, draw(desired_folders(live)), "general", activity)


EXPECTED = {"control": "applied", "general": None}


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    yield from serve(max_types=10)
    print(f"\n{TALLY.report()}")


async def seed(marketo: MarketoClient, server: EmulatorServer,
               live: list[LiveObjectSpec]) -> None:
    for spec in live:
        body: dict[str, Any] = {"action": "createOnly", "apiName": spec.api_name,
                                "displayName": spec.api_name.title()}
        if spec.description:
            body["description"] = spec.description
        await marketo.sync_object_type(body)
        await marketo.add_object_fields(spec.api_name, spec.fields)
        if spec.status == "draft":
            continue
        await marketo.approve_object_type(spec.api_name)
        if spec.status == "approvedWithDraft":
            await marketo.sync_object_type({"action": "updateOnly", "apiName": spec.api_name,
                                            "description": "Drafted"})
        if spec.in_use:
            httpx.post(f"{server.url}/_emulator/customobjects/{spec.api_name}/dependentAssets",
                       json={"assetType": "Smart Campaign", "assetId": 7,
                             "assetName": "Uses it", "usedFields": []}).raise_for_status()


def write_files(folder: Path, files: dict[str, dict[str, Any]], activity: bool) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    # JSON is YAML: every value reaches the loader exactly as generated.
    for name, data in files.items():
        (folder / name).write_text(json.dumps(data, ensure_ascii=False) + "\n")
    if activity:
        (folder / "buyCar.yaml").write_text(json.dumps(ACTIVITY_TYPE) + "\n")


def stage_of(server: EmulatorServer, root: Path, example: Example) -> str:
    reset(server)
    folder = root / "activities"
    write_files(folder, example.files, example.activity)
    project = Settings(root=root, max_custom_objects=MAX_OBJECTS)
    checked = check_definitions(folder, project)
    if checked.problems:
        for problem in checked.problems:
            assert problem.path.endswith(".yaml") and problem.fix, problem
        return "validate"
    return asyncio.run(_plan_and_apply(server, project, folder, example, checked.files))


async def _plan_and_apply(server: EmulatorServer, project: Settings, folder: Path,
                          example: Example, definitions: Any) -> str:
    target = Target("endpoint", server.url, CLIENT_ID, CLIENT_SECRET)
    async with client(server) as marketo:
        await seed(marketo, server, example.live)
        try:
            plan = await make_plan(project, target, marketo, folder, allow_destructive=True,
                                   definitions=definitions)
        except MarketoError:
            raise
        except ActivitiesError as refused:
            text = str(refused)
            assert "fix" in text and ".yaml" in text, text
            return f"plan ({_kind(text)})"
        result = await apply_plan(plan, marketo)
        assert result.outcome in ("applied", "nothing-to-do"), _explain(plan, result)
        again = await make_plan(project, target, marketo, folder, allow_destructive=True,
                                definitions=definitions)
        left = [(c.apiName, c.action) for c in again.all_changes() if c.action != "no-op"]
        assert not left, f"planning again finds {left}"
    return "applied"


def _kind(refusal: str) -> str:
    kinds = [kind for words, kind in (
        ("in use", "in use"), ("is linked to by", "linked"), ("protected", "protect"),
        ("links to", "link"), ("custom object types on the instance", "limit"))
        if words in refusal]
    return " + ".join(kinds) or "other"


def _explain(plan: Any, result: Any) -> str:
    steps = [(c.apiName, c.action, [s.op for s in c.steps]) for c in plan.all_changes()]
    return json.dumps({"outcome": result.outcome, "changes": steps,
                       "types": [repr(t) for t in result.types],
                       "mismatches": list(result.mismatches)}, indent=1, default=str)


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(example=examples())
def test_a_custom_object_plan_that_validate_and_plan_accept_applies_and_leaves_nothing(
    server: EmulatorServer, tmp_path: Path, example: Example
) -> None:
    stage = stage_of(server, tmp_path, example)
    TALLY.add(f"{example.family}: {stage}")
    expected = EXPECTED[example.family]
    assert expected in (None, stage), (example.family, stage)
