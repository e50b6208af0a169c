"""The custom object differ and policy as pure functions: definitions and live types as
literals, no server."""

from __future__ import annotations

from typing import Any

import pytest

from framework.errors import RefusedError
from framework.kinds.custom_object.differ import compare_objects
from framework.kinds.custom_object.live import (
    DependentAsset,
    FieldVersion,
    Link,
    LiveObject,
    ObjectVersion,
)
from framework.kinds.custom_object.model import CustomObject
from framework.kinds.custom_object.policy import object_order, object_refusals
from framework.policy.refusals import raise_if_refused


def car(**changes: Any) -> CustomObject:
    data: dict[str, Any] = {
        "kind": "customObject", "version": 1, "apiName": "car", "displayName": "Car",
        "description": "A car", "fields": [
            {"name": "vin", "displayName": "VIN", "dataType": "string", "isDedupeField": True},
            {"name": "personId", "displayName": "Person", "dataType": "link",
             "relatedTo": {"name": "lead", "field": "id"}},
            {"name": "model", "displayName": "Model", "dataType": "string"},
        ],
    }
    data.update(changes)
    return CustomObject.model_validate(data)


def approved(definition: CustomObject, **changes: Any) -> LiveObject:
    version = ObjectVersion.from_definition(definition).model_copy(update=changes)
    return LiveObject(apiName=definition.apiName, status="approved", approved=version)


def change_of(definition: CustomObject, live: LiveObject | None) -> Any:
    changes, _ = compare_objects([(f"activities/{definition.apiName}.yaml", definition)],
                                 {live.apiName: live} if live else {})
    return changes[0]


def test_a_new_type_is_created_with_its_fields_in_one_call_then_approved() -> None:
    change = change_of(car(), None)

    assert (change.action, change.risk) == ("create", "safe")
    assert [s.op for s in change.steps] == ["sync_object_type", "add_object_fields",
                                            "approve_object_type"]
    assert change.steps[0].body() == {"action": "createOnly", "apiName": "car",
                                      "displayName": "Car", "description": "A car",
                                      "showInLeadDetail": False}
    assert change.steps[1].body()["input"][1] == {
        "name": "personId", "displayName": "Person", "dataType": "link",
        "relatedTo": {"name": "lead", "field": "id"}}


def test_a_new_types_dedupe_and_link_fields_are_plain_additions() -> None:
    # The plan said "-/+ field vin is added as string dedupe; it is deleted and added again in
    # the draft": nothing exists yet, so nothing is deleted; every field of a new type is added.
    change = change_of(car(), None)

    assert [(f.name, f.action, f.reason.code, f.reason.text) for f in change.fieldChanges] == [
        ("model", "add", "field-added", "field model (string) is added"),
        ("personId", "add", "field-added", "field personId (link -> lead.id) is added"),
        ("vin", "add", "field-added", "field vin (string dedupe) is added"),
    ]


def test_keys_marketo_never_reads_back_plan_nothing_on_their_own() -> None:
    live = approved(car())
    fields = [*car().model_dump()["fields"]]
    fields[2] = {**fields[2], "description": "Make and model"}
    definition = car(pluralName="Cars", showInLeadDetail=True, fields=fields)

    change = change_of(definition, live)

    assert change.action == "no-op"
    assert [r.code for r in change.reasons] == ["already-matches", "write-only-keys"]


def test_link_read_back_as_its_target_type_and_capitalised_matches() -> None:
    read = ObjectVersion.from_marketo({
        "apiName": "car", "displayName": "Car", "description": "A car",
        "dedupeFields": ["vin"],
        "relationships": [{"field": "personId", "type": "child",
                           "relatedTo": {"name": "Lead", "field": "id"}}],
        "fields": [
            {"name": "marketoGUID", "displayName": "Marketo GUID", "dataType": "string"},
            {"name": "model", "displayName": "Model", "dataType": "string"},
            {"name": "personId", "displayName": "Person", "dataType": "integer"},
            {"name": "vin", "displayName": "VIN", "dataType": "string"},
        ],
    })

    assert read == ObjectVersion.from_definition(car())


def test_a_plain_field_is_added_and_renamed_in_a_draft() -> None:
    fields = [*car().model_dump()["fields"][:2],
              {"name": "trim", "displayName": "Trim", "dataType": "string",
               "renamedFrom": "model"},
              {"name": "year", "displayName": "Year", "dataType": "integer"}]
    change = change_of(car(fields=fields), approved(car()))

    assert (change.action, change.risk) == ("update", "destructive")
    assert [(f.name, f.action, f.risk) for f in change.fieldChanges] == [
        ("trim", "rename", "destructive"), ("year", "add", "safe")]
    assert [s.op for s in change.steps] == ["delete_object_fields", "add_object_fields",
                                            "approve_object_type"]


def test_a_frozen_part_changed_after_approval_replaces_the_type() -> None:
    fields = car().model_dump()["fields"]
    fields[2] = {**fields[2], "isDedupeField": True}
    change = change_of(car(fields=fields), approved(car()))

    assert (change.action, change.risk) == ("replace", "destructive")
    assert change.reasons[0].text == (
        "field model changes from string to string dedupe, and Marketo does not allow adding, "
        "removing or changing a dedupe or link field once the type was approved")
    assert [s.op for s in change.steps] == ["delete_object_type", "sync_object_type",
                                            "add_object_fields", "approve_object_type"]


