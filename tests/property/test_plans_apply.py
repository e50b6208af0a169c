"""The property of issue 9: a plan that validate and plan accept applies, and then nothing is
left to do.

Random live states (approved, draft-only, approved with a pending draft, unmanaged types), made
through the real client on an emulator over a loopback socket, against random desired folders:
trigger and filter names clashing across kinds, swaps, tombstones whose names are reused,
dropped files, replaced types (primary or data type changed), renamed attributes, the type
limit, long and punctuated names. For each example, one of:

- validate refuses, every problem naming its file and a fix;
- plan refuses (a user error naming a definition file and a fix), having changed nothing;
- apply succeeds against the emulator, and planning again finds nothing to do.

A control family (kept types and new types with fresh names within the limit) is applicable by
construction and must reach the last stage. The counts by stage are printed (`pytest -s`) and
appended to .activities/property-figures.txt.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
from tests.property.support import write_folder as write_files

MAX_TYPES = 4
TALLY = Tally("property (validate / plan / applied)")
LIVE_NAMES = ["t0", "t1", "t2", "t3"]
NEW_NAMES = ["n0", "n1"]
# Smart List names shared by every example: live types, edits and new types draw from them,
# so clashes across kinds, swaps and reuse of a tombstone's names all happen.
SMART = ["Buys Car", "Bought Car", "Sells Car", "Sold Car", "Visits", "Visited", "Joins",
         "Joined", "buys  car", "SOLD CAR", "Pending t0", "pending T1"]
ATTRIBUTES = [("seats", "integer"), ("venue", "string"), ("price", "currency"),
              ("notes", "text")]
PRIMARIES = [("title", "string"), ("subject", "string"), ("amount", "integer")]
DISPLAY = ["Buy Car", "Sell Car", "Visit Store", "Join Club", "Buy Car (new!)", "B" * 256,
           "Café Visit", "Buy_Car 2"]


@dataclass
class LiveSpec:
    """One live type to seed: its status, approved (or only) version and pending draft."""

    api_name: str
    status: str
    version: dict[str, Any]
    draft: dict[str, Any] | None = None
    managed: bool = True


@dataclass
class Example:
    live: list[LiveSpec]
    files: dict[str, dict[str, Any]]
    family: str = "general"


def _version(api_name: str, name: str, trigger: str, filter_: str,
             primary: tuple[str, str], attributes: list[tuple[str, str]],
             description: str | None = None) -> dict[str, Any]:
    return {
        "apiName": api_name, "name": name, "description": description,
        "triggerName": trigger, "filterName": filter_,
        "primaryAttribute": {"apiName": primary[0], "name": primary[0].title(),
                             "dataType": primary[1]},
        "attributes": [{"apiName": a, "name": a.title(), "dataType": t} for a, t in attributes],
    }


@st.composite
def live_states(draw: st.DrawFn) -> list[LiveSpec]:
    count = draw(st.integers(0, 4))
    # Live names are unique among themselves (the emulator would refuse otherwise).
    pool = draw(st.permutations(SMART[:8]))
    specs: list[LiveSpec] = []
    for index, api_name in enumerate(LIVE_NAMES[:count]):
        trigger, filter_ = pool[2 * index], pool[2 * index + 1]
        attributes = draw(st.lists(st.sampled_from(ATTRIBUTES), unique=True, max_size=3))
        version = _version(api_name, f"Type {api_name}", trigger, filter_,
                           draw(st.sampled_from(PRIMARIES)), attributes,
                           draw(st.sampled_from([None, "Live"])))
        status = draw(st.sampled_from(["approved", "draft", "approved with draft"]))
        draft = None
        if status == "approved with draft":
            draft = {**version, "name": f"Draft {api_name}",
                     "description": draw(st.sampled_from([None, "Drafted"]))}
            if draw(st.booleans()):
                # The pending draft takes a Smart List name no live type holds yet.
                draft["filterName"] = f"Pending {api_name}"
        specs.append(LiveSpec(api_name, status, version, draft, managed=draw(st.booleans())))
    return specs


def _definition(version: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = {"version": 1, **version, **changes}
    return {k: v for k, v in data.items() if v is not None}


@st.composite
def desired_folders(draw: st.DrawFn, live: list[LiveSpec]) -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {}
    for spec in live:
        if not spec.managed:
            continue
        base = spec.version
        edit = draw(st.sampled_from(["keep", "names", "swap", "description", "attributes",
                                     "replace", "rename", "tombstone", "drop", "display"]))
        if edit == "drop":
            continue  # the file is removed: the type becomes unmanaged
        changes: dict[str, Any] = {}
        if edit == "names":
            changes = {"triggerName": draw(st.sampled_from(SMART)),
                       "filterName": draw(st.sampled_from(SMART))}
        elif edit == "swap":
            changes = {"triggerName": base["filterName"], "filterName": base["triggerName"]}
            others = [s for s in live if s is not spec]
            if others:  # take another live type's name: a swap across types
                changes["triggerName"] = draw(st.sampled_from(others)).version["triggerName"]
        elif edit == "description":
            changes = {"description": draw(st.sampled_from(["New", None, "d" * 2001]))}
        elif edit == "attributes":
            changes = {"attributes": [
                {"apiName": a, "name": a.title(), "dataType": t}
                for a, t in draw(st.lists(st.sampled_from(ATTRIBUTES), unique=True,
                                          max_size=4))]}
        elif edit == "replace":
            changes = {"primaryAttribute": {"apiName": "code", "name": "Code",
                                            "dataType": "string"}}
        elif edit == "rename" and base["attributes"]:
            first, *rest = base["attributes"]
            changes = {"attributes": [{**first, "apiName": f"{first['apiName']}New",
                                       "renamedFrom": first["apiName"]}, *rest]}
        elif edit == "tombstone":
            changes = {"ensure": "absent"}
        elif edit == "display":
            changes = {"name": draw(st.sampled_from(DISPLAY))}
        if draw(st.integers(0, 9)) == 7:
            changes["protect"] = True
        files[f"{spec.api_name}.yaml"] = _definition(base, **changes)
    kept = [s for s in live if s.managed and files.get(f"{s.api_name}.yaml", {}).get(
        "ensure") != "absent" and f"{s.api_name}.yaml" in files]
    if len(kept) >= 2 and draw(st.booleans()):
        # Two types swap a name: no order of calls can apply it in one plan.
        first, second = draw(st.permutations(kept))[:2]
        one, other = files[f"{first.api_name}.yaml"], files[f"{second.api_name}.yaml"]
        key = draw(st.sampled_from(["triggerName", "filterName"]))
        one[key], other[key] = other[key], one[key]
    for api_name in NEW_NAMES[:draw(st.integers(0, 2))]:
        attributes = draw(st.lists(st.sampled_from(ATTRIBUTES), unique=True, max_size=2))
        # Fresh names half the time, so that examples get past the names to the type limit.
        fresh = [f"{api_name} happens", f"{api_name} happened"]
        version = _version(api_name, draw(st.sampled_from(DISPLAY)),
                           draw(st.sampled_from([fresh[0]] * 10 + SMART)),
                           draw(st.sampled_from([fresh[1]] * 10 + SMART)),
                           draw(st.sampled_from(PRIMARIES)), attributes)
        files[f"{api_name}.yaml"] = _definition(version)
    return files


@st.composite
def examples(draw: st.DrawFn) -> Example:
    live = draw(live_states())
    families = ["reuse", "swap", "limit", "control", "control"] + ["general"] * 6
    family = families[draw(st.integers(0, len(families) - 1))]
    if family == "control":
        return Example(live, control_folder(live, draw(st.integers(0, 2))), "control")
    if family == "reuse" and live and len(live) < MAX_TYPES:
        return Example(live, reuse_folder(live), "reuse")
    if family == "swap" and len(live) >= 2:
        return Example(live, swap_folder(live, draw(st.sampled_from(["triggerName",
                                                                     "filterName"]))), "swap")
    if family == "limit" and len(live) >= MAX_TYPES - 1:
        return Example(live, limit_folder(live), "limit")
    return Example(live, draw(desired_folders(live)))


def _new_type(api_name: str, trigger: str | None = None,
              filter_: str | None = None) -> dict[str, Any]:
    word = api_name.upper()
    return _definition(_version(
        api_name, f"Control {word}", trigger or f"Control {word} happens",
        filter_ or f"Control {word} happened", ("title", "string"), [("seats", "integer")]))


def control_folder(live: list[LiveSpec], new: int) -> dict[str, dict[str, Any]]:
    """Applicable by construction: managed types kept as their approved (or only) version,
    new types with names nobody holds, within the type limit."""
    files = {f"{s.api_name}.yaml": _definition(s.version) for s in live if s.managed}
    room = MAX_TYPES - len(live)
    for api_name in NEW_NAMES[:max(0, min(new, room))]:
        files[f"{api_name}.yaml"] = _new_type(api_name)
    return files


def reuse_folder(live: list[LiveSpec]) -> dict[str, dict[str, Any]]:
    """Replacing a type (README): a tombstone, and a new type taking its names across kinds.
    Applicable: the plan deletes first. Every other live type is kept."""
    old, *rest = live
    files = {f"{s.api_name}.yaml": _definition(s.version) for s in rest}
    files[f"{old.api_name}.yaml"] = _definition(old.version, ensure="absent")
    names = [old.version["triggerName"], old.version["filterName"]]
    if old.draft is not None:
        names[1] = old.draft["filterName"]  # the pending draft's name is freed with the type
    files["n0.yaml"] = _new_type("n0", trigger=names[1], filter_=names[0])
    return files


def swap_folder(live: list[LiveSpec], key: str) -> dict[str, dict[str, Any]]:
    """Two managed types swap a trigger (or filter) name: plan must refuse it."""
    files = {f"{s.api_name}.yaml": _definition(s.version) for s in live}
    one, other = files["t0.yaml"], files["t1.yaml"]
    one[key], other[key] = other[key], one[key]
    return files


def limit_folder(live: list[LiveSpec]) -> dict[str, dict[str, Any]]:
    """More types than the limit once the unmanaged ones are counted: plan must refuse."""
    files = {f"{s.api_name}.yaml": _definition(s.version) for s in live[1:]}
    for api_name in NEW_NAMES[:MAX_TYPES - len(live) + 1]:
        files[f"{api_name}.yaml"] = _new_type(api_name)
    return files


# What each family must come to; None: any stage, so long as the property holds.
EXPECTED = {"control": "applied", "reuse": "applied", "swap": "plan (swap)",
            "limit": "plan (type limit)", "general": None}


# -- the stages --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    yield from serve(max_types=MAX_TYPES)
    print(f"\n{TALLY.report()}")


async def seed(marketo: MarketoClient, live: list[LiveSpec]) -> None:
    for spec in live:
        body = {k: v for k, v in spec.version.items() if k != "attributes" and v is not None}
        await marketo.create_type(body)
        if spec.version["attributes"]:
            await marketo.create_attributes(spec.api_name, spec.version["attributes"])
        if spec.status != "draft":
            await marketo.approve_type(spec.api_name)
        if spec.draft is not None:
            update = {k: spec.draft[k] for k in ("name", "filterName")}
            update["description"] = spec.draft["description"] or ""
            await marketo.update_type(spec.api_name, update)


def stage_of(server: EmulatorServer, root: Path, example: Example) -> str:
    """Which stage stops the example: 'validate', 'plan' or 'applied'; AssertionError when
    none refuses and apply fails, or leaves something to do."""
    reset(server)
    folder = root / "activities"
    write_files(folder, example.files)
    project = Settings(root=root, max_types=MAX_TYPES)
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
        await seed(marketo, example.live)
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
        left = [(c.apiName, c.action) for c in again.changes if c.action != "no-op"]
        assert not left, f"planning again finds {left}"
    return "applied"


def _kind(refusal: str) -> str:
    """What a plan refusal is about, for the figures."""
    kinds = [kind for words, kind in (
        ("swap", "swap"), ("Smart List name", "names held"),
        ("custom activity types on the instance", "type limit"), ("protected", "protect"))
        if words in refusal]
    return " + ".join(kinds) or "other"


def _explain(plan: Any, result: Any) -> str:
    steps = [(c.apiName, c.action, [type(s).__name__ for s in c.steps]) for c in plan.changes]
    return json.dumps({"outcome": result.outcome, "changes": steps,
                       "types": [repr(t) for t in result.types],
                       "mismatches": list(result.mismatches)}, indent=1, default=str)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(example=examples())
def test_a_plan_that_validate_and_plan_accept_applies_and_leaves_nothing_to_do(
    server: EmulatorServer, tmp_path: Path, example: Example
) -> None:
    stage = stage_of(server, tmp_path, example)
    TALLY.add(f"{example.family}: {stage}")
    expected = EXPECTED[example.family]
    assert expected in (None, stage), (example.family, stage)
