"""Tokens: fetched once, refreshed before expiry and on 601/602, one refresh at a time."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from framework.client import MarketoClient
from framework.errors import AuthenticationError
from tests.client.scripted import (
    CLIENT_ID,
    ENDPOINT,
    SECRET,
    FakeTime,
    ScriptedMarketo,
    envelope,
    failure,
    run,
)


def client_for(marketo: ScriptedMarketo, fake_time: FakeTime) -> MarketoClient:
    return MarketoClient(ENDPOINT, CLIENT_ID, SECRET, transport=marketo.transport,
                         clock=fake_time.clock, sleep=fake_time.sleep, seed=1)


def tokens_used(marketo: ScriptedMarketo) -> list[str]:
    return [r.headers["authorization"].removeprefix("Bearer ") for r in marketo.rest]


def test_one_token_serves_many_calls_until_it_is_due(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    marketo.expires_in = 100  # refreshed 10 s early (a tenth of a short lifetime)

    async def scenario() -> None:
        async with client_for(marketo, fake_time) as client:
            await client.list_types()
            fake_time.now += 89.9
            await client.list_types()
            fake_time.now += 0.2  # 90.1 s after the token was requested
            await client.list_types()
            assert client.stats.token_requests == 2

    run(scenario())
    assert tokens_used(marketo) == ["token-1", "token-1", "token-2"]


def test_a_602_refreshes_the_token_whatever_the_local_clock_says(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    marketo.answers = [failure("602", "Access token expired")]

    async def scenario() -> dict[str, object]:
        async with client_for(marketo, fake_time) as client:
            await client.describe_type("buyCar")
            return client.stats.snapshot()

    stats = run(scenario())
    assert tokens_used(marketo) == ["token-1", "token-2"]
    assert stats == {"calls": 2, "token_requests": 2, "retries": 1, "lost_responses": 0,
                     "calls_by_op": {"describe_type": 2}, "errors_by_code": {"602": 1}}
    assert fake_time.sleeps == []  # a token refresh needs no backoff


def test_expires_in_zero_is_used_once_then_refreshed_not_looped(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    marketo.expires_in = 0

    async def scenario() -> int:
        async with client_for(marketo, fake_time) as client:
            await client.list_types()
            await client.list_types()
            return client.stats.token_requests

    assert run(scenario()) == 2
    assert tokens_used(marketo) == ["token-1", "token-2"]


def test_many_tasks_seeing_602_together_refresh_once(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    # token-1 is refused by every call; token-2 is accepted.
    def answer(request: httpx.Request) -> dict[str, object]:
        if request.headers["authorization"] == "Bearer token-1":
            return failure("602", "Access token expired")
        return envelope([{"apiName": "t"}])

    marketo.answers = [answer] * 20
    marketo.delay = 0.001  # answers interleave, so all ten see 602 before any refresh ends

    async def scenario() -> dict[str, object]:
        async with client_for(marketo, fake_time) as client:
            await asyncio.gather(*(client.describe_type(f"t{n}") for n in range(10)))
            return client.stats.snapshot()

    stats = run(scenario())
    assert stats["token_requests"] == 2
    assert stats["calls"] == 20
    assert sorted(tokens_used(marketo)) == ["token-1"] * 10 + ["token-2"] * 10


def test_a_token_rejected_three_times_in_a_row_is_an_authentication_error(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    marketo.answers = [failure("601", "Access token invalid", request_id=f"r#{n}")
                       for n in range(3)]

    async def scenario() -> None:
        async with client_for(marketo, fake_time) as client:
            await client.approve_type("buyCar")

    with pytest.raises(AuthenticationError) as caught:
        run(scenario())
    assert str(caught.value) == (
        "Marketo error 601: Marketo rejected 3 access tokens in a row (Access token invalid) on "
        "type 'buyCar'\n  fix: check that the API-only user of the LaunchPoint service is active "
        "and that MARKETO_CLIENT_ID / MARKETO_CLIENT_SECRET belong to this instance (endpoint "
        "POST /rest/v1/activities/external/type/{apiName}/approve.json, requestId r#2)"
    )
    assert marketo.tokens_issued == 3 and len(marketo.rest) == 3


def test_refused_credentials_say_which_variables_to_check(
    marketo: ScriptedMarketo, fake_time: FakeTime
) -> None:
    marketo.identity_status = 401

    async def scenario() -> None:
        async with client_for(marketo, fake_time) as client:
            await client.list_types()

    with pytest.raises(AuthenticationError) as caught:
        run(scenario())
    assert str(caught.value) == (
        "Marketo error 401: the identity service refused the client credentials (HTTP 401: "
        "invalid_client: Bad client credentials)\n  fix: check MARKETO_CLIENT_ID / "
        "MARKETO_CLIENT_SECRET: the client id and secret of the LaunchPoint custom service "
        "(endpoint GET /identity/oauth/token)"
    )
    assert marketo.rest == []


def test_identity_outages_are_retried_without_counting_as_rest_calls(
    fake_time: FakeTime,
) -> None:
    marketo = ScriptedMarketo()
    outages: Iterator[Exception | int] = iter([httpx.ConnectError("refused"), 503])
    original = marketo.handle

    async def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/identity"):
            outage = next(outages, None)
            if isinstance(outage, Exception):
                raise outage
            if outage is not None:
                return httpx.Response(outage)
        return await original(request)

    async def scenario() -> dict[str, object]:
        async with MarketoClient(ENDPOINT, CLIENT_ID, SECRET, transport=httpx.MockTransport(handle),
                                 clock=fake_time.clock, sleep=fake_time.sleep, seed=1) as client:
            await client.list_types()
            return client.stats.snapshot()

    stats = run(scenario())
    assert (stats["token_requests"], stats["calls"], stats["retries"]) == (3, 1, 0)
    assert len(fake_time.sleeps) == 2
