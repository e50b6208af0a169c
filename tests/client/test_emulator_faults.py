"""The client against a misbehaving emulator (seeded faults, tight limits), over a real socket.

Each test asserts the outcome and the exact number of calls, on both sides.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from framework.client import MarketoClient, Pacing
from framework.client.retry import UNREACHABLE_BUDGET_SECONDS
from framework.emulator.faults import FaultPlan
from framework.errors import MarketoError, ResponseLostError, TransientError
from tests.client.scripted import FakeTime, fault_seed, run, type_body
from tests.conftest import HeldCalls, RunningEmulator

CREATE = "POST /rest/v1/activities/external/type.json"
# What httpx raises when the server closes the connection instead of answering.
CLOSED = "RemoteProtocolError"


def client_of(emulator: RunningEmulator, fake_time: FakeTime | None = None,
              **options: Any) -> MarketoClient:
    if fake_time is not None:
        options = {"clock": fake_time.clock, "sleep": fake_time.sleep, **options}
    return MarketoClient(emulator.url, emulator.config.client_id, emulator.config.client_secret,
                         seed=3, **options)


def test_a_606_storm_backs_off_a_whole_window_and_recovers(
    emulator_factory: Callable[..., RunningEmulator], fake_time: FakeTime
) -> None:
    # The instance allows 5 calls a second, the client was told 20: 10 calls at once get 5
    # answers and 5 refusals, and the 5 retries fit in the next window. One clock for both
    # sides: the client's back-off moves the instance's window too.
    emulator = emulator_factory(rate_limit_calls=5, rate_limit_seconds=1.0, clock=fake_time.clock)
    pacing = Pacing(calls_per_window=20, window_seconds=1.0, max_concurrent=10)

    async def back_off(seconds: float) -> None:
        while emulator.server.emulator.stats.total_calls < 10:  # the ten arrive "at once"
            await asyncio.sleep(0.001)
        await fake_time.sleep(seconds)

    async def scenario() -> dict[str, Any]:
        async with client_of(emulator, fake_time, pacing=pacing, sleep=back_off) as client:
            listed = await asyncio.gather(*(client.list_types() for _ in range(10)))
            assert listed == [[]] * 10
            return client.stats.snapshot()

    stats = run(scenario())
    assert (stats["calls"], stats["retries"], stats["errors_by_code"]) == (15, 5, {"606": 5})
    server = emulator.stats()
    assert (server["total_calls"], server["quota_calls"], server["rate_limited_calls"]) == (
        15, 10, 5)


def test_a_615_storm_backs_off_and_recovers(
    emulator_factory: Callable[..., RunningEmulator], fake_time: FakeTime
) -> None:
    # 3 calls in flight at most on the instance, the client allows 6: the first three are held
    # until all six arrived, so three are refused; their retries (after 0.25-0.5 s, when the
    # first three have long answered) all get in.
    held = HeldCalls()
    emulator = emulator_factory(max_concurrent=3, latency_ms=1, sleep=held.sleep)
    pacing = Pacing(calls_per_window=100, window_seconds=20.0, max_concurrent=6)

    async def back_off(seconds: float) -> None:
        await fake_time.sleep(seconds)
        while emulator.server.emulator.pacer.in_flight:  # the held three answer meanwhile
            await asyncio.sleep(0.001)

    async def scenario() -> dict[str, Any]:
        async with client_of(emulator, fake_time, pacing=pacing, sleep=back_off) as client:
            held.expect(emulator, 1)
            await client.list_types()  # the token, and one call that passes the gate alone
            held.expect(emulator, 6)
            await asyncio.gather(*(client.list_types() for _ in range(6)))
            return client.stats.snapshot()

    stats = run(scenario())
    assert (stats["calls"], stats["retries"], stats["errors_by_code"]) == (10, 3, {"615": 3})
    server = emulator.stats()
    assert (server["total_calls"], server["concurrency_limited_calls"],
            server["max_in_flight"]) == (10, 3, 3)


@pytest.mark.parametrize(("fault", "happened"), [("lose", True), ("drop", False)])
def test_a_lost_answer_to_a_create_raises_may_have_happened(
    emulator_factory: Callable[..., RunningEmulator], fake_time: FakeTime, fault: str,
    happened: bool,
) -> None:
    # "lose": the emulator created the type and closed the connection; "drop": it closed the
    # connection without doing anything. The client cannot tell them apart, so both say "may".
    emulator = emulator_factory(fault_rate=0.5, seed=fault_seed(0.5, [fault, None]))

    async def scenario() -> list[dict[str, Any]]:
        async with client_of(emulator, fake_time) as client:
            with pytest.raises(ResponseLostError) as caught:
                await client.create_type(type_body("buyCar"))
            assert str(caught.value) == (
                f"no answer to {CREATE} on type 'buyCar': the connection closed before the "
                f"answer ({CLOSED}); Marketo may have executed it\n  fix: read the live state "
                f"(activities plan) before trying again (endpoint {CREATE})"
            )
            assert caught.value.may_have_happened is True
            listed = await client.list_types()  # what apply does next: read, then reconcile
            stats = client.stats.snapshot()
            assert (stats["calls"], stats["retries"], stats["lost_responses"]) == (2, 0, 1)
            return listed

    listed = run(scenario())
    assert [t["apiName"] for t in listed] == (["buyCar"] if happened else [])
    server = emulator.stats()
    assert (server["total_calls"], server["faults"][fault]) == (2, 1)
    assert fake_time.sleeps == []


def test_lost_answers_and_resets_on_reads_are_retried(
    emulator_factory: Callable[..., RunningEmulator], fake_time: FakeTime
) -> None:
    emulator = emulator_factory(fault_rate=0.5, seed=fault_seed(0.5, ["lose", "drop", None]))

    async def scenario() -> dict[str, Any]:
        async with client_of(emulator, fake_time) as client:
            assert await client.list_types() == []
            return client.stats.snapshot()

    stats = run(scenario())
    assert (stats["calls"], stats["retries"], stats["lost_responses"]) == (3, 2, 0)
    assert stats["errors_by_code"] == {CLOSED: 2}
    assert emulator.stats()["total_calls"] == 3
    assert len(fake_time.sleeps) == 2


def expected_faults(rate: float, seed: int, successes: int) -> list[str]:
    """The failure codes the client sees before `successes` reads succeed (all are retried)."""
    plan, seen, done = FaultPlan(rate, seed), [], 0
    while done < successes:
        fault = plan.draw()
        if fault is None:
            done += 1
        else:
            seen.append(fault.code if fault.kind == "error" else CLOSED)
    return seen


def test_thirty_reads_through_30_percent_seeded_faults(
    emulator_factory: Callable[..., RunningEmulator], fake_time: FakeTime
) -> None:
    emulator = emulator_factory(fault_rate=0.3, seed=4)
    faults = expected_faults(0.3, 4, 30)
    # The seed gives a real storm: 17 failures of every kind the emulator injects.
    assert (len(faults), len(set(faults))) == (17, 7)

    async def scenario() -> dict[str, Any]:
        async with client_of(emulator, fake_time) as client:
            for _ in range(30):
                await client.list_types()
            return client.stats.snapshot()

    stats = run(scenario())
    by_code: dict[str, int] = {}
    for code in faults:
        by_code[code] = by_code.get(code, 0) + 1
    assert stats["calls"] == 30 + len(faults)
    assert stats["retries"] == len(faults)
    assert stats["errors_by_code"] == dict(sorted(by_code.items()))
    assert emulator.stats()["total_calls"] == 30 + len(faults)


def test_a_server_that_went_away_exhausts_the_budget_without_sending(
    emulator_factory: Callable[..., RunningEmulator], fake_time: FakeTime
) -> None:
    emulator = emulator_factory()

    async def scenario() -> dict[str, Any]:
        # The default budget (120 s) is for Marketo's transient answers; nothing answering at
        # all is given up on after UNREACHABLE_BUDGET_SECONDS.
        async with client_of(emulator, fake_time) as client:
            await client.list_types()
            emulator.server.stop()
            with pytest.raises(TransientError) as caught:
                await client.create_type(type_body("buyCar"))
            error = caught.value
            assert (error.code, error.may_have_happened) == ("ConnectError", False)
            assert isinstance(error, MarketoError)
            assert str(error).startswith(
                f"Marketo error ConnectError: cannot reach {emulator.url} on type 'buyCar': the "
                "connection failed (All connection attempts failed) (4 attempts in ")
            assert "\n  fix: check the endpoint (https://<munchkin-id>.mktorest.com" in str(error)
            return client.stats.snapshot()

    stats = run(scenario())
    assert sum(fake_time.sleeps) < UNREACHABLE_BUDGET_SECONDS
    # Waits of ~0.5, 1 and 2 s fit in 5 s, the fourth (~4 s) would not: 4 attempts, none sent.
    assert stats["calls_by_op"] == {"create_type": 4, "list_types": 1}
    assert stats["errors_by_code"] == {"ConnectError": 4}
