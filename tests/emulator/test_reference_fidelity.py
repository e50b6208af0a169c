"""Requests a third-party Marketo client may send that ours never does, answered as the reference
(custom-activities-api.md) says Marketo answers them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.rest import TYPE_BASE, Api, conference_body, errors, result

ATT = "attendConference"
TYPE_ID = 100001


def attribute(api_name: str, data_type: str = "string") -> dict[str, Any]:
    return {"apiName": api_name, "name": api_name.capitalize(), "dataType": data_type}


def record(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"leadId": 7, "activityDate": "2026-09-26T06:56:35+07:00",
                            "activityTypeId": TYPE_ID, "primaryAttributeValue": "PyCon",
                            "attributes": []}
    body.update(overrides)
    return body


def skipped(code: str, message: str) -> dict[str, Any]:
    reason = [{"code": code, "message": message}]
    return {"status": "skipped", "errors": reason, "reasons": reason}


@pytest.fixture
def live(api: Api) -> Api:
    result(api.create(conference_body()))
    result(api.attributes(ATT, "create", [attribute("notes", "text"), attribute("room")]))
    result(api.approve(ATT))
    return api


def test_method_get_appended_to_the_uri_serves_a_form_post_as_a_get(api: Api) -> None:
    # §1 (ERR): Marketo's example is POST <path>?_method=GET with the query as a form body.
    result(api.create(conference_body()))
    reply = api.http.post(f"{TYPE_BASE}/{ATT}/describe.json", params={"_method": "GET"},
                          data={"draft": "true"}, headers=api.auth).json()
    assert [(t["apiName"], t["status"]) for t in result(reply)] == [(ATT, "draft")]
    bare = api.http.post("/rest/v1/activities/external/types.json?_method=get",
                         headers=api.auth).json()
    assert [t["apiName"] for t in result(bare)] == [ATT]
    stats = api.http.get("/_emulator/stats").json()["calls_by_endpoint"]
    assert stats["GET /rest/v1/activities/external/type/{apiName}/describe.json"] == 1
    assert stats["GET /rest/v1/activities/external/types.json"] == 1


def test_a_record_without_attributes_is_skipped_as_missing_a_required_value(live: Api) -> None:
    # §2.9: every record requires `attributes` (ACT, and SPEC's CustomActivity.required).
    bare = record()
    del bare["attributes"]
    assert result(live.add([bare, record()])) == [
        skipped("1002", "Missing value for the required parameter 'attributes'"),
        {"id": 1, "marketoGUID": "1", "status": "added"}]


def test_the_1049_limit_counts_utf8_bytes_not_escaped_json(live: Api) -> None:
    # 12,000 "é" are 24,000 bytes as sent (UTF-8), but 72,000 once \u-escaped.
    accented = [{"apiName": "notes", "value": "é" * 12_000}]
    assert result(live.add([record(attributes=accented)])) == [
        {"id": 1, "marketoGUID": "1", "status": "added"}]
    over = [{"apiName": "notes", "value": "é" * 33_000}]  # 66,000 bytes: checked before the value
    assert result(live.add([record(attributes=over)])) == [
        skipped("1049", "Failed to Create Activity")]


@pytest.mark.parametrize("item", [{"value": "A1"}, {"apiName": "", "value": "A1"}])
def test_an_attribute_naming_no_field_is_a_missing_value(live: Api, item: dict[str, Any]) -> None:
    assert result(live.add([record(attributes=[item])])) == [
        skipped("1002", "Missing value for the required parameter 'apiName'")]


def test_a_type_with_20_secondaries_changes_its_primary_the_documented_way(api: Api) -> None:
    # §2.7 and §3: demote the primary (isPrimary:false), then promote another, in two calls.
    result(api.create(conference_body()))
    result(api.attributes(ATT, "create", [attribute(f"field{i}") for i in range(20)]))
    [demoted] = result(api.attributes(ATT, "update", [
        {"apiName": "conferenceName", "isPrimary": False}]))
    assert "primaryAttribute" not in demoted
    assert len(demoted["attributes"]) == 21
    # Without a primary, no 22nd attribute fits, whichever way it comes.
    assert errors(api.attributes(ATT, "create", [attribute("field20")])) == [
        ("1028", "Max field limit reached")]
    assert errors(api.update(ATT, {"primaryAttribute": attribute("newPrimary")})) == [
        ("1028", "Max field limit reached")]
    [promoted] = result(api.attributes(ATT, "update", [{"apiName": "field0", "isPrimary": True}]))
    assert promoted["primaryAttribute"]["apiName"] == "field0"
    assert len(promoted["attributes"]) == 20
    assert result(api.approve(ATT))[0]["status"] == "approved"


@pytest.mark.parametrize(("body", "message"), [
    (b'{"apiName": NaN}', "Invalid JSON: NaN is not a JSON value"),
    (b'{"apiName": -Infinity}', "Invalid JSON: -Infinity is not a JSON value"),
    (b"[" * 100_000 + b"]" * 100_000, "Invalid JSON: nested too deeply"),
])
def test_bodies_that_are_not_json_are_609_not_a_retryable_system_error(
    api: Api, body: bytes, message: str
) -> None:
    reply = api.http.post(f"{TYPE_BASE}.json", content=body,
                          headers={**api.auth, "Content-Type": "application/json"}).json()
    assert errors(reply) == [("609", message)]


def test_the_body_of_a_get_is_ignored(api: Api) -> None:
    reply = api.http.request("GET", "/rest/v1/activities/external/types.json", content=b"x=1",
                             headers={**api.auth, "Content-Type": "text/plain"}).json()
    assert result(reply) == []


def test_attribute_create_requires_a_data_type(api: Api) -> None:
    # §2.7 (ACT): apiName, name and dataType are required; only create type's primary defaults.
    [created] = result(api.create(conference_body()))
    assert created["primaryAttribute"]["dataType"] == "string"
    assert errors(api.attributes(ATT, "create", [attribute("room"), {"apiName": "day",
                                                                     "name": "Day"}])) == [
        ("701", "attributes[1].dataType cannot be blank")]
    assert "attributes" not in result(api.describe(ATT, draft=True))[0]
