"""Seeded faults: transient errors, dropped connections (nothing done) and lost responses (done,
then the connection closes), reproducible from the seed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from framework.emulator.faults import TRANSIENT_CODES, Fault, FaultPlan
from tests.emulator.rest import TYPE_BASE, Api, conference_body


def outcome(api: Api, body: dict[str, Any]) -> str:
    """What the client saw: `ok`, an error code, `502`, or `closed`."""
    try:
        reply = api.http.post(f"{TYPE_BASE}.json", json=body, headers=api.auth)
    except httpx.RemoteProtocolError:
        return "closed"
    if reply.status_code == 502:
        return "502"
    data = reply.json()
    return "ok" if data["success"] else str(data["errors"][0]["code"])


def expected(fault: Fault | None) -> str:
    if fault is None:
        return "ok"
    return fault.code if fault.kind == "error" else "closed"


def test_the_fault_plan_is_reproducible_and_mixes_every_kind() -> None:
    plan_a, plan_b = FaultPlan(0.5, 11), FaultPlan(0.5, 11)
    seq_a = [plan_a.draw() for _ in range(400)]
    assert seq_a == [plan_b.draw() for _ in range(400)]
    faults = [f for f in seq_a if f is not None]
    assert 150 < len(faults) < 250
    assert {f.kind for f in faults} == {"error", "drop", "lose"}
    assert {f.code for f in faults if f.kind == "error"} == set(TRANSIENT_CODES)


def test_no_faults_at_rate_zero() -> None:
    plan = FaultPlan(0.0, 1)
    assert [plan.draw() for _ in range(100)] == [None] * 100


def test_faults_over_http_follow_the_seed(api_factory: Any) -> None:
    api = api_factory(fault_rate=0.6, seed=5, max_types=100, rate_limit_calls=1000)
    reference = FaultPlan(0.6, 5)
    plans = [reference.draw() for _ in range(40)]
    seen = [outcome(api, conference_body(f"type{i}")) for i in range(40)]
    assert seen == [expected(f) for f in plans]
    # Only completed calls and lost responses changed the state; drops and errors did not.
    state = httpx.get(f"{api.running.url}/_emulator/state").json()
    created = {t["apiName"] for t in state["catalog"]["types"]}
    assert created == {f"type{i}" for i, f in enumerate(plans)
                       if f is None or f.kind == "lose"}
    stats = api.running.stats()
    assert stats["total_calls"] == stats["mutating_calls"] == 40
    assert stats["faults"] == {kind: sum(1 for f in plans if f and f.kind == kind)
                               for kind in ("error", "drop", "lose")}


@pytest.mark.parametrize("kind", ["drop", "lose"])
def test_a_closed_connection_applies_the_change_only_when_the_response_is_lost(
    api: Api, kind: str
) -> None:
    class Once:
        def __init__(self) -> None:
            self.left = 1

        def draw(self) -> Fault | None:
            self.left -= 1
            return Fault(kind) if self.left == 0 else None  # type: ignore[arg-type]

    api.running.server.emulator.faults = Once()  # type: ignore[assignment]
    assert outcome(api, conference_body()) == "closed"
    applied = outcome(api, conference_body()) == "1017"
    assert applied is (kind == "lose")


def test_a_502_is_an_http_status_not_an_envelope(api: Api) -> None:
    api.running.server.emulator.faults.draw = lambda: Fault("error", "502")  # type: ignore[method-assign]
    reply = api.http.get("/rest/v1/activities/external/types.json", headers=api.auth)
    assert (reply.status_code, reply.text) == (502, "502 Bad Gateway")


def test_latency_applies_to_rest_calls_only(api_factory: Any) -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    api = api_factory(latency_ms=150, sleep=sleep)  # fetches a token
    api.fetch_token()
    api.http.get("/_emulator/stats")
    assert slept == []
    api.list_types()
    assert slept == [0.15]
