"""The limiter: a sliding window of calls and a cap on calls in flight, per instance."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest

from framework.client import MarketoClient, Pacing
from framework.client.pacing import WINDOW_MARGIN_SECONDS
from framework.errors import ConfigError
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


class Recorder:
    """An in-process server that records when each REST call arrived and left on the client's
    (fake) clock; an answer takes `latency` of that clock."""

    def __init__(self, fake_time: FakeTime, latency: float) -> None:
        self.time = fake_time
        self.latency = latency
        self.spans: list[tuple[float, float]] = []
        self.in_flight = 0
        self.max_in_flight = 0

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/identity"):
            return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})
        arrived = self.time.clock()
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        await asyncio.sleep(0.005)  # real, and short: lets the other calls in flight arrive
        self.time.now = max(self.time.now, arrived + self.latency)
        self.in_flight -= 1
        self.spans.append((arrived, self.time.clock()))
        return httpx.Response(200, json=envelope([{"apiName": "t"}]))

    def most_in_any_window(self, seconds: float) -> int:
        arrivals = sorted(start for start, _ in self.spans)
        return max(
            sum(1 for other in arrivals if first <= other < first + seconds) for first in arrivals
        )


def paced_client(recorder: Recorder, pacing: Pacing) -> MarketoClient:
    return MarketoClient(ENDPOINT, CLIENT_ID, SECRET, pacing=pacing,
                         transport=httpx.MockTransport(recorder.handle),
                         clock=recorder.time.clock, sleep=recorder.time.sleep)


def test_calls_stay_inside_the_window_and_the_concurrency_cap(fake_time: FakeTime) -> None:
    recorder = Recorder(fake_time, latency=0.01)
    pacing = Pacing(calls_per_window=5, window_seconds=0.2, max_concurrent=2)

    async def scenario() -> float:
        async with paced_client(recorder, pacing) as client:
            started = fake_time.clock()
            await asyncio.gather(*(client.list_types() for _ in range(12)))
            return fake_time.clock() - started

    elapsed = run(scenario())
    assert len(recorder.spans) == 12
    assert recorder.max_in_flight == 2
    assert recorder.most_in_any_window(0.2) == 5
    # 12 calls in windows of 5: the third window opens after two full windows.
    assert elapsed >= 2 * (0.2 + WINDOW_MARGIN_SECONDS)


def test_two_clients_of_one_instance_share_its_limiter(fake_time: FakeTime) -> None:
    recorder = Recorder(fake_time, latency=0.0)
    pacing = Pacing(calls_per_window=4, window_seconds=0.2, max_concurrent=4)

    async def scenario() -> None:
        async with paced_client(recorder, pacing) as one, paced_client(recorder, pacing) as two:
            await asyncio.gather(*(c.list_types() for c in (one, two) for _ in range(4)))

    run(scenario())
    assert len(recorder.spans) == 8
    assert recorder.most_in_any_window(0.2) == 4


def test_a_slot_is_held_from_sending_until_a_window_after_the_answer(
    fake_time: FakeTime,
) -> None:
    # Slow answers: the server counts a call when it arrives, somewhere in the call's span, so
    # the next window may only open a window after the answer came back.
    recorder = Recorder(fake_time, latency=0.1)
    pacing = Pacing(calls_per_window=2, window_seconds=0.2, max_concurrent=2)

    async def scenario() -> None:
        async with paced_client(recorder, pacing) as client:
            await asyncio.gather(*(client.list_types() for _ in range(4)))

    run(scenario())
    assert len(recorder.spans) == 4
    # A call holds its slot from its start until a window after its answer: no call starts
    # while two others hold theirs.
    for start, _ in recorder.spans:
        holding = [(s, e) for s, e in recorder.spans if s <= start < e + 0.2]
        assert len(holding) <= 2, (start, holding)


@pytest.mark.parametrize(
    "pacing_args",
    [{"calls_per_window": 0}, {"max_concurrent": 0}, {"window_seconds": 0.0}],
)
def test_unusable_pacing_is_refused(pacing_args: dict[str, float]) -> None:
    with pytest.raises(ConfigError) as caught:
        Pacing(**pacing_args)  # type: ignore[arg-type]
    assert str(caught.value).endswith(
        "calls_per_window and max_concurrent must be at least 1 and window_seconds positive\n"
        "  fix: set calls_per_20s and max_concurrent to 1..100 and 1..10"
    )


def test_token_requests_take_no_window_slot(fake_time: FakeTime) -> None:
    marketo = ScriptedMarketo()
    pacing = Pacing(calls_per_window=2, window_seconds=20.0, max_concurrent=2)

    async def scenario() -> None:
        async with MarketoClient(ENDPOINT, CLIENT_ID, SECRET, pacing=pacing,
                                 transport=marketo.transport, clock=fake_time.clock,
                                 sleep=fake_time.sleep) as client:
            await client.list_types()
            await client.list_types()
            assert fake_time.sleeps == []  # the identity call did not use one of the two
            await client.list_types()

    run(scenario())
    assert fake_time.sleeps == [20.0 + WINDOW_MARGIN_SECONDS]
    assert len(marketo.requests) == 4


def test_a_606_holds_every_call_to_the_instance_for_a_window(fake_time: FakeTime) -> None:
    sent: list[str] = []

    def answer(code: str | None) -> Callable[[httpx.Request], dict[str, object]]:
        def reply(request: httpx.Request) -> dict[str, object]:
            sent.append(request.url.path)
            if code:
                return failure(code, "Max rate limit '100' exceeded with in '20' secs")
            return envelope([{"apiName": "t"}])
        return reply

    marketo = ScriptedMarketo(answers=[answer("606"), answer(None), answer(None)])

    async def scenario() -> None:
        async with MarketoClient(ENDPOINT, CLIENT_ID, SECRET, transport=marketo.transport,
                                 clock=fake_time.clock, sleep=fake_time.sleep, seed=1) as client:
            refused = asyncio.create_task(client.list_types())
            while not sent:
                await asyncio.sleep(0)
            # Starts while the refused call backs off: it must wait for the window to move,
            # so the refused call's retry goes first.
            await client.list_activity_types()
            await refused

    run(scenario())
    assert sent == ["/rest/v1/activities/external/types.json",
                    "/rest/v1/activities/external/types.json",
                    "/rest/v1/activities/types.json"]
    assert len(fake_time.sleeps) == 1 and fake_time.sleeps[0] >= 20.0 + WINDOW_MARGIN_SECONDS
