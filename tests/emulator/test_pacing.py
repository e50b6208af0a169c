"""Marketo's limits: 615 past the concurrency limit, 606 at the window, 607 past the day's quota.

The window and the day are unit-tested with a fake clock; concurrency over real sockets with 20
concurrent callers, and the state they leave behind is checked for consistency.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest

from framework.emulator.pacing import Pacer, central_day
from framework.emulator.refusal import Refusal
from tests.conftest import HeldCalls
from tests.emulator.rest import TYPE_BASE, Api, conference_body, result
from tests.support.clocks import FakeClock

TYPES = "/rest/v1/activities/external/types.json"
CALLERS = 20


def refused(pacer: Pacer) -> str | None:
    try:
        pacer.admit()
    except Refusal as refusal:
        return refusal.code
    return None


def test_the_window_slides() -> None:
    clock = FakeClock()
    pacer = Pacer(3, 20.0, 10, 1000, clock, lambda: 0.0)
    assert [refused(pacer) for _ in range(4)] == [None, None, None, "606"]
    clock.now = 19.9
    assert refused(pacer) == "606"
    clock.now = 20.0  # the first three calls leave the window together
    assert [refused(pacer) for _ in range(4)] == [None, None, None, "606"]


def test_the_606_message_is_marketos() -> None:
    pacer = Pacer(1, 20.0, 10, 1000, FakeClock(), lambda: 0.0)
    pacer.admit()
    with pytest.raises(Refusal) as refused_call:
        pacer.admit()
    assert refused_call.value.code == "606"
    assert refused_call.value.message == "Max rate limit '1' exceeded with in '20' secs"


def test_the_daily_quota_resets_at_midnight_central_time() -> None:
    wall = FakeClock(1_780_000_000.0)
    pacer = Pacer(1000, 20.0, 10, 2, FakeClock(), wall)
    assert [refused(pacer) for _ in range(3)] == [None, None, "607"]
    assert pacer.usage() == (central_day(wall.now), 2)
    wall.now += 86_400
    assert refused(pacer) is None
    assert pacer.usage() == (central_day(wall.now), 1)


def test_the_central_day_is_utc_minus_six() -> None:
    assert central_day(0.0) == "1969-12-31"  # 1970-01-01 00:00 UTC is 18:00 the day before
    assert central_day(6 * 3600.0) == "1970-01-01"


def test_concurrency_is_counted_and_released() -> None:
    pacer = Pacer(100, 20.0, 2, 1000, FakeClock(), lambda: 0.0)
    pacer.enter()
    pacer.enter()
    with pytest.raises(Refusal) as refused:
        pacer.enter()
    assert (refused.value.code, refused.value.message) == (
        "615", "Concurrent access limit reached (2)")
    pacer.leave()
    pacer.enter()
    assert pacer.in_flight == 2


async def _together(api: Api, calls: list[tuple[str, str, Any]]) -> list[dict[str, Any]]:
    """Send every call at once, each on its own connection."""
    limits = httpx.Limits(max_connections=len(calls), max_keepalive_connections=len(calls))
    async with httpx.AsyncClient(base_url=api.running.url, limits=limits, timeout=30) as http:
        async def one(method: str, path: str, body: Any) -> dict[str, Any]:
            reply = await http.request(method, path, json=body, headers=api.auth)
            return reply.json()  # type: ignore[no-any-return]

        return await asyncio.gather(*(one(*call) for call in calls))


def codes(replies: list[dict[str, Any]]) -> Counter[str]:
    return Counter("ok" if r["success"] else r["errors"][0]["code"] for r in replies)


def test_twenty_callers_get_615_past_ten_in_flight(api_factory: Any) -> None:
    held = HeldCalls()
    api = api_factory(latency_ms=1, sleep=held.sleep)
    held.expect(api.running, CALLERS)
    replies = asyncio.run(_together(api, [("GET", TYPES, None)] * CALLERS))
    assert codes(replies) == Counter({"ok": 10, "615": 10})
    stats = api.running.stats()
    assert (stats["concurrency_limited_calls"], stats["max_in_flight"]) == (10, 10)
    assert (stats["total_calls"], stats["quota_calls"], stats["in_flight"]) == (20, 10, 0)


def test_twenty_callers_get_606_at_the_window(api_factory: Any) -> None:
    api = api_factory(rate_limit_calls=30, rate_limit_seconds=60, max_concurrent=CALLERS)
    replies = asyncio.run(_together(api, [("GET", TYPES, None)] * CALLERS))
    replies += asyncio.run(_together(api, [("GET", TYPES, None)] * CALLERS))
    assert codes(replies) == Counter({"ok": 30, "606": 10})
    replies = asyncio.run(_together(api, [("GET", TYPES, None)] * CALLERS))
    assert codes(replies) == Counter({"606": 20})
    assert api.running.stats()["rate_limited_calls"] == 30
    assert api.running.stats()["errors_by_code"] == {"606": 30}


def test_concurrent_creates_stay_consistent(api_factory: Any) -> None:
    api = api_factory(max_concurrent=CALLERS)
    calls = [("POST", f"{TYPE_BASE}.json", conference_body(f"type{i}")) for i in range(CALLERS)]
    replies = asyncio.run(_together(api, calls))
    assert codes(replies) == Counter({"ok": 10, "1027": 10})
    created = sorted(r["result"][0]["apiName"] for r in replies if r["success"])
    listed = result(api.list_types())
    assert sorted(t["apiName"] for t in listed) == created
    assert sorted(t["id"] for t in listed) == list(range(100001, 100011))


def test_concurrent_attribute_calls_under_limits_stay_consistent(api_factory: Any) -> None:
    held = HeldCalls()
    api = api_factory(latency_ms=1, rate_limit_calls=15, rate_limit_seconds=60, sleep=held.sleep)
    held.expect(api.running, 1)
    result(api.create(conference_body("busy")))
    calls = [("POST", f"{TYPE_BASE}/busy/attributes/create.json",
              {"attributes": [{"apiName": f"field{i}", "name": f"Field {i}",
                               "dataType": "string"}]})
             for i in range(CALLERS + 5)]
    held.expect(api.running, CALLERS)
    replies = asyncio.run(_together(api, calls[:CALLERS]))
    assert codes(replies) == Counter({"ok": 10, "615": 10})
    held.expect(api.running, 1)
    added = {r["result"][0]["attributes"][-1]["apiName"] for r in replies if r["success"]}
    [draft] = result(api.describe("busy", draft=True))
    assert {a["apiName"] for a in draft["attributes"]} == added
    # The window (15 calls, 12 used) now refuses what concurrency would allow.
    held.expect(api.running, 5)
    replies = asyncio.run(_together(api, calls[CALLERS:]))
    assert codes(replies) == Counter({"ok": 3, "606": 2})
