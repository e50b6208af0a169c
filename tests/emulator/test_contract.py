"""Every success and error body of every endpoint validates against Adobe's Swagger definitions.

The schema for each endpoint is looked up in swagger-mapi.json by its path and method (so the
emulator's paths are checked too); the token body against swagger-identity.json.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema

from framework.emulator.routes import ROUTES, match
from tests.emulator.rest import Api, conference_body

SPECS = Path(__file__).parent / "specs"
MAPI = json.loads((SPECS / "swagger-mapi.json").read_text())
IDENTITY = json.loads((SPECS / "swagger-identity.json").read_text())
RECORDS = "/rest/v1/activities/external.json"
# custom object types have their own contract test (test_custom_object_contract.py)
ACTIVITY_ROUTES = [r for r in ROUTES if not r.template.startswith("/rest/v1/customobjects/")]


def validator(spec: dict[str, Any], ref: str) -> jsonschema.Draft4Validator:
    """A validator for `#/definitions/...` with every sibling definition resolvable.

    SPEC types `Attribute.value` as `object` (a Java Object: any JSON value); Adobe's own Get
    Lead Activities examples carry strings and numbers there, so only that type is relaxed."""
    definitions = dict(spec["definitions"])
    if "Attribute" in definitions:
        attribute = definitions["Attribute"]
        definitions["Attribute"] = {**attribute, "properties": {
            **attribute["properties"], "value": {"description": "any JSON value"}}}
    return jsonschema.Draft4Validator({"$ref": ref, "definitions": definitions})


def response_ref(method: str, template: str) -> str:
    return str(MAPI["paths"][template][method.lower()]["responses"]["200"]["schema"]["$ref"])


def record_item_validator() -> jsonschema.Draft4Validator:
    """SPEC reuses the request's CustomActivity for endpoint 12's result items; its `required`
    (activityDate, leadId, ...) contradicts ACT's response example, which the emulator follows
    (BEHAVIOUR.md). Every declared property is still checked."""
    definitions = dict(MAPI["definitions"])
    definitions["CustomActivity"] = {**definitions["CustomActivity"], "required": ["status"]}
    return jsonschema.Draft4Validator(
        {"$ref": "#/definitions/ResponseOfCustomActivity", "definitions": definitions}
    )


class Recorder:
    """Wraps an Api so that every reply is kept with the endpoint template it came from."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.bodies: dict[str, list[dict[str, Any]]] = defaultdict(list)
        original_get, original_post = api.get, api.post

        def get(path: str, **params: str) -> dict[str, Any]:
            return self._keep("GET", path, original_get(path, **params))

        def post(path: str, body: Any = None) -> dict[str, Any]:
            return self._keep("POST", path, original_post(path, body))

        api.get, api.post = get, post  # type: ignore[method-assign]

    def raw(self, path: str, content: bytes, content_type: str) -> dict[str, Any]:
        """A POST with a hand-made body (for 609 and 612)."""
        reply = self.api.http.post(path, content=content, headers={
            **self.api.auth, "Content-Type": content_type})
        return self._keep("POST", path, reply.json())

    def _keep(self, method: str, path: str, reply: dict[str, Any]) -> dict[str, Any]:
        route, _, _ = match(method, path)
        assert route is not None, f"{method} {path} is not an emulated endpoint"
        self.bodies[route.key].append(reply)
        return reply


