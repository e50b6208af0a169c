"""Reading records back: paging tokens, Get Lead Activities, and the records introspection."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.emulator.rest import Api, conference_body, errors, result

ATT = "attendConference"
TYPE_ID = 100001
TOKEN = "/rest/v1/activities/pagingtoken.json"
ACTIVITIES = "/rest/v1/activities.json"


def record(lead: int, primary: str, **attributes: Any) -> dict[str, Any]:
    return {"leadId": lead, "activityDate": "2026-09-26T06:56:35+07:00",
            "activityTypeId": TYPE_ID, "primaryAttributeValue": primary,
            "attributes": [{"apiName": k, "value": v} for k, v in attributes.items()]}


@pytest.fixture
def live(api: Api) -> Api:
    return installed(api)


def installed(api: Api) -> Api:
    result(api.create(conference_body()))
    result(api.attributes(ATT, "create", [
        {"apiName": "minutes", "name": "Minutes Watched", "dataType": "integer"},
        {"apiName": "room", "name": "Room", "dataType": "string"}]))
    result(api.approve(ATT))
    return api


def token(api: Api, since: str = "2020-01-01T00:00:00Z") -> str:
    reply = api.get(TOKEN, sinceDatetime=since)
    assert reply["success"] is True and "result" not in reply, reply
    return str(reply["nextPageToken"])


@pytest.mark.parametrize(("as_text", "minutes"), [(True, "42"), (False, 42)])
def test_a_record_reads_back_by_display_name_in_utc(
    api_factory: Any, as_text: bool, minutes: Any
) -> None:
    live = installed(api_factory(string_values=as_text))
    result(live.add([record(7, "PyCon", minutes=42, room="")]))
    reply = live.get(ACTIVITIES, nextPageToken=token(live), activityTypeIds=str(TYPE_ID))
    assert reply["moreResult"] is False
    assert result(reply) == [{
        "id": 1, "marketoGUID": "1", "leadId": 7, "activityDate": "2026-09-25T23:56:35Z",
        "activityTypeId": TYPE_ID, "primaryAttributeValue": "PyCon",
        "attributes": [{"name": "Minutes Watched", "value": minutes}]}]


def test_pages_follow_the_token_until_no_more_result(live: Api) -> None:
    result(live.add([record(lead, f"p{lead}") for lead in range(1, 8)]))
    seen: list[int] = []
    position, pages = token(live), 0
    while True:
        reply = live.get(ACTIVITIES, nextPageToken=position, activityTypeIds=str(TYPE_ID),
                         batchSize="3")
        seen += [item["leadId"] for item in result(reply)]
        position, pages = reply["nextPageToken"], pages + 1
        if not reply["moreResult"]:
            break
    assert (seen, pages) == (list(range(1, 8)), 3)
    # The last token waits for records stored later.
    result(live.add([record(9, "later")]))
    reply = live.get(ACTIVITIES, nextPageToken=position, activityTypeIds=str(TYPE_ID))
    assert [item["leadId"] for item in result(reply)] == [9]


def test_lead_ids_filter_and_a_token_since_now_skips_older_records(live: Api) -> None:
    result(live.add([record(1, "a"), record(2, "b"), record(1, "c")]))
    reply = live.get(ACTIVITIES, nextPageToken=token(live), activityTypeIds=str(TYPE_ID),
                     leadIds="1,3")
    assert [item["primaryAttributeValue"] for item in result(reply)] == ["a", "c"]
    reply = live.get(ACTIVITIES, nextPageToken=token(live, "2999-01-01T00:00:00Z"),
                     activityTypeIds=str(TYPE_ID))
    assert result(reply) == [] and reply["moreResult"] is False


@pytest.mark.parametrize(("params", "expected"), [
    ({"nextPageToken": ""}, ("701", "nextPageToken cannot be blank")),
    ({"nextPageToken": "GARBAGE", "activityTypeIds": "100001"},
     ("1003", "Invalid data: nextPageToken 'GARBAGE' is not a paging token")),
    ({"leadIds": ",".join(map(str, range(1, 32)))},
     ("1003", "Invalid data: leadIds holds 31 ids; at most 30")),
    ({"activityTypeIds": ",".join(map(str, range(1, 12)))},
     ("1003", "Invalid data: activityTypeIds holds 11 ids; at most 10")),
    ({"activityTypeIds": ""}, ("701", "activityTypeIds cannot be blank")),
    ({"batchSize": "301"}, ("1003", "Invalid data: batchSize '301' must be 1 to 300")),
])
def test_reading_limits(live: Api, params: dict[str, str], expected: tuple[str, str]) -> None:
    query = {"nextPageToken": token(live), "activityTypeIds": str(TYPE_ID), **params}
    assert errors(live.get(ACTIVITIES, **query)) == [expected]


def test_paging_token_needs_a_valid_since(live: Api) -> None:
    assert errors(live.get(TOKEN)) == [("701", "sinceDatetime cannot be blank")]
    assert errors(live.get(TOKEN, sinceDatetime="last week")) == [("704", "Invalid date format")]


def test_introspection_lists_every_stored_record(live: Api) -> None:
    result(live.add([record(7, "PyCon", minutes=3), record(99999, "skipped")]))
    reply = httpx.get(f"{live.running.url}/_emulator/records", params={"type": ATT})
    assert reply.json() == {"records": [{
        "id": 1, "leadId": 7, "activityDate": "2026-09-26T06:56:35+07:00",
        "primaryAttributeValue": "PyCon", "attributes": {"minutes": 3}}]}
    missing = httpx.get(f"{live.running.url}/_emulator/records", params={"type": "nope"})
    assert missing.status_code == 404


@pytest.mark.parametrize(("when", "added"), [
    ("2026-09-26T06:56:35+07:00", True), ("2026-09-26T06:56:35.250Z", True),
    ("2026-09-26T06:56:35", False), ("2026-09-26", False), ("2026-09-26T06:56+07:00", False)])
def test_a_strict_activity_date_needs_seconds_and_an_offset(
    api_factory: Any, when: str, added: bool
) -> None:
    strict = api_factory(strict_values=True)
    result(strict.create(conference_body()))
    result(strict.approve(ATT))
    [answer] = result(strict.add([{**record(7, "x"), "activityDate": when}]))
    if added:
        assert answer["status"] == "added"
    else:
        assert answer["reasons"] == [
            {"code": "1001", "message": f"Invalid value '{when}'. Required of type 'datetime'"}]
