"""Identity, tokens and the answers to bad requests: Marketo's codes, never a 500."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.emulator.rest import Api, conference_body, errors, result
from tests.support.clocks import FakeClock

TOKEN = "/identity/oauth/token"
TYPES = "/rest/v1/activities/external/types.json"
CREATE = "/rest/v1/activities/external/type.json"


def credentials(api: Api, **overrides: str) -> dict[str, str]:
    config = api.running.config
    return {"grant_type": "client_credentials", "client_id": config.client_id,
            "client_secret": config.client_secret, **overrides}


def test_get_and_post_give_the_same_token_with_the_remaining_lifetime(api: Api) -> None:
    clock = FakeClock(1000.0)
    api.running.server.emulator.identity.clock = clock
    api.running.server.emulator.identity.current = None
    first = api.http.get(TOKEN, params=credentials(api)).json()
    clock.now += 100
    second = api.http.post(TOKEN, params=credentials(api)).json()
    form = api.http.post(TOKEN, data=credentials(api)).json()
    assert first["access_token"] == second["access_token"] == form["access_token"]
    assert (first["expires_in"], second["expires_in"]) == (3600, 3500)
    assert (first["token_type"], first["scope"]) == ("bearer", "apis@emulator.local")
    assert first["access_token"].endswith(":int")


def test_expires_in_is_rounded_up_never_under_reported(
    api_factory: Callable[..., Api],
) -> None:
    clock = FakeClock(1000.0)
    clock.now = 1000.004  # (1000.004 + 100) - 1000.004 is 99.99999999999989 in floats
    api = api_factory(token_ttl=100, clock=clock)  # issues the token now
    lifetimes = []
    for elapsed in (0.0, 0.5, 98.9, 99.9999):
        clock.now = 1000.004 + elapsed
        lifetimes.append(api.http.get(TOKEN, params=credentials(api)).json()["expires_in"])
    assert lifetimes == [100, 100, 2, 1]


@pytest.mark.parametrize("override", [
    {"client_secret": "wrong"}, {"client_id": "someone-else"}, {"client_secret": ""}])
def test_bad_credentials_get_401_invalid_client(api: Api, override: dict[str, str]) -> None:
    reply = api.http.get(TOKEN, params=credentials(api, **override))
    assert reply.status_code == 401
    assert reply.json() == {"error": "invalid_client",
                            "error_description": "Bad client credentials"}


def test_a_wrong_grant_type_gets_401(api: Api) -> None:
    reply = api.http.get(TOKEN, params=credentials(api, grant_type="password"))
    assert (reply.status_code, reply.json()["error"]) == (401, "unsupported_grant_type")


def test_token_calls_do_not_count(api: Api) -> None:
    for _ in range(3):
        api.fetch_token()
    stats = api.running.stats()
    assert (stats["token_calls"], stats["total_calls"], stats["quota_calls"]) == (4, 0, 0)


def test_the_token_in_the_query_is_accepted_only_for_old_clients(api_factory: Any) -> None:
    old = api_factory(reject_query_token=False)  # --accept-query-token
    assert old.http.get(TYPES, headers=old.auth).json()["success"] is True
    assert old.http.get(TYPES, params={"access_token": old.token}).json()["success"] is True


def test_by_default_only_the_header_carries_the_token(api: Api) -> None:
    # Marketo refuses query-string tokens since 2026-08-31.
    assert errors(api.http.get(TYPES, params={"access_token": api.token}).json()) == [
        ("601", "Access token invalid")]
    assert api.http.get(TYPES, headers=api.auth).json()["success"] is True


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nonsense"},
                                     {"Authorization": "Basic abc"}])
def test_a_missing_or_invalid_token_is_601(api: Api, headers: dict[str, str]) -> None:
    assert errors(api.http.get(TYPES, headers=headers).json()) == [("601", "Access token invalid")]


def test_an_expired_token_is_602_and_a_new_one_is_issued(api: Api) -> None:
    clock = FakeClock(1000.0)
    identity = api.running.server.emulator.identity
    identity.clock, identity.current = clock, None
    old = api.fetch_token()
    clock.now += 3600
    assert errors(api.http.get(TYPES, headers={"Authorization": f"Bearer {old}"}).json()) == [
        ("602", "Access token expired")]
    new = api.fetch_token()
    assert new != old
    assert errors(api.http.get(TYPES, headers={"Authorization": f"Bearer {old}"}).json()) == [
        ("602", "Access token expired")]
    assert api.http.get(TYPES, headers={"Authorization": f"Bearer {new}"}).json()["success"]


def test_malformed_json_is_609(api: Api) -> None:
    reply = api.http.post(CREATE, content=b'{"apiName": ', headers={
        **api.auth, "Content-Type": "application/json"}).json()
    assert errors(reply) == [
        ("609", "Invalid JSON: Expecting value: line 1 column 13 (char 12)")]


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", ""])
def test_a_wrong_content_type_is_612(api: Api, content_type: str) -> None:
    reply = api.http.post(CREATE, content=b"{}", headers={
        **api.auth, "Content-Type": content_type}).json()
    assert errors(reply) == [("612", "Invalid Content Type")]


def test_json_with_a_charset_is_fine(api: Api) -> None:
    reply = api.http.post(CREATE, content=json.dumps(conference_body()).encode(), headers={
        **api.auth, "Content-Type": "application/json; charset=utf-8"}).json()
    assert result(reply)[0]["apiName"] == "attendConference"


def test_unknown_path_610_and_wrong_method_605(api: Api) -> None:
    assert errors(api.get("/rest/v1/leads/nothing.json")) == [
        ("610", "Requested resource not found")]
    assert errors(api.post(TYPES, {})) == [("605", "Request method 'POST' not supported")]


def test_a_body_over_one_megabyte_is_413(api: Api) -> None:
    big = b'{"input": "' + b"x" * 1_048_576 + b'"}'
    reply = api.http.post("/rest/v1/activities/external.json", content=big, headers={
        **api.auth, "Content-Type": "application/json"})
    assert (reply.status_code, reply.text) == (413, "Request Entity Too Large")
    assert api.running.stats()["total_calls"] == 0


def test_a_uri_over_8_kilobytes_is_414_and_method_get_in_a_form_avoids_it(api: Api) -> None:
    long_value = "x" * 9000
    reply = api.http.get(TYPES, params={"filler": long_value}, headers=api.auth)
    assert reply.status_code == 414
    form = api.http.post(TYPES, data={"_method": "GET", "filler": long_value}, headers=api.auth)
    assert form.json()["success"] is True


@pytest.mark.parametrize("body", [
    b"[]", b"null", b'"text"', b"123", b'{"apiName": 5}', b'{"primaryAttribute": []}',
    b'{"apiName":"a","name":"A","triggerName":"t","filterName":"f","primaryAttribute":"x"}',
    b'{"apiName":"a","name":["A"],"triggerName":"t","filterName":"f"}',
    "{\"apiName\": \"\u00e9\u00e9\"}".encode(), b"\xff\xfe",
])
def test_garbage_bodies_get_marketo_answers_never_a_500(api: Api, body: bytes) -> None:
    for path in [CREATE, "/rest/v1/activities/external/type/x.json",
                 "/rest/v1/activities/external/type/x/attributes/create.json",
                 "/rest/v1/activities/external.json"]:
        reply = api.http.post(path, content=body, headers={
            **api.auth, "Content-Type": "application/json"})
        assert reply.status_code == 200
        assert reply.json()["success"] is False
        assert reply.json()["errors"][0]["code"] in {"609", "701", "702", "1003"}


def test_keep_alive_serves_many_requests_on_one_connection(api: Api) -> None:
    with httpx.Client(base_url=api.running.url, limits=httpx.Limits(max_connections=1)) as http:
        for _ in range(20):
            assert http.get(TYPES, headers=api.auth).json()["success"] is True
    assert api.running.stats()["total_calls"] == 20


def test_request_ids_look_like_marketos(api: Api) -> None:
    first, second = api.list_types()["requestId"], api.list_types()["requestId"]
    assert first != second
    for request_id in (first, second):
        left, right = request_id.split("#")
        int(left, 16), int(right, 16)


@pytest.mark.parametrize("method", ["HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"])
def test_other_methods_are_605_and_the_connection_survives(api: Api, method: str) -> None:
    reply = api.http.request(method, TYPES, headers=api.auth)
    assert reply.status_code == 200
    if method != "HEAD":
        assert errors(reply.json()) == [("605", f"Request method '{method}' not supported")]
    assert api.list_types()["success"] is True


def test_a_broken_request_line_gets_400_not_a_hang(api: Api) -> None:
    port = int(api.running.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        raw.sendall(b"NONSENSE\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 400 ")
