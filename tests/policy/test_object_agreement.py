"""lint -e ENV and plan give every kind of custom object change the same grade, for a type
approved on the instance and for a draft never approved (custom object types have their own
draft/approve lifecycle: a change to a draft loses nothing published).

Each row edits one custom object definition in one way. lint grades the edit of the file as
`lint -e ENV` does (framework.lint.review.lint_history with the approvals read there); plan
grades the same edit of the live instance, whose type holds the old definition, approved or
only a draft. Both must equal the kind's rule book (OBJECT_RULE_BOOK), and every rule of the
book that a definition's edit can meet has a row. A property test combines edits.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from framework.kinds.custom_object.differ import change_for
from framework.kinds.custom_object.live import LiveObject, ObjectVersion
from framework.kinds.custom_object.model import CustomObject
from framework.kinds.custom_object.rulebook import OBJECT_RULE_BOOK
from framework.lint.history import ChangedFile, History
from framework.lint.review import Approvals, lint_history
from framework.plan.model import Risk
from framework.policy.grade import worst
from framework.policy.model import Standing

Edit = Callable[[dict[str, Any]], None]
PATH = "activities/car.yaml"


def base() -> dict[str, Any]:
    return {
        "kind": "customObject", "version": 1, "apiName": "car", "displayName": "Car",
        "description": "A car", "fields": [
            {"name": "vin", "displayName": "VIN", "dataType": "string", "isDedupeField": True},
            {"name": "personId", "displayName": "Person", "dataType": "link",
             "relatedTo": {"name": "lead", "field": "id"}},
            {"name": "model", "displayName": "Model", "dataType": "string"},
            {"name": "color", "displayName": "Color", "dataType": "string"},
            {"name": "year", "displayName": "Year", "dataType": "string"},
            {"name": "trim", "displayName": "Trim", "dataType": "string"},
        ],
    }


def _set(key: str, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        data[key] = value
    return edit


def _field(which: str, **changes: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        for field in data["fields"]:
            if field["name"] == which:
                field.update(changes)
    return edit


def _drop_trim(data: dict[str, Any]) -> None:
    data["fields"] = [f for f in data["fields"] if f["name"] != "trim"]


def _rename_color(data: dict[str, Any]) -> None:
    _field("color", name="colour", renamedFrom="color")(data)


def _add_mileage(data: dict[str, Any]) -> None:
    data["fields"].append({"name": "mileage", "displayName": "Mileage", "dataType": "integer"})


EDITS: dict[str, Edit] = {
    "type-deleted": _set("ensure", "absent"),
    "type-replaced": _set("displayName", "Auto"),
    "object-description-changed": _set("description", "An automobile"),
    "field-added": _add_mileage,
    "field-removed": _drop_trim,
    "field-renamed": _rename_color,
    "data-type-changed": _field("year", dataType="integer"),
    "field-display-name-changed": _field("model", displayName="Model Name"),
}
# What Marketo freezes once approved, changed another way: a dedupe field is no longer one.
NO_LONGER_DEDUPE = _field("vin", isDedupeField=False)
STANDINGS: tuple[Standing, ...] = ("approved", "draft")


def edited(*edits: Edit) -> dict[str, Any]:
    data = base()
    for edit in edits:
        edit(data)
    data["version"] = 2
    return data


def _text(data: dict[str, Any], folder: Path) -> str:
    out = folder / "dump.yaml"
    YAML().dump(data, out)
    return out.read_text()


def lint_grade(new: dict[str, Any], standing: Standing, root: Path) -> tuple[Risk, set[str]]:
    """lint -e ENV's grade of the edit (its worst failing severity, safe when none), and its
    rules, with `car` approved on ENV or not."""
    (root / "activities").mkdir(exist_ok=True)
    text = _text(new, root)
    (root / PATH).write_text(text)
    history = History("main", "0" * 40, "0" * 40, root,
                      (ChangedFile(PATH, _text(base(), root), text),))
    approved = {"car"} if standing == "approved" else set()
    approvals = Approvals("staging", {}, objects=frozenset(approved))
    report = lint_history(history, fix=False, approvals=approvals)
    graded = [f.severity for f in report.findings if f.severity in ("breaking", "destructive")]
    return worst(graded), {f.rule for f in report.findings}


def plan_grade(new: dict[str, Any], standing: Standing) -> Risk:
    old = ObjectVersion.from_definition(CustomObject.model_validate(base()))
    live = (LiveObject(apiName="car", status="approved", approved=old)
            if standing == "approved" else LiveObject(apiName="car", status="draft", draft=old))
    return change_for(PATH, CustomObject.model_validate(new), live).risk


def test_every_rule_a_definition_can_meet_has_a_row() -> None:
    meetable = {r.id for r in OBJECT_RULE_BOOK if not r.live_only and r.id != "type-created"}
    assert set(EDITS) == meetable


@pytest.mark.parametrize("standing", STANDINGS)
@pytest.mark.parametrize("rule", sorted(EDITS))
def test_lint_and_plan_grade_each_kind_of_change_alike(
    rule: str, standing: Standing, tmp_path: Path
) -> None:
    new = edited(EDITS[rule])
    expected = OBJECT_RULE_BOOK[rule].risk(standing)

    graded, rules = lint_grade(new, standing, tmp_path)

    assert (graded, plan_grade(new, standing)) == (expected, expected)
    # lint names the change under the rule's own id whenever it is more than safe once approved.
    assert (rule in rules) == (OBJECT_RULE_BOOK[rule].approved != "safe")


@pytest.mark.parametrize("standing", STANDINGS)
def test_a_dedupe_field_changed_is_a_replace_only_once_approved(
    standing: Standing, tmp_path: Path
) -> None:
    new = edited(NO_LONGER_DEDUPE)
    expected = OBJECT_RULE_BOOK["type-replaced"].risk(standing)

    assert lint_grade(new, standing, tmp_path)[0] == plan_grade(new, standing) == expected


def test_the_draft_s_findings_say_nothing_is_lost_there(tmp_path: Path) -> None:
    graded, _ = lint_grade(edited(_drop_trim), "draft", tmp_path)
    history = History("main", "0" * 40, "0" * 40, tmp_path,
                      (ChangedFile(PATH, _text(base(), tmp_path), (tmp_path / PATH).read_text()),))
    report = lint_history(history, fix=False, approvals=Approvals("staging", {}))
    approved = lint_history(history, fix=False,
                            approvals=Approvals("staging", {}, objects=frozenset({"car"})))

    assert graded == "safe"
    assert [(f.severity, f.message) for f in report.findings] == [(
        "warning", "car: field trim is removed; its values are lost (not approved on staging: "
        "nothing is lost there yet)",
    )]
    assert [(f.severity, f.message) for f in approved.findings] == [(
        "destructive", "car: field trim is removed; its values are lost (car is approved on "
        "staging)",
    )]


# Edits that can be combined on one file (a deletion overrides the rest).
COMBINABLE = sorted(set(EDITS) - {"type-deleted"})


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rules=st.sets(st.sampled_from(COMBINABLE), min_size=1), standing=st.sampled_from(STANDINGS))
def test_any_combination_of_edits_gets_the_same_grade(
    rules: set[str], standing: Standing, tmp_path: Path
) -> None:
    new = edited(*(EDITS[rule] for rule in sorted(rules)))

    assert lint_grade(new, standing, tmp_path)[0] == plan_grade(new, standing)