def test_the_same_change_in_a_draft_never_approved_is_in_place() -> None:
    fields = car().model_dump()["fields"]
    fields[2] = {**fields[2], "isDedupeField": True}
    draft = LiveObject(apiName="car", status="draft",
                       draft=ObjectVersion.from_definition(car()))

    change = change_of(car(fields=fields, displayName="Auto"), draft)

    assert (change.action, change.risk) == ("update", "safe")
    assert change.steps[0].body() == {"action": "updateOnly", "apiName": "car",
                                      "displayName": "Auto", "description": "A car",
                                      "showInLeadDetail": False}
    assert [s.op for s in change.steps[1:]] == ["delete_object_fields", "add_object_fields",
                                                "approve_object_type"]


def test_pending_drafts_are_approved_or_discarded() -> None:
    target = ObjectVersion.from_definition(car())
    older = target.model_copy(update={"description": "old"})
    same = LiveObject(apiName="car", status="approvedWithDraft", approved=older, draft=target)
    stray = LiveObject(apiName="car", status="approvedWithDraft", approved=target, draft=older)

    assert change_of(car(), same).action == "approve-draft"
    assert change_of(car(), stray).action == "discard-draft"


def test_a_display_name_change_after_approval_is_a_replace() -> None:
    change = change_of(car(displayName="Auto"), approved(car()))

    assert change.action == "replace"


def test_a_tombstone_in_use_is_refused_naming_each_asset() -> None:
    live = approved(car()).model_copy(update={"dependentAssets": (
        DependentAsset(assetType="Smart Campaign", assetId=3773,
                       assetName="CarTest.HasCar (Smart List)"),)})
    change = change_of(car(ensure="absent"), live)

    with pytest.raises(RefusedError) as refused:
        raise_if_refused(object_refusals([change], {"car": live}, 10))

    assert str(refused.value) == (
        "plan refused: 1 problem\n"
        "activities/car.yaml: custom object type car is in use, and Marketo refuses to delete "
        "a type while assets use it: Smart Campaign 3773 'CarTest.HasCar (Smart List)'\n"
        "  fix: remove the type from those assets in Marketo (Get Custom Object Type Dependent "
        "Assets lists them), then make the plan again")


def test_a_bridge_waits_for_the_edge_it_links_to() -> None:
    edge = car(fields=[{"name": "vin", "displayName": "VIN", "dataType": "string",
                        "isDedupeField": True}])
    bridge = CustomObject.model_validate({
        "kind": "customObject", "version": 1, "apiName": "ownership",
        "displayName": "Ownership", "fields": [
            {"name": "code", "displayName": "Code", "dataType": "string", "isDedupeField": True},
            {"name": "carId", "displayName": "Car", "dataType": "link",
             "relatedTo": {"name": "car", "field": "vin"}},
            {"name": "personId", "displayName": "Person", "dataType": "link",
             "relatedTo": {"name": "lead", "field": "id"}}]})
    changes, _ = compare_objects([("a/car.yaml", edge), ("a/ownership.yaml", bridge)], {})

    raise_if_refused(object_refusals(changes, {}, 10))
    assert [w.types for w in object_order(changes)] == [("car",), ("ownership",)]


def test_a_link_to_a_type_that_links_is_refused() -> None:
    changes, _ = compare_objects([("a/wheel.yaml", CustomObject.model_validate({
        "kind": "customObject", "version": 1, "apiName": "wheel", "displayName": "Wheel",
        "fields": [{"name": "code", "displayName": "Code", "dataType": "string",
                    "isDedupeField": True},
                   {"name": "carId", "displayName": "Car", "dataType": "link",
                    "relatedTo": {"name": "car", "field": "vin"}}]}))], {})

    with pytest.raises(RefusedError) as refused:
        raise_if_refused(object_refusals(changes, {"car": approved(car())}, 10))

    assert "links to car, which has a link field itself" in str(refused.value)


def test_an_unmanaged_live_type_is_listed_and_left_alone() -> None:
    other = approved(car()).model_copy(update={"apiName": "boat"})

    changes, unmanaged = compare_objects([], {"boat": other})

    assert (changes, unmanaged) == ([], ["boat"])


def test_field_version_keeps_what_is_frozen() -> None:
    field = FieldVersion(name="x", displayName="X", dataType="link",
                         relatedTo=Link.of("Company", "Id"))

    assert field.frozen_part == (False, Link(name="company", field="id"))


def test_lint_grades_a_custom_object_change_with_the_plan_s_differ() -> None:
    from framework.kinds.custom_object.lint import classify_object

    fields = car().model_dump()["fields"]
    dropped = car(version=2, fields=fields[:2], protect=False)
    frozen = car(version=2, displayName="Auto")

    assert [(c.rule, c.message) for c in classify_object(car(protect=True), dropped)] == [
        ("field-removed", "car: field model is removed; its values are lost"),
        ("protect-removed", "car: protect was changed from true to false: plans may now "
                            "delete or replace the type and drop its fields"),
    ]
    assert [c.rule for c in classify_object(car(), frozen)] == ["type-replaced"]
    assert [c.rule for c in classify_object(car(), car(ensure="absent"))] == ["type-deleted"]
    assert classify_object(car(), car(pluralName="Cars", version=2)) == []
