"""The client against the emulator over a real loopback socket: every endpoint, exact counts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from framework.client import MarketoClient, Pacing
from framework.errors import AuthenticationError, MarketoError, QuotaExceededError
from tests.client.scripted import FakeTime, run, type_body
from tests.conftest import RunningEmulator

TYPE = "/rest/v1/activities/external/type"


def client_of(emulator: RunningEmulator, fake_time: FakeTime | None = None,
              **options: Any) -> MarketoClient:
    if fake_time is not None:
        options.update(clock=fake_time.clock, sleep=fake_time.sleep)
    return MarketoClient(emulator.url, emulator.config.client_id, emulator.config.client_secret,
                         seed=3, **options)


def test_a_whole_lifecycle_through_all_twelve_endpoints(emulator: RunningEmulator) -> None:
    async def scenario() -> tuple[list[Any], dict[str, Any]]:
        async with client_of(emulator) as client:
            created = await client.create_type(type_body("buyCar"))
            with_size = await client.create_attributes(
                "buyCar", [{"apiName": "size", "name": "Size", "dataType": "integer"}])
            await client.update_attributes("buyCar", [{"apiName": "size", "name": "Car Size"}])
            draft = await client.describe_type("buyCar", draft=True)
            approved = await client.approve_type("buyCar")
            listed = await client.list_types()
            all_types = await client.list_activity_types()
            records = await client.add_activities([
                {"leadId": 1, "activityDate": "2026-01-01T00:00:00Z",
                 "activityTypeId": approved["id"], "primaryAttributeValue": "red",
                 "attributes": [{"apiName": "size", "value": "3"}]},
                {"leadId": 999_999, "activityDate": "2026-01-01T00:00:00Z",
                 "activityTypeId": approved["id"], "primaryAttributeValue": "blue",
                 "attributes": []},
            ])
            await client.update_type("buyCar", {"description": "changed"})
            discarded = await client.discard_draft("buyCar")
            await client.delete_attributes("buyCar", ["size"])
            await client.approve_type("buyCar")
            live = await client.describe_type("buyCar")
            deleted = await client.delete_type("buyCar")
            outcome = [created["status"], [a["apiName"] for a in with_size["attributes"]],
                       draft["attributes"][0]["name"], approved["status"],
                       [t["apiName"] for t in listed],
                       any(t.get("apiName") == "buyCar" for t in all_types),
                       [r["status"] for r in records], discarded["status"],
                       live.get("attributes", []), bool(deleted)]
            return outcome, client.stats.snapshot()

    outcome, stats = run(scenario())
    assert outcome == ["draft", ["size"], "Car Size", "approved", ["buyCar"], True,
                       ["added", "skipped"], "approved", [], True]
    assert stats["calls"] == 14 and stats["retries"] == 0 and stats["token_requests"] == 1
    server = emulator.stats()
    assert (server["total_calls"], server["quota_calls"], server["token_calls"]) == (14, 14, 1)
    assert server["calls_by_endpoint"] == {
        "GET /rest/v1/activities/external/type/{apiName}/describe.json": 2,
        "GET /rest/v1/activities/external/types.json": 1,
        "GET /rest/v1/activities/types.json": 1,
        "POST /rest/v1/activities/external.json": 1,
        "POST /rest/v1/activities/external/type.json": 1,
        "POST /rest/v1/activities/external/type/{apiName}.json": 1,
        "POST /rest/v1/activities/external/type/{apiName}/approve.json": 2,
        "POST /rest/v1/activities/external/type/{apiName}/attributes/create.json": 1,
        "POST /rest/v1/activities/external/type/{apiName}/attributes/delete.json": 1,
        "POST /rest/v1/activities/external/type/{apiName}/attributes/update.json": 1,
        "POST /rest/v1/activities/external/type/{apiName}/delete.json": 1,
        "POST /rest/v1/activities/external/type/{apiName}/discardDraft.json": 1,
    }


def test_a_refused_call_carries_the_emulator_code_and_request_id(
    emulator: RunningEmulator,
) -> None:
    async def scenario() -> None:
        async with client_of(emulator) as client:
            await client.approve_type("noSuchType")

    with pytest.raises(MarketoError) as caught:
        run(scenario())
    error = caught.value
    assert error.code == "702" and error.request_id
    assert str(error) == (
        f"Marketo error 702: {error.marketo_message} (endpoint POST "
        f"{TYPE}/{{apiName}}/approve.json, requestId {error.request_id})"
    )
    assert error.marketo_message.endswith(" on type 'noSuchType'")
    assert emulator.stats()["total_calls"] == 1


def test_wrong_credentials_are_an_authentication_error(
    emulator_factory: Callable[..., RunningEmulator],
) -> None:
    emulator = emulator_factory()

    async def scenario() -> None:
        async with MarketoClient(emulator.url, "wrong-id", "wrong-secret") as client:
            await client.list_types()

    with pytest.raises(AuthenticationError) as caught:
        run(scenario())
    assert str(caught.value).startswith(
        "Marketo error 401: the identity service refused the client credentials (HTTP 401: "
        "invalid_client: Bad client credentials)\n  fix: check MARKETO_CLIENT_ID / "
        "MARKETO_CLIENT_SECRET"
    )
    server = emulator.stats()
    assert (server["token_calls"], server["total_calls"]) == (1, 0)


def test_607_stops_at_once_when_the_daily_quota_is_spent(
    emulator_factory: Callable[..., RunningEmulator], fake_time: FakeTime
) -> None:
    emulator = emulator_factory(daily_quota=3)

    async def scenario() -> dict[str, Any]:
        async with client_of(emulator, fake_time) as client:
            for _ in range(3):
                await client.list_types()
            with pytest.raises(QuotaExceededError) as caught:
                await client.describe_type("buyCar")
            error = caught.value
            assert str(error) == (
                "Marketo error 607: the daily API quota is spent (Daily quota reached) on type "
                "'buyCar'; it resets at midnight US Central time (America/Chicago)\n  fix: run "
                "again after the reset, or ask Adobe support for a larger daily quota (endpoint "
                f"GET {TYPE}/{{apiName}}/describe.json, requestId {error.request_id})"
            )
            return client.stats.snapshot()

    stats = run(scenario())
    assert (stats["calls"], stats["retries"], stats["errors_by_code"]) == (4, 0, {"607": 1})
    assert fake_time.sleeps == []
    server = emulator.stats()
    assert (server["total_calls"], server["quota_calls"], server["errors_by_code"]) == (
        4, 3, {"607": 1})


def test_the_token_expiring_mid_run_is_replaced_after_one_602(
    emulator_factory: Callable[..., RunningEmulator], fake_time: FakeTime
) -> None:
    # The emulator's token lives 2 s; the client's clock stands still while the server's moves,
    # so only the server can tell it the token expired, as when local clocks drift.
    server_time = FakeTime()
    emulator = emulator_factory(token_ttl=2, clock=server_time.clock)

    async def scenario() -> dict[str, Any]:
        async with client_of(emulator, fake_time) as client:
            await client.list_types()
            await client.list_types()
            server_time.now += 2.05  # the emulator's token expires
            await client.list_types()
            await client.list_types()
            return client.stats.snapshot()

    stats = run(scenario())
    assert stats == {"calls": 5, "token_requests": 2, "retries": 1, "lost_responses": 0,
                     "calls_by_op": {"list_types": 5}, "errors_by_code": {"602": 1}}
    server = emulator.stats()
    assert (server["total_calls"], server["token_calls"], server["errors_by_code"]) == (
        5, 2, {"602": 1})


def test_a_limiter_at_the_instance_limits_provokes_no_606_and_no_615(
    emulator_factory: Callable[..., RunningEmulator], fake_time: FakeTime
) -> None:
    # One clock for both sides: the client's waits for its window move the instance's window.
    # The 20 ms latency (real) keeps three calls in flight together.
    emulator = emulator_factory(rate_limit_calls=8, rate_limit_seconds=0.5, max_concurrent=3,
                                latency_ms=20, clock=fake_time.clock)
    pacing = Pacing(calls_per_window=8, window_seconds=0.5, max_concurrent=3)

    async def scenario() -> dict[str, Any]:
        async with client_of(emulator, fake_time, pacing=pacing) as client:
            await asyncio.gather(*(client.describe_type("buyCar", draft=True)
                                   for _ in range(20)), return_exceptions=True)
            return client.stats.snapshot()

    stats = run(scenario())
    assert (stats["calls"], stats["retries"], stats["errors_by_code"]) == (20, 0, {"702": 20})
    server = emulator.stats()
    assert (server["total_calls"], server["rate_limited_calls"],
            server["concurrency_limited_calls"], server["max_in_flight"]) == (20, 0, 0, 3)
