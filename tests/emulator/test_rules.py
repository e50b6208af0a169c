"""The limits of §4 and the documented answer to each conflict of §7 (BEHAVIOUR.md)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.rest import Api, conference_body, errors, result

ATT = "attendConference"


def attribute(api_name: str, data_type: str = "string", **extra: Any) -> dict[str, Any]:
    return {"apiName": api_name, "name": api_name.capitalize(), "dataType": data_type, **extra}


def approved(api: Api, api_name: str = ATT, *attributes: dict[str, Any]) -> None:
    result(api.create(conference_body(api_name)))
    if attributes:
        result(api.attributes(api_name, "create", list(attributes)))
    result(api.approve(api_name))


def test_create_an_existing_api_name_is_1017(api: Api) -> None:
    result(api.create(conference_body()))
    assert errors(api.create(conference_body())) == [
        ("1017", "Object already exists: activity type 'attendConference'")]


@pytest.mark.parametrize("field", ["triggerName", "filterName"])
def test_a_trigger_or_filter_name_used_elsewhere_is_709(api: Api, field: str) -> None:
    result(api.create(conference_body("first")))
    taken = conference_body("first")[field]
    assert errors(api.create(conference_body("second", **{field: taken}))) == [
        ("709", f"{field} '{taken}' is already used by activity type 'first'")]
    result(api.create(conference_body("second")))
    assert errors(api.update("second", {field: taken})) == [
        ("709", f"{field} '{taken}' is already used by activity type 'first'")]


def test_the_type_past_max_types_is_1027(api_factory: Any) -> None:
    api = api_factory(max_types=2)
    result(api.create(conference_body("one")))
    result(api.create(conference_body("two")))
    assert errors(api.create(conference_body("three"))) == [
        ("1027", "Max Activity Type Limit Reached")]
    assert len(result(api.list_types())) == 2


def test_the_21st_secondary_attribute_is_1028(api: Api) -> None:
    result(api.create(conference_body()))
    result(api.attributes(ATT, "create", [attribute(f"field{i}") for i in range(20)]))
    assert errors(api.attributes(ATT, "create", [attribute("field20")])) == [
        ("1028", "Max field limit reached")]
    assert len(result(api.describe(ATT, draft=True))[0]["attributes"]) == 20


@pytest.mark.parametrize("call", ["describe", "update", "approve", "discard", "delete",
                                  "create_attributes"])
def test_an_unknown_type_is_702(api: Api, call: str) -> None:
    calls = {
        "describe": lambda: api.describe("nope"),
        "update": lambda: api.update("nope", {"name": "Nope"}),
        "approve": lambda: api.approve("nope"),
        "discard": lambda: api.discard("nope"),
        "delete": lambda: api.delete("nope"),
        "create_attributes": lambda: api.attributes("nope", "create", [attribute("a")]),
    }
    assert errors(calls[call]()) == [("702", "No data found for a given search scenario")]


def test_approve_without_a_draft_is_709(api: Api) -> None:
    approved(api)
    assert errors(api.approve(ATT)) == [
        ("709", "Activity type 'attendConference' has no draft to approve")]


def test_delete_of_a_type_in_use_is_1022(api: Api) -> None:
    approved(api)
    api.running.mark_in_use(ATT)
    assert errors(api.delete(ATT)) == [(
        "1022", "Object in use: activity type 'attendConference' is used by a smart list trigger "
                "or filter; remove it from those assets first")]
    assert result(api.describe(ATT))[0]["status"] == "approved"


@pytest.mark.parametrize("action", ["update", "delete"])
def test_a_missing_attribute_is_1006(api: Api, action: str) -> None:
    result(api.create(conference_body()))
    assert errors(api.attributes(ATT, action, [attribute("ghost")])) == [
        ("1006", "Field 'ghost' not found")]


def test_creating_an_existing_attribute_is_1017(api: Api) -> None:
    result(api.create(conference_body()))
    assert errors(api.attributes(ATT, "create", [attribute("conferenceName")])) == [
        ("1017", "Object already exists: attribute 'conferenceName'")]


def test_an_invalid_data_type_is_1003(api: Api) -> None:
    result(api.create(conference_body()))
    assert errors(api.attributes(ATT, "create", [attribute("size", "bigint")])) == [(
        "1003", "Invalid value for attributes[0].dataType 'bigint': expected one of boolean, "
                "currency, date, datetime, email, float, integer, link, phone, string, text")]


@pytest.mark.parametrize("missing", ["apiName", "name", "triggerName", "filterName",
                                     "primaryAttribute"])
def test_a_missing_required_field_is_701(api: Api, missing: str) -> None:
    body = conference_body()
    del body[missing]
    assert errors(api.create(body)) == [("701", f"{missing} cannot be blank")]


@pytest.mark.parametrize(("api_name", "ok"), [
    ("attend2Conference", True), ("2024", False), ("attend_conference", False),
    ("a" * 255, True), ("a" * 256, False), ("attend conference", False)])
def test_type_api_names_are_alphanumeric_with_a_letter(api: Api, api_name: str, ok: bool) -> None:
    reply = api.create(conference_body(api_name, triggerName="T", filterName="F"))
    assert reply["success"] is ok
    if not ok:
        assert reply["errors"][0]["code"] == "1003"


def test_describe_of_a_never_approved_type_returns_the_draft(api: Api) -> None:
    result(api.create(conference_body()))
    [described] = result(api.describe(ATT))
    assert described["status"] == "draft"


def test_describe_draft_without_a_draft_returns_the_approved_version(api: Api) -> None:
    approved(api)
    assert result(api.describe(ATT, draft=True)) == result(api.describe(ATT))


def test_discarding_a_never_approved_draft_is_709(api: Api) -> None:
    result(api.create(conference_body()))
    assert errors(api.discard(ATT)) == [(
        "709", "Activity type 'attendConference' has never been approved: its draft cannot be "
               "discarded; delete the type instead")]


def test_the_list_includes_draft_only_types_without_attributes(api: Api) -> None:
    result(api.create(conference_body()))
    [listed] = result(api.list_types())
    assert listed["status"] == "draft"
    assert "primaryAttribute" not in listed and "attributes" not in listed


def test_changing_the_primary_of_an_approved_type_is_709(api: Api) -> None:
    approved(api, ATT, attribute("room"))
    message = ("709", "Activity type 'attendConference' has been approved: its primary attribute "
                      "can no longer be changed")
    assert errors(api.attributes(ATT, "update", [
        {"apiName": "conferenceName", "isPrimary": False}])) == [message]
    assert errors(api.update(ATT, {"primaryAttribute": {"apiName": "room", "name": "Room"}})) == [
        ("709", "Activity type 'attendConference' has been approved: its primary attribute's "
                "apiName and dataType can no longer be changed")]
    # Its name and description may still change.
    [draft] = result(api.attributes(ATT, "update", [
        {"apiName": "conferenceName", "name": "Conference Title"}]))
    assert draft["primaryAttribute"]["name"] == "Conference Title"


def test_the_primary_of_a_never_approved_type_moves_by_demote_then_promote(api: Api) -> None:
    result(api.create(conference_body()))
    result(api.attributes(ATT, "create", [attribute("room")]))
    assert errors(api.attributes(ATT, "update", [{"apiName": "room", "isPrimary": True}])) == [
        ("709", "There may only be one primary attribute (conferenceName, room): first update "
                "the current primary with isPrimary:false")]
    result(api.attributes(ATT, "update", [{"apiName": "conferenceName", "isPrimary": False}]))
    [draft] = result(api.attributes(ATT, "update", [{"apiName": "room", "isPrimary": True}]))
    assert draft["primaryAttribute"]["apiName"] == "room"
    assert [a["apiName"] for a in draft["attributes"]] == ["conferenceName"]


def test_approve_without_a_primary_is_709(api: Api) -> None:
    result(api.create(conference_body()))
    result(api.attributes(ATT, "update", [{"apiName": "conferenceName", "isPrimary": False}]))
    assert errors(api.approve(ATT)) == [
        ("709", "Activity type 'attendConference' has no primary attribute: set one first")]


def test_changing_a_data_type_of_an_approved_type_is_709(api: Api) -> None:
    approved(api, ATT, attribute("room"))
    assert errors(api.attributes(ATT, "update", [{"apiName": "room", "dataType": "integer"}])) == [
        ("709", "Attribute 'room' of approved activity type 'attendConference' cannot change its "
                "dataType from string to integer; delete it and create it again")]


def test_a_draft_type_may_change_a_data_type(api: Api) -> None:
    result(api.create(conference_body()))
    result(api.attributes(ATT, "create", [attribute("room")]))
    [draft] = result(api.attributes(ATT, "update", [{"apiName": "room", "dataType": "integer"}]))
    assert draft["attributes"][0]["dataType"] == "integer"


def test_deleting_the_primary_attribute_is_709(api: Api) -> None:
    result(api.create(conference_body()))
    assert errors(api.attributes(ATT, "delete", [{"apiName": "conferenceName"}])) == [
        ("709", "Attribute 'conferenceName' is the primary attribute and cannot be deleted")]


def test_deleting_every_attribute_leaves_the_key_out(api: Api) -> None:
    result(api.create(conference_body()))
    result(api.attributes(ATT, "create", [attribute("room")]))
    [draft] = result(api.attributes(ATT, "delete", [{"apiName": "room"}]))
    assert "attributes" not in draft


FROZEN = ("Activity type 'attendConference' is approved and in use: its name, description, "
          "triggerName, filterName and primary attribute can no longer be changed")


@pytest.mark.parametrize(("change", "what"), [
    ({"name": "Go To Conference"}, "name"),
    # Repro 9 of issue 9: ACT lists Description among the fields frozen once in use.
    ({"description": "Another description"}, "description"),
    ({"triggerName": "Goes To Conference"}, "triggerName"),
    ({"filterName": "Went To Conference"}, "filterName"),
    ({"primaryAttribute": {"name": "Conference Title"}}, "primaryAttribute"),
])
def test_an_in_use_approved_type_keeps_its_frozen_fields(
    api: Api, change: dict[str, Any], what: str
) -> None:
    approved(api)
    api.running.mark_in_use(ATT)
    assert errors(api.update(ATT, change)) == [("709", f"{FROZEN} ({what} would change)")]
    assert result(api.describe(ATT))[0]["status"] == "approved"


def test_an_in_use_approved_type_keeps_its_primary_attribute(api: Api) -> None:
    approved(api, ATT, attribute("room"))
    api.running.mark_in_use(ATT)
    assert errors(api.attributes(ATT, "update", [
        {"apiName": "conferenceName", "description": "The conference's name"}])) == [
        ("709", f"{FROZEN} (primaryAttribute would change)")]
    # Secondary attributes stay editable (ACT: they "may be edited while ... in use").
    [draft] = result(api.attributes(ATT, "update", [{"apiName": "room", "name": "Room (EU)"}]))
    assert draft["status"] == "approved with draft"


def test_the_frozen_fields_change_while_the_type_is_not_in_use(api: Api) -> None:
    approved(api)
    [draft] = result(api.update(ATT, {"description": "Another description", "name": "Go"}))
    assert (draft["description"], draft["name"]) == ("Another description", "Go")


def test_a_refused_attribute_call_changes_nothing(api: Api) -> None:
    result(api.create(conference_body()))
    before = result(api.describe(ATT, draft=True))
    assert errors(api.attributes(ATT, "create", [attribute("fine"), attribute("bad", "nope")]))
    assert result(api.describe(ATT, draft=True)) == before


def test_a_deleted_api_name_can_be_reused_with_a_new_id(api: Api) -> None:
    approved(api)
    result(api.delete(ATT))
    [again] = result(api.create(conference_body()))
    assert (again["id"], again["status"]) == (100002, "draft")


def test_a_partial_primary_attribute_update_keeps_the_other_fields(api: Api) -> None:
    approved(api)
    [draft] = result(api.update(ATT, {"primaryAttribute": {"name": "Conference Title"}}))
    assert draft["primaryAttribute"] == {
        "apiName": "conferenceName", "name": "Conference Title",
        "description": "Name of the conference", "dataType": "string"}


def test_one_types_trigger_name_may_not_be_anothers_filter_name(api: Api) -> None:
    # Repro 1 of issue 9: trigger and filter names are one namespace across types.
    result(api.create(conference_body("first")))
    assert errors(api.create(conference_body("second", triggerName="attended  FIRST"))) == [
        ("709", "triggerName 'attended  FIRST' is already used by activity type 'first'")]
    assert errors(api.create(conference_body("second", filterName="Attends first"))) == [
        ("709", "filterName 'Attends first' is already used by activity type 'first'")]


def test_a_types_own_trigger_and_filter_names_may_be_equal(api: Api) -> None:
    body = conference_body(triggerName="Conference", filterName="Conference")
    [created] = result(api.create(body))
    assert created["triggerName"] == created["filterName"] == "Conference"


@pytest.mark.parametrize(("field", "value", "ok"), [
    # Repro 3 of issue 9: ACT's character rule is for the type's display name.
    ("name", "Buy Car (new!)", False),
    ("name", "Café Visit", False),
    ("name", "2024", False),
    ("name", "Buy_Car 2", True),
    ("triggerName", "Attends Webinar – Acme (EU)", True),
    ("filterName", "Attended: Webinar?!", True),
    # Repro 2 of issue 9: names over 255 characters, descriptions over 2,000.
    ("name", "B" * 255, True),
    ("name", "B" * 256, False),
    ("triggerName", "T" * 256, False),
    ("filterName", "F" * 256, False),
    ("description", "d" * 2000, True),
    ("description", "d" * 2001, False),
])
def test_characters_and_lengths_of_type_fields(api: Api, field: str, value: str, ok: bool) -> None:
    reply = api.create(conference_body(**{field: value}))
    assert reply["success"] is ok, reply
    if not ok:
        assert reply["errors"][0]["code"] == "1003"


@pytest.mark.parametrize(("name", "description", "ok"), [
    ("Price (USD, incl. tax) – net", None, True),
    ("Modèle n°1", None, True),
    ("P" * 255, "d" * 2000, True),
    ("P" * 256, None, False),
    ("Price", "d" * 2001, False),
])
def test_attribute_names_are_free_text_of_at_most_255(
    api: Api, name: str, description: str | None, ok: bool
) -> None:
    result(api.create(conference_body()))
    item: dict[str, Any] = {"apiName": "price", "name": name, "dataType": "currency"}
    if description is not None:
        item["description"] = description
    reply = api.attributes(ATT, "create", [item])
    assert reply["success"] is ok, reply
    primary = {"apiName": "conferenceName", "name": name, "description": description}
    assert api.create(conference_body("other", primaryAttribute=primary))["success"] is ok