def exercise(api: Api, recorder: Recorder) -> None:
    """Every endpoint, each with at least one success and one refusal."""
    att = "attendConference"
    recorder.raw("/rest/v1/activities/external/type.json", b"{not json", "application/json")
    recorder.raw("/rest/v1/activities/external/type.json", b"apiName=x", "text/plain")
    date = {"apiName": "conferenceDate", "name": "Conference Date", "dataType": "datetime"}
    api.list_types()
    api.create(conference_body(att))
    api.create(conference_body(att))  # 1017
    api.create({"apiName": "noPrimary"})  # 701
    api.list_types()
    api.describe(att)
    api.describe("unknown")  # 702
    api.update(att, {"description": "Changed"})
    api.update("unknown", {"description": "Changed"})  # 702
    api.attributes(att, "create", [date, {"apiName": "room", "name": "Room", "dataType": "string"}])
    api.attributes(att, "create", [date])  # 1017
    api.attributes(att, "update", [{"apiName": "room", "name": "Room Name"}])
    api.attributes(att, "update", [{"apiName": "missing", "name": "Missing"}])  # 1006
    api.attributes(att, "delete", [{"apiName": "room"}])
    api.attributes(att, "delete", [{"apiName": "room"}])  # 1006
    api.discard(att)  # 709: never approved
    api.approve(att)
    api.approve(att)  # 709: no draft
    api.describe(att, draft=True)
    api.update(att, {"name": "Attend Big Conference"})
    api.discard(att)
    api.activity_types()
    api.add([{"leadId": 1, "activityDate": "2026-01-01T10:00:00Z", "activityTypeId": 100001,
              "primaryAttributeValue": "PyCon", "attributes": [
                  {"apiName": "conferenceDate", "value": "2026-01-01T10:00:00Z"}]},
             {"leadId": 99999, "activityDate": "2026-01-01T10:00:00Z", "activityTypeId": 100001,
              "primaryAttributeValue": "PyCon", "attributes": []}])
    api.add([])  # 701
    token = api.get("/rest/v1/activities/pagingtoken.json", sinceDatetime="2020-01-01T00:00:00Z")
    api.get("/rest/v1/activities/pagingtoken.json")  # 701
    api.get("/rest/v1/activities/pagingtoken.json", sinceDatetime="not a date")  # 704
    api.get("/rest/v1/activities.json", nextPageToken=token["nextPageToken"],
            activityTypeIds="100001", leadIds="1")
    api.get("/rest/v1/activities.json", nextPageToken=token["nextPageToken"],
            activityTypeIds="100001", batchSize="1")
    api.get("/rest/v1/activities.json", nextPageToken=token["nextPageToken"],
            activityTypeIds="100001", leadIds=",".join(map(str, range(1, 32))))  # 1003
    api.get("/rest/v1/activities.json", nextPageToken="garbage", activityTypeIds="100001")
    api.get("/rest/v1/stats/usage.json")
    api.running.mark_in_use(att)
    api.delete(att)  # 1022
    api.create(conference_body("other"))
    api.delete("other")
    api.token = "not-a-token"
    api.list_types()  # 601
    api.activity_types()  # 601
    api.get("/rest/v1/stats/usage.json")  # 601
    api.get("/rest/v1/activities/pagingtoken.json", sinceDatetime="2020-01-01")  # 601
    api.get("/rest/v1/activities.json", nextPageToken="x", activityTypeIds="1")  # 601


def test_every_body_of_every_endpoint_matches_the_spec(api: Api) -> None:
    recorder = Recorder(api)
    exercise(api, recorder)
    records = record_item_validator()
    checked = 0
    for route in ACTIVITY_ROUTES:
        bodies = recorder.bodies[route.key]
        outcomes = {body["success"] for body in bodies}
        assert outcomes == {True, False}, f"{route.key}: needs a success and a refusal"
        check: Callable[[Any], None] = (
            records.validate if route.template == RECORDS
            else validator(MAPI, response_ref(route.method, route.template)).validate
        )
        for body in bodies:
            check(body)
            checked += 1
    assert checked == sum(len(b) for b in recorder.bodies.values()) == 42


def test_the_token_body_matches_the_identity_spec(api: Api) -> None:
    reply = api.http.post("/identity/oauth/token", params={
        "grant_type": "client_credentials", "client_id": api.running.config.client_id,
        "client_secret": api.running.config.client_secret})
    assert reply.status_code == 200
    validator(IDENTITY, "#/definitions/ResponseOfIdentity").validate(reply.json())


def test_the_relaxed_record_schema_still_checks_types(api: Api) -> None:
    bad = {"requestId": "1#2", "success": True, "errors": [], "warnings": [],
           "result": [{"status": "added", "id": "not-an-int"}]}
    assert list(record_item_validator().iter_errors(bad)) != []


def test_protocol_errors_are_envelopes_too(api: Api) -> None:
    envelope = validator(MAPI, "#/definitions/ResponseOfCustomActivityType")
    unknown = api.get("/rest/v1/nothing/here.json")
    wrong_method = api.get("/rest/v1/activities/external/type.json")
    assert [unknown["errors"][0]["code"], wrong_method["errors"][0]["code"]] == ["610", "605"]
    envelope.validate(unknown)
    envelope.validate(wrong_method)
