"""Client-side pacing: stay under an instance's calls per window and concurrent calls.

Marketo counts a call when it arrives (100 per 20 s, else 606; 10 at once, else 615). The
client cannot see arrival times, so a call keeps its window slot from when it is sent until
`window_seconds + WINDOW_MARGIN_SECONDS` after its answer came back: the arrival lies between
those two instants, so the server's count can never be higher than ours.
"""

from __future__ import annotations

import asyncio
import logging
import math
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from framework.client.shared_window import SharedWindow, shared_window
from framework.errors import ConfigError

# Covers clock granularity and the server's boundary rule (> or >=) at the window's edge.
WINDOW_MARGIN_SECONDS = 0.05

log = logging.getLogger("framework.client")


@dataclass(frozen=True)
class Pacing:
    """This tool's share of an instance's limits (Marketo: 100 calls per 20 s, 10 at once)."""

    calls_per_window: int = 100
    window_seconds: float = 20.0
    max_concurrent: int = 10
    # Share the window with the other processes of this machine that call the same endpoint
    # (framework/client/shared_window.py). Off for an instance that lives in one process only,
    # such as the embedded `local` emulator on a port of its own each run.
    across_processes: bool = True

    def __post_init__(self) -> None:
        if self.calls_per_window < 1 or self.max_concurrent < 1 or self.window_seconds <= 0:
            raise ConfigError(
                f"pacing {self} is not usable: calls_per_window and max_concurrent must be at "
                "least 1 and window_seconds positive\n"
                "  fix: set calls_per_20s and max_concurrent to 1..100 and 1..10"
            )


class _Slot:
    """A call's place in the window; `released` stays infinite while the call is in flight.
    `shared` names its entry in the shared window's file, if any."""

    __slots__ = ("released", "shared")

    def __init__(self, shared: str | None = None) -> None:
        self.released = math.inf
        self.shared = shared


class Limiter:
    """The sliding window and the concurrency cap of one instance, shared by its clients.

    With a SharedWindow, the window is also shared with the other processes calling the
    instance; the concurrency cap stays this process's."""

    def __init__(
        self,
        pacing: Pacing,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
        shared: SharedWindow | None = None,
    ) -> None:
        self.pacing = pacing
        self._clock = clock
        self._sleep = sleep
        self._shared = shared
        # Never more in flight than fit in the window, so a full window always has a slot
        # that will expire (one released call) and waiting for it terminates.
        self._concurrency = asyncio.Semaphore(min(pacing.max_concurrent, pacing.calls_per_window))
        self._slots: list[_Slot] = []
        # Set while nobody is backing off from a 606. An event rather than a deadline so that
        # the pause lasts exactly as long as the backing-off call's (injected) sleep.
        self._resumed = asyncio.Event()
        self._resumed.set()
        self._pausers = 0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold a concurrency slot and a window slot for the duration of one call."""
        async with self._concurrency:
            taken = await self._take_window_slot()
            try:
                yield
            finally:
                taken.released = self._clock()
                if taken.shared is not None:
                    self._share(SharedWindow.release, taken.shared, taken.released)

    async def pause(self, seconds: float) -> None:
        """Sleep `seconds` while nobody sends (the server said 606: its window is full)."""
        self._pausers += 1
        self._resumed.clear()
        try:
            await self._sleep(seconds)
        finally:
            self._pausers -= 1
            if not self._pausers:
                self._resumed.set()

    async def _take_window_slot(self) -> _Slot:
        while True:
            await self._resumed.wait()
            now = self._clock()
            self._expire(now)
            if len(self._slots) < self.pacing.calls_per_window:
                shared = self._share(SharedWindow.take, now)
                if not isinstance(shared, float):
                    taken = _Slot(shared)
                    self._slots.append(taken)
                    return taken
                wait = shared  # other processes fill the window
            else:
                earliest = min(slot.released for slot in self._slots)
                wait = earliest + self._hold() - now
            log.debug("pacing: waiting %.3f s for a window slot", wait)
            await self._sleep(max(wait, 0.0))

    def _share(self, action: Callable[..., Any], *args: Any) -> Any:
        """`action(shared window, *args)`; None (pacing alone from now on) if it fails."""
        if self._shared is None:
            return None
        try:
            return action(self._shared, *args)
        except (OSError, TimeoutError) as exc:  # filelock's Timeout is a TimeoutError
            log.debug("pacing: the shared window %s failed (%s); pacing this process alone",
                      self._shared.path, exc)
            self._shared = None
            return None

    def _expire(self, now: float) -> None:
        hold = self._hold()
        self._slots = [slot for slot in self._slots if slot.released + hold > now]

    def _hold(self) -> float:
        return self.pacing.window_seconds + WINDOW_MARGIN_SECONDS


# One limiter per instance (endpoint) per event loop: asyncio primitives belong to one loop,
# and clients that talk to the same instance from the same loop must share the budget.
_LIMITERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, Limiter]] = (
    weakref.WeakKeyDictionary()
)


def limiter_for(
    endpoint: str,
    pacing: Pacing,
    clock: Callable[[], float],
    sleep: Callable[[float], Awaitable[None]],
) -> Limiter:
    """The running loop's limiter for `endpoint`, created with `pacing` by its first client."""
    per_loop = _LIMITERS.setdefault(asyncio.get_running_loop(), {})
    limiter = per_loop.get(endpoint)
    if limiter is None:
        shared = (
            shared_window(endpoint, pacing.calls_per_window,
                          pacing.window_seconds + WINDOW_MARGIN_SECONDS)
            if pacing.across_processes else None
        )
        limiter = per_loop[endpoint] = Limiter(pacing, clock, sleep, shared)
    elif limiter.pacing != pacing:
        log.debug(
            "pacing: %s already paced at %s by another client; keeping it", endpoint, limiter.pacing
        )
    return limiter
