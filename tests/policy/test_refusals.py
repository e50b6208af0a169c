"""The policy's refusals are data: a stable code, the file, what is wrong and the fix."""

from __future__ import annotations

import pytest

from framework.definitions.model import ActivityType, ActivityTypeFile, DefinitionFile
from framework.errors import RefusedError
from framework.kinds.custom_object.live import LiveObject, ObjectVersion
from framework.kinds.custom_object.model import CustomObject
from framework.live import LiveState, LiveType, TypeVersion
from framework.plan.compare import compare
from framework.plan.pipeline import derive_plan
from framework.policy.model import Refusal
from framework.policy.refusals import destructive_refusals, plan_refusals
from tests.plan.plan_literals import PROVENANCE

PATH = "activities/attendClass.yaml"


def definition(**changes: object) -> ActivityTypeFile:
    data: dict[str, object] = {
        "version": 1, "apiName": "attendClass", "name": "Attend Class",
        "triggerName": "Attends Class", "filterName": "Attended Class",
        "primaryAttribute": {"apiName": "title", "name": "Title"},
        "attributes": [{"apiName": "seats", "name": "Seats", "dataType": "integer"}],
        "protect": True,
    }
    return ActivityTypeFile(path=PATH, definition=ActivityType.model_validate(data | changes))


def approved(file: ActivityTypeFile) -> LiveState:
    version = TypeVersion.from_definition(file.definition)
    return LiveState(types={version.apiName: LiveType(
        apiName=version.apiName, id=100001, status="approved", approved=version)})


def test_dropping_an_attribute_of_a_protected_type_is_refused_as_data() -> None:
    desired = [definition(attributes=[])]
    live = approved(definition())
    changes, _ = compare(desired, live)

    refusals = plan_refusals(desired, changes, live, max_types=10)

    assert refusals == [Refusal(
        "protected", PATH,
        f"{PATH}: type attendClass is protected (protect: true) and the plan would drop "
        "attribute seats",
        f"revert this change, or first merge a reviewed change that sets `protect: false` in "
        f"{PATH}",
    )]
    # apply asks the same policy of the saved plan's changes.
    assert [r.code for r in destructive_refusals(changes, allowed=True)] == ["protected"]


def test_limits_are_refused_with_their_own_codes() -> None:
    many = [{"apiName": f"a{i}", "name": f"A {i}", "dataType": "string"} for i in range(21)]
    desired = [definition(attributes=many, protect=False)]
    full = LiveState(types={
        f"t{i}": LiveType(apiName=f"t{i}", id=i, status="approved", approved=TypeVersion(
            apiName=f"t{i}", name=f"T {i}", triggerName=f"T{i} does", filterName=f"T{i} did",
            primaryAttribute={"apiName": "p", "name": "P"}))
        for i in range(10)
    })
    changes, _ = compare(desired, full)

    assert [r.code for r in plan_refusals(desired, changes, full, max_types=10)] == [
        "attribute-limit", "type-limit"
    ]


def test_a_destructive_change_is_refused_unless_allowed() -> None:
    desired = [definition(attributes=[], protect=False)]
    changes, _ = compare(desired, approved(definition()))

    assert [r.code for r in destructive_refusals(changes, allowed=False)] == [
        "destructive-not-allowed"
    ]
    assert destructive_refusals(changes, allowed=True) == []


CAR = "activities/car.yaml"


def test_a_plan_reports_every_refusal_of_both_kinds_at_once() -> None:
    # A plan refused for an activity type and for a custom object type said only the activity
    # type's refusal; the custom object's came after the first was fixed.
    fields = [{"name": "vin", "displayName": "VIN", "dataType": "string", "isDedupeField": True},
              {"name": "trim", "displayName": "Trim", "dataType": "string"}]
    car = {"kind": "customObject", "version": 1, "apiName": "car", "displayName": "Car",
           "fields": fields, "protect": True}
    live_car = ObjectVersion.from_definition(CustomObject.model_validate(car))
    live = approved(definition()).model_copy(update={"objects": {"car": LiveObject(
        apiName="car", status="approved", approved=live_car)}})
    desired = [
        definition(attributes=[]),
        DefinitionFile(path=CAR, definition=CustomObject.model_validate(
            car | {"version": 2, "fields": fields[:1]})),
    ]

    with pytest.raises(RefusedError) as refused:
        derive_plan(PROVENANCE, desired, live, max_types=10)

    assert str(refused.value) == (
        "plan refused: 2 problems\n"
        f"{PATH}: type attendClass is protected (protect: true) and the plan would drop "
        "attribute seats\n"
        "  fix: revert this change, or first merge a reviewed change that sets `protect: false` "
        f"in {PATH}\n"
        f"{CAR}: custom object type car is protected (protect: true) and the plan would drop "
        "field trim\n"
        "  fix: revert this change, or first merge a reviewed change that sets `protect: false` "
        f"in {CAR}"
    )
