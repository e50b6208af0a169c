"""The plan's checks of Marketo's rules against the live state: one namespace of trigger and
filter names held by every live type and version, and the type limit counting unmanaged types."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from framework.errors import RefusedError
from framework.plan.pipeline import judged_changes
from tests.plan.live_setup import seed, write_definition
from tests.plan.plan_literals import definition, live, live_type, version

NAMESPACE = ("Marketo requires trigger and filter names to be unique across all custom "
             "activity types, the two kinds together (error 709)")


def refusal(desired: list, state: object, max_types: int = 10) -> str:
    with pytest.raises(RefusedError) as raised:
        judged_changes(desired, state, max_types=max_types)  # type: ignore[arg-type]
    return str(raised.value)


def test_a_trigger_name_that_is_an_unmanaged_types_filter_name_is_refused() -> None:
    other = version("other", triggerName="Other", filterName="ATTENDS attendWebinar")
    assert refusal([definition()], live(live_type("approved", other))) == (
        "plan refused: 1 problem\n"
        "activities/attendWebinar.yaml: the Smart List name 'Attends attendWebinar' would be "
        "held by attendWebinar (triggerName) and other (unmanaged, filterName); "
        f"{NAMESPACE}\n"
        "  fix: give each type its own trigger and filter names, or change other in Marketo (or "
        "import it with `activities import other` and change its file)"
    )


def test_a_name_held_only_by_an_unmanaged_types_pending_draft_is_refused() -> None:
    approved = version("other", triggerName="Other", filterName="Other Done")
    draft = version("other", triggerName="Other", filterName="Attended attendWebinar")
    state = live(live_type("approved with draft", approved, draft))
    assert refusal([definition()], state).splitlines()[1] == (
        "activities/attendWebinar.yaml: the Smart List name 'Attended attendWebinar' would be "
        "held by attendWebinar (filterName) and other (unmanaged, filterName of its pending "
        f"draft); {NAMESPACE}"
    )


def test_a_name_held_by_an_unmanaged_draft_only_type_is_refused() -> None:
    state = live(live_type("draft", None, version("other", triggerName="Attends attendWebinar",
                                                      filterName="Other")))
    assert "other (unmanaged, triggerName of its draft)" in refusal([definition()], state)


def test_two_managed_types_clashing_across_kinds_are_refused_naming_both_files() -> None:
    desired = [definition("a", triggerName="Shared", filterName="A done"),
               definition("b", triggerName="B does", filterName="shared")]
    assert refusal(desired, live()).splitlines()[1] == (
        "activities/a.yaml, activities/b.yaml: the Smart List name 'Shared' would be held by "
        f"a (triggerName) and b (filterName); {NAMESPACE}"
    )


def test_a_name_a_managed_type_gives_up_may_be_taken_by_another() -> None:
    state = live(live_type("approved", version("old", triggerName="Buys", filterName="Bought")))
    desired = [definition("old", triggerName="Buys Old", filterName="Bought Old"),
               definition("new", triggerName="Bought", filterName="Buys")]
    changes, _ = judged_changes(desired, state, max_types=10)
    assert [(c.apiName, c.action) for c in changes] == [("new", "create"), ("old", "update")]


def test_a_tombstone_frees_its_names_and_its_slot_for_a_new_type() -> None:
    # Repro 6 of issue 9, against the live state: replace a type at the limit with a new one.
    state = live(*(live_type("approved", version(f"t{i}")) for i in range(9)),
                 live_type("approved", version("old", triggerName="Buys", filterName="Bought")))
    desired = [definition("old", ensure="absent", triggerName="Buys", filterName="Bought"),
               definition("new", triggerName="Buys", filterName="Bought")]
    changes, unmanaged = judged_changes(desired, state, max_types=10)
    assert [(c.apiName, c.action) for c in changes] == [("new", "create"), ("old", "delete")]
    assert len(unmanaged) == 9


def test_the_type_limit_counts_unmanaged_and_draft_only_types() -> None:
    state = live(live_type("approved", version("a")), live_type("draft", None, version("b")),
                 live_type("approved with draft", version("c"), version("c", name="C")))
    assert refusal([definition("new")], state, max_types=3).splitlines()[1] == (
        "activities/new.yaml: the plan would leave 4 custom activity types on the instance, "
        "over the limit of 3 (max_types; Marketo error 1027)"
    )


def test_a_primary_description_change_of_an_approved_type_is_breaking() -> None:
    primary = {"apiName": "webinarName", "name": "Webinar Name", "dataType": "string"}
    state = live(live_type("approved", version(primaryAttribute=primary)))
    desired = [definition(primaryAttribute={**primary, "description": "The title"})]
    [change], _ = judged_changes(desired, state, max_types=10)
    assert (change.action, change.risk) == ("update", "breaking")
    [attribute] = change.attributeChanges
    assert attribute.reason.text.startswith(
        "primary attribute webinarName description changes from None to 'The title'; Marketo "
        "freezes it once the type is approved and in use, and no API call says whether")


def test_a_primary_description_change_of_a_draft_never_approved_is_safe() -> None:
    primary = {"apiName": "webinarName", "name": "Webinar Name", "dataType": "string"}
    state = live(live_type("draft", None, version(primaryAttribute=primary)))
    desired = [definition(primaryAttribute={**primary, "description": "The title"})]
    [change], _ = judged_changes(desired, state, max_types=10)
    assert (change.action, change.risk) == ("update", "safe")


def test_a_description_change_on_a_type_in_use_is_planned_breaking_and_apply_stops_at_709(
    project: Path, emulator: Any, cli: Any
) -> None:
    # Repro 9 of issue 9, end to end: the plan calls it breaking and says what apply does if
    # the type is in use; the emulator refuses it like the other frozen fields.
    seed(emulator.url, emulator.config.client_id, emulator.config.client_secret,
         ("buyCar", "approved"))
    emulator.mark_in_use("buyCar")
    write_definition(project / "activities", "buyCar", description="Bought a car")
    endpoint = ["--endpoint", emulator.url]

    planned = cli("plan", "--format", "json", *endpoint, cwd=project, env=emulator.env)
    [change] = json.loads(planned.stdout)["changes"]
    assert (change["action"], change["risk"]) == ("update", "breaking")
    assert "no API call says whether a smart list or campaign uses the type" in str(
        change["reasons"])

    applied = cli("apply", "--yes", *endpoint, cwd=project, env=emulator.env)
    assert applied.exit_code == 1
    assert "709" in applied.output and "is approved and in use" in applied.output
    assert read_status(emulator, "buyCar") == ("approved", None)


def read_status(emulator: Any, api_name: str) -> tuple[str, str | None]:
    state = httpx.get(f"{emulator.url}/_emulator/state").json()
    [found] = [t for t in state["catalog"]["types"] if t["apiName"] == api_name]
    return ("approved" if found["draft"] is None else "approved with draft",
            found["approved"]["description"])
