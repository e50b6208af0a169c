"""The type lifecycle of §3 over HTTP: draft, approved, approved with draft, discard, delete."""

from __future__ import annotations

from typing import Any

from tests.emulator.rest import Api, conference_body, errors, result

DATE = {"apiName": "conferenceDate", "name": "Conference Date", "dataType": "datetime"}


def _strip(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in ("createdAt", "updatedAt")}


def test_create_returns_a_draft_with_id_and_string_primary(api: Api) -> None:
    [created] = result(api.create(conference_body()))
    assert _strip(created) == {
        "id": 100001, "apiName": "attendConference", "name": "Attend Conference",
        "description": "Attend the conference", "triggerName": "Attends attendConference",
        "filterName": "Attended attendConference", "status": "draft",
        "primaryAttribute": {"apiName": "conferenceName", "name": "Conference Name",
                             "description": "Name of the conference", "dataType": "string"},
    }


def test_whole_lifecycle(api: Api) -> None:
    result(api.create(conference_body()))
    [draft] = result(api.attributes("attendConference", "create", [DATE]))
    assert draft["attributes"] == [DATE]
    assert result(api.approve("attendConference"))[0]["status"] == "approved"
    [changed] = result(api.update("attendConference", {"name": "Attend Big Conference"}))
    assert (changed["status"], changed["name"]) == ("approved with draft", "Attend Big Conference")
    assert result(api.describe("attendConference"))[0]["name"] == "Attend Conference"
    [draft] = result(api.describe("attendConference", draft=True))
    assert draft["name"] == "Attend Big Conference"
    [listed] = result(api.list_types())
    assert (listed["status"], listed["name"]) == ("approved with draft", "Attend Conference")
    [back] = result(api.discard("attendConference"))
    assert (back["status"], back["name"]) == ("approved", "Attend Conference")
    [deleted] = result(api.delete("attendConference"))
    assert deleted["status"] == "deleted"
    assert result(api.list_types()) == []
    assert errors(api.describe("attendConference")) == [
        ("702", "No data found for a given search scenario")]
