"""Endpoint 12: at most 300 records a call, only for approved types, each added or skipped."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.rest import Api, conference_body, errors, result

ATT = "attendConference"
TYPE_ID = 100001


def record(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"leadId": 7, "activityDate": "2026-09-26T06:56:35+07:00",
                            "activityTypeId": TYPE_ID, "primaryAttributeValue": "PyCon",
                            "attributes": []}
    body.update(overrides)
    return body


def skipped(code: str, message: str) -> dict[str, Any]:
    reason = [{"code": code, "message": message}]
    return {"status": "skipped", "errors": reason, "reasons": reason}


# 12:00 US Central on 2026-01-02: a test cannot straddle the quota day's midnight.
CENTRAL_NOON = 1767376800.0


@pytest.fixture
def live(api_factory: Any) -> Api:
    api: Api = api_factory(wall=lambda: CENTRAL_NOON)
    result(api.create(conference_body()))
    result(api.attributes(ATT, "create", [
        {"apiName": "minutes", "name": "Minutes Watched", "dataType": "integer"},
        {"apiName": "day", "name": "Day", "dataType": "date"},
        {"apiName": "contact", "name": "Contact", "dataType": "email"},
    ]))
    result(api.approve(ATT))
    return api


def test_records_are_added_or_skipped_in_input_order(live: Api) -> None:
    reply = live.add([
        record(attributes=[{"apiName": "minutes", "value": 42}]),
        record(leadId=5000),
        record(attributes=[{"name": "Minutes Watched", "value": "17"}, {"apiName": "day",
                                                                          "value": "2026-01-31"}]),
    ])
    assert result(reply) == [
        {"id": 1, "marketoGUID": "1", "status": "added"},
        skipped("1004", "Lead not found"),
        {"id": 2, "marketoGUID": "2", "status": "added"},
    ]


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"leadId": 0}, ("1004", "Lead not found")),
    ({"leadId": "7"}, ("1004", "Lead not found")),
    ({"activityTypeId": 424242}, ("1013", "Object not found: activity type 424242 is not an "
                                          "approved custom activity type")),
    ({"activityDate": "yesterday"}, ("1001", "Invalid value 'yesterday'. Required of type "
                                             "'datetime'")),
    ({"primaryAttributeValue": None}, ("1002", "Missing value for the required parameter "
                                               "'primaryAttributeValue'")),
    ({"attributes": [{"apiName": "nope", "value": 1}]}, ("1006", "Field 'nope' not found")),
    ({"attributes": [{"apiName": "Minutes Watched", "value": 1}]},
     ("1006", "Field 'Minutes Watched' not found")),
    ({"attributes": [{"name": "minutes", "value": 1}]}, ("1006", "Field 'minutes' not found")),
    ({"attributes": [{"apiName": "minutes", "value": "many"}]},
     ("1001", "Invalid value 'many'. Required of type 'integer'")),
    ({"attributes": [{"apiName": "minutes", "value": True}]},
     ("1001", "Invalid value 'true'. Required of type 'integer'")),
    ({"attributes": [{"apiName": "day", "value": "2026-13-01"}]},
     ("1001", "Invalid value '2026-13-01'. Required of type 'date'")),
    ({"attributes": [{"apiName": "contact", "value": "not-an-email"}]},
     ("1001", "Invalid value 'not-an-email'. Required of type 'email'")),
    ({"primaryAttributeValue": "x" * 256},
     ("1001", f"Invalid value '{'x' * 256}'. Required of type 'string'")),
])
def test_each_bad_record_is_skipped_with_its_reason(
    live: Api, overrides: dict[str, Any], expected: tuple[str, str]
) -> None:
    assert result(live.add([record(**overrides)])) == [skipped(*expected)]


def test_an_attribute_array_over_64_kib_is_1049(live: Api) -> None:
    big = [{"apiName": "minutes", "value": 1}] * 3000
    assert result(live.add([record(attributes=big)])) == [
        skipped("1049", "Failed to Create Activity")]


def test_records_of_an_unapproved_type_are_all_skipped(api: Api) -> None:
    result(api.create(conference_body()))
    reply = api.add([record(), record()])
    message = "Object not found: activity type 100001 is not an approved custom activity type"
    assert result(reply) == [skipped("1013", message)] * 2


def test_records_go_to_the_approved_version_while_a_draft_exists(live: Api) -> None:
    result(live.attributes(ATT, "create", [{"apiName": "extra", "name": "Extra",
                                            "dataType": "string"}]))
    assert result(live.add([record(attributes=[{"apiName": "extra", "value": "x"}])])) == [
        skipped("1006", "Field 'extra' not found")]


def test_300_records_pass_and_301_are_refused(live: Api) -> None:
    assert len(result(live.add([record()] * 300))) == 300
    assert errors(live.add([record()] * 301)) == [
        ("1003", "Invalid data: input holds 301 records; at most 300 a call")]


@pytest.mark.parametrize("body", [{}, {"input": []}, {"input": None}])
def test_no_input_is_701(live: Api, body: dict[str, Any]) -> None:
    assert errors(live.post("/rest/v1/activities/external.json", body)) == [
        ("701", "input cannot be blank")]


def test_leads_are_configurable(api_factory: Any) -> None:
    api = api_factory(leads=3)
    result(api.create(conference_body()))
    result(api.approve(ATT))
    statuses = [r["status"] for r in result(api.add([record(leadId=i) for i in (1, 3, 4)]))]
    assert statuses == ["added", "added", "skipped"]


def test_activity_types_lists_standard_and_approved_custom_types(live: Api) -> None:
    result(live.create(conference_body("draftOnly")))
    types = result(live.activity_types())
    assert [t["id"] for t in types] == [1, 2, 3, 6, 12, TYPE_ID]
    assert types[0]["name"] == "Visit Webpage"
    assert types[-1] == {
        "id": TYPE_ID, "apiName": ATT, "name": "Attend Conference",
        "description": "Attend the conference",
        "primaryAttribute": {"apiName": "conferenceName", "name": "Conference Name",
                             "dataType": "string"},
        "attributes": [
            {"apiName": "minutes", "name": "Minutes Watched", "dataType": "integer"},
            {"apiName": "day", "name": "Day", "dataType": "date"},
            {"apiName": "contact", "name": "Contact", "dataType": "email"}],
    }


def test_usage_reports_the_days_calls(live: Api) -> None:
    [usage] = result(live.get("/rest/v1/stats/usage.json"))
    # create, attributes, approve, then this call
    assert (usage["total"], usage["users"]) == (4, [{"userId": "apis@emulator.local",
                                                      "count": 4}])
    assert usage["date"] == "2026-01-02T00:00:00-06:00"
