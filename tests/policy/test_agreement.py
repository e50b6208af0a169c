"""lint and plan give every kind of change the same grade (issue 16, "one risk classifier").

Each row edits one definition in one way. lint grades the edit of the file (as `lint -e ENV`
does, for the type's standing there); plan grades the same edit of the live instance, whose
type holds the old definition, approved or only a draft. Both must equal the policy's rule
book, and every rule of the book that a definition's edit can meet has a row. A property test
then combines random edits and asks the same of the worst grade.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.definitions.model import ActivityType, DefinitionFile
from framework.lint.rules import classify, severity
from framework.live import LiveState, LiveType, TypeVersion
from framework.plan.model import Risk
from framework.plan.pipeline import judged_changes
from framework.plan.rules import RULE_BOOK
from framework.policy.grade import worst
from framework.policy.model import Standing

Edit = Callable[[dict[str, Any]], None]


def base() -> dict[str, Any]:
    return {
        "version": 1, "apiName": "attendClass", "name": "Attend Class",
        "triggerName": "Attends Class", "filterName": "Attended Class",
        "primaryAttribute": {"apiName": "title", "name": "Title"},
        "attributes": [
            {"apiName": "replayUrl", "name": "Replay URL", "dataType": "link"},
            {"apiName": "seats", "name": "Seats", "dataType": "integer"},
        ],
    }


def _set(*path: Any, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    return edit


def _seats(key: str, value: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        for attribute in data["attributes"]:
            if attribute["apiName"] == "seats":
                attribute[key] = value
    return edit


def _drop_replay(data: dict[str, Any]) -> None:
    data["attributes"] = [a for a in data["attributes"] if a["apiName"] != "replayUrl"]


def _rename_replay(data: dict[str, Any]) -> None:
    data["attributes"][0] = {"apiName": "recordingUrl", "name": "Recording URL",
                             "dataType": "link", "renamedFrom": "replayUrl"}


def _add_minutes(data: dict[str, Any]) -> None:
    data["attributes"].append({"apiName": "minutes", "name": "Minutes", "dataType": "integer"})


EDITS: dict[str, Edit] = {
    "type-deleted": _set("ensure", value="absent"),
    "display-name-changed": _set("name", value="Attend A Class"),
    "description-changed": _set("description", value="Took a class"),
    "trigger-name-changed": _set("triggerName", value="Attends A Class"),
    "filter-name-changed": _set("filterName", value="Attended A Class"),
    "primary-attribute-changed": _set("primaryAttribute", "apiName", value="course"),
    "primary-attribute-edited": _set("primaryAttribute", "name", value="Class Title"),
    "attribute-added": _add_minutes,
    "attribute-removed": _drop_replay,
    "attribute-renamed": _rename_replay,
    "data-type-changed": _seats("dataType", "string"),
    "attribute-display-name-changed": _seats("name", "Seats Taken"),
    "attribute-description-changed": _seats("description", "How many"),
}
STANDINGS: tuple[Standing, ...] = ("approved", "draft")


def edited(*edits: Edit) -> ActivityType:
    data = base()
    for edit in edits:
        edit(data)
    data["version"] = 2
    return ActivityType.model_validate(data)


def lint_grade(new: ActivityType, standing: Standing) -> tuple[Risk, set[str]]:
    """lint's grade of the edit (its worst failing severity, safe when none) and its rules."""
    changes = classify(ActivityType.model_validate(base()), new)
    graded = [severity(c.rule, standing) for c in changes]
    return worst(g for g in graded if g in ("breaking", "destructive")), {c.rule for c in changes}


def plan_grade(new: ActivityType, standing: Standing) -> Risk:
    old = TypeVersion.from_definition(ActivityType.model_validate(base()))
    live_type = (
        LiveType(apiName=old.apiName, id=100001, status="approved", approved=old)
        if standing == "approved"
        else LiveType(apiName=old.apiName, status="draft", draft=old)
    )
    desired = [DefinitionFile(path="activities/attendClass.yaml", definition=new)]
    changes, _ = judged_changes(desired, LiveState(types={old.apiName: live_type}), max_types=10,
                         allow_destructive=True)
    return changes[0].risk


def test_every_rule_a_definition_can_meet_has_a_row() -> None:
    meetable = {r.id for r in RULE_BOOK if not r.live_only and r.id != "type-created"}
    assert set(EDITS) == meetable


@pytest.mark.parametrize("standing", STANDINGS)
@pytest.mark.parametrize("rule", sorted(EDITS))
def test_lint_and_plan_grade_each_kind_of_change_alike(rule: str, standing: Standing) -> None:
    new = edited(EDITS[rule])
    expected = RULE_BOOK[rule].risk(standing)

    graded, rules = lint_grade(new, standing)

    assert (graded, plan_grade(new, standing)) == (expected, expected)
    # lint names the change under the rule's own id whenever it is more than safe once approved.
    assert (rule in rules) == (RULE_BOOK[rule].approved != "safe")


def test_a_new_type_is_safe_for_both() -> None:
    new = edited()
    desired = [DefinitionFile(path="activities/attendClass.yaml", definition=new)]
    changes, _ = judged_changes(desired, LiveState(), max_types=10)
    assert (changes[0].action, changes[0].risk) == ("create", RULE_BOOK["type-created"].approved)


def test_reproduction_4_a_display_name_or_description_change_is_breaking_for_both() -> None:
    # Issue 16, reproduction 4: plan said breaking (frozen-field-changed), lint said nothing.
    for rule in ("display-name-changed", "description-changed"):
        new = edited(EDITS[rule])
        assert lint_grade(new, "approved") == ("breaking", {rule})
        assert plan_grade(new, "approved") == "breaking"


# Edits that can be combined on one file (a deletion or a replace overrides the rest).
COMBINABLE = sorted(set(EDITS) - {"type-deleted"})


@settings(max_examples=150, deadline=None, derandomize=True)
@given(rules=st.sets(st.sampled_from(COMBINABLE), min_size=1), standing=st.sampled_from(STANDINGS))
def test_any_combination_of_edits_gets_the_same_grade(rules: set[str], standing: Standing) -> None:
    new = edited(*(EDITS[rule] for rule in sorted(rules)))

    assert lint_grade(new, standing)[0] == plan_grade(new, standing)
