"""Each of the twelve methods sends the right request and returns the right part of the answer."""

from __future__ import annotations

from typing import Any

import pytest

from framework.client import MarketoClient
from framework.errors import ConfigError, MarketoError
from tests.client.scripted import (
    CLIENT_ID,
    ENDPOINT,
    SECRET,
    FakeTime,
    ScriptedMarketo,
    body_of,
    envelope,
    failure,
    run,
)

TYPE = "/rest/v1/activities/external/type"
ATTRS = [{"apiName": "size", "name": "Size", "dataType": "integer"}]
RECORD = {"leadId": 1, "activityDate": "2026-01-01T00:00:00Z", "activityTypeId": 100001,
          "primaryAttributeValue": "x", "attributes": []}

# (method name, arguments, HTTP method, path, query, body)
CASES: list[tuple[str, tuple[Any, ...], str, str, dict[str, str], Any]] = [
    ("list_types", (), "GET", "/rest/v1/activities/external/types.json", {}, None),
    ("describe_type", ("buyCar",), "GET", f"{TYPE}/buyCar/describe.json", {}, None),
    ("describe_type", ("buyCar", True), "GET", f"{TYPE}/buyCar/describe.json",
     {"draft": "true"}, None),
    ("create_type", ({"apiName": "buyCar", "name": "Buy Car"},), "POST", f"{TYPE}.json", {},
     {"apiName": "buyCar", "name": "Buy Car"}),
    ("update_type", ("buyCar", {"name": "Buy a Car"}), "POST", f"{TYPE}/buyCar.json", {},
     {"name": "Buy a Car"}),
    ("approve_type", ("buyCar",), "POST", f"{TYPE}/buyCar/approve.json", {}, None),
    ("discard_draft", ("buyCar",), "POST", f"{TYPE}/buyCar/discardDraft.json", {}, None),
    ("delete_type", ("buyCar",), "POST", f"{TYPE}/buyCar/delete.json", {}, None),
    ("create_attributes", ("buyCar", ATTRS), "POST", f"{TYPE}/buyCar/attributes/create.json", {},
     {"attributes": ATTRS}),
    ("update_attributes", ("buyCar", ATTRS), "POST", f"{TYPE}/buyCar/attributes/update.json", {},
     {"attributes": ATTRS}),
    ("delete_attributes", ("buyCar", ["size", "colour"]), "POST",
     f"{TYPE}/buyCar/attributes/delete.json", {},
     {"attributes": [{"apiName": "size"}, {"apiName": "colour"}]}),
    ("list_activity_types", (), "GET", "/rest/v1/activities/types.json", {}, None),
    ("add_activities", ([RECORD],), "POST", "/rest/v1/activities/external.json", {},
     {"input": [RECORD]}),
]
LIST_METHODS = {"list_types", "list_activity_types", "add_activities"}


@pytest.mark.parametrize(("method", "args", "http_method", "path", "query", "body"), CASES)
def test_each_method_sends_its_request_and_returns_its_result(
    marketo: ScriptedMarketo, fake_time: FakeTime, method: str, args: tuple[Any, ...],
    http_method: str, path: str, query: dict[str, str], body: Any,
) -> None:
    items = [{"id": 1}, {"id": 2}]
    marketo.answers = [envelope(items)]

    async def scenario() -> Any:
        async with MarketoClient(ENDPOINT, CLIENT_ID, SECRET, transport=marketo.transport,
                                 clock=fake_time.clock, sleep=fake_time.sleep) as client:
            return await getattr(client, method)(*args), client.stats.snapshot()

    result, stats = run(scenario())
    assert result == (items if method in LIST_METHODS else items[0])
    [request] = marketo.rest
    sent = (request.method, request.url.path, dict(request.url.params))
    assert sent == (http_method, path, query)
    assert body_of(request) == body
    assert request.headers["authorization"] == "Bearer token-1"
    assert stats == {"calls": 1, "token_requests": 1, "retries": 0, "lost_responses": 0,
                     "calls_by_op": {method: 1}, "errors_by_code": {}}


