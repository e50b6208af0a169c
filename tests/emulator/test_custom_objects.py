"""Custom object types: the lifecycle, the shapes describe shows, and every rule with its code."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from framework.emulator.custom_objects.settings import ObjectSettings
from tests.emulator.object_rest import (
    CAR,
    CAR_FIELDS,
    COURSE,
    COURSE_FIELDS,
    ENROLLMENT,
    ENROLLMENT_FIELDS,
    SCHEMA,
    ObjectApi,
)
from tests.emulator.rest import Api, errors, result

SYSTEM = [
    {"name": "createdAt", "displayName": "Created At", "dataType": "datetime",
     "updateable": False, "crmManaged": False},
    {"name": "marketoGUID", "displayName": "Marketo GUID", "dataType": "string", "length": 36,
     "updateable": False, "crmManaged": False},
    {"name": "updatedAt", "displayName": "Updated At", "dataType": "datetime",
     "updateable": False, "crmManaged": False},
]


def custom(name: str, label: str, kind: str) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name, "displayName": label, "dataType": kind}
    if kind == "string":
        body["length"] = 255
    return {**body, "updateable": True, "crmManaged": False}


@pytest.fixture
def objects(api: Api) -> ObjectApi:
    return ObjectApi(api)


@pytest.fixture
def objects_with(api_factory: Callable[..., Api]) -> Callable[..., ObjectApi]:
    """An emulator whose custom-object settings are ObjectSettings(**settings)."""
    def make(*readings: str, **settings: Any) -> ObjectApi:
        chosen = ObjectSettings(**settings).reading(readings)
        return ObjectApi(api_factory(custom_objects=chosen))
    return make


def make_car(objects: ObjectApi, approve: bool = True) -> None:
    result(objects.sync(CAR))
    result(objects.add_fields("car", CAR_FIELDS))
    if approve:
        result(objects.approve("car"))


def make_course_and_enrollment(objects: ObjectApi) -> None:
    for body, fields in ((COURSE, COURSE_FIELDS), (ENROLLMENT, ENROLLMENT_FIELDS)):
        result(objects.sync(body))
        result(objects.add_fields(body["apiName"], fields))
        result(objects.approve(body["apiName"]))


def only(reply: dict[str, Any]) -> dict[str, Any]:
    [found] = result(reply)
    return found


# -- the lifecycle and its shapes --------------------------------------------------------------


def test_a_fresh_draft_describes_as_adobes_example(objects: ObjectApi) -> None:
    """CO, "Create Type": the describe after creating `transaction`, key for key."""
    assert result(objects.sync({"action": "createOnly", "displayName": "Transaction",
                                "apiName": "transaction", "description": "Commerce happens"})) == []
    assert only(objects.describe("transaction")) == {
        "state": "draft", "version": "draft", "apiName": "transaction",
        "displayName": "Transaction", "description": "Commerce happens", "idField": None,
        "createdAt": None, "updatedAt": None, "dedupeFields": [], "searchableFields": [[]],
        "relationships": [], "fields": SYSTEM}


def test_the_car_example_approves_and_describes_with_its_link_and_dedupe_field(
        objects: ObjectApi) -> None:
    make_car(objects)
    car = only(objects.describe("car"))
    stamp = car["createdAt"]
    assert stamp is not None and car["updatedAt"] >= stamp
    assert car == {
        "state": "approved", "version": "approved", "apiName": "car", "displayName": "Car",
        "description": "Automobile owned", "idField": "marketoGUID", "createdAt": stamp,
        "updatedAt": car["updatedAt"], "dedupeFields": ["vin"],
        "searchableFields": [["vin"], ["marketoGUID"], ["leadID"]],
        "relationships": [{"field": "leadID", "type": "child",
                           "relatedTo": {"name": "Lead", "field": "id"}}],
        "fields": [*SYSTEM, custom("leadID", "Lead ID", "integer"),
                   custom("make", "Make", "string"), custom("model", "Model", "string"),
                   custom("vin", "VIN", "string"), custom("year", "Year", "integer")]}


def test_an_edit_makes_a_draft_beside_the_approved_version(objects: ObjectApi) -> None:
    make_car(objects)
    result(objects.sync({"action": "updateOnly", "apiName": "car", "description": "Owned car"}))
    result(objects.add_fields("car", [{"name": "color", "displayName": "Color",
                                       "dataType": "string"}]))
    plain, approved = only(objects.describe("car")), only(objects.describe("car", "approved"))
    draft = only(objects.describe("car", "draft"))
    assert plain == approved
    assert (approved["state"], approved["version"], approved["description"]) == (
        "approvedWithDraft", "approved", "Automobile owned")
    assert (draft["state"], draft["version"], draft["description"]) == (
        "approvedWithDraft", "draft", "Owned car")
    assert "color" in [f["name"] for f in draft["fields"]]
    assert "color" not in [f["name"] for f in approved["fields"]]
    assert only(objects.describe("car", "approvedWithDraft")) == draft
    result(objects.approve("car"))
    live = only(objects.describe("car"))
    assert (live["state"], live["description"]) == ("approved", "Owned car")
    assert result(objects.describe("car", "draft")) == []
    assert result(objects.describe("car", "approvedWithDraft")) == []


def test_discard_draft_goes_back_to_the_approved_version(objects: ObjectApi) -> None:
    make_car(objects)
    before = only(objects.describe("car"))
    result(objects.update_field("car", "make", {"displayName": "Maker"}))
    result(objects.discard("car"))
    after = only(objects.describe("car"))
    # The discard is itself a change (updatedAt moves, to the next second when one has passed).
    assert after["updatedAt"] >= before["updatedAt"]
    assert {**after, "updatedAt": None} == {**before, "updatedAt": None}
    assert errors(objects.discard("car")) == [
        ("1048", "Custom Object Discard Draft Failed: custom object type 'car' is approved and "
                 "has no draft")]


def test_a_never_approved_type_is_deleted_not_discarded(
        objects: ObjectApi, objects_with: Callable[..., ObjectApi]) -> None:
    make_car(objects, approve=False)
    assert errors(objects.discard("car")) == [
        ("1048", "Custom Object Discard Draft Failed: custom object type 'car' has never been "
                 "approved; delete it instead")]
    assert result(objects.describe("car", "approved")) == []
    result(objects.delete("car"))
    assert result(objects.list()) == []
    other = objects_with("discard-deletes-new-types")
    make_car(other, approve=False)
    result(other.discard("car"))
    assert result(other.list()) == []


def test_list_filters_by_names_and_state(objects: ObjectApi) -> None:
    make_car(objects)
    result(objects.sync(COURSE))
    names = lambda reply: [t["apiName"] for t in result(reply)]  # noqa: E731
    assert names(objects.list()) == ["car", "course"]
    assert names(objects.list(names="course,nothing")) == ["course"]
    assert names(objects.list(state="approved")) == ["car"]
    assert names(objects.list(state="draft")) == ["course"]
    assert names(objects.list(state="approvedWithDraft")) == []
    repeated = objects.api.http.get(f"{SCHEMA}.json", headers=objects.api.auth,
                                    params=[("names", "car"), ("names", "course")])
    assert names(repeated.json()) == ["car", "course"]
    # ERR's way around a long URI: POST with _method=GET, the names in a form body
    long_form = objects.api.http.post(f"{SCHEMA}.json?_method=GET", headers=objects.api.auth,
                                      data={"names": "course"})
    assert names(long_form.json()) == ["course"]
    assert errors(objects.list(state="live")) == [
        ("1003", "Invalid value for state 'live': expected one of draft, approved, "
                 "approvedWithDraft")]


def test_field_data_types_and_linkable_objects(objects: ObjectApi) -> None:
    assert result(objects.data_types()) == ["string", "boolean", "integer", "float", "link",
                                            "email", "currency", "date", "datetime", "phone",
                                            "text"]
    make_car(objects)
    result(objects.sync(COURSE))
    result(objects.add_fields("course", COURSE_FIELDS))
    standard = [
        {"name": "lead", "displayName": "Lead", "fields": [
            {"name": "Email Address", "displayName": "Email Address", "dataType": "email"},
            {"name": "Id", "displayName": "Id", "dataType": "integer"}]},
        {"name": "company", "displayName": "Company", "fields": [
            {"name": "Id", "displayName": "Id", "dataType": "integer"}]}]
    # car has a link field and course is not approved: neither may be linked to
    assert result(objects.linkable()) == standard
    result(objects.approve("course"))
    assert result(objects.linkable()) == [*standard, {
        "name": "course", "displayName": "Course", "fields": [
            {"name": "marketoGUID", "displayName": "Marketo GUID", "dataType": "string"},
            {"name": "courseID", "displayName": "Course ID", "dataType": "string"}]}]


def test_a_bridge_links_lead_and_an_approved_edge(objects: ObjectApi) -> None:
    make_course_and_enrollment(objects)
    enrollment = only(objects.describe("enrollment"))
    assert enrollment["relationships"] == [
        {"field": "leadID", "type": "child", "relatedTo": {"name": "Lead", "field": "id"}},
        {"field": "courseID", "type": "child",
         "relatedTo": {"name": "course", "field": "courseID"}}]
    assert enrollment["searchableFields"] == [["enrollmentID"], ["marketoGUID"], ["leadID"],
                                              ["courseID"]]
    assert errors(objects.delete("course")) == [
        ("1022", "Object in use: custom object type 'course' is linked to by enrollment; "
                 "delete those types first")]
    assert errors(objects.add_fields("course", [
        {"name": "leadID", "displayName": "Lead ID", "dataType": "link",
         "relatedTo": {"name": "lead", "field": "id"}}])) == [
        ("709", "Custom object type 'course' is linked to by enrollment: it cannot have link "
                "fields of its own")]
    result(objects.delete("enrollment"))
    result(objects.delete("course"))
    assert result(objects.list()) == []


# -- rules and their codes ---------------------------------------------------------------------

NEW_TYPE = {"apiName": "ship", "displayName": "Ship"}


@pytest.mark.parametrize(("body", "expected"), [
    ({"displayName": "Ship"}, ("701", "apiName cannot be blank")),
    ({"apiName": "ship"}, ("701", "displayName cannot be blank")),
    ({**NEW_TYPE, "action": "upsert"},
     ("1003", "Invalid value for action 'upsert': expected one of createOnly, updateOnly, "
              "createOrUpdate")),
    ({**NEW_TYPE, "apiName": "ship-1"},
     ("1003", "Invalid value for apiName 'ship-1': use letters, digits and underscores, with at "
              "least one letter, at most 255 characters")),
    ({**NEW_TYPE, "displayName": "Ship (big)"},
     ("1003", "Invalid value for displayName 'Ship (big)': use letters, digits, underscores "
              "and spaces, with at least one letter, at most 255 characters")),
    ({**NEW_TYPE, "showInLeadDetail": "yes"},
     ("1003", "Invalid value for showInLeadDetail: expected true or false")),
    ({**NEW_TYPE, "action": "updateOnly"},
     ("1013", "Object not found: custom object type 'ship'")),
    ({"apiName": "Lead", "displayName": "Ship"},
     ("709", "apiName 'Lead' is the name of a standard object: choose another")),
    ({**NEW_TYPE, "action": "createOnly", "apiName": "car"},
     ("1017", "Object already exists: custom object type 'car'")),
    ({**NEW_TYPE, "apiName": "CAR"}, ("1017", "Object already exists: custom object type 'car'")),
    ({**NEW_TYPE, "displayName": "car"},
     ("709", "displayName 'car' is already used by custom object type 'car'")),
    ("not an object", ("1003", "Invalid data: the request body must be a JSON object")),
])
def test_sync_refusals(objects: ObjectApi, body: Any, expected: tuple[str, str]) -> None:
    make_car(objects, approve=False)
    before = result(objects.list())
    assert errors(objects.sync(body)) == [expected]
    assert result(objects.list()) == before


def test_an_update_may_leave_out_the_display_name_only_with_update_only(
        objects: ObjectApi) -> None:
    make_car(objects, approve=False)
    assert errors(objects.sync({"apiName": "car", "description": "x"})) == [
        ("701", "displayName cannot be blank")]
    result(objects.sync({"action": "updateOnly", "apiName": "car", "description": "x"}))
    assert only(objects.describe("car"))["description"] == "x"


def test_the_subscription_allows_ten_types(objects: ObjectApi) -> None:
    for number in range(10):
        result(objects.sync({"apiName": f"thing{number}", "displayName": f"Thing {number}"}))
    assert errors(objects.sync({"apiName": "thing10", "displayName": "Thing 10"})) == [
        ("709", "Max custom object type limit reached: the subscription allows 10")]
    result(objects.delete("thing0"))
    result(objects.sync({"apiName": "thing10", "displayName": "Thing 10"}))


LINK_TO_CAR = {"name": "carLink", "displayName": "Car", "dataType": "link",
               "relatedTo": {"name": "car", "field": "vin"}}


@pytest.mark.parametrize(("fields", "expected"), [
    ([], ("701", "input cannot be blank")),
    ([{"displayName": "X", "dataType": "string"}], ("701", "input[0].name cannot be blank")),
    ([{"name": "x", "displayName": "X"}], ("701", "input[0].dataType cannot be blank")),
    ([{"name": "x", "displayName": "X", "dataType": "url"}],
     ("1003", "Invalid value for input[0].dataType 'url': expected one of string, boolean, "
              "integer, float, link, email, currency, date, datetime, phone, text")),
    ([{"name": "x", "displayName": "X", "dataType": "link"}],
     ("701", "input[0].relatedTo cannot be blank")),
    ([{"name": "x", "displayName": "X", "dataType": "string",
       "relatedTo": {"name": "lead", "field": "id"}}],
     ("1003", "Invalid data: input[0].relatedTo is only for fields of dataType link, not "
              "string")),
    ([{"name": "x", "displayName": "X", "dataType": "link", "relatedTo": {"name": "lead"}}],
     ("701", "input[0].relatedTo.field cannot be blank")),
    ([{"name": "x", "displayName": "X", "dataType": "link",
       "relatedTo": {"name": "opportunity", "field": "id"}}],
     ("1003", "Invalid value for input[0].relatedTo.name 'opportunity': not a linkable object "
              "(lead, company or an approved custom object type)")),
    ([{"name": "x", "displayName": "X", "dataType": "link",
       "relatedTo": {"name": "lead", "field": "phone"}}],
     ("1003", "Invalid value for input[0].relatedTo.field 'phone': Lead offers email, id")),
    ([{"name": "x", "displayName": "X", "dataType": "string"},
      {"name": "X", "displayName": "Y", "dataType": "string"}],
     ("1017", "Object already exists: field 'X'")),
    ([{"name": "marketoGUID", "displayName": "X", "dataType": "string"}],
     ("1017", "Object already exists: field 'marketoGUID'")),
    ([{"name": "x", "displayName": "created at", "dataType": "string"}],
     ("709", "displayName 'created at' is already used by another field of this type")),
    ([LINK_TO_CAR],
     ("709", "Custom object type 'car' has a link field: a custom object cannot link to "
             "another custom object that has a link field")),
    ([{**LINK_TO_CAR, "relatedTo": {"name": "ship", "field": "id"}}],
     ("709", "Custom object type 'ship' cannot link to itself")),
    ([{"name": "a", "displayName": "A", "dataType": "link",
       "relatedTo": {"name": "lead", "field": "id"}},
      {"name": "b", "displayName": "B", "dataType": "link",
       "relatedTo": {"name": "company", "field": "id"}}],
     ("709", "Custom object type 'ship' may have one link field to Lead or Company and one to "
             "a custom object, this would make a, b")),
    ([{"name": f"k{i}", "displayName": f"K{i}", "dataType": "string", "isDedupeField": True}
      for i in range(4)],
     ("709", "Custom object type 'ship' may have at most 3 dedupe fields, this would make 4 "
             "(k0, k1, k2, k3)")),
    ([{"name": f"f{i}", "displayName": f"F{i}", "dataType": "string"} for i in range(51)],
     ("709", "Max field limit reached: custom object type 'ship' may hold 50 custom fields, "
             "this would make 51")),
])
def test_add_field_refusals_change_nothing(objects: ObjectApi, fields: list[dict[str, Any]],
                                           expected: tuple[str, str]) -> None:
    make_car(objects)
    result(objects.sync(NEW_TYPE))
    before = only(objects.describe("ship"))
    assert errors(objects.add_fields("ship", fields)) == [expected]
    assert only(objects.describe("ship")) == before


def test_links_match_names_without_case_and_need_an_approved_edge(objects: ObjectApi) -> None:
    result(objects.sync(COURSE))
    result(objects.add_fields("course", COURSE_FIELDS))
    result(objects.sync(NEW_TYPE))
    edge = {"name": "course", "displayName": "Course", "dataType": "link",
            "relatedTo": {"name": "COURSE", "field": "CourseId"}}
    assert errors(objects.add_fields("ship", [edge])) == [
        ("709", "Custom object type 'course' is not approved: approve it before linking to it")]
    result(objects.approve("course"))
    result(objects.add_fields("ship", [
        edge, {"name": "owner", "displayName": "Owner", "dataType": "link",
               "relatedTo": {"name": "Lead", "field": "Email Address"}}]))
    assert only(objects.describe("ship"))["relationships"] == [
        {"field": "course", "type": "child", "relatedTo": {"name": "course", "field": "courseID"}},
        {"field": "owner", "type": "child", "relatedTo": {"name": "Lead", "field": "email"}}]


def test_a_link_to_a_custom_object_points_at_its_guid_or_dedupe_fields(
        objects: ObjectApi, objects_with: Callable[..., ObjectApi]) -> None:
    by_name = {"name": "course", "displayName": "Course", "dataType": "link",
               "relatedTo": {"name": "course", "field": "courseName"}}
    for instance in (objects, lenient := objects_with("links-to-any-field")):
        result(instance.sync(COURSE))
        result(instance.add_fields("course", COURSE_FIELDS))
        result(instance.approve("course"))
        result(instance.sync(NEW_TYPE))
    assert errors(objects.add_fields("ship", [by_name])) == [
        ("1003", "Invalid value for input[0].relatedTo.field 'courseName': course offers "
                 "marketoGUID, courseID")]
    result(lenient.add_fields("ship", [by_name]))
    assert [f["name"] for f in result(lenient.linkable())[2]["fields"]] == [
        "marketoGUID", "courseID", "courseName"]
    assert errors(lenient.delete_fields("course", ["courseName"])) == [
        ("1022", "Object in use: field 'courseName' of custom object type 'course' is linked to "
                 "by ship.course; delete that link first")]


def test_approval_needs_a_dedupe_field_and_a_bridge_a_lead_link(
        objects: ObjectApi, objects_with: Callable[..., ObjectApi]) -> None:
    result(objects.sync(COURSE))
    assert errors(objects.approve("course")) == [
        ("709", "Custom object type 'course' cannot be approved: it needs at least one dedupe "
                "field (isDedupeField)")]
    result(objects.add_fields("course", COURSE_FIELDS))
    result(objects.approve("course"))
    result(objects.sync(ENROLLMENT))
    result(objects.add_fields("enrollment", [ENROLLMENT_FIELDS[1], ENROLLMENT_FIELDS[2]]))
    assert errors(objects.approve("enrollment")) == [
        ("709", "Custom object type 'enrollment' cannot be approved: it links to a custom "
                "object, so it is a bridge and also needs a link field to Lead or Company")]
    assert errors(objects.approve("nothing")) == [
        ("1013", "Object not found: custom object type 'nothing'")]
    # the other reading: a bridge needs no dedupe field; a one-to-many type still does
    lenient = objects_with("bridge-dedupe-optional")
    make_course_and_enrollment(lenient)
    result(lenient.sync({"apiName": "bridge", "displayName": "Bridge"}))
    result(lenient.add_fields("bridge", [ENROLLMENT_FIELDS[0], ENROLLMENT_FIELDS[1]]))
    result(lenient.approve("bridge"))
    result(lenient.sync({"apiName": "owned", "displayName": "Owned"}))
    result(lenient.add_fields("owned", [ENROLLMENT_FIELDS[0]]))
    assert errors(lenient.approve("owned"))[0][0] == "709"


@pytest.mark.parametrize(("call", "expected"), [
    (lambda o: o.sync({"apiName": "car", "displayName": "Automobile"}),
     ("709", "Custom object type 'car' is approved: its displayName cannot change from 'Car' "
             "to 'Automobile'")),
    (lambda o: o.add_fields("car", [{"name": "owner", "displayName": "Owner",
                                     "dataType": "link",
                                     "relatedTo": {"name": "company", "field": "id"}}]),
     ("709", "Custom object type 'car' may have one link field to Lead or Company and one to a "
             "custom object, this would make leadID, owner")),
    (lambda o: o.delete_fields("car", ["leadID"]),
     ("709", "Custom object type 'car' is approved: link fields can no longer be added, "
             "removed or changed")),
    (lambda o: o.add_fields("car", [{"name": "plate", "displayName": "Plate",
                                     "dataType": "string", "isDedupeField": True}]),
     ("709", "Custom object type 'car' is approved: dedupe fields can no longer be added, "
             "removed or changed")),
    (lambda o: o.update_field("car", "make", {"isDedupeField": True}),
     ("709", "Custom object type 'car' is approved: dedupe fields can no longer be added, "
             "removed or changed")),
    (lambda o: o.update_field("car", "make", {"name": "maker"}),
     ("709", "Field 'make' of approved custom object type 'car' cannot be renamed: delete it "
             "and add it again")),
    (lambda o: o.update_field("car", "year", {"dataType": "string"}),
     ("709", "Field 'year' of approved custom object type 'car' cannot change its dataType "
             "from integer to string; delete it and add it again")),
    (lambda o: o.update_field("car", "marketoGUID", {"displayName": "GUID"}),
     ("709", "Field 'marketoGUID' is a system field: it cannot be changed or deleted")),
    (lambda o: o.update_field("car", "colour", {"displayName": "Colour"}),
     ("1006", "Field 'colour' not found")),
    (lambda o: o.delete_fields("car", ["make", "colour"]), ("1006", "Field 'colour' not found")),
])
def test_what_approval_freezes(objects: ObjectApi, call: Callable[[ObjectApi], Any],
                               expected: tuple[str, str]) -> None:
    make_car(objects)
    assert errors(call(objects)) == [expected]
    assert only(objects.describe("car"))["state"] == "approved"


def test_an_approved_type_still_takes_descriptions_labels_and_plain_fields(
        objects: ObjectApi) -> None:
    make_car(objects)
    result(objects.sync({"apiName": "car", "displayName": "Car", "description": "Owned"}))
    result(objects.update_field("car", "make", {"displayName": "Maker", "description": "Brand"}))
    result(objects.update_field("car", "leadID", {"displayName": "Owner"}))
    result(objects.add_fields("car", [{"name": "color", "displayName": "Color",
                                       "dataType": "string"}]))
    result(objects.delete_fields("car", ["model"]))
    result(objects.approve("car"))
    car = only(objects.describe("car"))
    assert [(f["name"], f["displayName"]) for f in car["fields"][3:]] == [
        ("color", "Color"), ("leadID", "Owner"), ("make", "Maker"), ("vin", "VIN"),
        ("year", "Year")]


def test_a_draft_field_may_change_anything_before_approval(objects: ObjectApi) -> None:
    make_car(objects, approve=False)
    result(objects.update_field("car", "year", {"name": "modelYear", "dataType": "text",
                                                "displayName": "Model Year"}))
    result(objects.update_field("car", "vin", {"isDedupeField": False}))
    result(objects.update_field("car", "make", {"isDedupeField": True}))
    result(objects.update_field("car", "leadID", {"relatedTo": {"name": "lead",
                                                                "field": "email"}}))
    car = only(objects.describe("car"))
    assert car["dedupeFields"] == ["make"]
    assert car["relationships"][0]["relatedTo"] == {"name": "Lead", "field": "email"}
    assert custom("modelYear", "Model Year", "text") in car["fields"]
    assert errors(objects.update_field("car", "make", {"relatedTo": {"name": "lead",
                                                                      "field": "id"}})) == [
        ("1003", "Invalid data: make.relatedTo is only for fields of dataType link, not string")]
    assert errors(objects.update_field("car", "make", {"dataType": "link"})) == [
        ("701", "make.relatedTo cannot be blank")]


def test_twenty_fields_may_be_added_after_approval(
        objects: ObjectApi, objects_with: Callable[..., ObjectApi]) -> None:
    def fields(first: int, count: int) -> list[dict[str, Any]]:
        return [{"name": f"f{i}", "displayName": f"F{i}", "dataType": "string"}
                for i in range(first, first + count)]

    make_car(objects)
    assert errors(objects.add_fields("car", fields(0, 21))) == [
        ("709", "Custom object type 'car' is approved: at most 20 fields may be added after "
                "approval, this would make 21")]
    result(objects.add_fields("car", fields(0, 20)))
    result(objects.approve("car"))
    result(objects.add_fields("car", fields(20, 5)))  # per approval: 20 more allowed
    lifetime = objects_with("lifetime-field-additions")
    make_car(lifetime)
    result(lifetime.add_fields("car", fields(0, 20)))
    result(lifetime.approve("car"))
    assert errors(lifetime.add_fields("car", fields(20, 1))) == [
        ("709", "Custom object type 'car' is approved: at most 20 fields may be added after "
                "approval over the type's life, this would make 21")]


def test_the_system_fields_count_against_fifty_with_that_reading(
        objects_with: Callable[..., ObjectApi]) -> None:
    counting = objects_with("system-fields-count")
    result(counting.sync(NEW_TYPE))
    many = [{"name": f"f{i}", "displayName": f"F{i}", "dataType": "string"} for i in range(48)]
    assert errors(counting.add_fields("ship", many)) == [
        ("709", "Max field limit reached: custom object type 'ship' may hold 47 custom fields, "
                "this would make 48")]
    result(counting.add_fields("ship", many[:47]))


def test_string_links_only_refuses_a_lead_id(objects_with: Callable[..., ObjectApi]) -> None:
    strict = objects_with("string-links-only")
    result(strict.sync(CAR))
    assert errors(strict.add_fields("car", CAR_FIELDS)) == [
        ("709", "input[0].relatedTo.field 'id' of Lead is a integer field: link fields may only "
                "point at string fields")]
    result(strict.add_fields("car", [{**CAR_FIELDS[0], "relatedTo": {"name": "lead",
                                                                       "field": "email"}},
                                     *CAR_FIELDS[1:]]))
    assert result(strict.linkable()) == [{"name": "lead", "displayName": "Lead", "fields": [
        {"name": "Email Address", "displayName": "Email Address", "dataType": "email"}]}]


def test_dependent_assets_block_delete_and_the_fields_they_use(
        objects: ObjectApi, objects_with: Callable[..., ObjectApi]) -> None:
    make_car(objects)
    assert result(objects.dependents("car")) == []
    campaign = {"assetType": "Smart Campaign", "assetId": 3773,
                "assetName": "CarTest.HasCar (Smart List)", "usedFields": ["vin", "make"]}
    smart_list = {"assetType": "Smart List", "assetId": 12, "assetName": "Car owners"}
    assert objects.declare_asset("car", [campaign, smart_list]).status_code == 200
    bare = {key: campaign[key] for key in ("assetType", "assetId", "assetName")}
    assert result(objects.dependents("car")) == [bare, campaign, smart_list]
    assert errors(objects.delete("car")) == [
        ("1022", "Object in use: custom object type 'car' is used by Smart Campaign 3773, "
                 "Smart List 12; remove it from those assets first (see dependentAssets)")]
    assert errors(objects.delete_fields("car", ["model", "make"])) == [
        ("1022", "Object in use: field(s) make of custom object type 'car' are used by Smart "
                 "Campaign 3773 'CarTest.HasCar (Smart List)'; remove them from it first")]
    result(objects.delete_fields("car", ["model"]))
    assert objects.declare_asset("car", []).status_code == 200  # the assets are gone
    result(objects.delete("car"))
    lenient = objects_with("field-delete-ignores-usage")
    make_car(lenient)
    lenient.declare_asset("car", campaign)
    result(lenient.delete_fields("car", ["make"]))


@pytest.mark.parametrize(("api_name", "asset", "status", "error"), [
    ("boat", {}, 404, "no custom object type 'boat'"),
    ("course", {}, 409, "custom object type 'course' was never approved: no smart campaign or "
                        "list can use it yet"),
    ("car", {"assetType": "Smart Campaign", "assetId": "1", "assetName": "x"}, 400,
     "assetId must be a positive integer"),
    ("car", {"assetType": "", "assetId": 1, "assetName": "x"}, 400,
     "assetType must be a non-empty string, e.g. 'Smart Campaign'"),
    ("car", {"assetType": "Smart List", "assetId": 1, "assetName": "x", "usedFields": ["vim"]},
     400, "usedFields names no custom field of the approved version: vim"),
])
def test_a_wrong_asset_declaration_says_why(objects: ObjectApi, api_name: str, asset: Any,
                                            status: int, error: str) -> None:
    make_car(objects)
    result(objects.sync(COURSE))
    reply = objects.declare_asset(api_name, asset)
    assert (reply.status_code, reply.json()) == (status, {"error": error})


def test_without_custom_objects_every_schema_call_is_1026(
        objects_with: Callable[..., ObjectApi]) -> None:
    off = objects_with(enabled=False)
    for reply in (off.list(), off.sync(CAR), off.data_types(), off.linkable()):
        assert errors(reply) == [("1026", "Custom object not enabled")]


def test_introspection_counts_custom_object_types(objects: ObjectApi) -> None:
    make_car(objects)
    stats = httpx.get(f"{objects.api.running.url}/_emulator/stats").json()
    assert (stats["customObjectTypes"], stats["types"]) == (1, 0)
    state = httpx.get(f"{objects.api.running.url}/_emulator/state").json()
    assert [t["apiName"] for t in state["customObjects"]["types"]] == ["car"]


# -- state and the command ---------------------------------------------------------------------


def test_custom_object_types_survive_a_restart(api_factory: Callable[..., Api],
                                               tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    first = ObjectApi(api_factory(state_file=state))
    make_course_and_enrollment(first)
    result(first.update_field("course", "courseName", {"displayName": "Title"}))
    first.declare_asset("course", {"assetType": "Smart List", "assetId": 7,
                                   "assetName": "Courses", "usedFields": ["courseName"]})
    before = {state: result(first.describe("course", state))
              for state in ("approved", "draft")}
    first.api.running.server.stop()
    second = ObjectApi(api_factory(state_file=state))
    assert {state: result(second.describe("course", state))
            for state in ("approved", "draft")} == before
    assert [t["apiName"] for t in result(second.list())] == ["course", "enrollment"]
    assert result(second.dependents("course"))[0]["assetName"] == "Courses"
    assert errors(second.delete("course"))[0][0] == "1022"


def test_a_state_saved_before_custom_objects_still_loads(api_factory: Callable[..., Api],
                                                         tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"format": 1, "usage": ["2000-01-01", 0], "instance": {
        "catalog": {"nextId": 100001, "types": []}, "nextRecordId": 1}}))
    loaded = ObjectApi(api_factory(state_file=state))
    assert result(loaded.list()) == []
    make_car(loaded)
    assert "customObjects" in json.loads(state.read_text())["instance"]


def test_the_command_takes_the_custom_object_options(emulator_process: Any) -> None:
    running = emulator_process("--max-object-types", "1", "--object-reading",
                               "discard-deletes-new-types", "--object-reading",
                               "string-links-only")
    http = httpx.Client(base_url=running.url, timeout=10)
    access = http.get("/identity/oauth/token", params={
        "grant_type": "client_credentials", "client_id": "local-client",
        "client_secret": "local-secret"}).json()["access_token"]
    auth = {"Authorization": f"Bearer {access}"}

    def sync(body: dict[str, Any]) -> dict[str, Any]:
        return http.post(f"{SCHEMA}.json", json=body, headers=auth).json()  # type: ignore[no-any-return]

    assert sync(CAR)["success"] is True
    assert errors(sync(COURSE)) == [
        ("709", "Max custom object type limit reached: the subscription allows 1")]
    link = http.post(f"{SCHEMA}/car/addField.json", json={"input": CAR_FIELDS[:1]},
                     headers=auth).json()
    assert errors(link)[0][0] == "709"
    assert http.post(f"{SCHEMA}/car/discardDraft.json", headers=auth).json()["success"] is True
    assert http.get(f"{SCHEMA}.json", headers=auth).json()["result"] == []
    http.close()
    assert running.stop()[0] == 0
