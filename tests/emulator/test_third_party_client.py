"""A Marketo client that is not ours (marketorestpython, PyPI) completes a whole lifecycle of a
custom activity type and of a custom object type against `activities emulator` run as a
subprocess."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from marketorestpython.client import MarketoClient

ATT = "attendConference"


def test_marketorestpython_runs_a_whole_lifecycle(emulator_process: Any) -> None:
    running = emulator_process("--client-id", "mrp-id", "--client-secret", "mrp-secret")
    client = MarketoClient("000-EMU-000", client_id="mrp-id", client_secret="mrp-secret",
                           max_retry_time=10, requests_timeout=10)
    client.host = running.url  # the library builds https://{munchkin}.mktorest.com otherwise

    def call(method: str, **kwargs: Any) -> Any:
        return client.execute(method=method, **kwargs)

    [created] = call("create_custom_activity_type", apiName=ATT, name="Attend Conference",
                     triggerName="Attends Conference", filterName="Attended Conference",
                     primaryAttributeApiName="conferenceName",
                     primaryAttributeName="Conference Name", description="A conference")
    assert (created["id"], created["status"]) == (100001, "draft")
    # the token call went through too (expires_in counts down in whole seconds)
    assert client.token and 3590 <= client.expires_in <= 3600
    [with_attributes] = call("create_custom_activity_type_attribute", apiName=ATT, attributes=[
        {"apiName": "conferenceDate", "name": "Conference Date", "dataType": "datetime"},
        {"apiName": "room", "name": "Room", "dataType": "string"}])
    assert [a["apiName"] for a in with_attributes["attributes"]] == ["conferenceDate", "room"]
    assert call("approve_custom_activity_type", apiName=ATT)[0]["status"] == "approved"
    [live] = call("describe_custom_activity_type", apiName=ATT)
    assert call("describe_custom_activity_type", apiName=ATT, draft=True) == [live]
    [updated] = call("update_custom_activity_type", apiName=ATT, name="Attend Big Conference")
    assert updated["status"] == "approved with draft"
    [draft] = call("describe_custom_activity_type", apiName=ATT, draft=True)
    assert draft["name"] == "Attend Big Conference"
    assert call("describe_custom_activity_type", apiName=ATT)[0]["name"] == "Attend Conference"
    [discarded] = call("discard_custom_activity_type_draft", apiName=ATT)
    assert (discarded["status"], discarded["name"]) == ("approved", "Attend Conference")
    records = call("add_custom_activities", input=[
        {"leadId": 1, "activityDate": "2026-11-28T10:00:00+01:00", "activityTypeId": 100001,
         "primaryAttributeValue": "PyCon", "attributes": [
             {"apiName": "conferenceDate", "value": "2026-11-28T09:00:00+01:00"},
             {"name": "Room", "value": "A1"}]},
        {"leadId": 4242, "activityDate": "2026-11-28T10:00:00+01:00", "activityTypeId": 100001,
         "primaryAttributeValue": "PyCon", "attributes": []}])
    assert [r["status"] for r in records] == ["added", "skipped"]
    [trimmed] = call("delete_custom_activity_type_attribute", apiName=ATT,
                     attributes=[{"apiName": "room"}])
    assert (trimmed["status"], [a["apiName"] for a in trimmed["attributes"]]) == (
        "approved with draft", ["conferenceDate"])
    assert call("approve_custom_activity_type", apiName=ATT)[0]["status"] == "approved"
    assert ATT in [t.get("apiName") for t in call("get_activity_types")]
    assert call("delete_custom_activity_type", apiName=ATT)[0]["status"] == "deleted"
    assert call("get_custom_activity_types") == []

    stats = httpx.get(f"{running.url}/_emulator/stats").json()
    assert (stats["token_calls"], stats["total_calls"], stats["errors_by_code"]) == (1, 15, {})
    assert running.stop()[0] == 0


def test_marketorestpython_runs_a_whole_custom_object_lifecycle(emulator_process: Any) -> None:
    """PY implements 7 of the 12 schema endpoints; each is driven here, Adobe's car example."""
    running = emulator_process("--client-id", "mrp-id", "--client-secret", "mrp-secret")
    client = MarketoClient("000-EMU-000", client_id="mrp-id", client_secret="mrp-secret",
                           max_retry_time=10, requests_timeout=10)
    client.host = running.url

    def call(method: str, **kwargs: Any) -> Any:
        return client.execute(method=method, **kwargs)

    assert call("create_update_custom_object_type", apiName="car", displayName="Car",
                action="createOnly", pluralName="Cars", description="Automobile owned",
                showInLeadDetail=True) == []
    with pytest.raises(Exception) as exists:  # noqa: PT011 - the library raises a bare Exception
        call("create_update_custom_object_type", apiName="car", displayName="Car",
             action="createOnly")
    assert exists.value.args == (
        {"message": "Object already exists: custom object type 'car'", "code": "1017"},)
    [draft] = call("describe_custom_object_type", apiName="car")
    assert (draft["state"], draft["idField"], [f["name"] for f in draft["fields"]]) == (
        "draft", None, ["createdAt", "marketoGUID", "updatedAt"])
    assert call("add_field_custom_object_type", apiName="car", fields=[
        {"displayName": "Lead ID", "name": "leadID", "dataType": "link",
         "relatedTo": {"field": "id", "name": "lead"}},
        {"displayName": "VIN", "name": "vin", "dataType": "string", "isDedupeField": True},
        {"displayName": "Year", "name": "year", "dataType": "integer"}]) == []
    assert call("approve_custom_object_type", apiName="car") == []
    [live] = call("describe_custom_object_type", apiName="car")
    assert (live["state"], live["dedupeFields"], live["relationships"]) == (
        "approved", ["vin"], [{"field": "leadID", "type": "child",
                               "relatedTo": {"name": "Lead", "field": "id"}}])
    assert call("create_update_custom_object_type", apiName="car", displayName="Car",
                description="A car a lead owns") == []  # createOrUpdate: a draft
    [listed] = call("get_list_of_custom_object_types")
    assert (listed["state"], listed["version"], listed["description"]) == (
        "approvedWithDraft", "approved", "Automobile owned")
    assert call("discard_custom_object_type", apiName="car") == []
    assert call("describe_custom_object_type", apiName="car")[0]["state"] == "approved"
    assert call("delete_custom_object_type", apiName="car") == []
    assert call("get_list_of_custom_object_types") == []

    stats = httpx.get(f"{running.url}/_emulator/stats").json()
    assert (stats["token_calls"], stats["total_calls"], stats["errors_by_code"]) == (
        1, 12, {"1017": 1})
    assert running.stop()[0] == 0