def test_the_token_request_is_the_only_place_credentials_travel(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    async def scenario() -> None:
        async with MarketoClient(ENDPOINT, CLIENT_ID, SECRET, transport=marketo.transport,
                                 clock=fake_time.clock, sleep=fake_time.sleep) as client:
            await client.create_type({"apiName": "buyCar"})

    run(scenario())
    identity, rest = marketo.requests
    assert (identity.method, identity.url.path, dict(identity.url.params)) == (
        "GET", "/identity/oauth/token",
        {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": SECRET},
    )
    assert "authorization" not in identity.headers
    assert str(rest.url) == f"{ENDPOINT}/rest/v1/activities/external/type.json"
    sent = rest.content.decode() + str(rest.url)
    assert SECRET not in sent and CLIENT_ID not in sent and "token-1" not in sent


def test_add_activities_sends_batches_of_300_and_keeps_the_order(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    records = [{**RECORD, "leadId": n} for n in range(650)]
    marketo.answers = [
        lambda request: envelope([{"id": r["leadId"], "status": "added"}
                                  for r in body_of(request)["input"]])
    ] * 3

    async def scenario() -> list[dict[str, Any]]:
        async with MarketoClient(ENDPOINT, CLIENT_ID, SECRET, transport=marketo.transport,
                                 clock=fake_time.clock, sleep=fake_time.sleep) as client:
            return await client.add_activities(records)

    results = run(scenario())
    assert [len(body_of(r)["input"]) for r in marketo.rest] == [300, 300, 50]
    assert [r["id"] for r in results] == list(range(650))


def test_an_empty_result_for_a_type_method_is_an_error(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    marketo.answers = [envelope([], request_id="ab#1")]

    async def scenario() -> None:
        async with MarketoClient(ENDPOINT, CLIENT_ID, SECRET, transport=marketo.transport,
                                 clock=fake_time.clock, sleep=fake_time.sleep) as client:
            await client.approve_type("buyCar")

    with pytest.raises(MarketoError) as caught:
        run(scenario())
    assert str(caught.value) == (
        "Marketo answered success with an empty result on type 'buyCar' "
        "(endpoint POST /rest/v1/activities/external/type/{apiName}/approve.json)"
    )


def test_an_answer_that_is_not_an_envelope_is_an_error(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    marketo.answers = [{"hello": "world"}]

    async def scenario() -> None:
        async with MarketoClient(ENDPOINT, CLIENT_ID, SECRET, transport=marketo.transport,
                                 clock=fake_time.clock, sleep=fake_time.sleep) as client:
            await client.list_types()

    with pytest.raises(MarketoError) as caught:
        run(scenario())
    assert str(caught.value) == (
        "the answer is not a Marketo envelope ('{\"hello\":\"world\"}')\n"
        "  fix: check that the endpoint is the instance's REST base "
        "(endpoint GET /rest/v1/activities/external/types.json)"
    )


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("https://123-ABC-456.mktorest.com/", "https://123-ABC-456.mktorest.com"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://localhost:1", "http://localhost:1"),
        ("http://[::1]:1", "http://[::1]:1"),
    ],
)
def test_https_or_loopback_endpoints_are_accepted(url: str, accepted: str) -> None:
    client = MarketoClient(url, CLIENT_ID, SECRET)
    assert client.endpoint == accepted
    run(client.aclose())


def test_plain_http_off_loopback_is_refused_before_any_call() -> None:
    with pytest.raises(ConfigError) as caught:
        MarketoClient("http://123-abc-456.mktorest.com", CLIENT_ID, SECRET)
    assert str(caught.value) == (
        "endpoint 'http://123-abc-456.mktorest.com' uses plain http off the loopback interface; "
        "credentials would travel in clear text\n  fix: use https://"
    )


def test_a_failed_later_batch_says_which_records_were_already_added(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    records = [{**RECORD, "leadId": n} for n in range(400)]
    marketo.answers = [envelope([{"status": "added"}] * 300),
                       failure("1003", "Invalid data", request_id="b#2")]

    async def scenario() -> None:
        async with MarketoClient(ENDPOINT, CLIENT_ID, SECRET, transport=marketo.transport,
                                 clock=fake_time.clock, sleep=fake_time.sleep) as client:
            await client.add_activities(records)

    with pytest.raises(MarketoError) as caught:
        run(scenario())
    assert str(caught.value) == (
        "Marketo error 1003: Invalid data; records 1-300 of 400 were already added; send only "
        "the rest again (endpoint POST /rest/v1/activities/external.json, requestId b#2)"
    )
