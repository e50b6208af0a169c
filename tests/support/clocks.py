"""Injected time: clocks that move only when a test (or the code's own sleep) moves them."""

from __future__ import annotations

import asyncio


class FakeTime:
    """A clock that moves only when the code sleeps; every sleep is recorded.

    Pass `clock=time.clock, sleep=time.sleep` to a client: retries, pacing and budgets then
    cost no wall time, and `sleeps` says what the code waited for."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


class FakeClock:
    """A clock read by calling it, set by the test (`clock.now = 20.0`)."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
